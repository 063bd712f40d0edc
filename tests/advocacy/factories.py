"""Factories for the campaign and advocacy alerts (stories and news have their own)."""

import factory
from django.test import Client, TestCase
from django.utils import timezone

from advocacy.models import AdvocacyAlert, AlertSubscriber, CampaignAction


class CampaignActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignAction

    title = factory.Sequence(lambda n: f"Campaign action {n}")
    summary = "Tell your members of Congress why your library matters."
    link_label = "Take action"
    link_url = "/advocacy/alerts/"
    time_needed = CampaignAction.TimeNeeded.FIVE_MINUTES
    order = factory.Sequence(int)
    is_published = True


class AlertSubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertSubscriber

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    name = factory.Faker("name")
    zip_code = "60601"
    state = "IL"
    interests = ""
    status = AlertSubscriber.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(status=AlertSubscriber.Status.PENDING, confirmed_at=None)
        unsubscribed = factory.Trait(
            status=AlertSubscriber.Status.UNSUBSCRIBED, unsubscribed_at=factory.LazyFunction(timezone.now)
        )


class AdvocacyAlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvocacyAlert

    subject = factory.Sequence(lambda n: f"Act now: library funding vote {n}")
    body = "The House votes on **LSTA** funding this week. [Email your representative](https://www.ala.org/)."


class CommittingClient(Client):
    """A test client whose requests run their on-commit callbacks (the queued emails), as a real
    request's committed transaction would, inside the test's own transaction."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)
