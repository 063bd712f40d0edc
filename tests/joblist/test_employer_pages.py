"""The employer's pages: their ads with states, dates and what they can do; edit and resubmit a
rejected ad; withdraw (asked first); repost an ended ad; someone else's ad is a 404 everywhere."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joblist.models import JOBLIST_STAFF_GROUP, JobPosting
from tests.factories import StaffFactory, UserFactory
from tests.html_utils import h1_count, links, visible_text

from .factories import AdProductFactory, EmployerFactory, JobPostingFactory
from .test_posting_form import ad_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def owner():
    return UserFactory(email="rosa@lakeside.example.org")


@pytest.fixture
def employer(owner):
    employer = EmployerFactory(name="Lakeside Public Library", city="Madison", state="WI")
    employer.contacts.add(owner)
    return employer


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def ad(employer, **fields):
    return JobPostingFactory(employer=employer, **fields)


def messages_after(client, response):
    page = client.get(response["Location"])
    return " ".join(str(message) for message in page.context["messages"])


# The list of one's ads ---------------------------------------------------------------------------


def test_my_ads_asks_visitors_to_sign_in():
    response = Client().get("/joblist/my-ads/")
    assert response["Location"] == "/accounts/login/?next=/joblist/my-ads/"


def test_my_ads_lists_their_ads_in_words_with_dates_and_actions(owner, employer):
    live = ad(employer, title="Head of Reference", published=True)
    ad(employer, title="Cataloger", rejected=True, rejection_reason="Please give the salary range.")
    ad(employer, title="Archivist", expired=True)
    ad(employer, title="Page", ad_product=AdProductFactory())
    ad(EmployerFactory(), title="Someone Else's Job", published=True)

    response = signed_in(owner).get("/joblist/my-ads/")
    html = response.content.decode()
    text = visible_text(html)
    actions = {label for _, label in links(html)}

    assert response.status_code == 200 and h1_count(html) == 1
    assert "Someone Else's Job" not in text
    assert "Head of Reference" in text and "On the board" in text
    assert f"Live until {timezone.localtime(live.expires_at):%b} " in text
    assert "Needs changes" in text and "Reviewer: Please give the salary range." in text
    assert "Edit and resubmit: Cataloger" in actions
    assert "Repost : Archivist" in text  # a button, named for its ad
    assert "Draft, not paid yet" in text and "Preview and pay: Page" in actions
    assert "Withdraw: Head of Reference" in actions and "Withdraw: Archivist" not in actions
    assert live.get_absolute_url() in html


def test_ads_of_their_employer_posted_by_a_colleague_are_listed(owner, employer):
    ad(employer, title="Posted By A Colleague", posted_by=UserFactory())
    assert "Posted By A Colleague" in visible_text(signed_in(owner).get("/joblist/my-ads/").content)


def test_my_ads_says_when_there_are_none():
    text = visible_text(signed_in(UserFactory()).get("/joblist/my-ads/").content)
    assert "You have no job ads yet." in text and "Post your first job" in text


def test_my_ads_runs_a_constant_number_of_queries(owner, employer, django_assert_max_num_queries):
    client = signed_in(owner)
    for n in range(3):
        ad(employer, title=f"Job {n}", published=True)
    client.get("/joblist/my-ads/")  # the site's settings are made and cached on the first page
    with CaptureQueriesContext(connection) as few:
        client.get("/joblist/my-ads/")
    JobPosting.objects.bulk_create(
        [
            JobPosting(
                title=f"Job {n}",
                slug="job",
                employer=employer,
                employer_name=employer.name,
                city="Madison",
                state="WI",
                workplace="remote",
                library_type="public",
                category="librarian",
                job_type="full_time",
                description="x",
                apply_url="https://x.example.org/",
                status="expired",
            )
            for n in range(300)
        ]  # fmt: skip
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/joblist/my-ads/?page=2")
    assert "Pages of your ads" in response.content.decode()


@pytest.mark.parametrize("number", ["999", "abc", "-1", "1" * 40])
def test_a_page_number_out_of_range_shows_a_page(owner, employer, number):
    ad(employer)
    assert signed_in(owner).get(f"/joblist/my-ads/?page={number}").status_code == 200


# Someone else's ad ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/joblist/post/{pk}/edit/"),
        ("post", "/joblist/post/{pk}/edit/"),
        ("get", "/joblist/post/{pk}/preview/"),
        ("post", "/joblist/post/{pk}/pay/"),
        ("post", "/joblist/post/{pk}/resubmit/"),
        ("get", "/joblist/post/{pk}/withdraw/"),
        ("post", "/joblist/post/{pk}/withdraw/"),
        ("post", "/joblist/post/{pk}/repost/"),
        ("get", "/joblist/my-ads/{pk}/"),
    ],
)
def test_someone_elses_ad_is_a_404(employer, method, path):
    posting = ad(employer, rejected=True)
    stranger = signed_in(UserFactory())
    response = getattr(stranger, method)(path.format(pk=posting.pk), {"website": ""})
    assert response.status_code == 404
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.REJECTED


@pytest.mark.parametrize("pk", ["0", "99999", "9" * 30])
def test_an_ad_that_does_not_exist_is_a_404(owner, pk):
    assert signed_in(owner).get(f"/joblist/post/{pk}/preview/").status_code == 404
    assert signed_in(owner).get(f"/joblist/my-ads/{pk}/").status_code == 404


def test_visitors_are_asked_to_sign_in_for_an_ads_pages(employer):
    posting = ad(employer)
    response = Client().get(f"/joblist/post/{posting.pk}/edit/")
    assert response["Location"] == f"/accounts/login/?next=/joblist/post/{posting.pk}/edit/"


# Editing ---------------------------------------------------------------------------------------------


def test_a_draft_is_edited_and_previewed_again(owner, employer):
    product = AdProductFactory()
    posting = ad(employer, ad_product=product, posted_by=owner)
    client = signed_in(owner)

    response = client.post(
        f"/joblist/post/{posting.pk}/edit/",
        ad_data(product, employer_choice=str(employer.pk), title="Senior Teen Librarian"),
    )

    assert response["Location"] == f"/joblist/post/{posting.pk}/preview/"
    posting.refresh_from_db()
    assert posting.title == "Senior Teen Librarian" and posting.status == JobPosting.Status.DRAFT
    assert posting.posted_by == owner and JobPosting.objects.count() == 1


def test_a_published_ad_cannot_be_edited_and_the_employer_is_told_what_to_do(owner, employer):
    posting = ad(employer, published=True, title="Head of Reference")
    client = signed_in(owner)

    response = client.get(f"/joblist/post/{posting.pk}/edit/")
    assert response["Location"] == f"/joblist/my-ads/{posting.pk}/"
    assert "withdraw it and repost it" in messages_after(client, response)

    response = client.post(f"/joblist/post/{posting.pk}/edit/", ad_data(AdProductFactory(), title="Changed"))
    posting.refresh_from_db()
    assert posting.title == "Head of Reference"


def test_a_pending_ad_cannot_be_edited(owner, employer):
    posting = ad(employer, pending=True)
    response = signed_in(owner).get(f"/joblist/post/{posting.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == f"/joblist/my-ads/{posting.pk}/"


def test_an_ad_approved_while_its_employer_edits_keeps_what_was_approved(owner, employer, monkeypatch):
    """Staff approve between the form's check and its save: the save is refused under the row lock."""
    product = AdProductFactory()
    posting = ad(employer, ad_product=product, rejected=True, posted_by=owner, title="As Approved")
    client = signed_in(owner)
    from joblist import employer_forms

    real_save = employer_forms.JobPostingForm.save_draft

    def approved_meanwhile(form):
        JobPosting.objects.filter(pk=posting.pk).update(status=JobPosting.Status.PUBLISHED)
        return real_save(form)

    monkeypatch.setattr(employer_forms.JobPostingForm, "save_draft", approved_meanwhile)
    response = client.post(
        f"/joblist/post/{posting.pk}/edit/", ad_data(product, employer_choice=str(employer.pk), title="Sneaky")
    )

    assert response["Location"] == f"/joblist/my-ads/{posting.pk}/"
    posting.refresh_from_db()
    assert posting.title == "As Approved"


def test_a_rejected_ad_is_corrected_and_resubmitted_without_paying_again(owner, employer, run_on_commit):
    reviewer = StaffFactory(email="jobs-staff@ala.example.org")
    reviewer.groups.add(Group.objects.get(name=JOBLIST_STAFF_GROUP))
    product = AdProductFactory()
    posting = ad(employer, ad_product=product, rejected=True, posted_by=owner, rejection_reason="Add the salary.")
    client = signed_in(owner)

    form_page = client.get(f"/joblist/post/{posting.pk}/edit/")
    text = visible_text(form_page.content)
    assert "What our reviewer asked you to change" in text and "Add the salary." in text
    assert 'name="ad_product"' not in form_page.content.decode()  # paid for already

    data = ad_data(product, employer_choice=str(employer.pk), salary_min="50000", salary_max="60000")
    del data["ad_product"]
    response = client.post(f"/joblist/post/{posting.pk}/edit/", data)
    assert response["Location"] == f"/joblist/post/{posting.pk}/preview/"
    preview = visible_text(client.get(response["Location"]).content)
    assert "Send it back for review" in preview and "Pay $" not in preview

    with run_on_commit():
        response = client.post(f"/joblist/post/{posting.pk}/resubmit/", {"website": ""})

    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.PENDING and posting.salary_min == 50000
    assert "back with our staff for review" in messages_after(client, response)
    assert [m.to for m in mail.outbox] == [["jobs-staff@ala.example.org"]]


def test_only_a_rejected_ad_is_resubmitted(owner, employer):
    posting = ad(employer, published=True)
    client = signed_in(owner)
    response = client.post(f"/joblist/post/{posting.pk}/resubmit/", {"website": ""})
    assert "Only a rejected ad can be resubmitted." in messages_after(client, response)
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.PUBLISHED


def test_the_preview_shows_the_ad_as_it_will_appear(owner, employer):
    product = AdProductFactory(name="Online ad (30 days)")
    posting = ad(employer, ad_product=product, title="Teen Librarian", salaried=True)
    client = signed_in(owner)

    response = client.get(f"/joblist/post/{posting.pk}/preview/")
    html = response.content.decode()
    text = visible_text(html)

    assert h1_count(html) == 1 and "Preview your ad" in text
    assert "Teen Librarian" in text and "Lakeside Public Library" in text
    assert "$58,000–$72,000 per year" in text
    assert "<strong>reference desk</strong>" in html
    assert "Edit" in text and "Pay $250.00 and submit for review" in text
    assert client.head(f"/joblist/post/{posting.pk}/preview/").status_code == 200


# Withdraw and repost ----------------------------------------------------------------------------------


def test_withdrawing_asks_first_then_takes_the_ad_off_the_board(owner, employer):
    posting = ad(employer, published=True, title="Head of Reference")
    client = signed_in(owner)

    page = client.get(f"/joblist/post/{posting.pk}/withdraw/")
    assert "Withdraw “Head of Reference”?" in visible_text(page.content)
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.PUBLISHED

    response = client.post(f"/joblist/post/{posting.pk}/withdraw/", {"website": ""})

    assert response["Location"] == "/joblist/my-ads/"
    assert "is withdrawn" in messages_after(client, response)
    assert not JobPosting.objects.visible().exists()


def test_an_ended_ad_cannot_be_withdrawn(owner, employer):
    posting = ad(employer, expired=True)
    client = signed_in(owner)
    response = client.post(f"/joblist/post/{posting.pk}/withdraw/", {"website": ""})
    assert "has already ended" in messages_after(client, response)


def test_withdrawing_with_a_filled_honeypot_changes_nothing(owner, employer):
    posting = ad(employer, published=True)
    signed_in(owner).post(f"/joblist/post/{posting.pk}/withdraw/", {"website": "bot"})
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.PUBLISHED


@pytest.mark.parametrize("state", [{"expired": True}, {"withdrawn": True}, {"run_over": True}])
def test_an_ended_ad_is_reposted_as_a_new_draft(owner, employer, state):
    product = AdProductFactory()
    old = ad(employer, title="Archivist", ad_product=product, application_deadline=timezone.localdate(), **state)
    client = signed_in(owner)

    response = client.post(f"/joblist/post/{old.pk}/repost/", {"website": ""})

    copy = JobPosting.objects.exclude(pk=old.pk).get()
    assert response["Location"] == f"/joblist/post/{copy.pk}/preview/"
    assert copy.status == JobPosting.Status.DRAFT and copy.title == "Archivist" and copy.posted_by == owner
    assert copy.reposted_from == old and copy.ad_product == product


def test_a_live_ad_is_not_reposted(owner, employer):
    posting = ad(employer, published=True)
    client = signed_in(owner)
    response = client.post(f"/joblist/post/{posting.pk}/repost/", {"website": ""})
    assert "Only an ad that has ended can be reposted." in messages_after(client, response)
    assert JobPosting.objects.count() == 1


def test_a_reposted_ad_with_a_past_deadline_gets_none(owner, employer):
    old = ad(employer, expired=True, application_deadline=timezone.localdate() - timedelta(days=3))
    signed_in(owner).post(f"/joblist/post/{old.pk}/repost/", {"website": ""})
    assert JobPosting.objects.exclude(pk=old.pk).get().application_deadline is None
