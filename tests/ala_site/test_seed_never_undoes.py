"""`seed_demo` never undoes staff work (issue 9, item 6).

Staff change demo rows (in the admin, or as any other code would), then `seed_demo` runs again, on
the same day and on a later one, as `make run` does on every start. Every row stays as they left it
and no row is added; only the demo's own dated rows, which nobody edited, move to the new day.
"""

import io
from datetime import date, datetime, time
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from advocacy.models import Article
from ala_site.models import AlertBanner, NavLink, Promo, QuickLink, QuickLinkGroup, SiteSettings
from joblist.models import JobPosting
from membership import demo as membership_demo
from membership.models import Membership, MembershipTerm, MembershipType
from store.models import Category, Order, Product
from tests.factories import UserFactory
from tests.store.factories import order_for

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2026, 11, 26)  # the 150th anniversary year
LATER_DAY = date(2029, 3, 10)  # another magazine issue, another year of Notable lists, the anniversary past


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def travel(day):
    traveller = time_machine.travel(datetime.combine(day, time(12), tzinfo=ZoneInfo(settings.TIME_ZONE)))
    traveller.start()
    cache.clear()  # Redis expires cached sections by its own clock
    return traveller


def seed_on(day):
    traveller = travel(day)
    try:
        return seed()
    finally:
        traveller.stop()


def every_row():
    """Every row of every table, by model and primary key."""
    return {
        (model._meta.label, row["pk"] if "pk" in row else row[model._meta.pk.attname]): row
        for model in apps.get_models()
        for row in model._default_manager.values()
    }


def changed_rows(before, after):
    assert after.keys() == before.keys(), "rows were added or removed"
    return {key for key in before if before[key] != after[key]}


class _FormFields(HTMLParser):
    """The values a browser would send from a form: inputs, checked boxes, selected options, textareas."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file", "image", "reset"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            self.data.setdefault(self._select, attrs.get("value", ""))
            if "selected" in attrs:
                self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def edit_in_admin(client, obj, **changes):
    """Change `obj` through its admin change form, as staff do (the admin records who edited it)."""
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    parser = _FormFields(f"{obj._meta.model_name}_form")
    parser.feed(client.get(url).content.decode())
    assert parser.data, f"no form on {url}"
    response = client.post(url, {**parser.data, **changes, "_save": "Save"})
    assert response.status_code == 302, response.content.decode()[:3000]
    obj.refresh_from_db()
    return obj


@pytest.fixture
def staff_edits():
    """The demo, loaded on the first day, then changed as staff would change it."""
    seed_on(FIRST_DAY)
    traveller = travel(FIRST_DAY)
    try:
        editor = UserFactory(is_staff=True, is_superuser=True)
        client = Client()
        client.force_login(editor)

        # Through the admin: a dated promo's title, and a membership type's dues.
        magazine = edit_in_admin(client, Promo.objects.get(title="Read the Latest Issue"), title="Our magazine")
        assert magazine.updated_by == editor
        student = edit_in_admin(client, MembershipType.objects.get(slug="student"), annual_dues="35.00")
        assert student.annual_dues == Decimal("35.00")

        # As any other code would (no editor recorded): prices, stock, flags, texts, an order.
        poster = Product.objects.get(slug="read-your-way-poster")
        poster.price, poster.stock = Decimal("21.00"), 7
        poster.save()
        Product.objects.filter(slug="vintage-ala-sticker-sheet").update(is_published=False)
        Category.objects.filter(slug="gifts").update(is_published=False)
        banner = AlertBanner.objects.get()
        banner.message, banner.is_active = "Thank you for showing up for libraries!", False
        banner.save()
        magazine.body = "Our own words about this issue."
        magazine.save()
        NavLink.objects.filter(menu=NavLink.Menu.MAIN, label="Join ALA").update(label="Join us")
        QuickLink.objects.filter(label__endswith="Notable Children's Books").update(label="Notable Children's Books")
        SiteSettings.objects.update(phone="312.944.6780")
        demo_member = Membership.objects.get(user__email=membership_demo.DEMO_MEMBER_EMAIL)
        Membership.objects.filter(pk=demo_member.pk).update(news_emails=not demo_member.news_emails)
        order = order_for(poster, 2)
        Order.objects.filter(pk=order.pk).update(status=Order.Status.CANCELLED, staff_note="Customer phoned.")
    finally:
        traveller.stop()
    return {"editor": editor, "order": order}


def test_running_it_again_the_same_day_changes_nothing(staff_edits):
    before = every_row()

    seed_on(FIRST_DAY)

    assert changed_rows(before, every_row()) == set()


def test_running_it_again_later_keeps_every_edit_and_moves_only_untouched_dated_rows(staff_edits):
    before = every_row()

    seed_on(LATER_DAY)

    changed = changed_rows(before, every_row())
    untouched_dated = {
        ("ala_site.Promo", Promo.objects.get(title="Celebrating ALA's 150th Anniversary").pk),
        *(
            ("ala_site.QuickLink", link.pk)
            for link in QuickLink.objects.filter(label__startswith="2029 Notable Children's")
        ),
    }
    assert len(untouched_dated) == 3
    # Demo jobs keep their posted ages and demo news its "days ago", so a demo site never empties.
    untouched_dated |= {("joblist.JobPosting", pk) for pk in JobPosting.objects.values_list("pk", flat=True)}
    untouched_dated |= {("advocacy.Article", pk) for pk in Article.objects.values_list("pk", flat=True)}
    demo_membership = Membership.objects.get(user__email=membership_demo.DEMO_MEMBER_EMAIL)
    assert changed == untouched_dated
    # The edits, one by one, as staff left them.
    assert Product.objects.get(slug="read-your-way-poster").price == Decimal("21.00")
    assert Product.objects.get(slug="read-your-way-poster").stock == 7
    assert not Product.objects.get(slug="vintage-ala-sticker-sheet").is_published
    assert not Category.objects.get(slug="gifts").is_published
    assert AlertBanner.objects.get().message == "Thank you for showing up for libraries!"
    assert not Promo.objects.filter(title="Read the Latest Issue").exists()
    assert Promo.objects.get(title="Our magazine").body == "Our own words about this issue."
    assert NavLink.objects.filter(label="Join us").exists() and not NavLink.objects.filter(label="Join ALA").exists()
    assert MembershipType.objects.get(slug="student").annual_dues == Decimal("35.00")
    assert Order.objects.get(pk=staff_edits["order"].pk).status == Order.Status.CANCELLED
    assert SiteSettings.objects.get().phone == "312.944.6780"
    assert QuickLink.objects.filter(label="Notable Children's Books").count() == 1
    # The demo member's changed choice was an edit too: the membership keeps its dates and its choice.
    assert demo_membership.news_emails is not membership_demo.EMAIL_CHOICES["news_emails"]
    assert demo_membership.membership_type.slug == "individual-type-1"


def test_untouched_dated_rows_move_to_the_later_day(staff_edits):
    seed_on(LATER_DAY)

    labels = set(QuickLinkGroup.objects.get(title="For the public").links.values_list("label", flat=True))
    assert labels == {
        "Notable Children's Books",  # staff's
        "2029 Notable Children's Recordings",
        "2029 Notable Children's Digital Media",
    }
    anniversary = Promo.objects.get(title="Celebrating ALA's 150th Anniversary")
    assert anniversary.body.startswith("For 150 years and more")
    assert anniversary.updated_by is None


def test_no_row_is_added_however_often_it_runs(staff_edits):
    counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}

    seed_on(FIRST_DAY)
    seed_on(LATER_DAY)
    seed_on(LATER_DAY)

    assert {model._meta.label: model._default_manager.count() for model in apps.get_models()} == counts
    assert AlertBanner.objects.count() == 1


def test_a_fresh_site_is_filled_and_missing_products_and_types_come_back():
    seed()
    Product.objects.filter(slug="read-your-way-bookmarks").delete()
    MembershipType.objects.filter(slug="supporter").delete()

    seed()

    assert Product.objects.filter(slug="read-your-way-bookmarks").exists()
    assert MembershipType.objects.filter(slug="supporter").exists()
    assert AlertBanner.objects.count() == 1
    assert Promo.objects.count() == 6  # the hero's virtual event is the featured event, not a promo


def test_the_demo_membership_edited_in_the_admin_keeps_its_dates():
    seed_on(FIRST_DAY)
    membership = Membership.objects.get(user__email=membership_demo.DEMO_MEMBER_EMAIL)
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    membership = edit_in_admin(client, membership, advocacy_emails="on")
    before = (membership.member_since, membership.expires_on, list(MembershipTerm.objects.values("starts_on")))

    output = seed_on(LATER_DAY)

    membership.refresh_from_db()
    assert (membership.member_since, membership.expires_on, list(MembershipTerm.objects.values("starts_on"))) == before
    assert "left as they are" in output


def test_links_staff_pointed_elsewhere_are_not_moved_to_the_portal():
    """The store and membership demos point the site demo's links at the portal's pages: only untouched ones."""
    call_command("seed_demo", stdout=io.StringIO())
    # A site whose links still lead to the old pages, one of them edited by staff since.
    NavLink.objects.filter(menu=NavLink.Menu.FOOTER, label="Shop").update(url="https://www.alastore.ala.org/")
    editor = UserFactory(is_staff=True)
    NavLink.objects.filter(label="Join ALA").update(url="https://www.ala.org/membership/joinala", updated_by=editor)
    Promo.objects.filter(title="Become a member").update(cta_url="https://example.org/join")

    seed()

    assert NavLink.objects.get(menu=NavLink.Menu.FOOTER, label="Shop").url == "/store/"
    assert NavLink.objects.get(label="Join ALA").url == "https://www.ala.org/membership/joinala"
    assert Promo.objects.get(title="Become a member").cta_url == "https://example.org/join"
