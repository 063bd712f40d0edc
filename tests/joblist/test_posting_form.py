"""The employer's form at /joblist/post/: signed in, one page of fieldsets, prices for this person,
a draft saved in one go; bad input refused with a message next to its field and nothing saved."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from joblist.employer_forms import MAX_BODY
from joblist.models import Employer, JobPosting
from tests.factories import UserFactory
from tests.html_utils import h1_count, visible_text
from tests.membership.factories import MembershipFactory, MembershipTypeFactory

from .factories import AdProductFactory, EmployerFactory

pytestmark = pytest.mark.django_db

POST_URL = "/joblist/post/"


@pytest.fixture
def product():
    return AdProductFactory(name="Online ad (30 days)", price=Decimal("250.00"), member_price=Decimal("200.00"))


@pytest.fixture
def employer_user():
    return UserFactory(first_name="Rosa", last_name="Diaz", email="rosa@library.example.org")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def ad_data(product, **overrides):
    data = {
        "employer_choice": "new",
        "employer_name": "Lakeside Public Library",
        "employer_city": "Madison",
        "employer_state": "WI",
        "employer_website": "https://lakeside.example.org/",
        "employer_logo_alt": "",
        "ad_product": str(product.pk),
        "title": "Teen Services Librarian",
        "city": "Madison",
        "state": "WI",
        "workplace": "on_site",
        "library_type": "public",
        "category": "youth",
        "job_type": "full_time",
        "salary_min": "52000",
        "salary_max": "61000",
        "salary_period": "year",
        "description": "Plan **teen programs** and run the maker space.",
        "requirements": "- An ALA-accredited MLIS",
        "apply_url": "https://jobs.lakeside.example.org/teen",
        "apply_email": "",
        "application_deadline": "",
        "website": "",
    }
    data.update(overrides)
    return data


def refused(response, field, message):
    """The form came back (nothing saved) with `message` next to `field` and in the page."""
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors.get(field, [])), form.errors
    assert message in visible_text(response.content)
    assert JobPosting.objects.count() == 0


# The page ----------------------------------------------------------------------------------------


def test_the_form_asks_visitors_to_sign_in_first():
    response = Client().get(POST_URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/joblist/post/"


def test_the_form_groups_its_fields_and_says_why_a_salary_is_asked_for(product, employer_user):
    response = signed_in(employer_user).get(POST_URL)
    html = response.content.decode()
    text = visible_text(html)
    assert response.status_code == 200 and h1_count(html) == 1
    for legend in ("The employer", "Your ad", "The job", "Salary (asked for, not required)", "How to apply"):
        assert f">{legend}</legend>" in html
    assert "A salary range is requested for every ad" in text and "$45,282" in text
    assert "Online ad (30 days): $250.00" in text
    assert 'enctype="multipart/form-data"' in html and 'name="website"' in html


def test_an_organizational_member_sees_the_member_price(product):
    organizational = MembershipTypeFactory(name="Organizational", annual_dues=Decimal("300.00"))
    product.discounted_membership_types.add(organizational)
    member = MembershipFactory(membership_type=organizational).user

    text = visible_text(signed_in(member).get(POST_URL).content)

    assert "Online ad (30 days): $200.00 (organizational member price; $250.00 for others)" in text


def test_other_members_pay_the_full_price(product):
    product.discounted_membership_types.add(MembershipTypeFactory(name="Organizational"))
    member = MembershipFactory(membership_type=MembershipTypeFactory(name="Individual Type I")).user

    text = visible_text(signed_in(member).get(POST_URL).content)

    assert "Online ad (30 days): $250.00" in text and "member price" not in text


# Saving --------------------------------------------------------------------------------------------


def test_saving_makes_a_draft_with_a_new_employer_whose_contact_is_the_poster(product, employer_user):
    response = signed_in(employer_user).post(POST_URL, ad_data(product))

    posting = JobPosting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/joblist/post/{posting.pk}/preview/"
    assert posting.status == JobPosting.Status.DRAFT and posting.paid_at is None
    assert posting.posted_by == employer_user and posting.ad_product == product
    assert posting.employer.name == "Lakeside Public Library" and posting.employer_name == "Lakeside Public Library"
    assert list(posting.employer.contacts.all()) == [employer_user]
    assert posting.salary_min == Decimal("52000") and posting.salary_max == Decimal("61000")
    assert "<strong>teen programs</strong>" in posting.description_html


def test_an_employer_of_theirs_is_offered_and_chosen(product, employer_user):
    mine = EmployerFactory(name="Hillview College Library")
    mine.contacts.add(employer_user)
    client = signed_in(employer_user)

    assert "Hillview College Library" in visible_text(client.get(POST_URL).content)
    client.post(POST_URL, ad_data(product, employer_choice=str(mine.pk), employer_name=""))

    assert JobPosting.objects.get().employer == mine
    assert Employer.objects.count() == 1


def test_someone_elses_employer_cannot_be_chosen(product, employer_user):
    theirs = EmployerFactory(name="Not Yours Library")

    response = signed_in(employer_user).post(POST_URL, ad_data(product, employer_choice=str(theirs.pk)))

    refused(response, "employer_choice", "Choose one of yours.")
    assert not theirs.contacts.exists()


def test_a_new_employer_needs_a_name(product, employer_user):
    response = signed_in(employer_user).post(POST_URL, ad_data(product, employer_name=" "))
    refused(response, "employer_name", "Give the employer's name.")
    assert Employer.objects.count() == 0


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 120), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_a_logo_needs_its_alt_text_and_is_saved_with_it(product, employer_user):
    client = signed_in(employer_user)
    refused(client.post(POST_URL, ad_data(product, employer_logo=_png())), "employer_logo_alt", "Describe the logo")
    assert Employer.objects.count() == 0

    client.post(POST_URL, ad_data(product, employer_logo=_png(), employer_logo_alt="Lakeside Library logo"))

    employer = Employer.objects.get()
    assert employer.image and employer.image_alt == "Lakeside Library logo" and employer.image_rendition


def test_a_file_that_is_not_an_image_is_refused_as_the_logo(product, employer_user):
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    response = signed_in(employer_user).post(POST_URL, ad_data(product, employer_logo=fake, employer_logo_alt="Logo"))
    assert response.status_code == 200 and "employer_logo" in response.context["form"].errors
    assert JobPosting.objects.count() == 0 and Employer.objects.count() == 0


# Bad input: a message next to the field, nothing saved ----------------------------------------------


def test_a_salary_minimum_above_the_maximum_is_refused(product, employer_user):
    response = signed_in(employer_user).post(POST_URL, ad_data(product, salary_min="70000", salary_max="50000"))
    refused(response, "salary_max", "The top of the salary range must not be below its start.")
    assert Employer.objects.count() == 0  # the new employer is not saved on its own either


def test_a_salary_is_not_required(product, employer_user):
    signed_in(employer_user).post(POST_URL, ad_data(product, salary_min="", salary_max=""))
    posting = JobPosting.objects.get()
    assert posting.salary_min is None and posting.salary_max is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "A salary cannot be below zero."),
        ("lots", "Enter an amount in dollars"),
        ("99999999999999", "That is more than we can show"),
    ],
)
def test_a_salary_that_is_no_amount_is_refused(product, employer_user, value, message):
    refused(signed_in(employer_user).post(POST_URL, ad_data(product, salary_min=value)), "salary_min", message)


def test_a_deadline_in_the_past_is_refused(product, employer_user):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = signed_in(employer_user).post(POST_URL, ad_data(product, application_deadline=yesterday.isoformat()))
    refused(response, "application_deadline", "The deadline has passed")


@pytest.mark.parametrize("value", ["31/02/2027", "2027-02-31", "99999-01-01"])
def test_a_deadline_that_is_no_date_is_refused(product, employer_user, value):
    response = signed_in(employer_user).post(POST_URL, ad_data(product, application_deadline=value))
    refused(response, "application_deadline", "Enter the date as year-month-day")


def test_a_deadline_today_is_accepted(product, employer_user):
    today = timezone.localdate()
    signed_in(employer_user).post(POST_URL, ad_data(product, application_deadline=today.isoformat()))
    assert JobPosting.objects.get().application_deadline == today


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", "ftp://files.example.org/a.pdf", "data:text/html,hi"],
)
def test_an_apply_link_that_is_not_a_web_address_is_refused(product, employer_user, link):
    response = signed_in(employer_user).post(POST_URL, ad_data(product, apply_url=link))
    refused(response, "apply_url", "Enter a web address starting with https:// (or http://).")
    # One clear message: not also "say how to apply", which the employer did (wrongly).
    assert response.context["form"].errors["apply_url"] == ["Enter a web address starting with https:// (or http://)."]
    assert "Say how to apply" not in visible_text(response.content)


def test_a_malformed_apply_email_is_refused_with_its_own_message_only(product, employer_user):
    response = signed_in(employer_user).post(POST_URL, ad_data(product, apply_url="", apply_email="hr@"))
    refused(response, "apply_email", "Enter a valid email address.")
    assert "apply_url" not in response.context["form"].errors
    assert "Say how to apply" not in visible_text(response.content)


def test_an_apply_link_without_a_scheme_gets_https(product, employer_user):
    signed_in(employer_user).post(POST_URL, ad_data(product, apply_url="jobs.example.org/apply"))
    assert JobPosting.objects.get().apply_url == "https://jobs.example.org/apply"


def test_an_ad_needs_a_way_to_apply(product, employer_user):
    response = signed_in(employer_user).post(POST_URL, ad_data(product, apply_url="", apply_email=""))
    refused(response, "apply_url", "Say how to apply")


def test_an_email_alone_is_a_way_to_apply(product, employer_user):
    signed_in(employer_user).post(POST_URL, ad_data(product, apply_url="", apply_email="hr@lakeside.example.org"))
    assert JobPosting.objects.get().apply_email == "hr@lakeside.example.org"


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [
        ("title", 201, "Keep the title to 200 characters (it has 201)."),
        ("description", MAX_BODY + 1, f"Keep this to {MAX_BODY:,} characters"),
        ("requirements", MAX_BODY + 1, f"Keep this to {MAX_BODY:,} characters"),
        ("city", 101, "Ensure this value has at most 100 characters"),
        ("employer_name", 201, "Ensure this value has at most 200 characters"),
    ],
)
def test_absurdly_long_input_is_refused(product, employer_user, field, length, message):
    response = signed_in(employer_user).post(POST_URL, ad_data(product, **{field: "x" * length}))
    refused(response, field, message)


def test_a_megabyte_of_text_is_refused_without_a_500(product, employer_user):
    response = signed_in(employer_user).post(POST_URL, ad_data(product, description="word " * 200_000))
    assert response.status_code in (200, 400, 413)
    assert JobPosting.objects.count() == 0


@pytest.mark.parametrize("field", ["library_type", "state", "workplace", "ad_product"])
def test_a_tampered_choice_is_refused(product, employer_user, field):
    response = signed_in(employer_user).post(POST_URL, ad_data(product, **{field: "9999<script>"}))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert JobPosting.objects.count() == 0


def test_a_product_no_longer_on_sale_is_refused(product, employer_user):
    product.is_active = False
    product.save()
    response = signed_in(employer_user).post(POST_URL, ad_data(product))
    assert response.status_code == 200 and "ad_product" in response.context["form"].errors


def test_script_in_text_is_stored_as_text_and_shown_inert(product, employer_user):
    client = signed_in(employer_user)
    script = "<script>alert('x')</script>"
    client.post(
        POST_URL,
        ad_data(
            product,
            title=f"Librarian {script}",
            description=f"Hello {script} <img src=x onerror=alert(1)> world",
            requirements=f"[click](javascript:alert(1)) {script}",
            employer_name=f"Evil {script} Library",
        ),
    )
    posting = JobPosting.objects.get()
    assert posting.title == f"Librarian {script}"  # kept as typed
    assert "<script" not in posting.description_html and "onerror" not in posting.description_html
    assert "javascript:" not in posting.requirements_html

    html = client.get(f"/joblist/post/{posting.pk}/preview/").content.decode()
    assert "<script>alert" not in html and "onerror=alert" not in html
    assert "Librarian &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "Evil &lt;script&gt;" in html


def test_the_honeypot_refuses_a_filled_in_trap(product, employer_user):
    response = signed_in(employer_user).post(POST_URL, ad_data(product, website="https://spam.example"))
    refused(response, "website", "This submission looks automated")


def test_posting_is_rate_limited(product, employer_user):
    client = signed_in(employer_user)
    for _ in range(10):
        client.post(POST_URL, ad_data(product, title=""))
    response = client.post(POST_URL, ad_data(product))
    assert response.status_code == 429
    assert JobPosting.objects.count() == 0
