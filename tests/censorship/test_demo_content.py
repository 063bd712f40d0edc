"""The censorship demo: the published figures, 2024's most-challenged books with a résumé each,
the menu link to the hub, --volume, and never undoing what staff changed."""

import pytest

from ala_site.demo import ALA
from ala_site.models import NavLink
from censorship import demo_content
from censorship.models import BookResume, CensorshipYear, ChallengedBook, ResumeResource
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def seed(volume=0):
    demo_content.seed(volume=volume, log=lambda message: None)


def test_seeds_the_figures_the_top_ten_and_their_resumes():
    seed()

    assert list(CensorshipYear.objects.values_list("year", "attempts", "unique_titles")) == [
        (2018, 347, 483),
        (2019, 377, 566),
        (2020, 156, 273),
        (2021, 729, 1858),
        (2022, 1269, 2571),
        (2023, 1247, 4240),
        (2024, 821, 2452),
    ]
    top = list(ChallengedBook.objects.filter(year__year=2024).order_by("rank"))
    assert [(book.rank, book.title, book.challenges) for book in top[:3]] == [
        (1, "All Boys Aren't Blue", 39),
        (2, "Gender Queer", 38),
        (3, "The Bluest Eye", 35),
    ]
    assert len(top) == 10
    assert all(book.resume and book.resume.title == book.title for book in top)
    resume = BookResume.objects.get(slug="looking-for-alaska")
    assert resume.synopsis_html.startswith("<p>Miles Halter leaves his home")
    assert "\n\n" in resume.synopsis and "  " not in resume.synopsis
    assert [str(recognition) for recognition in resume.recognitions.all()] == ["Michael L. Printz Award 2006"]


def test_the_demo_pages_answer(client):
    seed()

    for url in ["/censorship/", "/censorship/data/", "/censorship/resumes/", "/censorship/resumes/gender-queer/"]:
        assert client.get(url).status_code == 200, url


def test_running_again_adds_nothing_and_keeps_staff_edits():
    seed()
    editor = UserFactory()
    resume = BookResume.objects.get(slug="crank")
    resume.summary = "Staff's own summary."
    resume.updated_by = editor
    resume.save()
    resume.resources.first().delete()
    year = CensorshipYear.objects.get(year=2024)
    year.attempts = 830
    year.save()
    ChallengedBook.objects.filter(title="Sold").delete()
    counts = (BookResume.objects.count(), ResumeResource.objects.count(), ChallengedBook.objects.count())

    seed()

    resume.refresh_from_db()
    assert resume.summary == "Staff's own summary."
    assert CensorshipYear.objects.get(year=2024).attempts == 830
    # What staff deleted stays deleted.
    assert (BookResume.objects.count(), ResumeResource.objects.count(), ChallengedBook.objects.count()) == counts
    assert not ChallengedBook.objects.filter(title="Sold").exists()


def test_volume_adds_generated_resumes_once():
    seed(volume=30)
    seed(volume=30)

    assert BookResume.objects.filter(slug__startswith="generated-resume-").count() == 30
    generated = BookResume.objects.get(slug="generated-resume-00001")
    assert generated.synopsis_html.startswith("<p><em>")


def test_the_banned_books_menu_link_leads_to_the_hub_unless_staff_changed_it():
    parent = NavLink.objects.create(label="Tools & Resources", url=f"{ALA}/tools")
    typed = NavLink.objects.create(label="Banned & Challenged Books", url=f"{ALA}/bbooks", parent=parent)
    edited = NavLink.objects.create(label="Banned books", url=f"{ALA}/bbooks", parent=parent, updated_by=UserFactory())

    seed()

    typed.refresh_from_db()
    edited.refresh_from_db()
    assert typed.url == "/censorship/"
    assert edited.url == f"{ALA}/bbooks"
