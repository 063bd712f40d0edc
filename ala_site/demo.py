"""Demo content for the site chrome and the landing page, from the association's home page."""

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
    ("Job Board", "https://joblist.ala.org/"),
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
        f"{ALA}/advocacy",
        [
            ("Show Up for Libraries", f"{ALA}/showup"),
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
            ("JobLIST", "https://joblist.ala.org/"),
            ("Accredited programs", f"{ALA}/educationcareers/accreditedprograms"),
        ],
    ),
    (
        "Tools & Resources",
        f"{ALA}/tools",
        [
            ("Banned & Challenged Books", f"{ALA}/bbooks"),
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

PROMOS = [
    {
        "slot": Promo.Slot.HERO,
        "title": "Recharging in Challenging Times",
        "body": "Join us online for Recharging in Challenging Times, a one-day Virtual Event designed "
        "to inspire new ideas, share practical tools, and help you reconnect and renew. On-demand "
        "access to sessions through May 2026. Free for ALA student members!",
        "cta_label": "Register Now!",
        "cta_url": f"{ALA}/conferences-events/recharging",
    },
    {
        "slot": Promo.Slot.HERO,
        "title": "Celebrating ALA's 150th Anniversary",
        "body": "In 2026, we mark 150 years of standing up for libraries. But this milestone isn’t just "
        "about looking back. It’s about rallying together to protect what matters now, and to "
        "imagine the libraries we’ll need for the next 150 years.",
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
        "body": "Read the November/December 2025 issue of American Libraries, which—in honor of "
        "International Games Month, held every November—features stories about the transformative "
        "power of games, gaming, and play. Plus, read an interview with award-winning chef Sean "
        "Sherman, an article about reimagining professional development as an employee well-being "
        "program, and more.",
        "cta_label": "Read the Nov/Dec Issue",
        "cta_url": "https://americanlibrariesmagazine.org/",
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
            ("2025 Notable Children's Books", f"{ALA}/alsc/awardsgrants/notalists/ncb"),
            ("2025 Notable Children's Recordings", f"{ALA}/alsc/awardsgrants/notalists/ncr"),
            ("2025 Notable Children's Digital Media", f"{ALA}/alsc/awardsgrants/notalists/ncdm"),
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
            ("Advocate for Libraries", f"{ALA}/advocacy"),
            ("Become a Librarian", f"{ALA}/educationcareers/librarian"),
            ("How I Library Podcast", f"{ALA}/news/podcasts"),
            ("Visit the Library Gift Shop", "https://www.alastore.ala.org/"),
        ],
    ),
]


def _links(menu, links, parent=None):
    for order, (label, url, *children) in enumerate(links):
        link, _ = NavLink.objects.update_or_create(
            menu=menu, parent=parent, label=label, defaults={"url": url, "order": order}
        )
        if children:
            _links(menu, children[0], parent=link)


def seed(volume=0, log=print):
    SiteSettings.objects.update_or_create(
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
            "copyright_start_year": 1996,
        },
    )

    _links(NavLink.Menu.UTILITY, UTILITY_LINKS)
    _links(NavLink.Menu.MAIN, MAIN_MENU)
    _links(NavLink.Menu.FOOTER, FOOTER_LINKS)
    _links(NavLink.Menu.FOOTER_UTILITY, FOOTER_UTILITY_LINKS)
    for order, (network, url) in enumerate(SOCIAL_LINKS):
        SocialLink.objects.update_or_create(network=network, defaults={"url": url, "order": order})

    AlertBanner.objects.update_or_create(
        message="Library funding is under threat. Find out how you can show up for libraries:",
        defaults={"link_label": "ala.org/showup", "link_url": f"{ALA}/showup", "is_active": True},
    )

    for order, promo in enumerate(PROMOS):
        Promo.objects.update_or_create(
            slot=promo["slot"], title=promo["title"], defaults={**promo, "order": order, "is_published": True}
        )

    for order, (title, placement, links) in enumerate(QUICK_LINK_GROUPS):
        group, _ = QuickLinkGroup.objects.update_or_create(title=title, placement=placement, defaults={"order": order})
        for link_order, (label, url) in enumerate(links):
            QuickLink.objects.update_or_create(group=group, label=label, defaults={"url": url, "order": link_order})
