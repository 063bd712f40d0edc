"""What a content editor can change never puts a script, a style or a CSP source on a page."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVIL = "https://evil.example/x.js"
PAYLOADS = [
    EVIL,
    f'"><script src="{EVIL}"></script><style>body{{display:none}}</style>',
    "' onfocus='alert(1)' style='color:red",
]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self.styles, self.style_attrs, self.handlers = [], 0, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "style":
            self.styles += 1
        if "style" in attrs:
            self.style_attrs.append(attrs["style"])
        self.handlers += [name for name in attrs if name.startswith("on")]


def editable_text_fields(model):
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and not field.primary_key
        and not isinstance(field, models.SlugField)
    ]


def editor_models():
    """Every model some staff group may change: content editors, and each app's own staff."""
    changeable = (
        Permission.objects.filter(group__isnull=False, codename__startswith="change_")
        .select_related("content_type")
        .distinct()
    )
    return {apps.get_model(p.content_type.app_label, p.content_type.model) for p in changeable}


def public_pages():
    """The landing page, each app's list pages, one page of each kind, and a search for the payload."""
    from advocacy.models import Article
    from censorship.models import BookResume
    from joblist.models import JobPosting

    return [
        "/",
        "/store/",
        "/membership/",
        "/donate/",
        "/cookies/",
        "/events/",
        "/joblist/",
        JobPosting.objects.visible().first().get_absolute_url(),
        "/advocacy/",
        "/advocacy/stories/",
        "/news/",
        Article.objects.first().get_absolute_url(),
        "/censorship/",
        "/censorship/data/",
        "/censorship/resumes/",
        BookResume.objects.first().get_absolute_url(),
        "/search/?q=evil",
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_field_staff_can_change_puts_a_script_style_or_csp_source_on_a_page(settings, payload):
    settings.ANALYTICS_SCRIPT_URL = ""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    changed = 0
    for model in editor_models():
        fields = editable_text_fields(model)
        for name in [field.name for field in fields]:
            max_length = model._meta.get_field(name).max_length or len(payload)
            # Saved past the forms' validation on purpose: escaping must hold on its own.
            try:
                with transaction.atomic():
                    changed += model.objects.update(**{name: payload[:max_length]})
            except IntegrityError:  # a field unique (with others): each row gets the payload and its own number
                for pk in model.objects.values_list("pk", flat=True):
                    suffix = f" {pk}"
                    changed += model.objects.filter(pk=pk).update(
                        **{name: payload[: max_length - len(suffix)] + suffix}
                    )
    assert changed, "the demo content gave the editors' models no rows to change"
    client = Client()
    client.post("/cookies/", {"choice": "accept_all"})

    for path in public_pages():
        response = client.get(path)
        assert response.status_code == 200, path
        tags = _Tags()
        tags.feed(response.content.decode())
        sources = [attrs.get("src") for attrs in tags.scripts]
        inline = [attrs for attrs in tags.scripts if not attrs.get("src")]
        assert all(source and source.startswith("/static/") for source in sources if source), (path, sources)
        assert all(attrs.get("type") == "application/ld+json" for attrs in inline), (path, inline)
        assert tags.styles == 0, path
        assert not any("red" in style or "display" in style for style in tags.style_attrs), path
        assert not tags.handlers, (path, tags.handlers)
        assert "evil.example" not in response["Content-Security-Policy"], path
        marker = "evil.example" if "evil" in payload else "onfocus="
        if path in ("/joblist/", "/news/", "/censorship/resumes/") or (path == "/search/?q=evil" and "evil" in payload):
            assert marker in response.content.decode(), path  # the payload is on the page, as text


def test_the_analytics_script_comes_from_the_environment_not_from_site_settings(settings):
    from ala_site.models import SiteSettings

    assert not any("script" in field.name for field in SiteSettings._meta.get_fields())
    settings.ANALYTICS_SCRIPT_URL = "https://stats.example.org/count.js"
    client = Client()
    client.post("/cookies/", {"choice": "accept_all"})
    response = client.get("/")
    assert 'src="https://stats.example.org/count.js"' in response.content.decode()
    assert re.search(r"script-src [^;]*https://stats\.example\.org", response["Content-Security-Policy"])


def test_a_content_editor_sees_no_script_address_in_site_settings():
    from ala_site.models import SiteSettings

    SiteSettings.current()
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    client = Client()
    client.force_login(editor)
    response = client.get("/admin/ala_site/sitesettings/1/change/")
    assert response.status_code == 200
    assert "analytics" not in response.content.decode().lower()


# Credential stuffing: one address trying many emails ---------------------------------------------

PASSWORD = "a-Strong-passw0rd!"


def login(client, email, password, **extra):
    return client.post("/accounts/login/", {"username": email, "password": password}, **extra)


def stuff(client, count, **extra):
    """One wrong guess each for `count` different emails, as a credential-stuffing list would."""
    for number in range(count):
        response = login(client, f"victim{number}@example.org", "Password123", **extra)
        assert response.status_code == 200
        assert "Please enter a correct email address and password." in response.content.decode()


def test_one_address_trying_many_emails_is_locked_out_even_for_a_right_password(settings):
    # The real settings: twenty failures from one address, across any emails, lock it.
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    UserFactory(email="real@example.org", password=PASSWORD)
    client = Client()
    stuff(client, 20)

    response = login(client, "real@example.org", PASSWORD)

    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert client.get("/membership/account/").status_code == 302  # not logged in
    admin_login = client.post("/admin/login/", {"username": "real@example.org", "password": PASSWORD})
    assert admin_login.status_code == 429


def test_the_address_limit_does_not_catch_another_address(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    UserFactory(email="real@example.org", password=PASSWORD)
    stuff(Client(REMOTE_ADDR="203.0.113.9"), 3)

    assert login(Client(REMOTE_ADDR="203.0.113.9"), "real@example.org", PASSWORD).status_code == 429
    assert login(Client(REMOTE_ADDR="198.51.100.7"), "real@example.org", PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_each_client_counts_on_its_own(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    settings.TRUST_X_FORWARDED_FOR = True
    UserFactory(email="real@example.org", password=PASSWORD)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The client may put anything first; the proxy's own (last) entry is what counts.
    stuff(Client(**proxy), 3, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")

    blocked = login(Client(**proxy), "real@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9")
    other = login(Client(**proxy), "real@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert blocked.status_code == 429
    assert other.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_header_does_not_escape_the_limit(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    UserFactory(email="real@example.org", password=PASSWORD)
    for number in range(3):
        login(Client(), f"victim{number}@example.org", "Password123", HTTP_X_FORWARDED_FOR=f"10.9.9.{number}")

    assert login(Client(), "real@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.99").status_code == 429


def test_a_request_without_a_client_address_is_recorded_without_one():
    from django.test import RequestFactory

    from membership.lockout import lockout_address

    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert lockout_address(request) is None
    assert lockout_address(RequestFactory(REMOTE_ADDR="2001:db8::1").get("/")) == "2001:db8::1"


# Password reset mail goes through the queue ---------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection when done
def test_password_reset_with_the_mail_server_down_still_answers_and_the_link_goes_out_later(settings):
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    from tests.ala_site.test_emails import FlakyMailBackend, mail_server_comes_back, run_worker

    settings.EMAIL_BACKEND = "tests.ala_site.test_emails.FlakyMailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    FlakyMailBackend.down = True
    UserFactory(email="forgetful@example.org")
    try:
        response = Client(raise_request_exception=False).post(
            "/accounts/password_reset/", {"email": "forgetful@example.org", "website": ""}
        )
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password_reset/done/"
        assert DBTaskResult.objects.filter(task_path="ala_site.tasks.send_email").count() == 1

        mail_server_comes_back()
        run_worker()
    finally:
        FlakyMailBackend.down = True

    assert [message.to for message in mail.outbox] == [["forgetful@example.org"]]
    assert "/accounts/reset/" in mail.outbox[0].body
