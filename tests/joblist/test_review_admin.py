"""Staff review of ads in admin: approve or reject (with a reason) from the ad's page or in bulk,
each asked first, each emailed to the employer and recorded (who, when, the admin log); only
JobLIST staff may review; the dashboard shows what waits."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.utils import timezone

from joblist.models import JOBLIST_STAFF_GROUP, JobPosting, SavedSearch
from tests.factories import StaffFactory, UserFactory
from tests.html_utils import links, visible_text

from .factories import AdProductFactory, EmployerFactory, JobPostingFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/joblist/jobposting/"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def staff_in(group_name, **fields):
    user = StaffFactory(**fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def reviewer():
    return staff_in(JOBLIST_STAFF_GROUP, first_name="Jo", last_name="Reviewer", email="jo@ala.example.org")


@pytest.fixture
def staff_client(reviewer):
    client = Client()
    client.force_login(reviewer)
    return client


@pytest.fixture
def waiting():
    employer_account = UserFactory(email="rosa@lakeside.example.org")
    employer = EmployerFactory(name="Lakeside Public Library", city="Madison", state="WI")
    employer.contacts.add(employer_account)
    return JobPostingFactory(
        pending=True,
        title="Teen Services Librarian",
        employer=employer,
        posted_by=employer_account,
        ad_product=AdProductFactory(days=30),
    )


def messages_of(client, response):
    return " ".join(str(m) for m in client.get(response["Location"]).context["messages"])


# The ad's page ----------------------------------------------------------------------------------


def test_the_list_shows_the_review_columns_and_filters(staff_client, waiting):
    JobPostingFactory(published=True, title="Head of Reference")
    response = staff_client.get(CHANGELIST, {"status__exact": "pending"})
    text = visible_text(response.content)
    assert response.status_code == 200
    assert "Teen Services Librarian" in text and "Head of Reference" not in text
    for column in ("Title", "Employer name", "Status", "Submitted at", "Live until"):
        assert column.lower() in text.lower()
    assert staff_client.get(CHANGELIST, {"library_type__exact": "public", "is_featured__exact": "0"}).status_code == 200
    assert staff_client.get(CHANGELIST, {"q": "Lakeside"}).status_code == 200


def test_a_waiting_ad_has_approve_and_reject_buttons(staff_client, waiting):
    html = staff_client.get(f"{CHANGELIST}{waiting.pk}/change/").content.decode()
    assert f'href="{CHANGELIST}{waiting.pk}/approve/"' in html
    assert f'href="{CHANGELIST}{waiting.pk}/reject/"' in html
    assert "View on site" not in html  # the posting page shows only ads that went on the board


def test_a_published_ad_has_no_review_buttons(staff_client):
    posting = JobPostingFactory(published=True)
    html = staff_client.get(f"{CHANGELIST}{posting.pk}/change/").content.decode()
    assert "/approve/" not in html and "/reject/" not in html
    assert "View on site" in html


def test_approving_asks_first_then_publishes_emails_and_records(staff_client, reviewer, waiting, run_on_commit):
    page = staff_client.get(f"{CHANGELIST}{waiting.pk}/approve/")
    assert page.status_code == 200 and 'value="Approve and publish"' in page.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == JobPosting.Status.PENDING  # asking changes nothing

    with run_on_commit():
        response = staff_client.post(f"{CHANGELIST}{waiting.pk}/approve/")

    assert response["Location"] == f"{CHANGELIST}{waiting.pk}/change/"
    assert "Approved and published “Teen Services Librarian”." in messages_of(staff_client, response)
    waiting.refresh_from_db()
    assert waiting.status == JobPosting.Status.PUBLISHED and waiting.reviewed_by == reviewer
    assert abs((waiting.reviewed_at - timezone.now()).total_seconds()) < 60
    # Published from the approval, for a 30-day run.
    assert abs((waiting.published_at - timezone.now()).total_seconds()) < 60
    assert waiting.expires_at - waiting.published_at == timedelta(days=30)
    assert JobPosting.objects.visible().get() == waiting
    [email] = mail.outbox
    assert email.to == ["rosa@lakeside.example.org"]
    assert email.subject == "Your JobLIST ad is live: Teen Services Librarian"
    entry = LogEntry.objects.get(object_id=str(waiting.pk))
    assert entry.user == reviewer and entry.action_flag == CHANGE
    assert entry.get_change_message().startswith("Approved: published until ")


def test_rejecting_needs_a_reason_which_is_emailed_and_recorded(staff_client, reviewer, waiting, run_on_commit):
    page = staff_client.get(f"{CHANGELIST}{waiting.pk}/reject/")
    assert 'name="reason"' in page.content.decode()

    refused = staff_client.post(f"{CHANGELIST}{waiting.pk}/reject/", {"reason": "   "})
    assert refused.status_code == 200
    assert "Give the employer a reason" in visible_text(refused.content)
    waiting.refresh_from_db()
    assert waiting.status == JobPosting.Status.PENDING and mail.outbox == []

    reason = "Please give the salary range; <script>alert(1)</script> is not a salary."
    with run_on_commit():
        staff_client.post(f"{CHANGELIST}{waiting.pk}/reject/", {"reason": reason})

    waiting.refresh_from_db()
    assert waiting.status == JobPosting.Status.REJECTED and waiting.rejection_reason == reason
    assert waiting.reviewed_by == reviewer and waiting.reviewed_at is not None
    [email] = mail.outbox
    assert email.to == ["rosa@lakeside.example.org"] and reason in email.body
    assert "/joblist/my-ads/" in email.body
    entry = LogEntry.objects.get(object_id=str(waiting.pk))
    assert entry.get_change_message() == f"Rejected. Reason: {reason}"
    # The employer reads the reason on their page, inert.
    owner = Client()
    owner.force_login(waiting.posted_by)
    html = owner.get("/joblist/my-ads/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_an_overlong_reason_is_refused(staff_client, waiting):
    response = staff_client.post(f"{CHANGELIST}{waiting.pk}/reject/", {"reason": "x" * 2001})
    assert response.status_code == 200 and "at most 2000 characters" in visible_text(response.content)
    waiting.refresh_from_db()
    assert waiting.status == JobPosting.Status.PENDING


def test_an_ad_reviewed_by_someone_else_meanwhile_is_left_alone(staff_client, waiting):
    page = staff_client.get(f"{CHANGELIST}{waiting.pk}/reject/")
    assert page.status_code == 200
    waiting.approve(by=StaffFactory())

    response = staff_client.post(f"{CHANGELIST}{waiting.pk}/reject/", {"reason": "Too late"})

    assert "is published, not waiting for review" in messages_of(staff_client, response)
    waiting.refresh_from_db()
    assert waiting.status == JobPosting.Status.PUBLISHED


def test_an_ad_that_does_not_exist_goes_back_to_the_list(staff_client):
    response = staff_client.get(f"{CHANGELIST}99999/approve/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


# In bulk ---------------------------------------------------------------------------------------------


def test_bulk_approve_asks_first_and_leaves_ads_not_waiting_alone(staff_client, waiting, run_on_commit):
    other = JobPostingFactory(pending=True, title="Cataloger")
    draft = JobPostingFactory(title="Still A Draft")
    selected = [waiting.pk, other.pk, draft.pk]

    page = staff_client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": selected})
    text = visible_text(page.content)
    assert page.status_code == 200 and "Approve 2 ads?" in text
    assert "“Still A Draft” is draft, not waiting for review: left alone." in text
    assert JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED).count() == 0

    with run_on_commit():
        staff_client.post(
            CHANGELIST, {"action": "approve_selected", "_selected_action": [waiting.pk, other.pk], "confirm": "yes"}
        )

    assert set(JobPosting.objects.visible()) == {waiting, other}
    assert len(mail.outbox) == 2
    assert LogEntry.objects.count() == 2


def test_bulk_reject_needs_one_reason(staff_client, waiting):
    data = {"action": "reject_selected", "_selected_action": [waiting.pk], "confirm": "yes", "reason": ""}
    page = staff_client.post(CHANGELIST, data)
    assert "Give the employer a reason" in visible_text(page.content)
    waiting.refresh_from_db()
    assert waiting.status == JobPosting.Status.PENDING

    staff_client.post(CHANGELIST, {**data, "reason": "The link to apply is broken."})
    waiting.refresh_from_db()
    assert waiting.status == JobPosting.Status.REJECTED


# Who may review ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("group", ["Events staff", "Store staff", "Content editors"])
def test_other_staff_groups_cannot_review(waiting, group):
    client = Client()
    client.force_login(staff_in(group))
    assert client.get(f"{CHANGELIST}{waiting.pk}/approve/").status_code == 403
    assert client.post(f"{CHANGELIST}{waiting.pk}/approve/").status_code == 403
    assert client.post(f"{CHANGELIST}{waiting.pk}/reject/", {"reason": "No"}).status_code == 403
    assert client.get(CHANGELIST).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == JobPosting.Status.PENDING


def test_staff_who_may_only_look_cannot_review(waiting):
    from django.contrib.auth.models import Permission

    looker = StaffFactory()
    looker.user_permissions.add(Permission.objects.get(codename="view_jobposting"))
    client = Client()
    client.force_login(looker)
    assert client.get(f"{CHANGELIST}{waiting.pk}/change/").status_code == 200
    assert client.post(f"{CHANGELIST}{waiting.pk}/approve/").status_code == 403
    response = client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [waiting.pk]})
    waiting.refresh_from_db()
    assert waiting.status == JobPosting.Status.PENDING and response.status_code in (200, 302)


def test_a_visitor_is_sent_to_the_admin_login(waiting):
    response = Client().get(f"{CHANGELIST}{waiting.pk}/approve/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# The other JobLIST admins ---------------------------------------------------------------------------


def test_employers_show_their_logo_and_contacts(staff_client):
    employer = EmployerFactory(name="Lakeside Public Library")
    employer.contacts.add(UserFactory(email="rosa@lakeside.example.org"))
    assert "Lakeside Public Library" in visible_text(staff_client.get("/admin/joblist/employer/").content)
    page = staff_client.get(f"/admin/joblist/employer/{employer.pk}/change/")
    assert page.status_code == 200 and "rosa@lakeside.example.org" in visible_text(page.content)
    assert staff_client.get("/admin/joblist/employer/", {"q": "rosa@lakeside"}).status_code == 200


def test_staff_who_may_look_up_accounts_pick_contacts_from_a_search_box():
    employer = EmployerFactory()
    client = Client()
    client.force_login(StaffFactory(is_superuser=True))
    html = client.get(f"/admin/joblist/employer/{employer.pk}/change/").content.decode()
    assert 'name="contacts"' in html and "admin-autocomplete" in html


def test_ad_products_list_their_prices(staff_client):
    AdProductFactory(name="Featured ad", featured=True)
    text = visible_text(staff_client.get("/admin/joblist/adproduct/").content)
    assert "Featured ad" in text and "650.00" in text and "550.00" in text


def test_saved_searches_are_read_only(staff_client):
    search = SavedSearch.objects.create(
        user=UserFactory(email="seeker@example.org"), name="Youth jobs", criteria={}, last_sent_at=timezone.now()
    )
    page = staff_client.get(f"/admin/joblist/savedsearch/{search.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert staff_client.get("/admin/joblist/savedsearch/add/").status_code == 403
    assert staff_client.post(f"/admin/joblist/savedsearch/{search.pk}/delete/", {"post": "yes"}).status_code == 403


# The dashboard ---------------------------------------------------------------------------------------


def test_the_dashboard_counts_ads_waiting_and_ending_soon(staff_client, waiting):
    soon = timezone.now() - timedelta(days=25)
    JobPostingFactory(published=True, published_at=soon, expires_at=soon + timedelta(days=30))
    JobPostingFactory(published=True)  # 29 days to go

    page = staff_client.get("/admin/")
    text = visible_text(page.content)

    assert "JobLIST 1 Ads waiting for review 1 Ads ending in the next 7 days" in text
    assert f"{CHANGELIST}?status__exact=pending" in page.content.decode()
    ending = staff_client.get(
        next(url for url, label in links(page.content) if label == "1 Ads ending in the next 7 days")
    )
    assert [row.title for row in ending.context["cl"].result_list] == [JobPosting.objects.get(published_at=soon).title]


def test_the_dashboard_panel_is_only_for_those_who_review(waiting):
    client = Client()
    client.force_login(staff_in("Events staff"))
    assert "Ads waiting for review" not in visible_text(client.get("/admin/").content)


# Two reviewers at once ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_give_the_ad_one_outcome(file_database, monkeypatch):
    """One approves while the other rejects: each decision reads the ad under its lock (PostgreSQL's
    row lock; SQLite's write lock at BEGIN), so the second finds it decided and changes nothing."""
    import contextlib
    import threading

    from django.db import connections

    posting = JobPostingFactory(pending=True, title="Teen Services Librarian")
    reviewers = [staff_in(JOBLIST_STAFF_GROUP), staff_in(JOBLIST_STAFF_GROUP)]
    read = threading.Barrier(2, timeout=1)
    locked = JobPosting._locked

    def locked_then_wait(self):
        fresh = locked(self)
        with contextlib.suppress(threading.BrokenBarrierError):
            read.wait()  # the other reviewer's decision would read the ad now, were it not locked
        return fresh

    monkeypatch.setattr(JobPosting, "_locked", locked_then_wait)
    start = threading.Barrier(2)
    errors, statuses = [], []

    def decide(user, decision, data):
        try:
            client = Client()
            client.force_login(user)
            start.wait()
            statuses.append(client.post(f"{CHANGELIST}{posting.pk}/{decision}/", data).status_code)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(reviewers[0], "approve", {})),
        threading.Thread(target=decide, args=(reviewers[1], "reject", {"reason": "Add the salary."})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == [] and statuses == [302, 302]
    posting.refresh_from_db()
    assert posting.status in (JobPosting.Status.PUBLISHED, JobPosting.Status.REJECTED)
    assert LogEntry.objects.filter(object_id=str(posting.pk)).count() == 1
    assert len(mail.outbox) == 1
