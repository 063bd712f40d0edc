"""The landing page: the seed's sections in order, the chrome, and edits showing at once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ala_site.demo import dated_texts
from ala_site.models import AlertBanner, NavLink, Promo, SiteSettings
from events.models import Event
from tests.factories import UserFactory
from tests.html_utils import headings, links, visible_text

from .factories import AlertBannerFactory, PromoFactory

# The landing page's headings, in the order of the association's home page (seed/ala-homepage.txt).
SEED_ORDER = [
    "Recharging in Challenging Times",
    "Celebrating ALA's 150th Anniversary",
    "ILoveLibraries.org",
    "The ALA Mission",
    "Read the Latest Issue",
    "Get Involved",
    "Become a member",
    "Support Our Mission",
    "Upcoming eLearning Opportunities",
    "Resource Quick Links",
    "You May Also Be Interested In",
]


@pytest.fixture
def demo_content(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def staff_client(db):
    """A superuser's browser, apart from the visitor's `client` (admin messages stay here)."""
    staff_client = Client()
    staff_client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return staff_client


def home_text(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_sections_appear_in_the_seeds_order(client, demo_content):
    page_headings = headings(client.get("/").content)

    in_order = [heading for heading in page_headings if heading in SEED_ORDER]
    assert in_order == SEED_ORDER


def test_page_shows_the_seeds_texts(client, demo_content):
    text = visible_text(client.get("/").content)
    dated = dated_texts(timezone.localdate())["texts"]  # the seed's dates, moved to today
    featured = Event.objects.upcoming().featured().get()  # the hero's virtual event

    assert f"On-demand access to sessions through {featured.on_demand_until:%B %Y}." in text
    assert "Register Now!" in text
    assert "Empowering and advocating for libraries and library workers" in text
    assert "Learn More About What We Do" in text
    assert f"Read the {dated['issue_short']} Issue" in text
    assert f"{dated['notable_year']} Notable Children's Books" in text
    assert "Unite Against Book Bans" in text


def test_page_has_exactly_one_h1_naming_the_association(client, demo_content):
    assert headings(client.get("/").content, levels={"h1"}) == ["American Library Association"]


def test_alert_banner_shows_message_and_link(client, demo_content):
    page = client.get("/").content

    assert "Library funding is under threat. Find out how you can show up for libraries:" in visible_text(page)
    assert ("/advocacy/", "Show Up for Libraries") in links(page)


def test_inactive_or_ended_alert_banner_is_not_shown(client, db):
    AlertBannerFactory(message="Closed for the holiday", is_active=False)
    AlertBannerFactory(message="Old news", ends_at=timezone.now() - timedelta(hours=1))
    AlertBannerFactory(message="Not yet", starts_at=timezone.now() + timedelta(hours=1))
    AlertBannerFactory(message="Vote today")

    text = home_text(client)

    assert "Vote today" in text
    assert "Closed for the holiday" not in text
    assert "Old news" not in text
    assert "Not yet" not in text


def test_main_nav_has_top_level_items_and_child_links(client, demo_content):
    page = client.get("/").content
    page_links = links(page)
    text = visible_text(page)

    for label in [
        "Membership",
        "Advocacy & News",
        "Conferences & Events",
        "Awards & Grants",
        "Education & Careers",
        "Tools & Resources",
    ]:
        assert label in text
    assert ("/membership/join/", "Join ALA") in page_links
    assert ("/censorship/", "Banned & Challenged Books") in page_links
    assert ("/membership/", "Membership overview") in page_links


def test_unpublished_menu_link_is_hidden(client, demo_content):
    NavLink.objects.filter(label="Join ALA").update(is_published=False)
    NavLink.objects.get(label="Join ALA").save()  # a save refreshes the cached menu

    assert ("/membership/join/", "Join ALA") not in links(client.get("/").content)


def test_utility_nav_offers_log_in_to_visitors_and_log_out_to_members(client, demo_content):
    page = client.get("/").content
    assert ("https://www.ala.org/aboutala", "About ALA") in links(page)
    assert ("/accounts/login/?next=/", "Log in") in links(page)

    client.force_login(UserFactory())
    text = home_text(client)
    assert "Log out" in text
    assert "/accounts/login/?next=/" not in text


def test_footer_shows_address_phone_social_links_and_copyright(client, demo_content):
    page = client.get("/").content
    text = visible_text(page)
    page_links = links(page)

    assert "225 N Michigan Ave., Ste 1300 Chicago, IL 60601" in text
    assert ("tel:18005452433", "1.800.545.2433") in page_links
    assert ("https://www.facebook.com/AmericanLibraryAssociation", "Facebook") in page_links
    assert ("https://bsky.app/profile/ala.org", "Bluesky") in page_links
    assert ("https://www.ala.org/privacypolicy", "Privacy Policy") in page_links
    assert ("/cookies/", "Cookie settings") in page_links
    assert f"© 1996–{timezone.localdate().year} American Library Association" in text


def test_model_save_shows_on_the_next_request(client, demo_content):
    assert "Celebrating ALA's 150th Anniversary" in headings(home_text(client))  # now cached

    promo = Promo.objects.get(title="Celebrating ALA's 150th Anniversary")
    promo.title = "Recharged for the new year"
    promo.save()
    site_settings = SiteSettings.objects.get()
    site_settings.phone = "1.800.000.0000"
    site_settings.save()

    page = client.get("/").content
    assert "Recharged for the new year" in headings(page)
    assert "Celebrating ALA's 150th Anniversary" not in headings(page)
    assert "1.800.000.0000" in visible_text(page)


def test_deleted_promo_disappears_on_the_next_request(client, demo_content):
    assert "Support Our Mission" in home_text(client)

    Promo.objects.get(title="Support Our Mission").delete()

    assert "Support Our Mission" not in home_text(client)


def test_edit_in_admin_shows_on_the_next_request(client, demo_content, staff_client):
    assert "ILoveLibraries.org" in home_text(client)  # now cached
    promo = Promo.objects.get(title="ILoveLibraries.org")

    response = staff_client.post(
        f"/admin/ala_site/promo/{promo.pk}/change/",
        {
            "slot": promo.slot,
            "title": "I Love Libraries",
            "body": "Join the supporters.",
            "order": promo.order,
            "image_alt": promo.image_alt,  # the demo promo has a picture, which needs its description
            "cta_label": promo.cta_label,
            "cta_url": promo.cta_url,
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors

    page = client.get("/").content
    assert "I Love Libraries" in headings(page)
    assert "ILoveLibraries.org" not in headings(page)
    assert "Join the supporters." in visible_text(page)


def test_alert_banner_edit_in_admin_shows_on_the_next_request(client, demo_content, staff_client):
    assert "Library funding is under threat." in home_text(client)
    banner = AlertBanner.objects.get()

    response = staff_client.post(
        f"/admin/ala_site/alertbanner/{banner.pk}/change/",
        {
            "message": "Libraries closed on Monday.",
            "level": "info",
            "link_label": "Opening hours",
            "link_url": "/hours/",
            "is_active": "on",
        },
    )
    assert response.status_code == 302

    page = client.get("/").content
    assert "Library funding is under threat." not in visible_text(page)
    assert "Libraries closed on Monday." in visible_text(page)
    assert ("/hours/", "Opening hours") in links(page)


@pytest.mark.parametrize(
    "window",
    [
        {"publish_at": timedelta(hours=2)},
        {"expires_at": timedelta(hours=-2)},
        {"publish_at": timedelta(days=-2), "expires_at": timedelta(days=-1)},
    ],
    ids=["not-yet", "expired", "window-over"],
)
def test_promo_outside_its_publish_window_is_absent(client, db, window):
    now = timezone.now()
    PromoFactory(title="Timed promo", **{field: now + delta for field, delta in window.items()})
    PromoFactory(title="Always on")

    text = home_text(client)

    assert "Always on" in text
    assert "Timed promo" not in text


def test_promo_inside_its_publish_window_is_shown(client, db):
    now = timezone.now()
    PromoFactory(title="Timed promo", publish_at=now - timedelta(hours=1), expires_at=now + timedelta(hours=1))

    assert "Timed promo" in home_text(client)


def test_unpublished_promo_is_absent(client, db):
    PromoFactory(title="Draft promo", is_published=False)

    assert "Draft promo" not in home_text(client)


def test_bulk_publish_action_refreshes_the_page(client, db, staff_client):
    drafts = [PromoFactory(title=f"Draft {n}", is_published=False) for n in range(2)]
    assert "Draft 0" not in home_text(client)  # the page without them is now cached

    response = staff_client.post(
        "/admin/ala_site/promo/",
        {"action": "publish", "_selected_action": [promo.pk for promo in drafts]},
        follow=True,
    )
    assert "2 items published." in response.content.decode()

    text = home_text(client)
    assert "Draft 0" in text
    assert "Draft 1" in text


def test_bulk_unpublish_action_refreshes_the_page(client, demo_content, staff_client):
    assert "Read the Latest Issue" in home_text(client)
    promo = Promo.objects.get(title="Read the Latest Issue")

    staff_client.post("/admin/ala_site/promo/", {"action": "unpublish", "_selected_action": [promo.pk]})

    assert "Read the Latest Issue" not in home_text(client)


def test_bulk_deactivate_alert_banner_refreshes_the_page(client, demo_content, staff_client):
    assert "Library funding is under threat." in home_text(client)

    staff_client.post(
        "/admin/ala_site/alertbanner/",
        {"action": "deactivate", "_selected_action": list(AlertBanner.objects.values_list("pk", flat=True))},
    )

    assert "Library funding is under threat." not in home_text(client)


def test_html_typed_into_promo_and_banner_is_shown_escaped(client, db):
    PromoFactory(slot=Promo.Slot.HERO, title="<script>alert('title')</script>", body="<b>bold</b> & <i>brave</i>")
    PromoFactory(slot=Promo.Slot.SPOTLIGHT, title="<img src=x onerror=alert(1)>", body="<script>x()</script>")
    AlertBannerFactory(message="<a href='https://evil.example'>Click</a>")

    page = home_text(client)

    assert "<script>alert(" not in page
    assert "<img src=x" not in page
    assert "<b>bold</b>" not in page
    assert "<script>x()" not in page
    assert "<a href='https://evil.example'>" not in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;brave&lt;/i&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;a href=&#x27;https://evil.example&#x27;&gt;Click&lt;/a&gt;" in page


def test_organization_json_ld_cannot_be_closed_by_site_name(client, db):
    site_settings = SiteSettings.current()
    site_settings.name = "ALA</script><script>alert(1)</script>"
    site_settings.save()

    page = home_text(client)

    assert "</script><script>alert(1)" not in page
    assert '"name": "ALA\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E"' in page


def test_landing_page_works_with_no_content_at_all(client, db):
    page = client.get("/")

    assert page.status_code == 200
    assert headings(page.content, levels={"h1"}) == ["American Library Association"]
