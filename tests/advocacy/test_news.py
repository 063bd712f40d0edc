"""News: the list with its kind filter, an article's page (JSON-LD, Open Graph), the RSS feed, the sitemap."""

import io
import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from advocacy.models import Article
from ala_site.models import SiteSettings
from tests.factories import StaffFactory
from tests.html_utils import h1_count, headings, links, visible_text
from tests.sitemap_utils import path_of, sitemap_entries, sitemap_paths

from .news_factories import ArticleFactory

pytestmark = pytest.mark.django_db


def titles(content):
    """The articles' titles on a list page (the cookie banner's heading left out)."""
    return [text for text in headings(content, levels={"h2"}) if text != "Cookies on this site"]


def hours_ago(hours):
    return (timezone.now() - timedelta(hours=hours)).replace(microsecond=0)


# The list ----------------------------------------------------------------------------------


def test_the_list_shows_visible_articles_newest_first(client):
    ArticleFactory(title="Older news", publish_at=hours_ago(48))
    ArticleFactory(title="Newest press release", press_release=True, publish_at=hours_ago(1))
    ArticleFactory(title="Tomorrow's news", scheduled=True)
    ArticleFactory(title="A draft", draft=True)

    response = client.get("/news/")

    assert response.status_code == 200
    assert h1_count(response.content) == 1
    assert titles(response.content) == ["Newest press release", "Older news"]


def test_the_list_filters_by_kind(client):
    ArticleFactory(title="A news story")
    ArticleFactory(title="A press release", press_release=True)

    press = client.get("/news/?kind=press_release")
    everything = client.get("/news/?kind=<script>")

    assert titles(press.content) == ["A press release"]
    assert "Showing 1–1 of 1 press releases." in visible_text(press.content)
    assert set(titles(everything.content)) == {"A news story", "A press release"}


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("abc", "Showing 1–10 of 12 articles."),
        ("0", "Showing 11–12 of 12 articles."),
        ("-1", "Showing 11–12 of 12 articles."),
        ("1e9", "Showing 1–10 of 12 articles."),
        ("9" * 40, "Showing 11–12 of 12 articles."),
        ("%00", "Showing 1–10 of 12 articles."),
    ],
)
def test_an_odd_page_number_shows_a_real_page(client, number, shown):
    ArticleFactory.create_batch(12)

    response = client.get(f"/news/?page={number}")

    assert response.status_code == 200
    assert shown in visible_text(response.content)


def test_the_empty_list_says_so(client):
    response = client.get("/news/?kind=press_release")

    assert "There are no press releases yet." in visible_text(response.content)
    assert ("/news/", "See all news") in links(response.content)


def test_the_list_is_paginated_in_a_constant_number_of_queries(client, django_assert_max_num_queries):
    # The demo has three articles: ten times that is three pages.
    ArticleFactory.create_batch(30)
    client.get("/news/")  # the site's chrome (menus, settings) is cached by the first page
    with CaptureQueriesContext(connection) as first:
        response = client.get("/news/")
    first_count = len(first)  # read now: the next request clears the log the context reads

    ArticleFactory.create_batch(30, press_release=True)
    with django_assert_max_num_queries(first_count):
        later = client.get("/news/?page=6")
    with django_assert_max_num_queries(first_count):
        client.get("/news/?kind=press_release&page=2")

    assert first_count <= 4
    assert "Showing 1–10 of 30 articles." in visible_text(response.content)
    assert "Showing 51–60 of 60 articles." in visible_text(later.content)
    assert "?kind=press_release&amp;page=3" in client.get("/news/?kind=press_release").content.decode()


# One article -------------------------------------------------------------------------------


def json_ld(page):
    [data] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(data)


def test_an_article_page_has_its_body_and_news_article_json_ld(client, settings):
    settings.SITE_URL = "https://www.example.org"
    article = ArticleFactory(
        title="ALA chooses a new executive director",
        slug="new-executive-director",
        press_release=True,
        summary="The Board names a new director.",
        body="The **Executive Board** has chosen.",
    )

    response = client.get("/news/new-executive-director/")

    page = response.content.decode()
    assert headings(page, levels={"h1"}) == ["ALA chooses a new executive director"]
    assert "<strong>Executive Board</strong>" in page
    data = json_ld(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "ALA chooses a new executive director"
    assert data["datePublished"] == timezone.localtime(article.publish_at).isoformat()
    assert data["dateModified"] >= data["datePublished"]
    assert (
        data["author"]
        == data["publisher"]
        == {
            "@type": "Organization",
            "name": "American Library Association",
            "url": "https://www.example.org/",
        }
    )
    assert data["url"] == "https://www.example.org/news/new-executive-director/"
    assert "image" not in data
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="ALA chooses a new executive director">' in page
    assert '<meta property="og:description" content="The Board names a new director.">' in page
    assert '<link rel="canonical" href="https://www.example.org/news/new-executive-director/">' in page


def picture():
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 600), (0, 45, 98)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_an_article_with_an_image_names_it_in_json_ld_and_open_graph(client, settings):
    settings.SITE_URL = "https://www.example.org"
    article = ArticleFactory(slug="with-picture", image=picture(), image_alt="Library reading room")

    page = client.get("/news/with-picture/").content.decode()

    image_url = "https://www.example.org" + article.image_rendition.url
    assert json_ld(page)["image"] == [image_url]
    assert f'<meta property="og:image" content="{image_url}">' in page
    assert '<meta property="og:image:alt" content="Library reading room">' in page
    assert 'alt="Library reading room"' in page


def test_script_in_an_article_is_inert_everywhere(client):
    ArticleFactory(
        slug="scripted",
        title="</script><script>alert(1)</script>",
        summary="<b>bold</b>",
        body="Hello <script>alert(2)</script> [x](javascript:alert(3))",
    )

    page = client.get("/news/scripted/").content.decode()

    assert "<script>alert(" not in page
    assert "javascript:" not in page
    assert "<b>bold</b>" not in page
    json_ld(page)  # the title's </script> did not end the JSON-LD early: it still parses


@pytest.mark.parametrize("state", ["scheduled", "draft"])
def test_an_article_not_yet_visible_is_a_404_but_staff_preview_it(client, state):
    ArticleFactory(slug="coming", **{state: True})

    assert client.get("/news/coming/").status_code == 404
    client.force_login(StaffFactory())
    response = client.get("/news/coming/")
    assert response.status_code == 200
    assert "only staff can see this page" in visible_text(response.content)


def test_an_article_appears_when_its_publish_time_comes(client):
    article = ArticleFactory(slug="soon", publish_at=timezone.now() + timedelta(seconds=1))
    assert client.get("/news/soon/").status_code == 404

    Article.objects.filter(pk=article.pk).update(publish_at=hours_ago(1))

    assert client.get("/news/soon/").status_code == 200


def test_read_only_pages_refuse_post(client):
    ArticleFactory(slug="one")
    for url in ("/news/", "/news/one/", "/news/feed/"):
        assert client.post(url).status_code == 405


# RSS and sitemap ---------------------------------------------------------------------------


def test_the_feed_has_the_newest_twenty_visible_articles(client, settings):
    for n in range(22):
        ArticleFactory(title=f"Article {n:02d}", publish_at=hours_ago(100 - n))
    ArticleFactory(title="Scheduled", scheduled=True)

    response = client.get("/news/feed/")

    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "ALA News"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [f"Article {n:02d}" for n in range(21, 1, -1)]
    first = items[0]
    assert first.findtext("link").endswith("/news/article-21/")
    assert first.findtext("description") == "Libraries across the country report what they did this month."
    assert first.findtext("pubDate")


def test_the_sitemap_lists_visible_articles(client):
    ArticleFactory(slug="visible-one")
    ArticleFactory(slug="a-draft", draft=True)

    paths = sitemap_paths(client)

    assert "/news/visible-one/" in paths
    assert "/news/a-draft/" not in paths
    assert "/advocacy/stories/" in paths


# Admin ------------------------------------------------------------------------------------


def admin_form(**changes):
    now = timezone.localtime()
    data = {
        "title": "Library funding update",
        "slug": "library-funding-update",
        "kind": "news",
        "summary": "What Congress decided.",
        "body": "Congress **decided**.",
        "image_alt": "",
        "is_published": "on",
        "publish_at_0": now.strftime("%Y-%m-%d"),
        "publish_at_1": now.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


def test_staff_write_an_article_in_admin_rendered_once_and_signed(client):
    editor = StaffFactory(is_superuser=True)
    client.force_login(editor)

    response = client.post("/admin/advocacy/article/add/", admin_form())

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.body_html == "<p>Congress <strong>decided</strong>.</p>"
    assert article.updated_by == editor


def test_the_admin_refuses_an_image_without_alt_text_and_keeps_one_with_it(client):
    client.force_login(StaffFactory(is_superuser=True))

    refused = client.post("/admin/advocacy/article/add/", {**admin_form(), "image": picture()})

    assert refused.status_code == 200
    assert "Describe the image for people who cannot see it." in refused.content.decode()
    assert not Article.objects.exists()

    saved = client.post("/admin/advocacy/article/add/", {**admin_form(image_alt="A reading room"), "image": picture()})

    assert saved.status_code == 302
    article = Article.objects.get()
    assert article.image_alt == "A reading room"
    assert article.image_rendition  # made once, when saved
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'src="{article.image_rendition.url}" alt="A reading room"' in page


def test_the_admin_refuses_the_feeds_address_as_a_slug(client):
    client.force_login(StaffFactory(is_superuser=True))

    response = client.post("/admin/advocacy/article/add/", admin_form(slug="feed"))

    assert response.status_code == 200
    assert "/news/feed/ is another page" in response.content.decode()
    assert not Article.objects.exists()


def test_the_admin_list_shows_each_articles_status(client):
    client.force_login(StaffFactory(is_superuser=True))
    ArticleFactory(title="Live one")
    ArticleFactory(title="Later one", scheduled=True)
    ArticleFactory(title="Draft one", draft=True)

    scheduled = client.get("/admin/advocacy/article/?status=2").content.decode()

    assert "Later one" in scheduled
    assert "Live one" not in scheduled and "Draft one" not in scheduled


def test_the_sitemap_dates_the_list_pages_by_their_newest_content(client):
    ArticleFactory(slug="listed")
    ArticleFactory(slug="later", scheduled=True)
    newest = Article.objects.get(slug="listed").updated_at

    dates = {path_of(location): lastmod for location, lastmod in sitemap_entries(client)}

    assert dates["/news/"] == timezone.localtime(newest).strftime("%Y-%m-%d")
    # The story form shows only the site's name: dated by the site settings (made on the first
    # request), not by the articles.
    site_settings = SiteSettings.objects.first()
    form_date = site_settings and timezone.localdate(site_settings.updated_at).isoformat()
    assert dates["/advocacy/stories/new/"] == form_date
