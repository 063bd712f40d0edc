"""Demo content for news and library stories: the seed's "News Around ALA" and a few stories.

The three news items are dated a few days before the day the demo is loaded, so "News Around
ALA" is never last year's news. Running the demo again on a later day moves them to that day's
dates, on the demo's own rows only: rows no one has saved in admin whose texts are still the
demo's. An article staff edited, and any story (staff moderate them), is left exactly as it is.
`--volume N` adds N generated articles and N published stories, for benchmarks.
"""

import functools
import io
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from ala_site.demo import ALA
from ala_site.demo_images import CARD, bookshelf, sunrise
from ala_site.images import refresh_rendition
from ala_site.models import NavLink, QuickLink
from ala_site.richtext import render
from ala_site.sections import bump

from .models import Article, Story

ARTICLES = [
    {
        "slug": "ala-chooses-new-executive-director",
        "days_ago": 2,
        "title": "American Library Association chooses Daniel Montgomery as new executive director",
        "kind": Article.Kind.PRESS_RELEASE,
        "summary": "The ALA Executive Board has named Daniel Montgomery the association's next executive "
        "director, after a national search.",
        "body": """**CHICAGO** — The American Library Association (ALA) Executive Board has chosen Daniel
Montgomery as the association's next executive director, following a national search led by a
committee of members, staff and library leaders.

As executive director, Montgomery leads the association's staff and operations in Chicago and
Washington, D.C., and works with the Executive Board and Council on the association's strategic
direction: advocacy for library funding, the defense of the freedom to read, professional
development, and a membership that reflects the communities libraries serve.

The search committee reviewed candidates from libraries, associations and nonprofit organizations.
The Board cited Montgomery's experience leading member organizations through change, and his record
of building partnerships that support library workers.

## About the American Library Association

The American Library Association is the foremost national organization providing resources to
inspire library and information professionals to transform their communities through essential
programs and services. For more than 150 years, ALA has been the trusted voice for academic,
public, school, government, and special libraries, advocating for the profession and the library's
role in enhancing learning and ensuring access to information for all.""",
        "picture": (bookshelf, "Shelves of colourful books in a library"),
    },
    {
        "slug": "pla-public-library-services-survey",
        "days_ago": 9,
        "title": "PLA seeks responses to {year} Public Library Services for Strong Communities Survey",
        "kind": Article.Kind.NEWS,
        "summary": "PLA invites all U.S. public libraries to participate.",
        "body": """The Public Library Association (PLA) invites every public library in the United States
to take part in the {year} **Public Library Services for Strong Communities Survey**.

The survey asks about the programs and services libraries offer their communities: digital
literacy and technology access, workforce and small-business support, services for older adults
and new Americans, partnerships with local agencies, and more. Each library system answers once,
ideally a director or a staff member who knows its services well.

## Why take part

- Results give library leaders national benchmarks to compare their services with peers.
- Aggregate findings support advocacy with local, state and federal decision makers.
- Participating libraries receive access to data dashboards for their own planning.

The survey takes about 30 to 45 minutes and can be saved and finished later. Answers are
reported only in aggregate.""",
        "picture": None,
    },
    {
        "slug": "aging-together-evaluation",
        "days_ago": 16,
        "title": "Aging Together: An Evaluation of Library Programming for Older Adults",
        "kind": Article.Kind.NEWS,
        "summary": "ALA will produce a final report providing insights, program models and recommendations.",
        "body": """Older adults are among libraries' most loyal users, and a fast-growing part of many
communities. **Aging Together** is an evaluation of library programs designed for and with older
adults: lifelong learning, technology help, social connection, health information, and
intergenerational programs.

ALA is working with a group of public libraries of different sizes, in rural, suburban and urban
communities, to learn what makes these programs succeed and what gets in the way, from the point of
view of library staff and of the older adults who take part.

## What comes next

ALA will produce a final report providing insights, program models and recommendations that any
library can use to start or strengthen its programming for older adults. Findings will also be
shared in free webinars on the ALA eLearning calendar.""",
        "picture": (sunrise, "A warm sunrise over a shelf of books"),
    },
]

STORIES = [
    {
        "email": "maria.alvarez@example.org",
        "name": "Maria Alvarez",
        "library": "Rio Grande Valley Public Library",
        "city": "McAllen",
        "state": "TX",
        "zip_code": "78501",
        "story": "When I lost my job, the library's career lab helped me update my résumé and practise "
        "interviews with a volunteer coach. The computers and the free printing meant I could apply "
        "for jobs every day. Three months later I started work as a medical billing specialist.",
    },
    {
        "email": "james.whitfield@example.org",
        "name": "James Whitfield",
        "library": "Bowling Green Public Library",
        "city": "Bowling Green",
        "state": "KY",
        "zip_code": "42101",
        "story": "Our library lends hotspots that families can take home. My two kids did their homework "
        "on one for a whole school year while we could not afford internet at home. Federal funding "
        "through the state library paid for that program.",
    },
    {
        "email": "grace.lin@example.org",
        "name": "Grace Lin",
        "library": "Multnomah County Library",
        "city": "Portland",
        "state": "OR",
        "zip_code": "97205",
        "story": "I came to this country not speaking English. The library's free conversation circles and "
        "citizenship classes gave me confidence and friends. Last spring I became a citizen, and now "
        "I volunteer at the same conversation circle.",
    },
    {
        "email": "robert.king@example.org",
        "name": "Robert King",
        "library": "Lincoln County Library",
        "city": "Kemmerer",
        "state": "WY",
        "zip_code": "83101",
        "story": "In a small town two hours from the nearest bookstore, our library is where everyone meets. "
        "The summer reading program keeps kids reading, and the telehealth room saved my father a "
        "four-hour round trip for each appointment with his specialist.",
    },
]

# (the link the site demo wrote) -> the news pages
OLD_NEWS_LINKS = {f"{ALA}/news": "/news/"}


def _publish_time(today, days_ago):
    day = today - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _article_fields(data, today):
    year = today.year
    return {
        "title": data["title"].format(year=year),
        "kind": data["kind"],
        "summary": data["summary"],
        "body": data["body"].format(year=year),
        "publish_at": _publish_time(today, data["days_ago"]),
        "is_published": True,
    }


def _is_demos_own(article, data):
    """Never saved in admin, and the texts that carry no date are still the demo's."""
    return article.updated_by_id is None and article.summary == data["summary"] and article.kind == data["kind"]


def _add_picture(article, picture):
    draw, alt = picture
    buffer = io.BytesIO()
    draw(CARD, seed=article.slug).save(buffer, format="JPEG", quality=85, optimize=True)
    article.image.save(f"{article.slug}.jpg", ContentFile(buffer.getvalue()), save=False)
    article.image_alt = alt
    refresh_rendition(article.image, article.image_rendition, article.RENDITION_WIDTH)
    # Not save(): the row's updated_at keeps saying when the demo wrote its texts.
    Article.objects.filter(pk=article.pk).update(
        image=article.image.name,
        image_alt=alt,
        image_rendition=article.image_rendition.name,
        rendition_width=article.rendition_width,
        rendition_height=article.rendition_height,
    )


def seed_articles(today, log):
    made = moved = 0
    for data in ARTICLES:
        fields = _article_fields(data, today)
        article, created = Article.objects.get_or_create(slug=data["slug"], defaults=fields)
        if created:
            made += 1
            if data["picture"]:
                _add_picture(article, data["picture"])
        elif _is_demos_own(article, data) and article.publish_at != fields["publish_at"]:
            # The demo's dated texts follow the day it runs; saved, so the body is rendered again.
            for name in ("title", "body", "publish_at"):
                setattr(article, name, fields[name])
            article.save()
            moved += 1
    if made:
        log(f"News: {made} demo articles added.")
    if moved:
        log(f"News: {moved} demo articles dated from today.")


def seed_stories(log):
    made = 0
    now = timezone.now()
    for data in STORIES:
        defaults = {
            **data,
            "congress_consent": True,
            "publish_consent": True,
            "status": Story.Status.APPROVED,
            "submitted_at": now - timedelta(days=10),
            "moderated_at": now - timedelta(days=8),
        }
        made += Story.objects.get_or_create(email=data["email"], defaults=defaults)[1]
    if made:
        log(f"Stories: {made} demo stories added.")


def link_menus_to_the_news():
    """Menu and quick links that still go to the association's old news page lead to /news/ now.

    Only links as the site demo wrote them and never edited: a link staff changed is theirs.
    """
    moved = 0
    for old_url, url in OLD_NEWS_LINKS.items():
        moved += NavLink.objects.filter(url=old_url, updated_by=None).update(url=url)
        moved += QuickLink.objects.filter(url=old_url, updated_by=None).update(url=url)
    if moved:
        bump(*NavLink.cache_sections, *QuickLink.cache_sections)  # update() sends no save signals


TOPICS = [
    ("Libraries expand summer meal programs", Article.Kind.NEWS),
    ("New grant supports rural library broadband", Article.Kind.PRESS_RELEASE),
    ("School librarians share media literacy lessons", Article.Kind.NEWS),
    ("Library card sign-up month results announced", Article.Kind.PRESS_RELEASE),
    ("Academic libraries and open educational resources", Article.Kind.NEWS),
]


def generate_articles(volume, now, log):
    """`volume` more articles over the past years, for benchmarks (made once; re-runs add none)."""
    existing = set(Article.objects.filter(slug__startswith="generated-news-").values_list("slug", flat=True))
    rendered = functools.cache(render)  # one text per topic among thousands of articles
    new = []
    for n in range(volume):
        slug = f"generated-news-{n}"
        if slug in existing:
            continue
        topic, kind = TOPICS[n % len(TOPICS)]
        body = f"A generated article on **{topic.lower()}**, for load tests.\n\n- What happened\n- What comes next"
        new.append(
            Article(
                slug=slug,
                title=f"{topic} ({n})",
                kind=kind,
                summary=f"{topic}: a generated article for benchmarks.",
                body=body,
                # bulk_create skips save(), which renders the Markdown: render it here.
                body_html=rendered(body),
                publish_at=now - timedelta(days=20 + n, hours=n % 24),
                is_published=True,
            )
        )
    Article.objects.bulk_create(new, batch_size=500)
    if new:
        bump(*Article.cache_sections)
    log(f"News: {len(new)} generated articles added.")


# Generated stories (`seed_demo --volume N`): people, libraries and what the library did for them.
FIRST_NAMES = ["Ana", "Ben", "Chloe", "Darnell", "Elena", "Farid", "Grace", "Hiro", "Imani", "Jonas", "Keisha", "Luis"]
LAST_NAMES = ["Baker", "Chen", "Diaz", "Edwards", "Fischer", "Gupta", "Hughes", "Ito", "Johnson", "Kowalski", "Nguyen"]
# (library, city, state, ZIP code)
PLACES = [
    ("Tulsa City-County Library", "Tulsa", "OK", "74103"),
    ("Multnomah County Library", "Portland", "OR", "97205"),
    ("Free Library of Philadelphia", "Philadelphia", "PA", "19103"),
    ("Anchorage Public Library", "Anchorage", "AK", "99503"),
    ("Madison Public Library", "Madison", "WI", "53703"),
    ("Pima County Public Library", "Tucson", "AZ", "85701"),
    ("Richland Library", "Columbia", "SC", "29201"),
    ("Bangor Public Library", "Bangor", "ME", "04401"),
    ("Salt Lake City Public Library", "Salt Lake City", "UT", "84111"),
    ("Omaha Public Library", "Omaha", "NE", "68102"),
]
HELPED = [
    "The library's English conversation group gave me the confidence to speak up at work and at my son's school.",
    "A librarian spent an afternoon helping me apply for benefits online when I had no computer at home.",
    "The summer reading program kept my daughter reading all vacation, and she started school ahead.",
    "I learned to code in the library's free evening classes and now work as a junior developer.",
    "The library's seed library and gardening talks turned our empty lot into a community garden.",
    "When our town flooded, the library stayed open as a cooling and charging centre for weeks.",
]
WHY = [
    "Please keep funding libraries so the next family has the same chance.",
    "Federal support through the state library made that program possible.",
    "Libraries like mine need stable funding to keep doing this work.",
]
GENERATED_STORY_EMAIL = "generated-story-{n}@example.org"


def generate_stories(volume, now, log):
    """`volume` more approved, published stories, for benchmarks (made once; re-runs add none)."""
    existing = set(Story.objects.filter(email__startswith="generated-story-").values_list("email", flat=True))
    new = []
    for n in range(volume):
        email = GENERATED_STORY_EMAIL.format(n=n)
        if email in existing:
            continue
        library, city, state, zip_code = PLACES[n % len(PLACES)]
        moderated = now - timedelta(days=12 + n // 10, hours=n % 10)
        new.append(
            Story(
                email=email,
                name=f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n // len(FIRST_NAMES) % len(LAST_NAMES)]}",
                library=library,
                city=city,
                state=state,
                zip_code=zip_code,
                story=f"{HELPED[n % len(HELPED)]} {WHY[n // len(HELPED) % len(WHY)]}",
                congress_consent=n % 4 != 0,
                publish_consent=True,
                status=Story.Status.APPROVED,
                submitted_at=moderated - timedelta(days=2),
                moderated_at=moderated,
            )
        )
    Story.objects.bulk_create(new, batch_size=500)
    if new:
        bump(*Story.cache_sections)
    log(f"Stories: {len(new)} generated stories added.")


def seed(volume=0, log=print):
    link_menus_to_the_news()
    seed_articles(timezone.localdate(), log)
    seed_stories(log)
    if volume:
        now = timezone.now()
        generate_articles(volume, now, log)
        generate_stories(volume, now, log)
