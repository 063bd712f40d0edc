"""The landing page's stories and "News Around ALA" sections, and the news and stories demo."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from advocacy import demo_news
from advocacy.models import Article, Story
from advocacy.templatetags.news_tags import latest_news
from ala_site.demo import ALA
from ala_site.models import NavLink, Promo, QuickLink, QuickLinkGroup
from tests.ala_site.factories import PromoFactory
from tests.events.factories import EventFactory
from tests.factories import StaffFactory
from tests.html_utils import headings, links, visible_text

from .news_factories import ArticleFactory, StoryFactory

pytestmark = pytest.mark.django_db


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def news_section(page):
    match = re.search(r'<section class="home-section container news-around-ala".*?</section>', page, re.S)
    return match.group(0) if match else ""


def stories_section(page):
    match = re.search(r'<section class="home-section container library-stories".*?</section>', page, re.S)
    return match.group(0) if match else ""


# News Around ALA ---------------------------------------------------------------------------


def test_news_around_ala_shows_the_latest_three_with_their_summaries(client):
    for n in range(4):
        ArticleFactory(title=f"Story {n}", summary=f"Summary {n}.", publish_at=timezone.now() - timedelta(days=n + 1))
    ArticleFactory(title="Not yet", scheduled=True)

    section = news_section(home(client))

    assert headings(section, levels={"h2"}) == ["News Around ALA"]
    assert headings(section, levels={"h3"}) == ["Story 0", "Story 1", "Story 2"]
    text = visible_text(section)
    assert "Stay updated on ALA's latest news, events, and initiatives in libraries nationwide." in text
    assert "Summary 0." in text and "Summary 3." not in text
    assert ("/news/", "See all ALA News at the ALA News and Press Center") in links(section)
    assert ("/news/story-0/", "Story 0") in links(section)


def test_news_around_ala_is_absent_without_news(client):
    assert news_section(home(client)) == ""
    assert "News Around ALA" not in home(client)


def test_a_new_article_shows_at_the_next_request(client):
    ArticleFactory(title="First")
    assert headings(news_section(home(client)), levels={"h3"}) == ["First"]

    ArticleFactory(title="Second")

    assert headings(news_section(home(client)), levels={"h3"}) == ["Second", "First"]


def test_a_scheduled_article_ends_the_sections_cache_at_its_publish_time():
    ArticleFactory(title="Now")
    publish_at = timezone.now() + timedelta(minutes=5)
    ArticleFactory(title="Scheduled", publish_at=publish_at)

    context = latest_news()

    assert [article.title for article in context["articles"]] == ["Now"]
    assert context["cache_until"] == publish_at
    with mock.patch("django.utils.timezone.now", return_value=publish_at + timedelta(seconds=1)):
        assert [article.title for article in latest_news()["articles"]] == ["Scheduled", "Now"]


# Share Your Library's Story --------------------------------------------------------------


def test_the_stories_section_invites_a_story(client):
    section = stories_section(home(client))

    assert headings(section, levels={"h2"}) == ["Share Your Library's Story with Congress"]
    assert "sharing a personal story about how libraries have helped YOU or your community" in visible_text(section)
    assert ("/advocacy/stories/new/", "Share Your Library's Story") in links(section)
    assert "/advocacy/stories/" not in [href for href, _ in links(section)]


def test_the_stories_section_links_to_the_stories_once_one_is_approved(client):
    story = StoryFactory(publish_consent=True)
    home(client)

    story.approve(by=StaffFactory())

    assert ("/advocacy/stories/", "Read the stories people have shared") in links(stories_section(home(client)))


def test_the_sections_sit_where_the_seed_has_them(client):
    ArticleFactory()
    PromoFactory(slot=Promo.Slot.SPOTLIGHT, title="ILoveLibraries.org")
    PromoFactory(slot=Promo.Slot.GET_INVOLVED, title="Become a member")
    EventFactory()
    page = home(client)

    markers = ("library-stories-title", "ILoveLibraries.org", "get-involved-title", "news-around-ala-title")
    order = [page.index(marker) for marker in (*markers, "upcoming-elearning-title")]

    assert order == sorted(order)


# Demo --------------------------------------------------------------------------------------

SEED_TITLES = {
    "American Library Association chooses Daniel Montgomery as new executive director",
    f"PLA seeks responses to {timezone.localdate().year} Public Library Services for Strong Communities Survey",
    "Aging Together: An Evaluation of Library Programming for Older Adults",
}


def seed(volume=0):
    messages = []
    demo_news.seed(volume=volume, log=messages.append)
    return messages


def test_the_demo_adds_the_seeds_three_news_items_and_approved_stories_once():
    seed()
    seed()

    assert set(Article.objects.values_list("title", flat=True)) == SEED_TITLES
    assert all(article.is_visible for article in Article.objects.all())
    assert Article.objects.get(slug="aging-together-evaluation").summary == (
        "ALA will produce a final report providing insights, program models and recommendations."
    )
    assert Article.objects.exclude(image="").count() == 2
    assert Story.objects.public().count() == Story.objects.count() == 4


def test_the_demo_shows_on_the_landing_page_and_the_news_pages(client):
    seed()

    section = news_section(home(client))

    assert set(headings(section, levels={"h3"})) == SEED_TITLES
    assert "PLA invites all U.S. public libraries to participate." in visible_text(section)
    for article in Article.objects.all():
        assert client.get(article.get_absolute_url()).status_code == 200


def test_the_demo_never_undoes_staff_edits():
    seed()
    edited = Article.objects.get(slug="aging-together-evaluation")
    edited.title = "Aging Together: final report"
    edited.publish_at = timezone.now() - timedelta(days=300)
    edited.updated_by = StaffFactory()
    edited.save()
    story = Story.objects.first()
    story.reject(by=StaffFactory(), reason="Asked to be removed")

    seed()

    edited.refresh_from_db()
    assert edited.title == "Aging Together: final report"
    assert edited.publish_at < timezone.now() - timedelta(days=299)
    assert Story.objects.get(pk=story.pk).status == Story.Status.REJECTED
    assert Article.objects.count() == 3


def test_the_demos_own_articles_follow_the_day_it_runs():
    seed()
    before = Article.objects.get(slug="ala-chooses-new-executive-director").publish_at

    with mock.patch("django.utils.timezone.localdate", return_value=timezone.localdate() + timedelta(days=30)):
        seed()

    after = Article.objects.get(slug="ala-chooses-new-executive-director").publish_at
    assert after - before == timedelta(days=30)


def test_the_demo_generates_articles_on_request():
    messages = seed(volume=25)
    seed(volume=25)

    assert Article.objects.filter(slug__startswith="generated-news-").count() == 25
    assert "News: 25 generated articles added." in messages
    assert Article.objects.get(slug="generated-news-0").body_html.startswith("<p>A generated article")


def test_the_demo_points_old_news_links_at_the_news_pages():
    menu = NavLink.objects.create(menu=NavLink.Menu.MAIN, label="News and Press Center", url=f"{ALA}/news")
    edited = NavLink.objects.create(
        menu=NavLink.Menu.FOOTER, label="News", url=f"{ALA}/news", updated_by=StaffFactory()
    )
    group = QuickLinkGroup.objects.create(title="For the press", placement=QuickLinkGroup.Placement.QUICK_LINKS)
    quick = QuickLink.objects.create(group=group, label="News and Press Center", url=f"{ALA}/news")
    other = QuickLink.objects.create(group=group, label="Media contacts", url=f"{ALA}/news/mediapresscenter")

    seed()

    assert NavLink.objects.get(pk=menu.pk).url == "/news/"
    assert NavLink.objects.get(pk=edited.pk).url == f"{ALA}/news"
    assert QuickLink.objects.get(pk=quick.pk).url == "/news/"
    assert QuickLink.objects.get(pk=other.pk).url == f"{ALA}/news/mediapresscenter"
