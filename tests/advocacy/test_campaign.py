"""The "Show Up for Libraries" campaign page, the landing page's funding section, the demo content
(and its links to /advocacy/), and the Advocacy staff group."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advocacy import demo_campaign
from advocacy.models import AlertSubscriber, CampaignAction
from ala_site.models import AlertBanner, NavLink, QuickLink
from tests.factories import StaffFactory
from tests.html_utils import headings, links, visible_text
from tests.sitemap_utils import sitemap_paths

from .factories import CampaignActionFactory

pytestmark = pytest.mark.django_db

FIVE, TEN, MORE = (
    CampaignAction.TimeNeeded.FIVE_MINUTES,
    CampaignAction.TimeNeeded.TEN_MINUTES,
    CampaignAction.TimeNeeded.MORE,
)


def quiet(*args):
    pass


def test_actions_are_grouped_by_the_time_they_take_in_the_order_staff_set(client):
    CampaignActionFactory(title="Plan a visit", time_needed=MORE, order=0)
    CampaignActionFactory(title="Call your senator", time_needed=TEN, order=0)
    CampaignActionFactory(title="Send a letter", time_needed=FIVE, order=2)
    CampaignActionFactory(title="Sign up for alerts", time_needed=FIVE, order=1, link_url="/advocacy/alerts/")

    page = client.get("/advocacy/")

    assert page.status_code == 200
    assert headings(page.content, levels={"h1"}) == ["Show Up to Support Library Funding"]
    h2s = headings(page.content, levels={"h2"})
    assert h2s.index("If you have 5 minutes") < h2s.index("If you have 10 minutes") < h2s.index("If you have more time")
    h3s = headings(page.content, levels={"h3"})
    assert h3s == ["Sign up for alerts", "Send a letter", "Call your senator", "Plan a visit"]
    assert ("/advocacy/alerts/", "Take action: Sign up for alerts") in links(page.content)


def test_the_page_carries_the_seeds_texts_and_the_calls_to_action(client):
    text = visible_text(client.get("/advocacy/").content)
    page_links = links(client.get("/advocacy/").content)

    assert (
        "Whether you have 5 minutes, 10 minutes, or more, here are actions you can take to Show Up for Libraries."
        in text
    )
    assert "Library funding is under threat" in text
    assert "LSTA" in text and "IAL" in text and "Show Up for Our Libraries" in text
    assert ("/advocacy/alerts/", "Sign up for Advocacy Alerts") in page_links
    assert ("/advocacy/stories/new/", "Share Your Library's Story") in page_links


def test_unpublished_actions_are_hidden_and_an_empty_campaign_says_so(client):
    CampaignActionFactory(title="Draft idea", is_published=False)

    text = visible_text(client.get("/advocacy/").content)

    assert "Draft idea" not in text
    assert "The campaign's actions are being updated" in text


def page_queries(client):
    cache.clear()  # the page's chrome (menus, banner) is cached: count with a cold cache each time
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/advocacy/")
    return len(queries), page


def test_the_page_costs_the_same_queries_with_ten_times_the_demo_actions(client):
    for n in range(len(demo_campaign.ACTIONS)):
        CampaignActionFactory(time_needed=(FIVE, TEN, MORE)[n % 3])
    page_queries(client)  # the first request of all makes the site's settings row
    few, _ = page_queries(client)
    for n in range(len(demo_campaign.ACTIONS) * 9):
        CampaignActionFactory(time_needed=(FIVE, TEN, MORE)[n % 3])

    many, page = page_queries(client)

    assert many == few
    assert len(headings(page.content, levels={"h3"})) == len(demo_campaign.ACTIONS) * 10


def test_the_page_is_read_only(client):
    assert client.head("/advocacy/").status_code == 200
    assert client.post("/advocacy/").status_code == 405


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/", "/\\evil.example", "ala.org"])
def test_an_action_link_must_be_a_site_path_or_a_web_address(url):
    action = CampaignActionFactory.build(link_url=url)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "link_url" in error.value.message_dict


# The landing page ------------------------------------------------------------------------------


def test_the_landing_page_has_the_funding_section_with_its_two_links(client):
    page = client.get("/").content
    text = visible_text(page)

    assert "Show Up to Support Library Funding" in headings(page, levels={"h2"})
    assert "Whether you have 5 minutes, 10 minutes, or more, here are actions you can take" in text
    assert ("/advocacy/", "How You Can Help") in links(page)
    alerts = [label for url, label in links(page) if url == "/advocacy/alerts/"]
    assert alerts == [
        "Plus: Sign up for Advocacy Alerts and receive timely alerts and updates on policy issues that impact "
        "library services"
    ]


def test_the_funding_section_comes_before_the_stories_section(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    text = visible_text(client.get("/").content)
    assert text.index("Show Up to Support Library Funding") < text.index("Share Your Library's Story with Congress")


# Demo content ----------------------------------------------------------------------------------


def test_the_demo_adds_the_actions_once_and_never_undoes_an_edit():
    demo_campaign.seed(log=quiet)
    assert CampaignAction.objects.count() == len(demo_campaign.ACTIONS)
    edited = CampaignAction.objects.get(title="Call your members of Congress")
    edited.title = "Phone your members of Congress"
    edited.is_published = False
    edited.save()

    demo_campaign.seed(log=quiet)

    assert CampaignAction.objects.count() == len(demo_campaign.ACTIONS)
    edited.refresh_from_db()
    assert (edited.title, edited.is_published) == ("Phone your members of Congress", False)
    for action in CampaignAction.objects.all():
        action.full_clean()  # every demo link passes the link validator


def test_the_demo_volume_adds_confirmed_subscribers_once():
    demo_campaign.seed(volume=30, log=quiet)
    demo_campaign.seed(volume=30, log=quiet)

    generated = AlertSubscriber.objects.filter(email__startswith="generated-subscriber-")
    assert generated.count() == 30
    assert set(generated.values_list("status", flat=True)) == {AlertSubscriber.Status.CONFIRMED}
    for subscriber in generated:
        assert demo_campaign.state_for_zip(subscriber.zip_code) == subscriber.state


def test_seeding_points_the_banner_and_the_menu_at_the_campaign_page(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = client.get("/").content.decode()

    # The site alert banner itself (not just some link on the page) leads to the campaign.
    banner = re.search(r'<div id="site-alerts".*?</form>', page, re.S)[0]
    assert "Library funding is under threat" in visible_text(banner)
    assert links(banner) == [("/advocacy/", "Show Up for Libraries")]
    assert client.get("/advocacy/").status_code == 200
    assert NavLink.objects.get(menu=NavLink.Menu.MAIN, label="Advocacy & News", parent=None).url == "/advocacy/"


def test_links_an_older_demo_wrote_to_the_old_pages_move_unless_staff_edited_them():
    banner = AlertBanner.objects.create(
        message="Funding", link_label="ala.org/showup", link_url="https://www.ala.org/showup"
    )
    menu = NavLink.objects.create(menu=NavLink.Menu.MAIN, label="Advocacy & News", url="https://www.ala.org/advocacy")
    edited = NavLink.objects.create(
        menu=NavLink.Menu.MAIN,
        label="Show Up for Libraries",
        url="https://www.ala.org/showup",
        updated_by=StaffFactory(),
    )

    demo_campaign.seed(log=quiet)

    banner.refresh_from_db()
    menu.refresh_from_db()
    edited.refresh_from_db()
    assert (banner.link_url, banner.link_label) == ("/advocacy/", "Show Up for Libraries")
    assert menu.url == "/advocacy/"
    assert edited.url == "https://www.ala.org/showup"
    assert not QuickLink.objects.exclude(url="/advocacy/").filter(label="Advocate for Libraries").exists()


# Staff -----------------------------------------------------------------------------------------


def test_the_advocacy_staff_group_covers_every_advocacy_model():
    group = Group.objects.get(name="Advocacy staff")
    codenames = set(group.permissions.filter(content_type__app_label="advocacy").values_list("codename", flat=True))
    for model in ("campaignaction", "advocacyalert", "article", "story"):
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= codenames
    for model in ("alertsubscriber", "alertdelivery", "storyexport"):
        assert f"view_{model}" in codenames
        assert f"change_{model}" not in codenames
    assert "delete_alertsubscriber" in codenames  # a subscriber who asks to be forgotten


def test_staff_edit_actions_in_the_admin_and_the_editor_is_recorded(client):
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name="Advocacy staff"))
    client.force_login(staff)

    response = client.post(
        "/admin/advocacy/campaignaction/add/",
        {
            "title": "Write to your state legislator",
            "summary": "State funding matters too.",
            "time_needed": TEN,
            "link_label": "Find your legislator",
            "link_url": "https://www.congress.gov/",
            "order": 3,
            "is_published": "on",
        },
    )

    assert response.status_code == 302
    action = CampaignAction.objects.get()
    assert action.updated_by == staff
    assert "Write to your state legislator" in visible_text(client.get("/advocacy/").content)


def test_the_sitemap_lists_the_campaign_and_the_alert_sign_up(client):
    paths = sitemap_paths(client)
    assert "/advocacy/" in paths
    assert "/advocacy/alerts/" in paths
