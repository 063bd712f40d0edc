"""membership.User: email is the login, unique whatever its case; the admin manages accounts."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from membership.admin import UserCreateForm
from tests.factories import UserFactory
from tests.html_utils import visible_text

PASSWORD = "a-long-test-password-42"

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def admin():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_email_is_the_login():
    user = User.objects.create_user("ana@x.org", PASSWORD, first_name="Ana", last_name="Silva")

    assert User.USERNAME_FIELD == "email"
    assert user.get_username() == "ana@x.org"
    assert not hasattr(user, "username") or user.username is None
    assert str(user) == "Ana Silva"
    assert user.check_password(PASSWORD)


def test_manager_requires_an_email():
    with pytest.raises(ValueError, match="email address is required"):
        User.objects.create_user("", PASSWORD)


def test_create_superuser_is_staff_and_superuser():
    user = User.objects.create_superuser("boss@x.org", PASSWORD)

    assert user.is_staff
    assert user.is_superuser


def test_email_domain_is_lowercased():
    assert User.objects.create_user("Ana@X.ORG", PASSWORD).email == "Ana@x.org"


def test_same_email_in_another_case_fails_model_validation_with_a_clear_message():
    User.objects.create_user("ana@x.org", PASSWORD)

    with pytest.raises(ValidationError) as error:
        User(email="Ana@x.org", password="!").full_clean()

    assert error.value.message_dict == {"email": ["An account with this email address already exists."]}


def test_same_email_in_another_case_fails_at_the_database():
    User.objects.create_user("ana@x.org", PASSWORD)

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("Ana@x.org", PASSWORD)
    assert User.objects.count() == 1


def test_same_email_in_another_case_fails_the_signup_form_with_one_clear_message():
    User.objects.create_user("ana@x.org", PASSWORD)

    form = UserCreateForm(
        data={
            "email": "ANA@x.org",
            "first_name": "Ana",
            "last_name": "Silva",
            "password1": "Another-long-pass-99",
            "password2": "Another-long-pass-99",
        }
    )

    assert not form.is_valid()
    assert form.errors == {"email": ["An account with this email address already exists."]}


def test_a_user_can_save_their_own_email_again():
    user = User.objects.create_user("ana@x.org", PASSWORD)

    user.full_clean()  # no clash with itself


def test_login_works_with_the_email_in_another_case(client):
    User.objects.create_user("ana@x.org", PASSWORD)

    response = client.post("/accounts/login/", {"username": "ANA@X.ORG", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/")
    assert page.context["user"].email == "ana@x.org"
    assert "Log out" in visible_text(page.content)


def test_login_with_a_wrong_password_shows_an_error(client):
    User.objects.create_user("ana@x.org", PASSWORD)

    response = client.post("/accounts/login/", {"username": "ana@x.org", "password": "wrong-password"})

    assert response.status_code == 200
    assert "Please enter a correct email address and password." in visible_text(response.content)
    assert not response.context["user"].is_authenticated


def test_login_page_asks_for_email_address(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "Email address" in visible_text(response.content)


def test_logout_is_a_post_and_logs_out(client):
    client.force_login(UserFactory())

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_admin_user_pages_answer(admin):
    user = UserFactory(email="reader@x.org")

    assert admin.get("/admin/membership/user/").status_code == 200
    assert admin.get("/admin/membership/user/", {"q": "reader@"}).context["cl"].result_count == 1
    assert admin.get("/admin/membership/user/add/").status_code == 200
    assert admin.get(f"/admin/membership/user/{user.pk}/change/").status_code == 200
    assert admin.get(f"/admin/membership/user/{user.pk}/password/").status_code == 200


def test_admin_add_form_creates_a_user_who_can_log_in(admin):
    response = admin.post(
        "/admin/membership/user/add/",
        {
            "email": "new.member@x.org",
            "first_name": "New",
            "last_name": "Member",
            "password1": "Another-long-pass-99",
            "password2": "Another-long-pass-99",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.member@x.org")
    assert (user.first_name, user.last_name) == ("New", "Member")
    assert (
        Client()
        .post("/accounts/login/", {"username": "New.Member@x.org", "password": "Another-long-pass-99"})
        .status_code
        == 302
    )


def test_admin_add_form_rejects_an_email_taken_in_another_case(admin):
    UserFactory(email="ana@x.org")

    response = admin.post(
        "/admin/membership/user/add/",
        {
            "email": "Ana@X.org",
            "first_name": "Ana",
            "last_name": "Again",
            "password1": "Another-long-pass-99",
            "password2": "Another-long-pass-99",
        },
    )

    assert response.status_code == 200
    assert "An account with this email address already exists." in response.content.decode()
    assert User.objects.count() == 2  # the superuser and ana


def test_admin_change_form_saves_names(admin):
    user = UserFactory(email="reader@x.org", first_name="Old")
    page = admin.get(f"/admin/membership/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("groups", "user_permissions", "password")
    }
    data.update(first_name="Rosa", last_name="Parks", date_joined_0="2026-01-05", date_joined_1="10:00:00")
    data.pop("date_joined", None)
    data.pop("last_login", None)

    response = admin.post(f"/admin/membership/user/{user.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Rosa", "Parks")
    assert user.check_password(PASSWORD)  # the password is untouched


def test_a_new_account_is_not_a_membership():
    assert UserFactory().is_member is False


@pytest.mark.django_db
def test_a_membership_made_anywhere_starts_without_news_emails():
    # Consent is opt-in, whether the membership comes from the join form, admin or the demo.
    from membership.models import Membership, MembershipType

    membership_type = MembershipType.objects.create(name="Student", slug="student-x", annual_dues=35, eligibility="x")
    user = UserFactory()
    membership = Membership.objects.create(user=user, membership_type=membership_type)
    assert (membership.news_emails, membership.advocacy_emails, membership.elearning_emails) == (False, False, False)
