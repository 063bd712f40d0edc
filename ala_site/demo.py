"""Demo content for the site chrome and the landing page, from the association's home page.

The home page was copied in December 2025. Its dated texts (the magazine's issue, the months the
recorded sessions stay online, the year of the Notable lists) are written here as templates and
filled in from the day the demo is loaded, so a fresh install never opens on last year's news;
a dated promo is published only until its date has passed.

Once a row exists it is staff's: running the seed again adds what is missing and writes over
nothing (see `seed`). The one thing it still moves is a dated text on a row nobody has edited.
"""

from datetime import date, datetime, time

from django.utils import timezone

from .demo_images import add_demo_images
from .models import AlertBanner, NavLink, Promo, QuickLink, QuickLinkGroup, SiteSettings, SocialLink

ALA = "https://www.ala.org"

MISSION = (
    "The ALA Mission: Empowering and advocating for libraries and library workers to ensure "
    "equitable access to information for all. The Association advocates for funding and policies "
    "that support libraries as great democratic institutions, providing the full range of "
    "information resources to people of every age, income level, location, ethnicity, or physical "
    "ability."
)

UTILITY_LINKS = [
    ("About ALA", f"{ALA}/aboutala"),
    ("ALA Connect", "https://connect.ala.org/"),
    ("ALA Websites", f"{ALA}/aboutala/ala-websites"),
    ("Job Board", "/joblist/"),
]

MAIN_MENU = [
    (
        "Membership",
        f"{ALA}/membership",
        [
            ("Join ALA", f"{ALA}/membership/joinala"),
            ("Renew your membership", f"{ALA}/membership/renew"),
            ("Member benefits", f"{ALA}/membership/benefits"),
            ("Divisions", f"{ALA}/aboutala/divs"),
            ("Round Tables", f"{ALA}/rt"),
        ],
    ),
    (
        "Advocacy & News",
        "/advocacy/",
        [
            ("Show Up for Libraries", "/advocacy/"),
            ("Advocacy Action Center", f"{ALA}/advocacy/action-center"),
            ("News and Press Center", f"{ALA}/news"),
            ("American Libraries magazine", "https://americanlibrariesmagazine.org/"),
        ],
    ),
    (
        "Conferences & Events",
        f"{ALA}/conferences-events",
        [
            ("ALA Annual Conference", f"{ALA}/conferences-events/annual"),
            ("LibLearnX", f"{ALA}/conferences-events/liblearnx"),
            ("eLearning", f"{ALA}/educational-resources/elearning"),
        ],
    ),
    (
        "Awards & Grants",
        f"{ALA}/awardsgrants",
        [
            ("Book, print and media awards", f"{ALA}/awardsgrants/book-print-media-awards"),
            ("Grants", f"{ALA}/awardsgrants/grants"),
            ("Scholarships", f"{ALA}/educationcareers/scholarships"),
        ],
    ),
    (
        "Education & Careers",
        f"{ALA}/educationcareers",
        [
            ("Become a Librarian", f"{ALA}/educationcareers/librarian"),
            ("JobLIST", "/joblist/"),
            ("Accredited programs", f"{ALA}/educationcareers/accreditedprograms"),
        ],
    ),
    (
        "Tools & Resources",
        f"{ALA}/tools",
        [
            ("Banned & Challenged Books", "/censorship/"),
            ("Library statistics", f"{ALA}/tools/research/librarystats"),
            ("Library Bill of Rights", f"{ALA}/advocacy/intfreedom/librarybill"),
        ],
    ),
]

FOOTER_LINKS = [
    ("Offices", f"{ALA}/aboutala/offices"),
    ("News & Press", f"{ALA}/news"),
    ("Divisions", f"{ALA}/aboutala/divs"),
    ("Work at ALA", f"{ALA}/aboutala/employment"),
    ("Round Tables", f"{ALA}/rt"),
    ("Shop", "https://www.alastore.ala.org/"),
    ("Committees", f"{ALA}/aboutala/committees"),
]

FOOTER_UTILITY_LINKS = [
    ("ALA Websites", f"{ALA}/aboutala/ala-websites"),
    ("Accessibility", f"{ALA}/accessibility"),
    ("Privacy Policy", f"{ALA}/privacypolicy"),
    ("User Guidelines", f"{ALA}/user-guidelines"),
    ("Site Index", f"{ALA}/site-index"),
    ("Feedback", f"{ALA}/feedback"),
    ("Work at ALA", f"{ALA}/aboutala/employment"),
]

SOCIAL_LINKS = [
    ("facebook", "https://www.facebook.com/AmericanLibraryAssociation"),
    ("instagram", "https://www.instagram.com/americanlibraryassociation/"),
    ("linkedin", "https://www.linkedin.com/company/american-library-association"),
    ("youtube", "https://www.youtube.com/user/AmericanLibraryAssoc"),
    ("threads", "https://www.threads.net/@americanlibraryassociation"),
    ("bluesky", "https://bsky.app/profile/ala.org"),
    ("tiktok", "https://www.tiktok.com/@americanlibraryassociation"),
]

# The hero's first slide, "Recharging in Challenging Times", is the featured event itself (the
# events app's demo seeds it), no longer a promo typed apart from it.
RETIRED_HERO_PROMO = "Recharging in Challenging Times"

PROMOS = [
    {
        "slot": Promo.Slot.HERO,
        "title": "Celebrating ALA's 150th Anniversary",
        "body": "{anniversary_opening} But this milestone isn’t just about looking back. It’s about "
        "rallying together to protect what matters now, and to imagine the libraries we’ll need for "
        "the next 150 years.",
        "cta_label": "",
        "cta_url": "",
    },
    {
        "slot": Promo.Slot.SPOTLIGHT,
        "title": "ILoveLibraries.org",
        "body": "ALA launched a new supporter program in February, inviting the public to join the "
        "fight to protect libraries and library professionals at this pivotal moment in our "
        "country’s history.",
        "cta_label": "Visit ILoveLibraries.org",
        "cta_url": "https://ilovelibraries.org/",
    },
    {
        "slot": Promo.Slot.MAGAZINE,
        "title": "Read the Latest Issue",
        "body": "Read the {issue} issue of American Libraries, {issue_contents}",
        "cta_label": "Read the {issue_short} Issue",
        "cta_url": "https://americanlibrariesmagazine.org/",
        "window": "issue",
    },
    {
        "slot": Promo.Slot.GET_INVOLVED,
        "title": "Become a member",
        "body": "ALA is the largest membership association in the library industry. It's a community "
        "of people working together to ensure that libraries remain vital centers of literacy, "
        "access, and opportunity.",
        "cta_label": "Join ALA",
        "cta_url": f"{ALA}/membership/joinala",
    },
    {
        "slot": Promo.Slot.GET_INVOLVED,
        "title": "Support Our Mission",
        "body": "By giving to ALA, you are helping us improve library and information services and the "
        "profession of librarianship to ensure access to information for all.",
        "cta_label": "Donate",
        "cta_url": f"{ALA}/donate",
    },
    {
        "slot": Promo.Slot.QUICK_LINKS,
        "title": "ALSC Children's Notable Lists",
        "body": "ALSC's Children's Notable lists highlight media for children 14 years of age and "
        "younger of especially commendable quality that demonstrate respect for young people’s "
        "intelligence and imagination; exhibit venturesome creativity; and reflect and encourage the "
        "interests of children and young adolescents in exemplary ways.",
        "cta_label": "Learn more",
        "cta_url": f"{ALA}/alsc/awardsgrants/notalists",
    },
]

QUICK_LINK_GROUPS = [
    (
        "For the public",
        QuickLinkGroup.Placement.QUICK_LINKS,
        [
            ("{notable_year} Notable Children's Books", f"{ALA}/alsc/awardsgrants/notalists/ncb"),
            ("{notable_year} Notable Children's Recordings", f"{ALA}/alsc/awardsgrants/notalists/ncr"),
            ("{notable_year} Notable Children's Digital Media", f"{ALA}/alsc/awardsgrants/notalists/ncdm"),
        ],
    ),
    (
        "For librarians",
        QuickLinkGroup.Placement.QUICK_LINKS,
        [
            ("Professional tools", f"{ALA}/tools"),
            ("Library Bill of Rights", f"{ALA}/advocacy/intfreedom/librarybill"),
            ("Accredited programs", f"{ALA}/educationcareers/accreditedprograms"),
        ],
    ),
    (
        "For the press",
        QuickLinkGroup.Placement.QUICK_LINKS,
        [
            ("News and Press Center", f"{ALA}/news"),
            ("Media contacts", f"{ALA}/news/mediapresscenter"),
        ],
    ),
    (
        "For ALA members",
        QuickLinkGroup.Placement.QUICK_LINKS,
        [
            ("Member benefits", f"{ALA}/membership/benefits"),
            ("ALA Connect", "https://connect.ala.org/"),
        ],
    ),
    (
        "You may also be interested in",
        QuickLinkGroup.Placement.ALSO_INTERESTED,
        [
            ("Book Awards Lists", f"{ALA}/awardsgrants/book-print-media-awards"),
            ("I Love Libraries", "https://ilovelibraries.org/"),
            ("Unite Against Book Bans", "https://uniteagainstbookbans.org/"),
            ("Advocate for Libraries", "/advocacy/"),
            ("Become a Librarian", f"{ALA}/educationcareers/librarian"),
            ("How I Library Podcast", f"{ALA}/news/podcasts"),
            ("Visit the Library Gift Shop", "https://www.alastore.ala.org/"),
        ],
    ),
]

FOUNDED = 1876

# American Libraries comes out every two months; the November/December issue is the one the home
# page showed, about International Games Month.
ISSUES = {
    1: ("January/February", "Jan/Feb"),
    3: ("March/April", "Mar/Apr"),
    5: ("May/June", "May/Jun"),
    7: ("July/August", "Jul/Aug"),
    9: ("September/October", "Sep/Oct"),
    11: ("November/December", "Nov/Dec"),
}
GAMES_ISSUE_CONTENTS = (
    "which—in honor of International Games Month, held every November—features stories about the "
    "transformative power of games, gaming, and play. Plus, read an interview with award-winning chef "
    "Sean Sherman, an article about reimagining professional development as an employee well-being "
    "program, and more."
)
ISSUE_CONTENTS = (
    "the association’s magazine: news and features from libraries across the country, interviews with "
    "the people who run them, and ideas to take back to your own library."
)
# The recorded sessions of the virtual event stayed online five months after the copy was made.
ON_DEMAND_MONTHS = 5


def _month_start(year, month):
    """The first day of a month, counting months past December into the following years."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, 1)


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def dated_texts(today):
    """The values of the seed's dated texts on `today`, and the publish window of each dated promo."""
    issue_month = today.month - (today.month - 1) % 2
    issue, issue_short = ISSUES[issue_month]
    last_on_demand_month = _month_start(today.year, today.month + ON_DEMAND_MONTHS)
    anniversary = FOUNDED + 150
    if today.year <= anniversary:
        anniversary_opening = f"In {anniversary}, we mark 150 years of standing up for libraries."
    else:
        # The anniversary is history, not news to move forward: say it without a year that would age.
        anniversary_opening = "For 150 years and more, we have stood up for libraries."
    return {
        "texts": {
            "issue": f"{issue} {today.year}",
            "issue_short": issue_short,
            "issue_contents": GAMES_ISSUE_CONTENTS if issue_month == 11 else ISSUE_CONTENTS,
            "on_demand_until": f"{last_on_demand_month:%B %Y}",
            "anniversary_opening": anniversary_opening,
            # ALSC names each year's Notable lists at its Youth Media Awards, in late January.
            "notable_year": today.year if today.month > 1 else today.year - 1,
        },
        "windows": {
            "issue": (
                _local_midnight(_month_start(today.year, issue_month)),
                _local_midnight(_month_start(today.year, issue_month + 2)),
            ),
            "on_demand": (None, _local_midnight(_month_start(today.year, today.month + ON_DEMAND_MONTHS + 1))),
        },
    }


def _links(menu, links, parent=None):
    for order, (label, url, *children) in enumerate(links):
        link = NavLink.objects.create(menu=menu, parent=parent, label=label, url=url, order=order)
        if children:
            _links(menu, children[0], parent=link)


def _promo_fields(promo, order, day):
    """The promo as the demo writes it on `day`."""
    dated = dated_texts(day)
    texts = dated["texts"]
    publish_at, expires_at = dated["windows"].get(promo.get("window"), (None, None))
    fields = {name: value for name, value in promo.items() if name != "window"}
    return {
        **fields,
        "body": promo["body"].format(**texts),
        "cta_label": promo["cta_label"].format(**texts),
        "order": order,
        "is_published": True,
        "publish_at": publish_at,
        "expires_at": expires_at,
    }


def _is_dated(promo):
    return "window" in promo or "{" in promo["body"] or "{" in promo["cta_label"]


def _written_on(row):
    """The day the demo wrote a row it made: the last save, as long as nobody saved it since."""
    return timezone.localdate(row.updated_at)


def _as_written(row, fields):
    return all(getattr(row, name) == value for name, value in fields.items())


def refresh_dated_rows(today):
    """Move the dated texts of the demo's own rows to `today`: only rows nobody has edited.

    A row counts as the demo's own when the admin recorded no editor (EditorAdmin sets updated_by
    on every save) and each field the demo writes still holds what it wrote on the day of the row's
    last save; an edit made any other way changes one of them, or moves that day.
    """
    for order, promo in enumerate(PROMOS):
        if not _is_dated(promo):
            continue
        current = _promo_fields(promo, order, today)
        for row in Promo.objects.filter(slot=promo["slot"], title=promo["title"], updated_by=None):
            if _as_written(row, _promo_fields(promo, order, _written_on(row))) and not _as_written(row, current):
                for name, value in current.items():
                    setattr(row, name, value)
                row.save()

    texts = dated_texts(today)["texts"]
    for title, placement, links in QUICK_LINK_GROUPS:
        dated = [(order, template, url) for order, (template, url) in enumerate(links) if "{" in template]
        if not dated:
            continue
        for row in QuickLink.objects.filter(group__title=title, group__placement=placement, updated_by=None):
            then = dated_texts(_written_on(row))["texts"]
            for order, template, url in dated:
                label = template.format(**texts)
                if (row.label, row.url, row.order) == (template.format(**then), url, order) and row.label != label:
                    row.label = label
                    row.save()
                    break


def seed(volume=0, log=print):
    """Fill what is empty; leave every row that exists as it is (staff may have changed it).

    The demo knows its menu links, banner, promos and quick links only by texts that staff may
    change, so looking them up again by those texts would add a copy of each row staff reworded.
    Each kind of content is therefore filled only while it is empty (a menu, the social links, the
    banners, the promos, the quick links); the settings are the one row with a fixed key.
    """
    SiteSettings.objects.get_or_create(
        pk=SiteSettings.SINGLETON_PK,
        defaults={
            "name": "American Library Association",
            "short_name": "ALA",
            "tagline": "Empowering and advocating for libraries and library workers to ensure equitable access "
            "to information for all.",
            "mission_title": "The ALA Mission",
            "mission_statement": MISSION,
            "mission_link_label": "Learn More About What We Do",
            "mission_link_url": f"{ALA}/aboutala",
            "street_address": "225 N Michigan Ave., Ste 1300",
            "city_state_zip": "Chicago, IL 60601",
            "phone": "1.800.545.2433",
            "email": "ala@ala.org",
            "copyright_start_year": 1996,
        },
    )

    for menu, links in (
        (NavLink.Menu.UTILITY, UTILITY_LINKS),
        (NavLink.Menu.MAIN, MAIN_MENU),
        (NavLink.Menu.FOOTER, FOOTER_LINKS),
        (NavLink.Menu.FOOTER_UTILITY, FOOTER_UTILITY_LINKS),
    ):
        if not NavLink.objects.filter(menu=menu).exists():
            _links(menu, links)
    if not SocialLink.objects.exists():
        for order, (network, url) in enumerate(SOCIAL_LINKS):
            SocialLink.objects.create(network=network, url=url, order=order)

    if not AlertBanner.objects.exists():
        AlertBanner.objects.create(
            message="Library funding is under threat. Find out how you can show up for libraries:",
            link_label="Show Up for Libraries",
            link_url="/advocacy/",
            is_active=True,
        )

    # A database seeded before the event existed holds the promo too: it goes, unless staff edited it.
    # Saved one by one (not .update()), so the hero's cached section is refreshed.
    for promo in Promo.objects.filter(
        slot=Promo.Slot.HERO, title=RETIRED_HERO_PROMO, updated_by=None, is_published=True
    ):
        promo.is_published = False
        promo.save(update_fields=["is_published", "updated_at"])

    today = timezone.localdate()
    if not Promo.objects.exists():
        for order, promo in enumerate(PROMOS):
            Promo.objects.create(**_promo_fields(promo, order, today))

    if not QuickLinkGroup.objects.exists():
        texts = dated_texts(today)["texts"]
        for order, (title, placement, links) in enumerate(QUICK_LINK_GROUPS):
            group = QuickLinkGroup.objects.create(title=title, placement=placement, order=order)
            for link_order, (template, url) in enumerate(links):
                QuickLink.objects.create(group=group, label=template.format(**texts), url=url, order=link_order)

    refresh_dated_rows(today)
    add_demo_images()
