from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from membership.models import Donation, Membership, MembershipTerm, MembershipType, add_years
from tests.factories import UserFactory


class MembershipTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipType
        django_get_or_create = ("slug",)

    name = "Individual Type I"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    annual_dues = Decimal("125.00")
    eligibility = "Library workers earning $45,000 a year or more."
    benefits = "American Libraries magazine\nMember prices"


class VerifiedUserFactory(UserFactory):
    email_verified_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    """An active membership with one started term; `expires_in` days from today (default 200)."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    class Params:
        expires_in = 200

    user = factory.SubFactory(VerifiedUserFactory)
    membership_type = factory.SubFactory(MembershipTypeFactory)
    status = Membership.Status.ACTIVE
    news_emails = True  # a typical member opted in when joining (the model's default is off)
    expires_on = factory.LazyAttribute(lambda o: timezone.localdate() + timedelta(days=o.expires_in))
    member_since = factory.LazyAttribute(lambda o: add_years(o.expires_on + timedelta(days=1), -1))

    @factory.post_generation
    def term(obj, create, extracted, **kwargs):
        if create and obj.status == Membership.Status.ACTIVE:
            MembershipTerm.objects.create(
                membership=obj,
                membership_type=obj.membership_type,
                dues=obj.membership_type.annual_dues,
                status=MembershipTerm.Status.STARTED,
                starts_on=obj.member_since,
                ends_on=obj.expires_on,
                paid_at=timezone.now(),
            )


class DonationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donation

    name = "Pat Donor"
    email = "pat@example.org"
    amount = Decimal("50.00")
