"""Events factories, shared by every events test (calendar, registration, landing page)."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify

from events.models import Event, EventTypePrice, Registration
from tests.factories import UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    """A published, free, online webinar a week from now, one hour long."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Webinar {n:03d}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.title))
    kind = Event.Kind.WEBINAR
    attendance = Event.Attendance.ONLINE
    platform = "Zoom"
    joining_url = "https://zoom.example.org/j/123456"
    starts_at = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=7)).replace(microsecond=0))
    ends_at = factory.LazyAttribute(lambda obj: obj.starts_at + timedelta(hours=1))
    summary = "An hour on a practical topic for library workers."
    description = "We cover **one topic** in depth, with time for questions."
    organiser = "Public Library Association"
    member_price = Decimal("0.00")
    non_member_price = Decimal("0.00")
    is_published = True

    class Params:
        paid = factory.Trait(member_price=Decimal("25.00"), non_member_price=Decimal("45.00"))
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: (timezone.now() - timedelta(days=7)).replace(microsecond=0))
        )
        in_person = factory.Trait(
            kind=Event.Kind.WORKSHOP,
            attendance=Event.Attendance.IN_PERSON,
            platform="",
            venue="Harold Washington Library Center",
            address="400 S State St, Chicago, IL 60605",
        )


class EventTypePriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventTypePrice

    event = factory.SubFactory(EventFactory)
    price = Decimal("0.00")


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration of a new person for a new event."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.CONFIRMED
    price = factory.LazyAttribute(lambda obj: obj.event.non_member_price)
    confirmed_at = factory.LazyFunction(timezone.now)
