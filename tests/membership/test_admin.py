"""Membership in the admin: find members, filter them, export them; donations; the staff group."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from membership.models import Membership
from tests.factories import StaffFactory, UserFactory

from .factories import DonationFactory, MembershipFactory, MembershipTypeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/membership/membership/"


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def members():
    individual = MembershipTypeFactory(name="Individual Type I")
    student = MembershipTypeFactory(name="Student", annual_dues=Decimal("33.00"))
    return {
        "ana": MembershipFactory(
            user__first_name="Ana", user__last_name="Silva", user__email="ana@example.org", membership_type=individual
        ),
        "bo": MembershipFactory(
            user__first_name="Bo",
            user__last_name="Chen",
            user__email="bo.chen@example.org",
            membership_type=student,
            expires_in=10,
        ),
        "cy": MembershipFactory(
            user__first_name="Cy",
            user__last_name="Okoro",
            user__email="cy@example.org",
            membership_type=individual,
            expires_in=-5,
        ),
    }


def listed(response):
    return {membership.user.email for membership in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [("silva", {"ana@example.org"}), ("Bo", {"bo.chen@example.org"}), ("cy@example", {"cy@example.org"})],
)
def test_members_are_searchable_by_name_and_email(admin_client, members, query, expected):
    response = admin_client.get(CHANGELIST, {"q": query})

    assert response.status_code == 200
    assert listed(response) == expected


def test_members_are_filterable_by_type_status_and_expiry(admin_client, members):
    student = members["bo"].membership_type
    members["cy"].expire_if_lapsed()

    assert listed(admin_client.get(CHANGELIST, {"membership_type__id__exact": student.pk})) == {"bo.chen@example.org"}
    assert listed(admin_client.get(CHANGELIST, {"status__exact": "expired"})) == {"cy@example.org"}
    active = listed(admin_client.get(CHANGELIST, {"status__exact": "active"}))
    assert active == {"ana@example.org", "bo.chen@example.org"}
    assert listed(admin_client.get(CHANGELIST, {"expiry": "30"})) == {"bo.chen@example.org"}
    assert listed(admin_client.get(CHANGELIST, {"expiry": "lapsed"})) == {"cy@example.org"}


def test_the_member_page_shows_the_terms(admin_client, members):
    response = admin_client.get(f"{CHANGELIST}{members['ana'].pk}/change/")

    assert response.status_code == 200
    assert "Started" in response.content.decode()


def export(client, memberships):
    return client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [m.pk for m in memberships], "index": 0}
    )


def test_csv_export_downloads_the_selected_members(admin_client, members):
    response = export(admin_client, [members["ana"], members["cy"]])

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="members-{timezone.localdate():%Y-%m-%d}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "member number",
        "email",
        "first name",
        "last name",
        "type",
        "status",
        "member since",
        "expires on",
        "news emails",
        "advocacy emails",
        "eLearning emails",
    ]
    by_email = {row[1]: row for row in rows[1:]}
    assert set(by_email) == {"ana@example.org", "cy@example.org"}
    ana = members["ana"]
    assert by_email["ana@example.org"] == [
        f"M{ana.pk:06d}",
        "ana@example.org",
        "Ana",
        "Silva",
        "Individual Type I",
        "Active",
        str(ana.member_since),
        str(ana.expires_on),
        "yes",
        "no",
        "no",
    ]
    assert by_email["cy@example.org"][5] == "Expired"  # lapsed, even before the nightly command ran


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_export_neutralises_spreadsheet_formulas(admin_client, dangerous):
    membership = MembershipFactory(user__first_name=dangerous, user__last_name="Safe")

    response = export(admin_client, [membership])

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][2] == "'" + dangerous
    assert rows[1][3] == "Safe"


def test_donations_are_listed_for_staff(admin_client):
    DonationFactory(name="Pat Donor", email="pat@example.org", amount=Decimal("75.00"))
    DonationFactory(name="Lee Giver", email="lee@example.org", amount=Decimal("20.00"), is_anonymous=True)

    response = admin_client.get("/admin/membership/donation/")
    assert response.status_code == 200
    assert {d.name for d in response.context["cl"].result_list} == {"Pat Donor", "Lee Giver"}

    found = admin_client.get("/admin/membership/donation/", {"q": "lee@example"})
    assert [d.name for d in found.context["cl"].result_list] == ["Lee Giver"]
    anonymous = admin_client.get("/admin/membership/donation/", {"is_anonymous__exact": "1"})
    assert [d.name for d in anonymous.context["cl"].result_list] == ["Lee Giver"]


def test_membership_types_are_edited_in_admin(admin_client):
    MembershipTypeFactory(name="Supporter", annual_dues=Decimal("70.00"))

    response = admin_client.get("/admin/membership/membershiptype/")
    assert response.status_code == 200
    assert "Supporter" in response.content.decode()
    assert admin_client.get("/admin/membership/membershiptype/add/").status_code == 200


def test_the_membership_staff_group_can_look_members_up():
    group = Group.objects.get(name="Membership staff")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_membership", "change_membership", "view_donation", "view_membershiptype", "view_user"} <= codenames
    assert "change_user" not in codenames  # they do not edit accounts or passwords

    staff = StaffFactory()
    staff.groups.add(group)
    membership = MembershipFactory(user__email="member@example.org", expires_in=-3)
    client = Client()
    client.force_login(staff)

    assert client.get(CHANGELIST, {"q": "member@"}).status_code == 200
    assert client.get(f"{CHANGELIST}{membership.pk}/change/").status_code == 200
    assert client.get("/admin/membership/donation/").status_code == 200
    assert client.get(f"/admin/membership/user/{membership.user.pk}/change/").status_code == 200  # view only
    assert export(client, [membership]).status_code == 200
    assert not {code for code in codenames if code.startswith("delete_")}  # records are kept
    assert client.get("/admin/store/order/").status_code == 200  # they can check dues payments
    assert client.get(f"{CHANGELIST}{membership.pk}/delete/").status_code == 403


def test_donations_come_from_the_site_and_cannot_be_added_or_deleted_in_admin(admin_client):
    donation = DonationFactory()
    assert admin_client.get("/admin/membership/donation/add/").status_code == 403
    assert admin_client.get(f"/admin/membership/donation/{donation.pk}/delete/").status_code == 403
    assert admin_client.get(f"/admin/membership/donation/{donation.pk}/change/").status_code == 200


def test_people_outside_staff_cannot_reach_the_member_list(members):
    client = Client()
    client.force_login(members["ana"].user)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_expiry_filter_counts_from_today(admin_client):
    MembershipFactory(user__email="soon@example.org", expires_in=29)
    MembershipFactory(user__email="later@example.org", expires_in=89)
    MembershipFactory(user__email="much-later@example.org", expires_in=120)

    assert listed(admin_client.get(CHANGELIST, {"expiry": "30"})) == {"soon@example.org"}
    assert listed(admin_client.get(CHANGELIST, {"expiry": "90"})) == {"soon@example.org", "later@example.org"}
    assert Membership.objects.filter(expires_on__gt=timezone.localdate() + timedelta(days=90)).count() == 1
