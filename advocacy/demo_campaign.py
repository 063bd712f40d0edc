"""Demo content for the "Show Up for Libraries" campaign and its alerts (part of advocacy/demo.py).

Actions are filled only while there are none: they are known by texts staff may reword, so a row
looked up by its title would come back as a copy after an edit (see ala_site/demo.py). Menu links
and the alert banner that still point at the association's old campaign page lead to /advocacy/,
only where nobody has edited them. `--volume N` adds N confirmed subscribers, for benchmarks of
alert sending (made once; a re-run adds none).
"""

from django.utils import timezone

from ala_site.demo import ALA
from ala_site.models import AlertBanner, NavLink, QuickLink
from ala_site.sections import bump

from .models import AlertSubscriber, CampaignAction
from .places import STATES, state_for_zip

FIVE, TEN, MORE = (
    CampaignAction.TimeNeeded.FIVE_MINUTES,
    CampaignAction.TimeNeeded.TEN_MINUTES,
    CampaignAction.TimeNeeded.MORE,
)

ACTIONS = [
    (
        FIVE,
        "Email your members of Congress",
        "Enter your ZIP code in the Action Center to find your senators and representative, then send them "
        "a pre-written letter asking them to fund LSTA and IAL. Edit it to say what your library means to you.",
        "Go to the Action Center",
        f"{ALA}/advocacy/action-center",
    ),
    (
        FIVE,
        "Sign up for Advocacy Alerts",
        "Get an email when a library funding vote is coming up, with what to do about it where you live.",
        "Sign up for alerts",
        "/advocacy/alerts/",
    ),
    (
        TEN,
        "Call your members of Congress",
        "A phone call to a district office is counted and remembered. Say who you are, where you live, and "
        "that you want federal library funding protected.",
        "Find your members",
        "https://www.congress.gov/members/find-your-member",
    ),
    (
        TEN,
        "Share Your Library's Story with Congress",
        "Tell us how your library helped you or your community. With your permission, we pass stories on to "
        "members of Congress when they decide on library funding.",
        "Share your story",
        "/advocacy/stories/new/",
    ),
    (
        MORE,
        "Meet your legislators at home",
        "Members of Congress hold town halls and office hours in their districts. Go with a friend from your "
        "library and invite them to visit it.",
        "Show Up for Libraries",
        f"{ALA}/showup",
    ),
    (
        MORE,
        "Join ALA and stand up for libraries",
        "Members fund the association's advocacy in Washington and in every state, and hear first when "
        "libraries need them.",
        "Become a member",
        "/membership/",
    ),
]

OLD_CAMPAIGN_URLS = (f"{ALA}/showup", f"{ALA}/advocacy")


def seed(volume=0, log=print):
    if not CampaignAction.objects.exists():
        for order, (time_needed, title, summary, link_label, link_url) in enumerate(ACTIONS):
            CampaignAction.objects.create(
                time_needed=time_needed,
                title=title,
                summary=summary,
                link_label=link_label,
                link_url=link_url,
                order=order,
            )
        log(f"Advocacy: {len(ACTIONS)} campaign actions added.")
    _link_to_the_campaign()
    if volume:
        _generate_subscribers(volume, log)


def _link_to_the_campaign():
    """The banner, menu and quick links the site demo wrote for the old campaign page lead to /advocacy/.

    Only rows nobody has edited (no editor recorded): a link staff changed is theirs.
    """
    moved = AlertBanner.objects.filter(link_url__in=OLD_CAMPAIGN_URLS, updated_by=None).update(
        link_url="/advocacy/", link_label="Show Up for Libraries"
    )
    moved += NavLink.objects.filter(
        label__in=("Advocacy & News", "Show Up for Libraries"), url__in=OLD_CAMPAIGN_URLS, updated_by=None
    ).update(url="/advocacy/")
    moved += QuickLink.objects.filter(label="Advocate for Libraries", url=f"{ALA}/advocacy", updated_by=None).update(
        url="/advocacy/"
    )
    if moved:
        # update() sends no save signals: refresh the chrome and the quick links by hand.
        bump(*AlertBanner.cache_sections, *NavLink.cache_sections, *QuickLink.cache_sections)


def _generate_subscribers(volume, log):
    """`volume` confirmed subscribers across the states, for benchmarks (made once; re-runs add none)."""
    now = timezone.now()
    emails = [f"generated-subscriber-{n}@example.org" for n in range(volume)]
    # By prefix, not a list of every address: SQLite takes at most 32,766 parameters in a query.
    generated = AlertSubscriber.objects.filter(email__startswith="generated-subscriber-")
    existing = set(generated.values_list("email", flat=True))
    # One ZIP code per state (its first prefix, office 01), so each row's state matches its ZIP.
    zips = {}
    for prefix in range(5, 1000):
        zips.setdefault(state_for_zip(f"{prefix:03d}"), f"{prefix:03d}01")
    places = [(zips[code], code) for code, _ in STATES if code in zips]
    new = [
        AlertSubscriber(
            email=email,
            name=f"Generated Subscriber {n}",
            zip_code=places[n % len(places)][0],
            state=places[n % len(places)][1],
            status=AlertSubscriber.Status.CONFIRMED,
            confirmed_at=now,
        )
        for n, email in enumerate(emails)
        if email not in existing
    ]
    AlertSubscriber.objects.bulk_create(new, batch_size=500)
    if new:
        log(f"Advocacy: {len(new)} generated alert subscribers added.")
