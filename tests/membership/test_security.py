"""Bad links, brute force and rate limits: clear answers, never a 500."""

import io
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client

from membership import tokens
from membership.models import Membership, MembershipTerm
from tests.factories import UserFactory
from tests.html_utils import form_fields, visible_text

from .factories import MembershipFactory, MembershipTypeFactory
from .flows import join_as_visitor, join_data, log_in, verify_link_in_outbox

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-42"  # UserFactory's
INVALID_LINK = "This confirmation link does not work"


class _ShiftedClock:
    """Stands in for the `time` module inside django.core.signing, `seconds` away from now."""

    def __init__(self, seconds):
        self.seconds = seconds

    def time(self):
        return time.time() + self.seconds


@pytest.fixture
def joined(client):
    """A visitor who joined and logged in, with a paid-for-nothing-yet pending membership."""
    join_as_visitor(client, MembershipTypeFactory())
    log_in(client)
    return Membership.objects.get().user


def assert_invalid_link_page(response):
    assert response.status_code == 400
    assert INVALID_LINK in visible_text(response.content)


# Verification links ---------------------------------------------------------------------------


def test_an_expired_verify_link_is_refused_with_a_clear_page(client, joined, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(signing, "time", _ShiftedClock(-tokens.VERIFY_MAX_AGE - 60))
        old_link = tokens.verify_email_url(joined)

    response = client.get(old_link)

    assert_invalid_link_page(response)
    assert "links work for three days" in visible_text(response.content)
    assert "Send me a new link" in visible_text(response.content)
    joined.refresh_from_db()
    assert not joined.email_verified


def test_a_verify_link_just_inside_three_days_still_works(client, joined, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(signing, "time", _ShiftedClock(-tokens.VERIFY_MAX_AGE + 60))
        link = tokens.verify_email_url(joined)

    assert client.get(link).status_code == 302
    joined.refresh_from_db()
    assert joined.email_verified


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # tampered signature
        lambda token: "x" + token,  # tampered payload
        lambda token: token.split(":")[0],  # signature cut off
        lambda token: token[: len(token) // 2],  # copied incompletely
    ],
)
def test_a_tampered_verify_link_is_refused(client, joined, mangle):
    token = verify_link_in_outbox().split("/")[-2]

    response = client.get(f"/membership/verify/{mangle(token)}/")

    assert_invalid_link_page(response)
    joined.refresh_from_db()
    assert not joined.email_verified


@pytest.mark.parametrize(
    "token",
    ["garbage", "a" * 2000, "%00", "%E2%80%AE", "..", "eyJ1c2VyIjoxfQ:1abc:xyz", "::", "'; DROP TABLE x; --"],
)
def test_a_garbage_verify_link_is_a_400_never_a_500(token):
    response = Client().get(f"/membership/verify/{token}/")

    assert_invalid_link_page(response)


@pytest.mark.parametrize(
    "payload",
    [
        [1, "a@example.org"],
        {"user": "one", "email": "a@example.org"},
        {"user": None, "email": "a@example.org"},
        {"email": "a@example.org"},
        {"user": 999999, "email": "a@example.org"},
        "a string",
    ],
)
def test_a_validly_signed_but_odd_verify_token_is_refused(payload):
    token = signing.dumps(payload, salt=tokens.VERIFY_SALT)

    assert_invalid_link_page(Client().get(f"/membership/verify/{token}/"))


def test_a_renew_token_does_not_verify_an_address(joined):
    membership = Membership.objects.get(user=joined)
    renew_token = tokens.renew_url(membership).split("token=")[1]

    assert_invalid_link_page(Client().get(f"/membership/verify/{renew_token}/"))


def test_a_link_for_an_address_that_changed_no_longer_works(client, joined):
    link = verify_link_in_outbox()
    joined.email = "someone.else@example.org"
    joined.save()

    response = client.get(link)

    assert_invalid_link_page(response)
    joined.refresh_from_db()
    assert not joined.email_verified


def test_the_link_works_whatever_the_case_of_the_stored_address(client, django_capture_on_commit_callbacks):
    MembershipTypeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/membership/join/", join_data(MembershipTypeFactory(), **{"account-email": "Mixed.Case@x.org"}))

    assert client.get(verify_link_in_outbox()).status_code == 302
    assert Membership.objects.get().user.email_verified


# Renewal links ------------------------------------------------------------------------------


def test_the_reminders_signed_link_opens_renew_for_its_logged_in_owner():
    membership = MembershipFactory(expires_in=30)
    call_command("send_renewal_reminders", stdout=io.StringIO())
    [reminder] = mail.outbox
    link = next(word for word in reminder.body.split() if "/membership/renew/?token=" in word)
    assert link.startswith(settings.SITE_URL)
    path = link.removeprefix(settings.SITE_URL)

    # Logged out: the login page, which then comes back to the same link.
    client = Client()
    response = client.get(path)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [path]
    login = client.post(
        response["Location"], {"username": membership.user.email.upper(), "password": PASSWORD}, follow=True
    )
    assert login.redirect_chain[-1][0] == path

    text = visible_text(login.content)
    assert "Renew your membership" in text
    assert "not valid" not in text
    assert form_fields(login.content, "membership_type")


def test_an_expired_renew_link_warns_and_the_member_can_still_renew(monkeypatch):
    membership = MembershipFactory(expires_in=5)
    with monkeypatch.context() as patched:
        patched.setattr(signing, "time", _ShiftedClock(-tokens.RENEW_MAX_AGE - 60))
        old_link = tokens.renew_url(membership)
    client = Client()
    client.force_login(membership.user)

    response = client.get(old_link)

    assert response.status_code == 200
    assert "That renewal link has expired or is not valid; log in to renew instead." in visible_text(response.content)
    assert client.post(old_link, {"membership_type": membership.membership_type.pk}).status_code == 302
    assert membership.terms.filter(status=MembershipTerm.Status.PENDING).exists()


def test_someone_elses_renew_link_renews_only_ones_own_membership():
    mine = MembershipFactory(expires_in=5)
    theirs = MembershipFactory(expires_in=5)
    client = Client()
    client.force_login(mine.user)

    client.post(tokens.renew_url(theirs), {"membership_type": theirs.membership_type.pk})

    assert mine.terms.filter(status=MembershipTerm.Status.PENDING).count() == 1
    assert not theirs.terms.filter(status=MembershipTerm.Status.PENDING).exists()


# Logging in --------------------------------------------------------------------------------


def login(client, email, password):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_login_works_with_any_case_of_the_email():
    UserFactory(email="carla.hayden@example.org")

    for typed in ["carla.hayden@example.org", "CARLA.HAYDEN@EXAMPLE.ORG", "Carla.Hayden@Example.Org"]:
        client = Client()
        response = login(client, typed, PASSWORD)
        assert response.status_code == 302, typed
        assert client.get("/membership/account/").status_code == 200


def assert_locked_out(response):
    assert response.status_code in (403, 429)
    assert "Too many failed log-ins" in visible_text(response.content)


def fail_logins(client, email, times):
    for _ in range(times):
        response = login(client, email, "wrong-guess")
        assert response.status_code == 200
        assert "Please enter a correct email address and password." in visible_text(response.content)


def test_five_failed_logins_lock_the_account_even_against_the_right_password():
    # Runs on the real settings: this is the protection production has.
    UserFactory(email="target@example.org")
    client = Client()
    assert settings.AXES_FAILURE_LIMIT == 5

    fail_logins(client, "target@example.org", 4)
    fifth = login(client, "target@example.org", "wrong-guess")
    sixth = login(client, "target@example.org", PASSWORD)

    assert_locked_out(fifth)
    assert_locked_out(sixth)
    assert client.get("/membership/account/").status_code == 302  # not logged in


def test_the_lock_counts_every_case_of_the_email_as_one_account():
    UserFactory(email="target@example.org")
    client = Client()

    for typed in ["target@example.org", "TARGET@example.org", "Target@Example.org", "target@EXAMPLE.ORG"]:
        fail_logins(client, typed, 1)
    fifth = login(client, " TARGET@EXAMPLE.ORG ", "wrong-guess")
    sixth = login(client, "Target@example.org", PASSWORD)

    assert_locked_out(fifth)
    assert_locked_out(sixth)
    assert client.get("/membership/account/").status_code == 302


def test_the_lock_does_not_catch_another_account():
    UserFactory(email="target@example.org")
    UserFactory(email="bystander@example.org")
    client = Client()
    fail_logins(client, "target@example.org", 4)
    assert_locked_out(login(client, "target@example.org", "wrong-guess"))

    assert login(client, "bystander@example.org", PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures():
    UserFactory(email="forgetful@example.org")
    client = Client()
    fail_logins(client, "forgetful@example.org", 4)
    assert login(client, "forgetful@example.org", PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    fail_logins(client, "forgetful@example.org", 4)
    assert login(client, "Forgetful@example.org", PASSWORD).status_code == 302


def test_the_lockout_username_reads_the_login_forms_field():
    from membership.lockout import lockout_username

    assert lockout_username(None, {"username": " Ana@X.org "}) == "ana@x.org"
    assert lockout_username(None, {}) is None
    assert lockout_username(None, None) is None


# Rate limits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "limit"), [("/membership/join/", 10), ("/donate/", 10), ("/membership/renew/", 10)])
def test_public_forms_are_rate_limited(path, limit):
    client = Client()
    client.force_login(MembershipFactory().user)  # renew needs a member; the others do not mind

    answers = [client.post(path, {}).status_code for _ in range(limit + 1)]

    assert 429 not in answers[:limit]
    assert answers[-1] == 429
