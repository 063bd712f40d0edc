"""Accounts under /accounts/: password reset by email and password change, in the site's look."""

import re
from types import SimpleNamespace

import pytest
from django.core import mail

from tests.factories import UserFactory
from tests.html_utils import headings, visible_text

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh-library-card-2026"


def log_in(client, email, password):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_password_reset_by_email_end_to_end(client):
    user = UserFactory(email="ana@x.org")

    response = client.post("/accounts/password_reset/", {"email": "ANA@x.org"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@x.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert done["Location"] == "/accounts/reset/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert log_in(client, "ana@x.org", NEW_PASSWORD).status_code == 302


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post("/accounts/password_reset/", {"email": "nobody@x.org"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_a_used_or_broken_reset_link_says_so(client):
    response = client.get("/accounts/reset/MQ/bad-token/")

    assert response.status_code == 200
    assert headings(response.content, levels={"h1"}) == ["Choose a new password"]
    text = visible_text(response.content)
    assert "This link is not valid: it may have been used already or it has expired." in text
    assert "Ask for a new link" in text
    assert "new_password1" not in response.content.decode()


def test_password_change_for_a_logged_in_user(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/accounts/password_change/",
        {"old_password": "a-long-test-password-42", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_change/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_with_a_wrong_old_password_shows_the_error_by_the_field(client):
    client.force_login(UserFactory())

    response = client.post(
        "/accounts/password_change/",
        {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in visible_text(response.content)


def test_password_reset_form_carries_a_honeypot_and_is_rate_limited(client, monkeypatch):
    monkeypatch.setattr("ala_site.ratelimit.time", SimpleNamespace(time=lambda: 1_700_000_000.0))
    UserFactory(email="reader@example.org")

    bot = client.post("/accounts/password_reset/", {"email": "reader@example.org", "website": "spam"})
    assert bot.status_code == 200
    assert "This submission looks automated" in bot.content.decode()
    assert mail.outbox == []

    statuses = [client.post("/accounts/password_reset/", {"email": "reader@example.org"}).status_code for _ in range(4)]
    assert statuses == [302] * 4  # the bot's attempt counted too
    assert client.post("/accounts/password_reset/", {"email": "reader@example.org"}).status_code == 429
    assert len(mail.outbox) == 4
