"""Demo content for the public censorship pages: the published figures, the most-challenged books
of 2024 and a book résumé for each of them (from seed/ala-facts.md).

A row that exists (a year by its number, a résumé by its slug) is left as it is: staff may have
corrected it; a year's list of books is added only while the year has none. A résumé's reviews, awards and resources are
added only when the résumé itself is new, so a line staff deleted does not come back.
`--volume N` adds N generated résumés for benchmarks.
"""

import functools

from ala_site.demo import ALA
from ala_site.models import NavLink, QuickLink
from ala_site.richtext import render
from ala_site.sections import bump

from .models import BookResume, CensorshipYear, ChallengedBook, ResumeRecognition, ResumeResource

# (year, attempts to restrict access, unique titles challenged, notes)
YEARS = [
    (2018, 347, 483, ""),
    (2019, 377, 566, ""),
    (2020, 156, 273, "Many libraries and schools were closed for months of 2020, and fewer challenges were reported."),
    (2021, 729, 1858, ""),
    (2022, 1269, 2571, "The most attempts to restrict access since the association began compiling these data."),
    (
        2023,
        1247,
        4240,
        "Titles challenged in public libraries rose by 92% over 2022, and in schools by 11%. Of the titles "
        "challenged, 47% represented the voices and lived experiences of LGBTQIA+ or BIPOC people.\n\n"
        "Florida (2,672 titles) and Texas (1,470 titles) saw the most titles challenged.",
    ),
    (
        2024,
        821,
        2452,
        "72% of the challenges were initiated by pressure groups or by government officials; 16% by parents.",
    ),
]

SEXUALLY_EXPLICIT = "claimed to be sexually explicit"


def reasons(*given):
    """The reasons as the association's list writes them: in one line, the first capitalised."""
    text = ", ".join(given)
    return text[:1].upper() + text[1:]


HOPKINS_PUBLISHER = "Margaret K. McElderry Books"

# The most-challenged books of 2024 and a résumé for each. Reasons as the challengers gave them.
BOOKS_2024 = [
    {
        "rank": 1,
        "challenges": 39,
        "reasons": reasons("LGBTQIA+ content", SEXUALLY_EXPLICIT),
        "slug": "all-boys-arent-blue",
        "title": "All Boys Aren't Blue",
        "subtitle": "A Memoir-Manifesto",
        "author": "George M. Johnson",
        "publisher": "Farrar, Straus and Giroux",
        "year": 2020,
        "format": BookResume.Format.MEMOIR,
        "ages": (14, 18),
        "grades": (9, 12),
        "summary": "Essays in which the journalist and activist George M. Johnson tells of growing up Black and queer.",
        "synopsis": """In a series of personal essays, George M. Johnson looks back on a childhood and youth in
New Jersey and Virginia: a loving family led by a grandmother, the first time a bully knocked out
a tooth, the pressure to act as boys were expected to act, and coming to understand and name who
they are.

Written for teens, the book speaks directly to young readers who are still finding their own
identities, and to those who want to understand what their friends and classmates live through.
It deals frankly with consent, sexual abuse and first sexual experiences, so that young readers
have accurate, caring information about them.""",
    },
    {
        "rank": 2,
        "challenges": 38,
        "reasons": reasons("LGBTQIA+ content", SEXUALLY_EXPLICIT),
        "slug": "gender-queer",
        "title": "Gender Queer",
        "subtitle": "A Memoir",
        "author": "Maia Kobabe",
        "publisher": "Oni Press",
        "year": 2019,
        "format": BookResume.Format.GRAPHIC_NOVEL,
        "ages": (16, None),
        "grades": (11, 13),
        "summary": "A graphic memoir of growing up and coming to understand one's identity as nonbinary and asexual.",
        "synopsis": """Maia Kobabe's graphic memoir follows eir life from childhood through college and the first
years of adulthood: crushes that never felt like everyone else's, the discomfort of puberty, and the
long search for words that fit.

Written first to explain emself to family, the book became a guide for readers asking the same
questions, and for parents, teachers and friends who want to understand them.""",
        "recognitions": [("Alex Award", ResumeRecognition.Kind.AWARD, 2020)],
    },
    {
        "rank": 3,
        "challenges": 35,
        "reasons": reasons("Rape", "incest", SEXUALLY_EXPLICIT, "EDI content"),
        "slug": "the-bluest-eye",
        "title": "The Bluest Eye",
        "author": "Toni Morrison",
        "publisher": "Holt, Rinehart and Winston",
        "year": 1970,
        "format": BookResume.Format.NOVEL,
        "ages": (16, None),
        "grades": (11, 13),
        "summary": "Toni Morrison's first novel: a Black girl in 1940s Ohio prays for blue eyes.",
        "synopsis": """In Lorain, Ohio, in 1941, eleven-year-old Pecola Breedlove prays every night for blue eyes,
believing they would make her beautiful and make the people around her treat her differently.
Told largely through her classmate Claudia MacTeer, the novel traces how racism and the ideals of
beauty a society holds up can wound a child, and how a family's own pain passes from one
generation to the next.

The novel is widely taught in high school and college literature courses.""",
    },
    {
        "rank": 4,
        "challenges": 35,
        "reasons": reasons(SEXUALLY_EXPLICIT, "LGBTQIA+ content", "rape", "drug use", "profanity"),
        "slug": "the-perks-of-being-a-wallflower",
        "title": "The Perks of Being a Wallflower",
        "author": "Stephen Chbosky",
        "publisher": "MTV Books / Pocket Books",
        "year": 1999,
        "format": BookResume.Format.NOVEL,
        "ages": (14, 18),
        "grades": (9, 12),
        "summary": "In letters to an unnamed friend, a shy high-school freshman tells of his first year.",
        "synopsis": """Charlie is starting high school, still grieving a friend's suicide. Through letters to an
unnamed friend he tells of the year that follows: the older students who take him in, the
teacher who hands him books, first parties and first love, and the memories he has kept from
himself.

The novel speaks honestly about mental health, trauma and friendship, and many readers have
found in it the first book that seemed to understand them.""",
    },
    {
        "rank": 5,
        "challenges": 33,
        "reasons": reasons("Drug use", "rape", SEXUALLY_EXPLICIT, "LGBTQIA+ content"),
        "slug": "tricks",
        "title": "Tricks",
        "author": "Ellen Hopkins",
        "publisher": HOPKINS_PUBLISHER,
        "year": 2009,
        "format": BookResume.Format.NOVEL_IN_VERSE,
        "ages": (14, 18),
        "grades": (9, 12),
        "summary": "A novel in verse following five teenagers who are drawn into sex work.",
        "synopsis": """Five teenagers in different parts of the United States, each facing a family that has
failed them, end up trading sex for money, shelter or safety. Told in free verse in five voices,
the novel shows how young people become exploited and how hard the way out can be.""",
    },
    {
        "rank": 6,
        "challenges": 30,
        "reasons": reasons(SEXUALLY_EXPLICIT, "LGBTQIA+ content"),
        "slug": "looking-for-alaska",
        "title": "Looking for Alaska",
        "author": "John Green",
        "publisher": "Dutton",
        "year": 2005,
        "format": BookResume.Format.NOVEL,
        "ages": (15, 18),
        "grades": (10, 12),
        "summary": "A boarding-school novel of friendship, grief and the search for meaning.",
        "synopsis": """Miles Halter leaves his home in Florida for a boarding school in Alabama, looking for what a
poet called "a Great Perhaps". He finds a group of friends and Alaska Young: brilliant, funny
and troubled. After a sudden loss, the friends are left with questions they cannot answer.

The novel's two halves, "before" and "after", follow how teenagers face grief and guilt.""",
        "recognitions": [("Michael L. Printz Award", ResumeRecognition.Kind.AWARD, 2006)],
    },
    {
        "rank": 7,
        "challenges": 30,
        "reasons": reasons(SEXUALLY_EXPLICIT, "profanity"),
        "slug": "me-and-earl-and-the-dying-girl",
        "title": "Me and Earl and the Dying Girl",
        "author": "Jesse Andrews",
        "publisher": "Amulet Books",
        "year": 2012,
        "format": BookResume.Format.NOVEL,
        "ages": (14, 18),
        "grades": (9, 12),
        "summary": "A high-school senior who makes odd little films befriends a classmate with leukemia.",
        "synopsis": """Greg Gaines has spent high school avoiding attention, making homemade films with his friend
Earl. When his mother insists that he spend time with Rachel, a classmate who has been diagnosed
with leukemia, Greg's careful invisibility ends.

Funny and unsentimental, the novel is about friendship, illness and growing up.""",
    },
    {
        "rank": 8,
        "challenges": 28,
        "reasons": reasons("Drug use", SEXUALLY_EXPLICIT),
        "slug": "crank",
        "title": "Crank",
        "author": "Ellen Hopkins",
        "publisher": HOPKINS_PUBLISHER,
        "year": 2004,
        "format": BookResume.Format.NOVEL_IN_VERSE,
        "ages": (14, 18),
        "grades": (9, 12),
        "summary": "A novel in verse about a teenager's addiction to crystal meth.",
        "synopsis": """Kristina is a good student until a summer visit to her absent father introduces her to
crystal meth. Told in free verse, the novel follows her into addiction and shows what it costs her
and her family.""",
    },
    {
        "rank": 9,
        "challenges": 28,
        "reasons": reasons("Rape", SEXUALLY_EXPLICIT),
        "slug": "sold",
        "title": "Sold",
        "author": "Patricia McCormick",
        "publisher": "Hyperion",
        "year": 2006,
        "format": BookResume.Format.NOVEL_IN_VERSE,
        "ages": (14, 18),
        "grades": (9, 12),
        "summary": "A thirteen-year-old girl from Nepal is sold into servitude in India.",
        "synopsis": """Lakshmi lives with her family in a village in the mountains of Nepal. When the harvest fails,
her stepfather sells her, and she is taken to India believing she will work as a maid. Told in
short vignettes, the novel follows her life in a brothel and her hope of escape.

The author researched the novel by interviewing women and girls in Nepal and India.""",
        "recognitions": [("National Book Award for Young People's Literature", ResumeRecognition.Kind.FINALIST, 2006)],
    },
    {
        "rank": 10,
        "challenges": 27,
        "reasons": reasons("LGBTQIA+ content", SEXUALLY_EXPLICIT),
        "slug": "flamer",
        "title": "Flamer",
        "author": "Mike Curato",
        "publisher": "Henry Holt and Company",
        "year": 2020,
        "format": BookResume.Format.GRAPHIC_NOVEL,
        "ages": (14, 18),
        "grades": (9, 12),
        "summary": "A graphic novel about a boy's summer at scout camp before high school.",
        "synopsis": """In the summer of 1995, Aiden Navarro is at scout camp before starting high school. Bullied
for being different, he struggles with his faith, his feelings and his place among the other
boys.

The graphic novel addresses bullying and self-harm, and shows a teenager finding the strength
to accept himself.""",
    },
]

# Every seeded résumé points to the same starting places; staff add each book's own resources.
RESOURCES = [
    ("Banned and challenged books: the Office for Intellectual Freedom", f"{ALA}/bbooks"),
    ("Unite Against Book Bans: a toolkit for communities", "https://uniteagainstbookbans.org/"),
    ("The Library Bill of Rights", f"{ALA}/advocacy/intfreedom/librarybill"),
]

# Main-menu and quick links the site demo wrote with the association's old addresses.
OLD_LINKS = {f"{ALA}/bbooks": "/censorship/"}


def seed(volume=0, log=print):
    _link_menus_to_the_hub()
    years = _seed_years()
    made = _seed_resumes()
    listed = _seed_books(years[2024])
    if made or listed:
        log(f"Censorship: {made} book résumés and {listed} most-challenged books added.")
    if volume:
        _generate(volume, log)


def _link_menus_to_the_hub():
    """Menu links still going to the association's banned-books pages lead to the hub now;
    only links as the demo wrote them, never edited (a link staff changed is theirs)."""
    moved = 0
    for old_url, url in OLD_LINKS.items():
        moved += NavLink.objects.filter(url=old_url, updated_by=None).update(url=url)
        moved += QuickLink.objects.filter(url=old_url, updated_by=None).update(url=url)
    if moved:
        bump(*NavLink.cache_sections, *QuickLink.cache_sections)  # update() sends no save signals


def _seed_years():
    years = {}
    for year, attempts, titles, notes in YEARS:
        years[year], _ = CensorshipYear.objects.get_or_create(
            year=year, defaults={"attempts": attempts, "unique_titles": titles, "notes": notes}
        )
    return years


def _seed_resumes():
    made = 0
    for data in BOOKS_2024:
        resume, created = BookResume.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "subtitle": data.get("subtitle", ""),
                "author": data["author"],
                "publisher": data["publisher"],
                "publication_year": data["year"],
                "format": data["format"],
                "age_min": data["ages"][0],
                "age_max": data["ages"][1],
                "grade_min": data["grades"][0],
                "grade_max": data["grades"][1],
                "summary": data["summary"],
                "synopsis": _paragraphs(data["synopsis"]),
            },
        )
        if not created:
            continue
        made += 1
        for name, kind, year in data.get("recognitions", []):
            ResumeRecognition.objects.create(resume=resume, name=name, kind=kind, year=year)
        for order, (label, url) in enumerate(RESOURCES):
            ResumeResource.objects.create(resume=resume, label=label, url=url, order=order)
    return made


def _paragraphs(text):
    """The Markdown as staff would type it: one line per paragraph, a blank line between them."""
    return "\n\n".join(" ".join(block.split()) for block in text.split("\n\n"))


def _seed_books(year):
    """The year's list, only while it has none: a book staff took off the list stays off."""
    if year.challenged_books.exists():
        return 0
    resumes = {resume.slug: resume for resume in BookResume.objects.filter(slug__in=[b["slug"] for b in BOOKS_2024])}
    ChallengedBook.objects.bulk_create(
        ChallengedBook(
            year=year,
            title=data["title"],
            rank=data["rank"],
            author=data["author"],
            challenges=data["challenges"],
            reasons=data["reasons"],
            resume=resumes.get(data["slug"]),
        )
        for data in BOOKS_2024
    )
    return len(BOOKS_2024)


# Generated résumés (--volume) ---------------------------------------------------------------

ADJECTIVES = ["Quiet", "Burning", "Hidden", "Northern", "Borrowed", "Paper", "Silver", "Unfinished", "Distant", "Open"]
NOUNS = ["Library", "Summer", "Shelves", "River", "Letters", "Garden", "Map", "Lighthouse", "Orchard", "Voices"]
AUTHORS = ["Ana Ruiz", "Sam Okafor", "Lee Park", "Dana Whitfield", "Noor Haddad", "Chris Bell", "Maya Lin Torres"]
AGES = [(4, 8), (8, 12), (12, 18), (14, 18), (16, None)]


def _generate(volume, log):
    existing = set(BookResume.objects.filter(slug__startswith="generated-resume-").values_list("slug", flat=True))
    formats = BookResume.Format.values
    rendered = functools.cache(render)  # a hundred titles among thousands of résumés
    rows = []
    for number in range(1, volume + 1):
        slug = f"generated-resume-{number:05d}"
        if slug in existing:
            continue
        title = f"The {ADJECTIVES[number % len(ADJECTIVES)]} {NOUNS[number // len(ADJECTIVES) % len(NOUNS)]}"
        synopsis = f"*{title}* is a generated book résumé for load tests."
        ages = AGES[number % len(AGES)]
        rows.append(
            BookResume(
                slug=slug,
                title=f"{title} {number}",
                author=AUTHORS[number % len(AUTHORS)],
                publisher="Generated Press",
                publication_year=1990 + number % 35,
                format=formats[number % len(formats)],
                age_min=ages[0],
                age_max=ages[1],
                summary=f"A generated résumé for load tests, number {number}.",
                synopsis=synopsis,
                synopsis_html=rendered(synopsis),  # bulk_create skips save(), which renders it
            )
        )
    BookResume.objects.bulk_create(rows, batch_size=500)
    if rows:
        bump(*BookResume.cache_sections)
        log(f"Censorship: {len(rows)} generated book résumés added.")
