"""Content lists in admin: menus grouped by parent, live status, view on site, time zone labels,
site settings straight on its form, readable app names, and no link that ends in a 403."""

import html
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ala_site.models import AlertBanner, NavLink, Promo, QuickLinkGroup, SiteSettings, SocialLink
from tests.factories import UserFactory

from .factories import AlertBannerFactory, NavLinkFactory, PromoFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_user():
    user = UserFactory(is_staff=True, first_name="Erin", last_name="Editor")
    user.groups.add(Group.objects.get(name="Content editors"))
    return user


@pytest.fixture
def editor(editor_user):
    return client_for(editor_user)


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True, first_name="Ada", last_name="Admin")


@pytest.fixture
def boss(superuser):
    return client_for(superuser)


def cells(page, column):
    return [
        html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
        for cell in re.findall(rf'<t[dh] class="field-{column}[^"]*">(.*?)</t[dh]>', page, re.S)
    ]


def row_labels(response):
    return [str(link) for link in response.context["cl"].result_list]


# Menu links -----------------------------------------------------------------------------------


@pytest.fixture
def menu():
    second = NavLinkFactory(label="Advocacy", order=1)
    first = NavLinkFactory(label="Membership", order=0)
    NavLinkFactory(label="Renew", parent=second, order=1)
    NavLinkFactory(label="Take action", parent=second, order=0)
    NavLinkFactory(label="Join", parent=first, order=0)
    NavLinkFactory(label="Privacy", menu=NavLink.Menu.FOOTER_UTILITY, order=0)
    return {"Membership": first, "Advocacy": second}


def test_drop_down_links_are_listed_under_their_parent_in_menu_order(editor, menu):
    response = editor.get("/admin/ala_site/navlink/")

    assert row_labels(response) == [
        "Membership",
        "Membership › Join",
        "Advocacy",
        "Advocacy › Take action",
        "Advocacy › Renew",
        "Privacy",
    ]
    labels = cells(response.content.decode(), "menu_label")
    assert labels[:3] == ["Membership", "↳ Join", "Advocacy"]
    assert 'class="admin-child-link" title="In the drop-down of Membership"' in response.content.decode()


def test_top_level_link_filter_shows_one_drop_down_or_the_top_level_only(editor, menu):
    page = editor.get("/admin/ala_site/navlink/").content.decode()
    assert "By top-level link" in page
    assert "Top-level links only" in page

    one = editor.get("/admin/ala_site/navlink/", {"top": menu["Advocacy"].pk})
    assert row_labels(one) == ["Advocacy", "Advocacy › Take action", "Advocacy › Renew"]

    top = editor.get("/admin/ala_site/navlink/", {"top": "none"})
    assert row_labels(top) == ["Membership", "Advocacy", "Privacy"]


def test_parent_choices_on_the_menu_link_form_still_answer(editor, menu):
    response = editor.get("/admin/ala_site/navlink/add/")

    assert response.status_code == 200
    assert f'<option value="{menu["Membership"].pk}">Membership</option>' in response.content.decode()


# Live / Scheduled / Expired ----------------------------------------------------------------


@pytest.fixture
def dated_promos():
    now = timezone.now()
    return {
        "Live": PromoFactory(title="Always on"),
        "Scheduled": PromoFactory(title="Next week", publish_at=now + timedelta(days=7)),
        "Expired": PromoFactory(title="Last month", expires_at=now - timedelta(days=30)),
        "Unpublished": PromoFactory(title="Draft", is_published=False),
    }


def test_promo_list_shows_whether_each_promo_is_live_scheduled_or_expired(editor, dated_promos):
    response = editor.get("/admin/ala_site/promo/", {"o": "1"})  # by title
    page = response.content.decode()

    statuses = dict(zip(cells(page, "title"), cells(page, "status"), strict=True))
    assert statuses == {"Always on": "Live", "Draft": "Unpublished", "Last month": "Expired", "Next week": "Scheduled"}


@pytest.mark.parametrize("status", ["live", "scheduled", "expired", "off"])
def test_promo_status_filter(editor, dated_promos, status):
    label = {"live": "Live", "scheduled": "Scheduled", "expired": "Expired", "off": "Unpublished"}[status]

    response = editor.get("/admin/ala_site/promo/", {"status": status})

    assert list(response.context["cl"].result_list) == [dated_promos[label]]
    assert "By status" in response.content.decode()


def test_status_is_worked_out_when_the_list_is_shown_not_when_saved(editor, dated_promos):
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = editor.get("/admin/ala_site/promo/", {"status": "live"})

    assert set(response.context["cl"].result_list) == {dated_promos["Live"], dated_promos["Scheduled"]}


def test_banner_list_has_the_same_status_column_and_filter(editor):
    now = timezone.now()
    AlertBannerFactory(message="Funding vote today")
    AlertBannerFactory(message="Conference next month", starts_at=now + timedelta(days=20))
    AlertBannerFactory(
        message="Closed for the holiday", starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=8)
    )
    AlertBannerFactory(message="Switched off", is_active=False)

    page = editor.get("/admin/ala_site/alertbanner/", {"o": "1"}).content.decode()
    statuses = dict(zip(cells(page, "short_message"), cells(page, "status"), strict=True))
    assert statuses == {
        "Closed for the holiday": "Expired",
        "Conference next month": "Scheduled",
        "Funding vote today": "Live",
        "Switched off": "Inactive",
    }
    expired = editor.get("/admin/ala_site/alertbanner/", {"status": "expired"})
    assert [banner.message for banner in expired.context["cl"].result_list] == ["Closed for the holiday"]


def test_a_long_banner_message_is_shortened_in_the_list(editor):
    AlertBannerFactory(message="Library funding is under threat in Congress. " * 6)

    (message,) = cells(editor.get("/admin/ala_site/alertbanner/").content.decode(), "short_message")

    assert len(message) <= 90
    assert message.endswith("…")


# View on site ----------------------------------------------------------------------------


def view_on_site(page):
    match = re.search(r'<a href="([^"]*)" class="viewsitelink">View on site</a>', page)
    return match and html.unescape(match.group(1))


def test_content_change_pages_link_to_where_the_content_shows(editor):
    promo = PromoFactory()
    banner = AlertBannerFactory()
    link = NavLinkFactory(url="/store/")
    social = SocialLink.objects.create(network=SocialLink.Network.BLUESKY, url="https://bsky.app/profile/ala.org")
    group = QuickLinkGroup.objects.create(title="For the press")
    SiteSettings.current()

    assert view_on_site(editor.get(f"/admin/ala_site/promo/{promo.pk}/change/").content.decode()) == "/"
    assert view_on_site(editor.get(f"/admin/ala_site/alertbanner/{banner.pk}/change/").content.decode()) == "/"
    assert view_on_site(editor.get(f"/admin/ala_site/navlink/{link.pk}/change/").content.decode()) == "/store/"
    assert view_on_site(editor.get(f"/admin/ala_site/sociallink/{social.pk}/change/").content.decode()) == social.url
    assert view_on_site(editor.get(f"/admin/ala_site/quicklinkgroup/{group.pk}/change/").content.decode()) == "/"
    assert view_on_site(editor.get("/admin/ala_site/sitesettings/1/change/").content.decode()) == "/"


# Times in the association's time zone ----------------------------------------------------------


def test_times_are_labelled_as_chicago_time(editor, settings):
    assert settings.TIME_ZONE == "America/Chicago"
    promo = PromoFactory(publish_at=timezone.make_aware(timezone.datetime(2026, 5, 1, 9, 0)))

    form = editor.get(f"/admin/ala_site/promo/{promo.pk}/change/").content.decode()
    assert "Chicago time. Leave empty to publish at once." in form
    assert "Chicago time. Leave empty to keep it up." in form
    assert form.count("<div>Chicago time.</div>") == 2  # created and updated, in History

    listing = editor.get("/admin/ala_site/promo/").content.decode()
    assert "Shown (Chicago time)" in listing
    assert cells(listing, "shown") == ["from 05/01/2026 9 a.m."]  # 9 a.m. in Chicago, not UTC

    AlertBannerFactory()
    assert "Shown (Chicago time)" in editor.get("/admin/ala_site/alertbanner/").content.decode()
    assert "Chicago time." in editor.get("/admin/ala_site/alertbanner/add/").content.decode()


# Site settings ------------------------------------------------------------------------------


def test_site_settings_open_straight_on_their_form(editor):
    SiteSettings.objects.all().delete()

    response = editor.get("/admin/ala_site/sitesettings/", follow=True)

    assert response.redirect_chain == [(f"/admin/ala_site/sitesettings/{SiteSettings.SINGLETON_PK}/change/", 302)]
    assert "Change site settings" in response.content.decode()


def test_site_settings_list_is_still_closed_to_staff_without_permission():
    outsider = client_for(UserFactory(is_staff=True))

    assert outsider.get("/admin/ala_site/sitesettings/").status_code == 403


def test_saving_site_settings_comes_back_to_the_form_with_a_message(editor):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    form = {
        "name": "American Library Association",
        "short_name": "ALA",
        "tagline": "Libraries transform.",
        "mission_title": "The ALA Mission",
        "mission_statement": "Empowering libraries.",
        "mission_link_label": "",
        "mission_link_url": "",
        "street_address": "225 N Michigan Ave.",
        "city_state_zip": "Chicago, IL 60601",
        "phone": "1.800.545.2433",
        "email": "",
        "copyright_start_year": 1996,
    }

    response = editor.post("/admin/ala_site/sitesettings/1/change/", form, follow=True)

    assert response.redirect_chain[-1][0] == "/admin/ala_site/sitesettings/1/change/"
    assert "was changed successfully" in response.content.decode()
    assert SiteSettings.objects.get().tagline == "Libraries transform."


# Readable names ------------------------------------------------------------------------------


def test_axes_is_shown_as_login_lockouts(boss):
    index = boss.get("/admin/").content.decode()
    app = boss.get("/admin/axes/").content.decode()

    assert "Login lockouts" in index
    assert ">Axes<" not in index
    assert "Login lockouts administration" in app


# No link to a 403 ------------------------------------------------------------------------------


def test_updated_by_links_to_the_user_only_for_staff_who_may_open_users(editor, boss, superuser):
    promo = PromoFactory(updated_by=superuser)
    url = f"/admin/ala_site/promo/{promo.pk}/change/"
    user_page = f"/admin/membership/user/{superuser.pk}/change/"

    as_editor = editor.get(url).content.decode()
    as_boss = boss.get(url).content.decode()

    assert "Ada Admin" in as_editor
    assert user_page not in as_editor
    assert editor.get(user_page).status_code == 403  # why it must not be a link for them
    assert f'<a href="{user_page}">Ada Admin</a>' in as_boss


def links_on(page):
    for href in re.findall(r'href="([^"]+)"', page):
        href = html.unescape(href)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/admin/") or "__fk__" in href:
            continue
        if parts.path in ("/admin/logout/",):
            continue
        yield href


def test_no_link_on_the_content_pages_leads_a_content_editor_to_a_403(editor, editor_user, superuser):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # Rows last saved by others: a superuser, and the editor themselves.
    Promo.objects.filter(pk=Promo.objects.order_by("pk").first().pk).update(updated_by=superuser)
    NavLink.objects.filter(pk=NavLink.objects.order_by("pk").first().pk).update(updated_by=editor_user)
    AlertBanner.objects.update(updated_by=superuser)
    SiteSettings.objects.update(updated_by=superuser)

    start = ["/admin/", "/admin/ala_site/"]
    for model in (SiteSettings, SocialLink, NavLink, AlertBanner, Promo, QuickLinkGroup):
        name = model._meta.model_name
        start += [f"/admin/ala_site/{name}/", f"/admin/ala_site/{name}/add/"]
        start += [
            f"/admin/ala_site/{name}/{pk}/change/"
            for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:1]
        ]

    seen, refused = set(), []
    for page_url in start:
        response = editor.get(page_url, follow=True)
        if response.status_code == 403:
            continue  # the start list includes pages the editor may not open (adding site settings)
        for href in links_on(response.content.decode()):
            # Filter and sort links differ only in their query: one visit per page answers for all.
            if urlsplit(href).path in seen:
                continue
            seen.add(urlsplit(href).path)
            status = editor.get(href).status_code
            if status in (403, 500):
                refused.append((page_url, href, status))

    assert len(seen) > 30
    assert refused == []
