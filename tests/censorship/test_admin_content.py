"""Staff edit the figures, the most-challenged books and the résumés in admin."""

import pytest

from censorship.models import BookResume, CensorshipYear
from tests.factories import UserFactory

from .factories import BookResumeFactory, ChallengedBookFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/censorship/censorshipyear/",
        "/admin/censorship/censorshipyear/add/",
        "/admin/censorship/challengedbook/",
        "/admin/censorship/bookresume/",
        "/admin/censorship/bookresume/add/",
        "/admin/censorship/bookresume/?q=alaska&format__exact=graphic",
    ],
)
def test_admin_pages_answer(staff_client, url):
    book = ChallengedBookFactory(resume=BookResumeFactory(title="Looking for Alaska"))

    assert staff_client.get(url).status_code == 200
    assert staff_client.get(f"/admin/censorship/censorshipyear/{book.year.pk}/change/").status_code == 200
    assert staff_client.get(f"/admin/censorship/bookresume/{book.resume.pk}/change/").status_code == 200


def test_adding_a_year_records_who_and_shows_on_the_data_page(staff_client, client):
    response = staff_client.post(
        "/admin/censorship/censorshipyear/add/",
        {
            "year": "2025",
            "attempts": "900",
            "unique_titles": "2000",
            "notes": "",
            "is_published": "on",
            "challenged_books-TOTAL_FORMS": "1",
            "challenged_books-INITIAL_FORMS": "0",
            "challenged_books-0-rank": "1",
            "challenged_books-0-title": "Flamer",
            "challenged_books-0-author": "Mike Curato",
            "challenged_books-0-challenges": "",
            "challenged_books-0-reasons": "LGBTQIA+ content",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    year = CensorshipYear.objects.get(year=2025)
    assert year.updated_by is not None
    assert year.challenged_books.get().title == "Flamer"
    assert "2,000" in staff_client.get("/censorship/data/").content.decode()


def test_a_resume_saved_in_admin_renders_its_markdown(staff_client):
    data = {
        "title": "Sold",
        "slug": "sold",
        "subtitle": "",
        "summary": "A girl from Nepal.",
        "synopsis": "Lakshmi is **thirteen**.",
        "author_statement": "",
        "author": "Patricia McCormick",
        "illustrator": "",
        "publisher": "Hyperion",
        "publication_year": "2006",
        "isbn": "12345",
        "format": "verse",
        "age_min": "14",
        "age_max": "12",
        "grade_min": "",
        "grade_max": "",
        "image_alt": "",
        "is_published": "on",
    }
    for prefix in ("reviews", "recognitions", "retentions", "resources"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    refused = staff_client.post("/admin/censorship/bookresume/add/", data)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert set(errors) == {"isbn", "age_max"}

    data.update({"isbn": "", "age_max": "18"})
    assert staff_client.post("/admin/censorship/bookresume/add/", data).status_code == 302
    assert BookResume.objects.get(slug="sold").synopsis_html == "<p>Lakshmi is <strong>thirteen</strong>.</p>"


def test_intellectual_freedom_staff_edit_the_public_content_and_content_editors_do_not(client):
    from django.contrib.auth.models import Group

    resume = BookResumeFactory()
    freedom = UserFactory(is_staff=True)
    freedom.groups.add(Group.objects.get(name="Intellectual Freedom staff"))
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))

    client.force_login(freedom)
    for url in ["/admin/censorship/censorshipyear/add/", f"/admin/censorship/bookresume/{resume.pk}/change/"]:
        assert client.get(url).status_code == 200, url
    assert "Book résumés" in client.get("/admin/").content.decode()

    client.force_login(editor)
    assert client.get(f"/admin/censorship/bookresume/{resume.pk}/change/").status_code == 403
    assert client.get("/admin/censorship/censorshipyear/").status_code == 403
