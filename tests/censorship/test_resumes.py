"""Book résumés: the searchable directory and one résumé (print stylesheet, JSON-LD Book)."""

import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ala_site import page_cache
from censorship import demo_content
from censorship.models import BookResume, ResumeRecognition, ResumeRetention
from censorship.views import PAGE_SIZE
from tests.factories import StaffFactory
from tests.html_utils import h1_count, headings, links, visible_text
from tests.sitemap_utils import sitemap_paths

from .factories import (
    BookResumeFactory,
    CensorshipYearFactory,
    ChallengedBookFactory,
    ResumeRecognitionFactory,
    ResumeResourceFactory,
    ResumeRetentionFactory,
    ResumeReviewFactory,
)

pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200
    return [resume.title for resume in response.context["page"]]


def main(page):
    """The page's <main>: the résumé, without the cookie banner or the footer."""
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def json_ld(page):
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(block)


# The directory ----------------------------------------------------------------------------


def test_the_directory_lists_published_resumes_by_title(client):
    BookResumeFactory(title="Crank")
    BookResumeFactory(title="Looking for Alaska")
    BookResumeFactory(title="Draft", is_published=False)

    response = client.get("/censorship/resumes/")
    page = response.content.decode()

    assert titles(response) == ["Crank", "Looking for Alaska"]
    assert h1_count(page) == 1
    assert ("/censorship/resumes/crank/", "Crank") in links(page)
    assert "Draft" not in visible_text(page)


def test_search_by_title_or_author(client):
    BookResumeFactory(title="Crank", author="Ellen Hopkins")
    BookResumeFactory(title="Tricks", author="Ellen Hopkins")
    BookResumeFactory(title="Sold", author="Patricia McCormick")
    BookResumeFactory(title="Flamer", author="Mike Curato", illustrator="Mike Curato")

    assert titles(client.get("/censorship/resumes/", {"q": "hopkins"})) == ["Crank", "Tricks"]
    assert titles(client.get("/censorship/resumes/", {"q": "sold"})) == ["Sold"]
    # Every word must match somewhere: title and author together narrow it down.
    assert titles(client.get("/censorship/resumes/", {"q": "tricks hopkins"})) == ["Tricks"]
    response = client.get("/censorship/resumes/", {"q": "nothing like it"})
    assert titles(response) == []
    assert "No book résumés match your search." in visible_text(response.content)


def test_filter_by_age_range_and_format(client):
    BookResumeFactory(title="Picture", format=BookResume.Format.PICTURE_BOOK, age_min=4, age_max=8)
    BookResumeFactory(title="Middle", format=BookResume.Format.NOVEL, age_min=9, age_max=12)
    BookResumeFactory(title="Teen graphic", format=BookResume.Format.GRAPHIC_NOVEL, age_min=14, age_max=18)
    BookResumeFactory(title="Adult", format=BookResume.Format.NOVEL, age_min=16, age_max=None)
    BookResumeFactory(title="Unknown ages", age_min=None, age_max=None)
    url = "/censorship/resumes/"

    assert titles(client.get(url, {"age": "children"})) == ["Picture"]
    assert titles(client.get(url, {"age": "middle-grade"})) == ["Middle"]
    assert titles(client.get(url, {"age": "teens"})) == ["Adult", "Teen graphic"]
    assert titles(client.get(url, {"age": "adults"})) == ["Adult", "Teen graphic"]
    assert titles(client.get(url, {"format": "graphic"})) == ["Teen graphic"]
    response = client.get(url, {"age": "teens", "format": "novel"})
    assert titles(response) == ["Adult"]
    page = response.content.decode()
    assert '<option value="teens" selected>' in page and '<option value="novel" selected>' in page


@pytest.mark.parametrize(
    "params",
    [{"age": "toddlers"}, {"format": "scroll"}, {"page": "x"}, {"page": "999"}, {"q": "<script>alert(1)</script>"}],
)
def test_bad_filter_values_are_ignored_not_errors(client, params):
    BookResumeFactory(title="Crank")

    response = client.get("/censorship/resumes/", params)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_very_long_search_is_cut_not_refused(client):
    BookResumeFactory(title="Crank")

    response = client.get("/censorship/resumes/", {"q": "crank" + " x" * 500_000})

    assert response.status_code == 200
    assert len(response.context["chosen"]["q"]) <= 100


def test_pages_keep_the_search(client):
    for number in range(PAGE_SIZE + 2):
        BookResumeFactory(title=f"Banned {number:02d}", author="Same Author")

    first = client.get("/censorship/resumes/", {"q": "banned", "format": "novel"})
    second = client.get("/censorship/resumes/", {"q": "banned", "format": "novel", "page": 2})

    assert len(titles(first)) == PAGE_SIZE
    assert titles(second) == [f"Banned {PAGE_SIZE:02d}", f"Banned {PAGE_SIZE + 1:02d}"]
    assert 'href="?q=banned&amp;format=novel&amp;page=2"' in first.content.decode()
    assert 'aria-label="Pages of book résumés"' in first.content.decode()


def test_empty_directory(client):
    response = client.get("/censorship/resumes/")

    assert "No book résumés have been published yet." in visible_text(response.content)


def test_directory_queries_stay_constant_at_ten_times_the_demo(client, django_assert_max_num_queries):
    demo_content.seed(log=lambda message: None)
    client.get("/censorship/resumes/")  # the first visit makes the site's settings row
    with django_assert_max_num_queries(12) as few:
        response = client.get("/censorship/resumes/", {"q": "the"})
    assert titles(response)

    demo_content.seed(volume=10 * len(demo_content.BOOKS_2024), log=lambda message: None)
    assert BookResume.objects.count() == 11 * len(demo_content.BOOKS_2024)
    page_cache.bump()  # the volume is bulk-created, behind the ORM's signals that renew shared pages
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/censorship/resumes/", {"q": "the"})
    assert len(titles(response)) == PAGE_SIZE


# One résumé -------------------------------------------------------------------------------


def full_resume(**fields):
    resume = BookResumeFactory(
        **{
            "title": "Looking for Alaska",
            "slug": "looking-for-alaska",
            "author": "John Green",
            "publisher": "Dutton",
            "publication_year": 2005,
            "isbn": "978-0-525-47506-4",
            "synopsis": "Miles goes to **boarding school**.\n\n<script>alert(1)</script>",
            "author_statement": "I wrote it for *teenagers*.",
            **fields,
        }
    )
    ResumeReviewFactory(resume=resume, quote="Funny and sad at once.", source="Review Monthly")
    ResumeRecognitionFactory(resume=resume, name="Michael L. Printz Award", year=2006)
    ResumeRecognitionFactory(resume=resume, name="Teen list", year=2007, kind=ResumeRecognition.Kind.LIST)
    ResumeRetentionFactory(resume=resume, outcome=ResumeRetention.Outcome.RETAINED)
    ResumeResourceFactory(resume=resume, label="Discussion guide", url="https://example.org/guide")
    ResumeResourceFactory(resume=resume, label="Report a challenge", url="/censorship/report/")
    year = CensorshipYearFactory(year=2024)
    ChallengedBookFactory(year=year, rank=6, title="Looking for Alaska", challenges=30, resume=resume)
    return resume


def test_a_resume_shows_everything_a_review_committee_needs(client, settings):
    settings.SITE_URL = "https://www.example.org"
    resume = full_resume()

    response = client.get("/censorship/resumes/looking-for-alaska/")
    page = response.content.decode()
    text = visible_text(page)

    assert response.status_code == 200
    assert h1_count(page) == 1 and headings(page, levels={"h1"}) == ["Looking for Alaska"]
    assert "Author John Green" in text
    assert "Publisher Dutton, 2005" in text
    assert "Ages 14–18" in text and "Grades 9–12" in text
    assert "ISBN 9780525475064" in text
    assert "<strong>boarding school</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "<p>I wrote it for <em>teenagers</em>.</p>" in page
    assert headings(main(page), levels={"h2"}) == [
        "Synopsis",
        "From the author",
        "Professional reviews",
        "Awards, honors and lists",
        "On the most-challenged lists",
        "Retention history",
        "Resources",
    ]
    assert "Funny and sad at once. Review Monthly" in text
    assert "Michael L. Printz Award, 2006" in text and "Teen list, 2007 (notable list)" in text
    assert "2024: number 6, 30 challenges." in text
    assert "Retained : Riverside Unified School District, Riverside, California (2023)" in text
    assert ("https://example.org/guide", "Discussion guide") in links(page)
    # On paper the address is written out after the link (shown by the print stylesheet only).
    assert "Discussion guide (https://example.org/guide)" in text
    assert '<span class="resume__print-url"> (https://www.example.org/censorship/report/)</span>' in page
    assert resume.get_absolute_url() in page


def test_sections_without_content_are_left_out(client):
    BookResumeFactory(title="Plain", slug="plain", author_statement="")

    page = client.get("/censorship/resumes/plain/").content.decode()

    assert headings(main(page), levels={"h2"}) == ["Synopsis"]


def test_the_print_stylesheet_is_linked_for_print_only(client):
    full_resume()

    page = client.get("/censorship/resumes/looking-for-alaska/").content.decode()

    [link] = re.findall(r'<link rel="stylesheet" href="[^"]*resume-print\.css" media="print">', page)
    assert link
    css = open(finders.find("css/resume-print.css")).read()  # noqa: SIM115
    assert ".site-footer" in css and "display: none" in css


def test_json_ld_describes_the_book(client, settings):
    settings.SITE_URL = "https://www.example.org"
    full_resume(illustrator="Jo Artist", format=BookResume.Format.GRAPHIC_NOVEL)

    data = json_ld(client.get("/censorship/resumes/looking-for-alaska/").content.decode())

    assert data["@type"] == "Book"
    assert data["name"] == "Looking for Alaska"
    assert data["author"] == {"@type": "Person", "name": "John Green"}
    assert data["illustrator"] == {"@type": "Person", "name": "Jo Artist"}
    assert data["isbn"] == "9780525475064"
    assert data["publisher"] == {"@type": "Organization", "name": "Dutton"}
    assert data["datePublished"] == "2005"
    assert data["url"] == "https://www.example.org/censorship/resumes/looking-for-alaska/"
    assert data["bookFormat"] == "https://schema.org/GraphicNovel"
    assert data["typicalAgeRange"] == "14-18"
    assert data["award"] == ["Michael L. Printz Award 2006", "Teen list 2007"]
    assert "image" not in data


def test_json_ld_with_a_cover_and_without_an_isbn(client, settings):
    settings.SITE_URL = "https://www.example.org"
    png = io.BytesIO()
    Image.new("RGB", (600, 900), "navy").save(png, format="PNG")
    cover = SimpleUploadedFile("cover.png", png.getvalue(), content_type="image/png")
    resume = BookResumeFactory(
        slug="covered", image=cover, image_alt="A navy book cover", isbn="", age_min=16, age_max=None
    )

    page = client.get("/censorship/resumes/covered/").content.decode()
    data = json_ld(page)

    assert "isbn" not in data
    assert data["typicalAgeRange"] == "16-"
    assert data["image"] == "https://www.example.org" + resume.image_rendition.url
    assert 'alt="A navy book cover"' in page
    assert 'width="480"' in page


def test_json_ld_escapes_text_that_could_close_the_script(client):
    BookResumeFactory(slug="tricky", title="</script><script>alert(1)</script>", summary="Fish & <chips>")

    page = client.get("/censorship/resumes/tricky/").content.decode()
    data = json_ld(page)

    assert data["name"] == "</script><script>alert(1)</script>"
    assert data["description"] == "Fish & <chips>"
    assert "<script>alert(1)" not in page


def test_an_unpublished_resume_is_staff_only(client):
    BookResumeFactory(slug="draft", is_published=False)

    assert client.get("/censorship/resumes/draft/").status_code == 404
    client.force_login(StaffFactory())
    response = client.get("/censorship/resumes/draft/")
    assert response.status_code == 200
    assert "only staff can see this page" in response.content.decode()


def test_an_unknown_resume_is_a_404(client):
    assert client.get("/censorship/resumes/no-such-book/").status_code == 404


def test_detail_queries_do_not_grow_with_its_lists(client, django_assert_max_num_queries):
    resume = full_resume()
    client.get(resume.get_absolute_url())
    with django_assert_max_num_queries(14) as few:
        client.get(resume.get_absolute_url())
    for _ in range(5):
        ResumeReviewFactory(resume=resume)
        ResumeRetentionFactory(resume=resume)
        ResumeResourceFactory(resume=resume)
        ResumeRecognitionFactory(resume=resume)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(resume.get_absolute_url())


# The model's checks ------------------------------------------------------------------------


@pytest.mark.parametrize("isbn", ["978-0-525-47506-4", "0525475060", "0-8044-2957-X"])
def test_valid_isbns(isbn):
    BookResumeFactory.build(isbn=isbn).full_clean(exclude=["slug"])


@pytest.mark.parametrize("isbn", ["978-0-525-47506-5", "12345", "abcdefghij"])
def test_invalid_isbns(isbn):
    with pytest.raises(ValidationError) as error:
        BookResumeFactory.build(isbn=isbn).full_clean(exclude=["slug"])
    assert "isbn" in error.value.message_dict


def test_ages_and_grades_must_not_run_backwards():
    with pytest.raises(ValidationError) as error:
        BookResumeFactory.build(age_min=12, age_max=8, grade_min=10, grade_max=3).full_clean(exclude=["slug"])
    assert set(error.value.message_dict) == {"age_max", "grade_max"}


# The sitemap -------------------------------------------------------------------------------


def test_the_sitemap_lists_the_pages_and_each_published_resume(client):
    BookResumeFactory(slug="crank")
    BookResumeFactory(slug="draft", is_published=False)

    paths = set(sitemap_paths(client))

    assert {
        "/censorship/",
        "/censorship/data/",
        "/censorship/resumes/",
        "/censorship/resumes/crank/",
        "/censorship/report/",
    } <= paths
    assert "/censorship/resumes/draft/" not in paths
