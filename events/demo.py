"""Demo content for the calendar: the seed's eLearning events and its featured virtual event.

Each event falls on the seed's month and day at its next future occurrence from the day the demo
is first loaded, so a fresh site's calendar is never empty. An event that exists (found by its
slug) is left exactly as it is: its dates, prices and flags may be staff's, and registrations may
hang on it.
"""

import functools
import zlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from ala_site.demo import ALA
from ala_site.models import NavLink, QuickLink
from ala_site.richtext import render
from ala_site.sections import bump
from membership.models import MembershipType

from .models import Event, EventTypePrice

ZOOM = "Zoom"
WEBINAR_PRICES = {"member_price": Decimal("43.00"), "non_member_price": Decimal("59.00")}

# (slug, month, day, start hour and minute in Chicago time, minutes long or None for a course
# ending on `ends` (month, day)); the seed's carousel gives dates, kinds and platforms.
EVENTS = [
    {
        "slug": "senior-advisory-boards",
        "title": "Going Straight to the Source with Senior Advisory Boards (SABs)",
        "kind": Event.Kind.WEBINAR,
        "platform": ZOOM,
        "on": (1, 7),
        "at": (13, 0),
        "minutes": 60,
        "organiser": "Reference and User Services Association (RUSA)",
        "summary": "Learn about forming your own senior advisory board to help shape library programs and "
        "services for seniors in your community.",
        "prices": WEBINAR_PRICES,
        "description": """Older adults know best what they want from their library. A **senior advisory board**
(SAB) gives them a standing voice in planning programs, collections and outreach.

In this webinar you will learn how to:

- recruit a board that reflects the older adults in your community, including people who do not yet use the library;
- run meetings that produce decisions, not just conversation;
- turn the board's advice into programs, and report back so members see their influence.

The presenters share the charter, meeting agenda and recruitment flyer their library uses. Captions are
provided, and registrants receive the recording.""",
    },
    {
        "slug": "uniting-catalogers",
        "title": "Beyond Your Department: Uniting Catalogers",
        "kind": Event.Kind.WEBINAR,
        "platform": ZOOM,
        "on": (1, 13),
        "at": (12, 0),
        "minutes": 60,
        "organiser": "Core: Leadership, Infrastructure, Futures",
        "summary": "By the end of the session, attendees will form a community of technical services "
        "professionals. The formation of these communities will encourage more librarians to participate in "
        "metadata projects.",
        "prices": {"member_price": Decimal("0.00"), "non_member_price": Decimal("25.00")},
        "description": """Catalogers often work alone, or as the only metadata specialist in a small team.
This session connects you with peers at other libraries facing the same questions.

## What we cover

- Where cataloging communities meet today, and how to start one locally
- Sharing the work: cooperative projects, shared authority work and peer review of records
- Making the case to administrators for time spent on community metadata projects

Bring a current project: small-group discussion is part of the hour. **Free for Core members.**""",
    },
    {
        "slug": "passports-and-notaries",
        "title": "Passports & Notaries @ Your Library",
        "kind": Event.Kind.WEBINAR,
        "platform": ZOOM,
        "on": (1, 14),
        "at": (13, 0),
        "minutes": 60,
        "organiser": "Public Library Association (PLA)",
        "summary": "A 60 minute webinar for those that currently offer or are considering offering notary and "
        "passport services.",
        "prices": WEBINAR_PRICES,
        "description": """Passport acceptance and notary services bring new people through the door, and
passport fees can help fund other services. They also bring training requirements, record-keeping and
busy seasons to plan for.

Librarians who run both services explain:

1. how to become a passport acceptance facility and what the Department of State expects;
2. staffing, scheduling and appointment systems that keep lines short;
3. notary commissions, liability and what staff may and may not notarize.

A question-and-answer period follows. Registrants receive the slides and recording.""",
    },
    {
        "slug": "core-rusa-from-goals-to-impact",
        "title": "CORE/RUSA Webinar- From Goals to Impact: Library User Stories",
        "kind": Event.Kind.WEBINAR,
        "platform": ZOOM,
        "on": (1, 20),
        "at": (13, 0),
        "minutes": 60,
        "organiser": "Core and RUSA",
        "summary": "Successful leadership efforts center key partners and anticipate concrete outcomes.",
        "prices": WEBINAR_PRICES,
        "description": """User stories are short statements of who needs what, and why. Borrowed from
software teams, they help library leaders turn broad strategic goals into projects with outcomes
partners can see.

You will practise writing user stories for your own services, ranking them with stakeholders, and
measuring whether a finished project delivered what the story promised.""",
    },
    {
        "slug": "next-gen-tools-for-swot-analysis",
        "title": "Next Gen Tools for SWOT Analysis and Strategic Insight",
        "kind": Event.Kind.WEBINAR,
        "platform": ZOOM,
        "on": (1, 21),
        "at": (10, 0),
        "minutes": 75,
        "organiser": "Library Leadership and Management (Core)",
        "summary": "A 75-minute webinar on exploring new approached to Strength, Weakness, Opportunities & "
        "Threats (SWOT) analysis.",
        "prices": WEBINAR_PRICES,
        "description": """A SWOT analysis is only as good as the evidence behind it. This webinar looks at
newer ways to gather that evidence and to keep the analysis alive after the planning retreat.

- Community data sources that reveal opportunities and threats
- Collaborative online boards for staff and stakeholder input
- Turning a SWOT into priorities with a simple scoring grid

Worksheets are provided for use with your own team.""",
    },
    {
        "slug": "how-it-feels-to-be-me",
        "title": "How It Feels to Be Me: Understanding Autism Spectrum Disorder",
        "kind": Event.Kind.WEBINAR,
        "platform": ZOOM,
        "on": (1, 21),
        "at": (13, 0),
        "minutes": 90,
        "organiser": "Association of Specialized, Government and Cooperative Library Agencies",
        "summary": "Learn terminology and characteristics of autism, and challenges and joys experienced by "
        "members of the autistic community.",
        "prices": {"member_price": Decimal("0.00"), "non_member_price": Decimal("43.00")},
        "description": """Presented by autistic self-advocates and the librarians who work with them, this
webinar explains the terms and characteristics of autism and what everyday library visits can feel like.

You will leave with practical changes for your library: quieter hours, clear signage, visual schedules
for programs, and staff approaches that make autistic patrons feel welcome. **Free for ALA members.**""",
    },
    {
        "slug": "leadership-skills-through-professional-service",
        "title": "Leadership Skills Through Professional Service",
        "kind": Event.Kind.WEBINAR,
        "platform": ZOOM,
        "on": (1, 21),
        "at": (15, 0),
        "minutes": 60,
        "organiser": "New Members Round Table (NMRT)",
        "summary": "This webinar will explore how to strategically select and leverage service opportunities "
        "that align with career goals, build transferable skills, and enhance professional visibility.",
        "prices": {"member_price": Decimal("0.00"), "non_member_price": Decimal("0.00")},
        "description": """Committee work, round tables and state association service can be much more than a
line on your résumé. Panelists at different stages of their careers describe how they chose
service roles, the leadership skills each one built, and how they talked about that work in interviews.

Free for everyone; questions from early-career library workers are especially welcome.""",
    },
    {
        "slug": "fundamentals-of-cataloging-session-1",
        "title": "Fundamentals of Cataloging {year} - Session 1.0",
        "kind": Event.Kind.ECOURSE,
        "platform": "ALA eLearning course site",
        "on": (1, 26),
        "at": (0, 0),
        "ends": (3, 6),
        "organiser": "Core: Leadership, Infrastructure, Futures",
        "summary": "This 6-week online course is a basic primer for library cataloging concepts and practices.",
        "prices": {"member_price": Decimal("199.00"), "non_member_price": Decimal("249.00")},
        "description": """A six-week, self-paced introduction to cataloging for library workers new to the
field or moving into technical services. Plan on four to six hours a week; there are no live sessions.

## Weekly topics

1. Why we catalog: discovery, description and access
2. Describing resources with RDA
3. Subject access with Library of Congress Subject Headings
4. Classification with Dewey and LC
5. Name and title authority work
6. MARC and what comes after it: BIBFRAME and linked data

Each week has readings, short exercises with feedback from the instructor, and a discussion forum.
A free ALA account is needed; membership is not required.""",
    },
]

RECHARGING = {
    "slug": "recharging-in-challenging-times",
    "title": "Recharging in Challenging Times",
    "kind": Event.Kind.VIRTUAL_EVENT,
    "platform": ZOOM,
    "organiser": "American Library Association",
    "summary": "Join us online for Recharging in Challenging Times, a one-day Virtual Event designed to inspire "
    "new ideas, share practical tools, and help you reconnect and renew. Free for ALA student members!",
    "prices": {"member_price": Decimal("49.00"), "non_member_price": Decimal("79.00")},
    "description": """A day to step back from the pressures on libraries and the people who work in them,
and to come back with energy and ideas.

## The day

- **Opening keynote:** sustaining yourself and your team when the work feels relentless
- **Practical tools:** boundaries, workload triage and burnout prevention you can start on Monday
- **Community:** small-group conversations with library workers from across the country
- **Closing session:** turning what you heard into one change for your library

All sessions are recorded: registrants have on-demand access for months afterwards.
**Free for ALA student members**; other members pay the member rate.""",
}
# The virtual event sits three weeks out when first loaded; recordings stay up as the seed says.
RECHARGING_DAYS_AHEAD = 21
ON_DEMAND_MONTHS = 5

OLD_LINKS = {
    # (menu label, the link the site demo wrote) -> the calendar
    ("Conferences & Events", f"{ALA}/conferences-events"): "/events/",
    ("Education & Careers", f"{ALA}/educationcareers"): "/events/",
    ("eLearning", f"{ALA}/educational-resources/elearning"): "/events/",
}


def _local(day, hour=0, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _next_occurrence(month, day, hour, minute, now):
    """The first (month, day) at that local time still ahead of `now`."""
    year = timezone.localtime(now).year
    while True:
        try:
            starts = _local(date(year, month, day), hour, minute)
        except ValueError:  # 29 February in a common year
            year += 1
            continue
        if starts > now:
            return starts
        year += 1


def _schedule(data, now):
    """Start, end and title of a seed event at its next occurrence."""
    starts = _next_occurrence(*data["on"], *data["at"], now)
    if "ends" in data:
        month, day = data["ends"]
        year = starts.year + ((month, day) < data["on"])
        # A course runs to the end of its last day.
        ends = _local(date(year, month, day), 23, 59)
    else:
        ends = starts + timedelta(minutes=data["minutes"])
    return starts, ends, data["title"].format(year=starts.year)


def _recharging_schedule(now):
    day = timezone.localtime(now).date() + timedelta(days=RECHARGING_DAYS_AHEAD)
    starts, ends = _local(day, 10, 0), _local(day, 16, 0)
    month = day.month + ON_DEMAND_MONTHS
    last_month = date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    following = date(last_month.year + last_month.month // 12, last_month.month % 12 + 1, 1)
    return starts, ends, following - timedelta(days=1)


def _fields(data, starts, ends, title):
    return {
        "title": title,
        "kind": data["kind"],
        "attendance": Event.Attendance.ONLINE,
        "platform": data["platform"],
        # Demo joining links go to a reserved example domain, never to a real meeting.
        "joining_url": f"https://zoom.example.org/j/{zlib.crc32(data['slug'].encode()):010d}",
        "starts_at": starts,
        "ends_at": ends,
        "summary": data["summary"],
        "description": data["description"],
        "organiser": data["organiser"],
        **data["prices"],
        "is_published": True,
    }


def _place(data, starts, ends, title, **extra):
    """The event by its slug, made if missing; one that exists is left exactly as it is."""
    fields = {**_fields(data, starts, ends, title), **extra}
    return Event.objects.get_or_create(slug=data["slug"], defaults=fields)


def seed(volume=0, log=print):
    _link_menus_to_the_calendar()
    now = timezone.now()
    made = 0
    for data in EVENTS:
        starts, ends, title = _schedule(data, now)
        made += _place(data, starts, ends, title)[1]

    starts, ends, on_demand_until = _recharging_schedule(now)
    event, created = _place(
        RECHARGING, starts, ends, RECHARGING["title"], on_demand_until=on_demand_until, is_featured=True
    )
    made += created
    # Free for student members, as the seed's hero says: on the demo's own row, once the type exists.
    student = MembershipType.objects.filter(slug="student").first()
    if student and event.updated_by_id is None and not event.type_prices.exists():
        EventTypePrice.objects.create(event=event, membership_type=student, price=Decimal("0.00"))
    if made:
        log(f"Events: {made} demo events added.")
    if volume:
        _generate(volume, now, log)


def _link_menus_to_the_calendar():
    """Menu links that still go to the association's old pages lead to the calendar now.

    Only links as the site demo wrote them and never edited: a link staff changed is theirs.
    """
    moved = 0
    for (label, old_url), url in OLD_LINKS.items():
        moved += NavLink.objects.filter(label=label, url=old_url, updated_by=None).update(url=url)
    moved += QuickLink.objects.filter(
        Q(url=f"{ALA}/educational-resources/elearning") | Q(url=f"{ALA}/conferences-events"), updated_by=None
    ).update(url="/events/")
    if moved:
        bump(*NavLink.cache_sections, *QuickLink.cache_sections)  # update() sends no save signals


TOPICS = [
    ("Reader's advisory for reluctant readers", Event.Kind.WEBINAR),
    ("Grant writing for small libraries", Event.Kind.ECOURSE),
    ("Digital preservation basics", Event.Kind.ECOURSE),
    ("De-escalation at the public desk", Event.Kind.WORKSHOP),
    ("Makerspaces on a budget", Event.Kind.WEBINAR),
    ("Information literacy for first-year students", Event.Kind.WEBINAR),
    ("Summer reading that reaches teens", Event.Kind.WEBINAR),
    ("Library data for decision making", Event.Kind.VIRTUAL_EVENT),
]


def _generate(volume, now, log):
    """`volume` more events over the past and the coming year, for benchmarks (made once; re-runs add none)."""
    existing = set(Event.objects.filter(slug__startswith="generated-event-").values_list("slug", flat=True))
    today = timezone.localtime(now).date()
    rendered = functools.cache(render)  # one text per topic among thousands of events
    new = []
    for n in range(volume):
        slug = f"generated-event-{n}"
        if slug in existing:
            continue
        topic, kind = TOPICS[n % len(TOPICS)]
        # One in five took place over the past year: the archive (/events/past/) grows too.
        days = -(1 + n % 365) if n % 5 == 4 else 1 + n % 365
        starts = _local(today + timedelta(days=days), 9 + n % 8, 0)
        ends = starts + (timedelta(weeks=4) if kind == Event.Kind.ECOURSE else timedelta(minutes=60 + 30 * (n % 3)))
        description = (
            f"A generated {Event.Kind(kind).label.lower()} on **{topic.lower()}**, for load tests.\n\n"
            "- Practical examples\n- Time for questions"
        )
        paid = n % 3 != 0
        new.append(
            Event(
                slug=slug,
                title=f"{topic} ({n})",
                kind=kind,
                platform=ZOOM if kind != Event.Kind.ECOURSE else "ALA eLearning course site",
                starts_at=starts,
                ends_at=ends,
                summary=f"{topic}: a generated event for benchmarks.",
                description=description,
                # bulk_create skips save(), which renders the Markdown: render it here.
                description_html=rendered(description),
                organiser="American Library Association",
                member_price=Decimal("43.00") if paid else Decimal("0.00"),
                non_member_price=Decimal("59.00") if paid else Decimal("0.00"),
                is_published=True,
            )
        )
    Event.objects.bulk_create(new, batch_size=500)
    if new:
        bump(*Event.cache_sections)
    log(f"Events: {len(new)} generated events added.")
