"""Demo content: the membership types in effect since September 2024, and one demo member."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from ala_site.demo import ALA
from ala_site.models import NavLink, Promo
from ala_site.sections import bump

from .models import Membership, MembershipTerm, MembershipType, User, add_years

TYPES = [
    {
        "slug": "individual-type-1",
        "name": "Individual Type I",
        "annual_dues": Decimal("125.00"),
        "summary": "For library workers and others who support libraries.",
        "eligibility": "Library workers, librarians and others in the library field earning $45,000 a year or more.",
        "benefits": "American Libraries magazine\nMember prices in the ALA Store and on eLearning\n"
        "Discounts on conference registration\nVoting in ALA elections\nALA Connect communities",
    },
    {
        "slug": "individual-type-2",
        "name": "Individual Type II",
        "annual_dues": Decimal("55.00"),
        "summary": "Reduced dues for those earning less, support staff, retirees and international members.",
        "eligibility": "Library workers earning under $45,000 a year, library support staff, retired members, "
        "and members living outside the United States.",
        "benefits": "American Libraries magazine\nMember prices in the ALA Store and on eLearning\n"
        "Discounts on conference registration\nVoting in ALA elections\nALA Connect communities",
    },
    {
        "slug": "supporter",
        "name": "Supporter",
        "annual_dues": Decimal("70.00"),
        "summary": "For friends of libraries, trustees and associates.",
        "eligibility": "Library trustees, Friends of the Library, and associates outside the library field "
        "who want to support libraries.",
        "benefits": "American Libraries magazine\nMember prices in the ALA Store\nAdvocacy updates and tools",
    },
    {
        "slug": "student",
        "name": "Student",
        "annual_dues": Decimal("33.00"),
        "summary": "For students in library and information science programs.",
        "eligibility": "Students enrolled in an MLS/MLIS or library technical assistant (LTA) program. "
        "Student membership can be held for at most five years.",
        "benefits": "American Libraries magazine\nMember prices in the ALA Store and on eLearning\n"
        "Free access to selected virtual events\nScholarship and career resources",
    },
    {
        "slug": "organizational",
        "name": "Organizational",
        "annual_dues": Decimal("175.00"),
        "summary": "For libraries, schools and other organizations.",
        "eligibility": "Libraries, library schools, and organizations that support libraries. "
        "Dues for large organizations vary; contact Membership for a quote.",
        "benefits": "Discounts in the ALA Store\nDiscounts on JobLIST job postings\nAmerican Libraries magazine",
    },
]

DEMO_MEMBER_EMAIL = "demo.member@example.org"
DEMO_MEMBER_PASSWORD = "libraries-for-all-ages"

# The demo member's email choices; other values are someone's edit. (Association news was the
# model's default when the first demos were loaded, so those demo members hold these values too.)
EMAIL_CHOICES = {"news_emails": True, "advocacy_emails": False, "elearning_emails": False}


def seed(volume=0, log=print):
    # A type that exists is staff's: its dues and texts are never written over (see ala_site.demo).
    for order, data in enumerate(TYPES):
        MembershipType.objects.get_or_create(slug=data["slug"], defaults={**data, "order": order})

    # The site demo's links to the association's old membership pages lead to the portal's own
    # pages now: only where the link is still the one that demo wrote and nobody has edited it.
    moved = Promo.objects.filter(title="Become a member", cta_url=f"{ALA}/membership/joinala", updated_by=None).update(
        cta_label="Join ALA", cta_url="/membership/"
    )
    moved += Promo.objects.filter(title="Support Our Mission", cta_url=f"{ALA}/donate", updated_by=None).update(
        cta_label="Donate", cta_url="/donate/"
    )
    own_pages = {
        ("Membership", f"{ALA}/membership"): "/membership/",
        ("Join ALA", f"{ALA}/membership/joinala"): "/membership/join/",
        ("Renew your membership", f"{ALA}/membership/renew"): "/membership/renew/",
    }
    for (label, old_url), url in own_pages.items():
        moved += NavLink.objects.filter(menu=NavLink.Menu.MAIN, label=label, url=old_url, updated_by=None).update(
            url=url
        )
    if moved:
        bump(*Promo.cache_sections, *NavLink.cache_sections)  # update() sends no save signals

    member, created = User.objects.get_or_create(
        email=DEMO_MEMBER_EMAIL,
        defaults={"first_name": "Dana", "last_name": "Reyes", "email_verified_at": timezone.now()},
    )
    if created:
        # A known password only on a development machine; elsewhere use "Forgot your password?".
        if settings.DEBUG:
            member.set_password(DEMO_MEMBER_PASSWORD)
            log(f"Demo member: {DEMO_MEMBER_EMAIL} / {DEMO_MEMBER_PASSWORD}")
        else:
            member.set_unusable_password()
        member.save()
    _date_demo_membership(member, log)


def _date_demo_membership(member, log):
    """A membership that began 200 days ago, so the demo account is a current member on any day."""
    today = timezone.localdate()
    individual = MembershipType.objects.get(slug="individual-type-1")
    starts_on = today - timedelta(days=200)
    ends_on = add_years(starts_on, 1) - timedelta(days=1)
    dates = {"starts_on": starts_on, "ends_on": ends_on, "paid_at": _local_morning(starts_on)}
    membership = Membership.objects.filter(user=member).first()
    if membership is None:
        membership = Membership.objects.create(
            user=member,
            membership_type=individual,
            status=Membership.Status.ACTIVE,
            member_since=starts_on,
            expires_on=ends_on,
            **EMAIL_CHOICES,
        )
        MembershipTerm.objects.create(
            membership=membership,
            membership_type=individual,
            dues=individual.annual_dues,
            status=MembershipTerm.Status.STARTED,
            **dates,
        )
        return
    terms = list(membership.terms.all())
    if not _as_the_demo_wrote_it(membership, terms):
        # Someone renewed, refunded or changed the demo membership: that history is theirs, not the demo's.
        log(f"Demo member {member.email}: the membership has its own history now; its dates are left as they are.")
        return
    if terms[0].starts_on == starts_on:
        return  # dated today already
    # Move the demo's own year to today, so a demo loaded again later is not a lapsed member.
    MembershipTerm.objects.filter(pk=terms[0].pk).update(**dates, reminded_30_at=None, reminded_7_at=None)
    membership.member_since, membership.expires_on = starts_on, ends_on
    membership.status = Membership.Status.ACTIVE
    membership.save(update_fields=["member_since", "expires_on", "status", "updated_at"])


def _as_the_demo_wrote_it(membership, terms):
    """One started year, dated the way the demo dates it, nobody's email choices, no editor recorded."""
    if membership.updated_by_id is not None or len(terms) != 1:
        return False
    term = terms[0]
    return (
        term.status == MembershipTerm.Status.STARTED
        and term.membership_type_id == membership.membership_type_id
        and term.starts_on is not None
        and term.ends_on == add_years(term.starts_on, 1) - timedelta(days=1)
        and term.paid_at == _local_morning(term.starts_on)
        and (membership.member_since, membership.expires_on) == (term.starts_on, term.ends_on)
        and membership.status == Membership.Status.ACTIVE
        and all(getattr(membership, name) == value for name, value in EMAIL_CHOICES.items())
    )


def _local_morning(day):
    return timezone.make_aware(datetime.combine(day, time(9)))
