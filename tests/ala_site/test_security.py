"""What a content editor can change never puts a script, a style or a CSP source on a page."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import models
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
    group = Group.objects.get(name="Content editors")
    changeable = group.permissions.filter(codename__startswith="change_").select_related("content_type")
    return [apps.get_model(p.content_type.app_label, p.content_type.model) for p in changeable]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_field_a_content_editor_can_change_puts_a_script_style_or_csp_source_on_a_page(settings, payload):
    settings.ANALYTICS_SCRIPT_URL = ""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    changed = 0
    for model in editor_models():
        fields = editable_text_fields(model)
        for name in [field.name for field in fields]:
            max_length = model._meta.get_field(name).max_length or len(payload)
            # Saved past the forms' validation on purpose: escaping must hold on its own.
            changed += model.objects.update(**{name: payload[:max_length]})
    assert changed, "the demo content gave the editors' models no rows to change"
    client = Client()
    client.post("/cookies/", {"choice": "accept_all"})

    for path in ["/", "/store/", "/membership/", "/donate/", "/cookies/"]:
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
