"""`manage.py seed_demo` fills the site from the seed texts and can be run again safely."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from ala_site.models import AlertBanner, NavLink, Promo, QuickLink, QuickLinkGroup, SiteSettings, SocialLink

pytestmark = pytest.mark.django_db


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts():
    """Rows in every table of every installed app, so later apps' demo content is covered too."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seed_demo_fills_the_site_content():
    output = seed()

    assert "Site content: demo content loaded." in output
    assert SiteSettings.objects.get().phone == "1.800.545.2433"
    assert AlertBanner.objects.count() == 1
    assert Promo.objects.filter(is_published=True).count() == 7
    assert NavLink.objects.filter(menu=NavLink.Menu.MAIN, parent=None).count() == 6
    assert NavLink.objects.filter(menu=NavLink.Menu.MAIN, parent__isnull=False).count() > 6
    assert SocialLink.objects.count() == 7
    assert QuickLinkGroup.objects.count() == 5
    assert QuickLink.objects.count() > 5


def test_seed_demo_is_idempotent():
    seed()
    first = row_counts()

    seed()

    assert row_counts() == first


def test_seed_demo_twice_shows_each_section_once(client):
    seed()
    seed()

    page = client.get("/").content.decode()

    assert page.count("Recharging in Challenging Times</h2>") == 1
    assert page.count("Library funding is under threat.") == 1
    assert page.count(">Join ALA</a>") == 1
