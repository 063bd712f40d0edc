"""Members in the admin (issue 9, item 4): each term with the order that paid it, a record that
only the terms change, the status computed from the dates, and a CSV with number and opt-ins."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from membership.models import Membership, MembershipTerm
from store.models import Order, OrderLine
from tests.factories import StaffFactory, UserFactory
from tests.html_utils import visible_text

from .factories import MembershipFactory, MembershipTypeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/membership/membership/"


def change_page(membership):
    return f"{CHANGELIST}{membership.pk}/change/"


def dues_order(term, *, status=Order.Status.PAID, method=Order.Method.ONLINE, extra=Decimal("0.00"), **fields):
    """An order with one dues line for `term` (and `extra` on another line, as a gift added to it)."""
    order = Order.objects.create(
        name="Ana Silva",
        email="ana@example.org",
        address_line1="1 Library Lane",
        city="Chicago",
        postal_code="60601",
        total=term.dues + extra,
        status=status,
        payment_method=method,
        paid_at=timezone.now() if status == Order.Status.PAID else None,
        **fields,
    )
    OrderLine.objects.create(
        order=order,
        kind=OrderLine.Kind.DUES,
        description=f"{term.membership_type} dues, one year",
        unit_price=term.dues,
        content_type=ContentType.objects.get_for_model(MembershipTerm),
        object_id=term.pk,
    )
    if extra:
        OrderLine.objects.create(order=order, kind=OrderLine.Kind.DONATION, description="A gift", unit_price=extra)
    return order


def membership_staff(*, can_view_orders=True):
    """A member of the "Membership staff" group; without store permissions when asked."""
    user = StaffFactory()
    group = Group.objects.get(name="Membership staff")
    if can_view_orders:
        user.groups.add(group)
    else:
        # The same permissions as the group, but none of the store's.
        user.user_permissions.add(*group.permissions.exclude(content_type__app_label="store"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def member():
    return MembershipFactory(
        user__first_name="Ana", user__last_name="Silva", user__email="ana@example.org", expires_in=100
    )


def page_text(response):
    assert response.status_code == 200
    return visible_text(response.content.decode())


def order_links(response):
    return re.findall(r'href="(/admin/store/order/\d+/change/)"', response.content.decode())


# --- Each term with the order that paid it -------------------------------------------------------------------


def test_membership_staff_see_the_order_that_paid_a_term_and_can_open_it(member):
    term = member.terms.get()
    order = dues_order(term)
    client = membership_staff()

    response = client.get(change_page(member))

    text = page_text(response)
    assert f"{order.reference} · $125.00 · Online · Paid" in text
    assert order_links(response) == [f"/admin/store/order/{order.pk}/change/"]
    opened = client.get(order_links(response)[0])
    assert opened.status_code == 200
    assert order.reference in page_text(opened)


def test_staff_who_cannot_open_orders_read_the_order_without_a_link(member):
    term = member.terms.get()
    order = dues_order(term, method=Order.Method.OFFLINE)
    client = membership_staff(can_view_orders=False)
    assert client.get(f"/admin/store/order/{order.pk}/change/").status_code == 403  # hence no link

    response = client.get(change_page(member))

    text = page_text(response)
    assert f"{order.reference} · $125.00 · Recorded by staff (cheque, invoice, phone) · Paid" in text
    assert order_links(response) == []


def test_the_paying_order_comes_first_and_other_attempts_follow(admin_client, member):
    term = member.terms.get()
    abandoned = dues_order(term, status=Order.Status.PENDING, method=Order.Method.NONE)
    paid = dues_order(term, extra=Decimal("20.00"))
    abandoned_later = dues_order(term, status=Order.Status.CANCELLED, method=Order.Method.NONE)

    text = page_text(admin_client.get(change_page(member)))

    paid_at = text.index(f"{paid.reference} · $125.00 (order total $145.00) · Online · Paid")
    assert paid_at < text.index(f"{abandoned.reference} · $125.00 · no payment yet · Awaiting payment")
    assert paid_at < text.index(f"{abandoned_later.reference} · $125.00 · no payment yet · Cancelled")


def test_a_term_without_an_order_says_so(admin_client, member):
    text = page_text(admin_client.get(change_page(member)))

    assert "No order (recorded without the store)" in text


def test_orders_of_other_members_terms_are_not_shown(admin_client, member):
    other = MembershipFactory()
    theirs = dues_order(other.terms.get())

    assert theirs.reference not in page_text(admin_client.get(change_page(member)))


def add_paid_terms(membership, count):
    for _ in range(count):
        term = membership.new_term()
        MembershipTerm.objects.filter(pk=term.pk).update(status=MembershipTerm.Status.PAID)
        dues_order(term)


def test_the_member_page_asks_for_orders_once_however_many_terms(admin_client):
    few, many = MembershipFactory(), MembershipFactory()
    add_paid_terms(few, 1)
    add_paid_terms(many, 8)
    admin_client.get(change_page(few))  # warm the content-type cache

    with CaptureQueriesContext(connection) as with_few:
        response = admin_client.get(change_page(few))
    assert len(order_links(response)) == 1
    with CaptureQueriesContext(connection) as with_many:
        response = admin_client.get(change_page(many))
    assert len(order_links(response)) == 8

    assert len(with_many) == len(with_few)
    assert sum("store_orderline" in query["sql"] for query in with_many.captured_queries) == 1


# --- What only the terms and the member change ---------------------------------------------------------------


def test_status_dates_and_consents_cannot_be_typed_in(admin_client, member):
    now = timezone.now()
    Membership.objects.filter(pk=member.pk).update(eligibility_confirmed_at=now, code_of_conduct_accepted_at=now)
    member.refresh_from_db()
    before = Membership.objects.values().get(pk=member.pk)
    other_type = MembershipTypeFactory(name="Student", annual_dues=Decimal("33.00"))
    html = admin_client.get(change_page(member)).content.decode()
    for field in ("status", "member_since", "expires_on", "eligibility_confirmed_at", "code_of_conduct_accepted_at"):
        assert f'name="{field}' not in html, field  # shown, not offered as an input

    response = admin_client.post(
        change_page(member),
        {
            "user": UserFactory().pk,
            "membership_type": other_type.pk,
            "status": Membership.Status.CANCELLED,
            "member_since": "2001-01-01",
            "expires_on": "2001-12-31",
            "eligibility_confirmed_at_0": "2001-01-01",
            "eligibility_confirmed_at_1": "10:00",
            "code_of_conduct_accepted_at_0": "2001-01-01",
            "code_of_conduct_accepted_at_1": "10:00",
            "news_emails": "",
            "advocacy_emails": "on",
            "elearning_emails": "on",
            "terms-TOTAL_FORMS": "1",
            "terms-INITIAL_FORMS": "1",
            "terms-MIN_NUM_FORMS": "0",
            "terms-MAX_NUM_FORMS": "1000",
            "terms-0-id": member.terms.get().pk,
            "terms-0-membership": member.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    after = Membership.objects.values().get(pk=member.pk)
    changed = {field for field in before if before[field] != after[field]}
    # Only the member's email choices changed (and the record of who changed them, and when).
    assert changed == {"news_emails", "advocacy_emails", "elearning_emails", "updated_at", "updated_by_id"}


def test_staff_add_a_membership_that_waits_for_its_dues(admin_client):
    person = UserFactory(email="new.member@example.org")
    student = MembershipTypeFactory(name="Student", annual_dues=Decimal("33.00"))

    response = admin_client.post(
        f"{CHANGELIST}add/",
        {
            "user": person.pk,
            "membership_type": student.pk,
            "status": Membership.Status.ACTIVE,  # not theirs to set: ignored
            "expires_on": "2099-12-31",
            "news_emails": "on",
            "terms-TOTAL_FORMS": "0",
            "terms-INITIAL_FORMS": "0",
            "terms-MIN_NUM_FORMS": "0",
            "terms-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    added = Membership.objects.get(user=person)
    assert (added.membership_type, added.status, added.expires_on) == (student, Membership.Status.PENDING, None)
    assert added.display_status.startswith("Pending")


def test_the_email_choices_read_elearning_as_it_is_spelled(admin_client, member):
    html = admin_client.get(change_page(member)).content.decode()

    assert "eLearning announcements by email" in html
    assert "ELearning" not in html

    admin_client.post(
        change_page(member),
        {
            "news_emails": "on",
            "elearning_emails": "on",
            "terms-TOTAL_FORMS": "0",
            "terms-INITIAL_FORMS": "0",
            "terms-MIN_NUM_FORMS": "0",
            "terms-MAX_NUM_FORMS": "1000",
        },
    )
    history = admin_client.get(f"{change_page(member)[: -len('change/')]}history/").content.decode()
    assert "eLearning announcements by email" in history
    assert "ELearning" not in history


# --- Status as computed from the dates, in the list, the filter and the CSV ---------------------------------------


def test_the_list_and_the_csv_agree_on_a_lapsed_membership(admin_client):
    lapsed = MembershipFactory(user__email="lapsed@example.org", expires_in=-1)  # stored status: active
    current = MembershipFactory(user__email="current@example.org", expires_in=1)
    assert lapsed.status == Membership.Status.ACTIVE

    response = admin_client.get(CHANGELIST)
    rows = {row.user.email: row for row in response.context["cl"].result_list}
    html = response.content.decode()
    table_rows = html.split("</tr>")
    lapsed_row = next(row for row in table_rows if f">M{lapsed.pk:06d}<" in row)
    current_row = next(row for row in table_rows if f">M{current.pk:06d}<" in row)
    assert ">Expired<" in lapsed_row and ">Active<" not in lapsed_row
    assert ">Active<" in current_row
    exported = export(admin_client, [lapsed, current])
    assert {row["email"]: row["status"] for row in exported} == {
        "lapsed@example.org": "Expired",
        "current@example.org": "Active",
    }
    assert set(rows) == {"lapsed@example.org", "current@example.org"}


def emails(response):
    return {membership.user.email for membership in response.context["cl"].result_list}


def test_the_status_filter_counts_the_dates_too(admin_client):
    MembershipFactory(user__email="lapsed@example.org", expires_in=-1)
    MembershipFactory(user__email="current@example.org", expires_in=1)
    MembershipFactory(user__email="expired@example.org", expires_in=-40, status=Membership.Status.EXPIRED)
    MembershipFactory(user__email="pending@example.org", status=Membership.Status.PENDING)

    assert emails(admin_client.get(CHANGELIST, {"status__exact": "active"})) == {"current@example.org"}
    assert emails(admin_client.get(CHANGELIST, {"status__exact": "expired"})) == {
        "lapsed@example.org",
        "expired@example.org",
    }
    assert emails(admin_client.get(CHANGELIST, {"status__exact": "pending"})) == {"pending@example.org"}
    faceted = page_text(admin_client.get(CHANGELIST, {"_facets": "True"}))
    assert "Active (1)" in faceted and "Expired (2)" in faceted


def export(client, memberships):
    response = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [m.pk for m in memberships], "index": 0}
    )
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_has_the_member_number_and_the_email_choices(admin_client):
    ana = MembershipFactory(
        user__email="ana@example.org", news_emails=True, advocacy_emails=False, elearning_emails=True
    )
    bo = MembershipFactory(user__email="bo@example.org", news_emails=False, advocacy_emails=True)

    rows = {row["email"]: row for row in export(admin_client, [ana, bo])}

    assert rows["ana@example.org"]["member number"] == f"M{ana.pk:06d}"
    assert rows["bo@example.org"]["member number"] == f"M{bo.pk:06d}"
    choices = ("news emails", "advocacy emails", "eLearning emails")
    assert [rows["ana@example.org"][column] for column in choices] == ["yes", "no", "yes"]
    assert [rows["bo@example.org"][column] for column in choices] == ["no", "yes", "no"]


def test_members_are_found_by_their_member_number(admin_client):
    ana = MembershipFactory(user__email="ana@example.org")
    MembershipFactory(user__email="bo@example.org")

    for typed in (f"M{ana.pk:06d}", f"m{ana.pk}", f" M{ana.pk:06d} "):
        assert emails(admin_client.get(CHANGELIST, {"q": typed})) == {"ana@example.org"}, typed
    assert f"M{ana.pk:06d}" in page_text(admin_client.get(CHANGELIST))
    # Within the filters already chosen.
    lapsed_only = admin_client.get(CHANGELIST, {"q": f"M{ana.pk:06d}", "expiry": "lapsed"})
    assert emails(lapsed_only) == set()


def test_the_member_page_shows_the_number_and_the_computed_status(admin_client):
    lapsed = MembershipFactory(expires_in=-3)

    text = page_text(admin_client.get(change_page(lapsed)))

    assert f"M{lapsed.pk:06d}" in text
    assert re.search(r"Status:?\s*Expired", text), text
    assert lapsed.expires_on < timezone.localdate() - timedelta(days=2)
