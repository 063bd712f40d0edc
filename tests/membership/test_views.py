"""Membership pages as a visitor and a member use them: types, join, verify, pay, renew, account."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from membership import demo, tokens
from membership.models import Donation, Membership, MembershipTerm, MembershipType
from store.models import Order
from tests.factories import StaffFactory, UserFactory
from tests.html_utils import checked_values, form_fields, links, visible_text
from tests.store.factories import ProductFactory, order_for

from .factories import DonationFactory, MembershipFactory, MembershipTypeFactory, VerifiedUserFactory
from .flows import (
    CHECK_EMAIL_PAGE,
    EMAIL,
    PASSWORD,
    checkout,
    checkout_and_pay,
    confirm_address,
    join_as_visitor,
    join_confirm_and_log_in,
    join_data,
    log_in,
    long_date,
    one_year_from,
    pay,
    start_paying_dues,
    today,
    verify_link_in_outbox,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def individual():
    return MembershipTypeFactory(name="Individual Type I", annual_dues=Decimal("125.00"))


@pytest.fixture
def student():
    return MembershipTypeFactory(name="Student", annual_dues=Decimal("33.00"))


def member_client(membership):
    client = Client()
    client.force_login(membership.user)
    return client


# The types page --------------------------------------------------------------------------


def test_types_page_shows_the_seeded_types_side_by_side_with_dues_benefits_and_join(client):
    demo.seed(log=lambda *args: None)
    MembershipType.objects.create(
        name="Retired Lifetime", slug="retired-lifetime", annual_dues=Decimal("1"), eligibility="Old", is_active=False
    )

    response = client.get("/membership/")

    assert response.status_code == 200
    text = visible_text(response.content)
    for name, dues in [
        ("Individual Type I", "$125.00"),
        ("Individual Type II", "$55.00"),
        ("Supporter", "$70.00"),
        ("Student", "$33.00"),
        ("Organizational", "$175.00"),
    ]:
        assert f"{name} {dues} a year" in text
    assert "Voting in ALA elections" in text  # benefits, one per line
    assert "Retired Lifetime" not in text
    join_links = [href for href, label in links(response.content) if label.startswith("Join as")]
    assert "/membership/join/?type=individual-type-1" in join_links
    assert "/membership/join/?type=retired-lifetime" not in join_links
    assert len(join_links) == 5


def test_join_page_preselects_the_type_from_the_link(client, individual, student):
    response = client.get("/membership/join/?type=student")

    assert response.status_code == 200
    radios = form_fields(response.content, "membership_type")
    assert [r["value"] for r in radios if "checked" in r] == [str(student.pk)]
    assert "Student — $33.00 a year" in visible_text(response.content)


# Joining -------------------------------------------------------------------------------------


def test_a_visitor_joins_the_account_is_made_and_the_membership_waits(client, individual, run_on_commit):
    with run_on_commit():
        response = client.post(
            "/membership/join/", join_data(individual, **{"account-email": "Mina.Okafor@Example.ORG"})
        )

    assert response.status_code == 302
    assert response["Location"] == CHECK_EMAIL_PAGE
    user = User.objects.get()
    assert user.email == "Mina.Okafor@example.org"  # the domain is lowercased, the rest kept
    assert (user.first_name, user.last_name) == ("Mina", "Okafor")
    assert not user.email_verified
    membership = Membership.objects.get(user=user)
    assert membership.status == Membership.Status.PENDING
    assert membership.membership_type == individual
    assert (membership.news_emails, membership.advocacy_emails, membership.elearning_emails) == (True, True, False)
    assert membership.eligibility_confirmed_at and membership.code_of_conduct_accepted_at
    term = membership.terms.get()
    assert (term.status, term.dues) == (MembershipTerm.Status.PENDING, Decimal("125.00"))
    assert not user.is_member

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Mina.Okafor@example.org"]
    assert verify_link_in_outbox().startswith("/membership/verify/")

    page = client.get(CHECK_EMAIL_PAGE)
    assert page.status_code == 200
    assert "Check your email to continue" in visible_text(page.content)
    assert "We have sent an email to Mina.Okafor@example.org" in visible_text(page.content)

    # Not logged in by joining; logging in works with the address in any case.
    assert client.get("/membership/account/").status_code == 302
    login = client.post("/accounts/login/", {"username": "mina.okafor@EXAMPLE.org", "password": PASSWORD})
    assert login.status_code == 302
    assert client.get("/membership/account/").context["user"] == user


def test_the_confirmed_visitor_logs_in_and_is_offered_to_pay_the_dues(client, individual):
    join_as_visitor(client, individual)
    confirmed = confirm_address(client)
    assert confirmed["Location"] == "/accounts/login/?next=/membership/account/"
    login_page = client.get(confirmed["Location"])
    assert "Thank you: your email address is confirmed. Log in to continue." in visible_text(login_page.content)

    response = client.post(confirmed["Location"], {"username": EMAIL, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/membership/account/"
    text = visible_text(response.content)
    assert "Your Individual Type I membership is waiting for its dues: $125.00 for one year." in text
    assert "Please confirm your email address" not in text
    assert '<form method="post" action="/membership/pay/">' in response.content.decode()
    assert "Pay your dues" in text
    assert ("/membership/join/", "Choose another membership type") in links(response.content)


def test_the_checkout_shows_the_dues(client, individual):
    checkout_url = join_confirm_and_log_in(client, individual)

    page = client.get(checkout_url)

    assert page.status_code == 200
    text = visible_text(page.content)
    assert "Individual Type I membership dues, one year" in text
    assert "125.00" in text
    assert form_fields(page.content, "email")[0]["value"] == "mina.okafor@example.org"


def test_join_then_confirm_log_in_and_pay_activates_for_a_year(client, individual):
    checkout_url = join_confirm_and_log_in(client, individual)
    with TestCase.captureOnCommitCallbacks(execute=True):
        after_paying = checkout_and_pay(client, checkout_url)

    assert after_paying.endswith("/membership/account/")
    assert Order.objects.get().status == Order.Status.PAID
    membership = Membership.objects.get()
    expiry = one_year_from(today())
    assert membership.status == Membership.Status.ACTIVE
    assert (membership.member_since, membership.expires_on) == (today(), expiry)
    assert User.objects.get().is_member
    text = visible_text(client.get("/membership/account/").content)
    assert "Status Active" in text
    assert f"Expires {long_date(expiry)}" in text
    assert "Pay your dues" not in text
    assert len([m for m in mail.outbox if "membership is active" in m.subject]) == 1


def test_pay_your_dues_is_for_logged_in_posts(client, individual):
    assert client.post("/membership/pay/")["Location"] == "/accounts/login/?next=/membership/pay/"
    join_as_visitor(client, individual)
    log_in(client)

    assert client.get("/membership/pay/").status_code == 405
    assert start_paying_dues(client).startswith("/store/checkout/?pending=")


def test_pay_your_dues_with_nothing_waiting_says_so(individual):
    client = Client()
    client.force_login(UserFactory())

    response = client.post("/membership/pay/", follow=True)

    assert response.redirect_chain[-1][0] == "/membership/account/"
    assert "You have no dues waiting to be paid." in visible_text(response.content)


def test_pay_your_dues_after_paying_does_not_charge_again(client, individual):
    checkout_url = join_confirm_and_log_in(client, individual)
    checkout_and_pay(client, checkout_url)
    user = User.objects.get()
    user.email_verified_at = None  # paid, and the address not confirmed (changed since, say)
    user.save()
    MembershipTerm.objects.update(status=MembershipTerm.Status.PAID)

    response = client.post("/membership/pay/", follow=True)

    assert response.redirect_chain[-1][0] == "/membership/account/"
    assert "Your dues are paid: confirm your email address" in visible_text(response.content)
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("confirm_eligibility", "Confirm that you are eligible for this membership type."),
        ("accept_code_of_conduct", "Members agree to the Code of Conduct; tick the box to continue."),
        ("membership_type", "Choose a membership type."),
    ],
)
def test_join_without_a_required_choice_says_so_and_saves_nothing(client, individual, missing, message):
    response = client.post("/membership/join/", join_data(individual, **{missing: None}))

    assert response.status_code == 200
    assert message in visible_text(response.content)
    assert not User.objects.exists()
    assert not Membership.objects.exists()
    assert not MembershipTerm.objects.exists()
    assert mail.outbox == []


def test_join_with_an_inactive_type_is_refused(client, individual):
    retired = MembershipTypeFactory(name="Retired", is_active=False)

    response = client.post("/membership/join/", join_data(individual, membership_type=str(retired.pk)))

    assert response.status_code == 200
    assert "Choose one of the listed types." in visible_text(response.content)
    assert not User.objects.exists()


def answer_to_a_join(email, membership_type):
    """What a visitor joining with `email` can observe: the answer, the next page, their login."""
    client = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/membership/join/", join_data(membership_type, **{"account-email": email}))
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "page": visible_text(page.content).replace(User.objects.normalize_email(email), "<the address typed>"),
        "logged in": client.get("/membership/account/").status_code == 200,
        "cookies": sorted(client.cookies.keys()),
    }


@pytest.mark.parametrize("email", ["taken@example.org", "TAKEN@example.org", "Taken@EXAMPLE.ORG"])
def test_joining_with_a_registered_address_in_any_case_looks_the_same_as_with_a_new_one(individual, email):
    owner = VerifiedUserFactory(email="taken@example.org", first_name="Tamsin")

    known = answer_to_a_join(email, individual)
    new = answer_to_a_join("someone.new@example.org", individual)

    assert known == new
    assert known["status"] == 302
    assert known["location"] == CHECK_EMAIL_PAGE
    assert "Check your email to continue" in known["page"]
    assert not known["logged in"]
    # Nothing was made or changed for the known address; the new one has its account.
    assert list(User.objects.order_by("email").values_list("email", flat=True)) == [
        "someone.new@example.org",
        "taken@example.org",
    ]
    owner.refresh_from_db()
    assert owner.check_password("a-long-test-password-42")  # UserFactory's, not the one typed
    assert not Membership.objects.filter(user=owner).exists()


def test_the_owner_of_a_registered_address_is_told_by_email_how_to_log_in(individual):
    VerifiedUserFactory(email="taken@example.org", first_name="Tamsin")

    answer_to_a_join("TAKEN@example.org", individual)

    [message] = mail.outbox
    assert message.to == ["taken@example.org"]
    assert message.subject == "You already have an account with the American Library Association"
    assert "Hello Tamsin," in message.body
    assert "log in to join or renew" in message.body
    assert "http://testserver/accounts/login/?next=%2Fmembership%2Fjoin%2F" in message.body
    assert "http://testserver/accounts/password_reset/" in message.body
    assert "/membership/verify/" not in message.body  # confirmed already


def test_an_owner_who_never_confirmed_the_address_gets_a_working_link_with_the_reminder(individual):
    owner = UserFactory(email="taken@example.org")

    answer_to_a_join("taken@example.org", individual)

    [message] = mail.outbox
    assert "You have not confirmed this address yet" in message.body
    assert Client().get(verify_link_in_outbox(to="taken@example.org")).status_code == 302
    owner.refresh_from_db()
    assert owner.email_verified


def test_joining_with_a_members_address_leaves_their_membership_alone(individual, student):
    membership = MembershipFactory(membership_type=individual, user__email="member@example.org")

    answer = answer_to_a_join("Member@Example.org", student)

    assert answer["location"] == CHECK_EMAIL_PAGE
    membership.refresh_from_db()
    assert membership.membership_type == individual
    assert membership.terms.count() == 1
    assert Membership.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("8675309123", "This password is entirely numeric."),
        ("okafor-mina", "The password is too similar to the last name."),
    ],
)
def test_join_with_a_weak_password_says_why(client, individual, password, message):
    data = join_data(individual, **{"account-password1": password, "account-password2": password})

    response = client.post("/membership/join/", data)

    assert response.status_code == 200
    assert message in visible_text(response.content)
    assert not User.objects.exists()
    assert not Membership.objects.exists()


def test_join_with_passwords_that_differ_says_so(client, individual):
    response = client.post("/membership/join/", join_data(individual, **{"account-password2": "Something-else-2026"}))

    assert response.status_code == 200
    assert "The two password fields didn’t match." in visible_text(response.content)
    assert not User.objects.exists()


def test_join_with_the_honeypot_filled_is_rejected(client, individual):
    response = client.post("/membership/join/", join_data(individual, website="http://cheap-pills.example"))

    assert response.status_code == 200
    assert "This submission looks automated" in visible_text(response.content)
    assert not User.objects.exists()
    assert not Membership.objects.exists()


def test_the_honeypot_is_hidden_from_people(client, individual):
    response = client.get("/membership/join/")

    assert 'class="hp-field"' in response.content.decode()  # off-screen (static/css/site.css)


def test_a_current_member_is_sent_to_renew(individual):
    client = member_client(MembershipFactory(membership_type=individual))

    response = client.get("/membership/join/")

    assert response.status_code == 302
    assert response["Location"] == "/membership/renew/"
    assert client.post("/membership/join/", join_data(individual))["Location"] == "/membership/renew/"
    assert MembershipTerm.objects.count() == 1


def test_a_logged_in_person_without_a_membership_joins_without_account_fields(individual, run_on_commit):
    user = VerifiedUserFactory()
    client = Client()
    client.force_login(user)

    page = client.get("/membership/join/")
    assert form_fields(page.content, "account-email") == []
    with run_on_commit():
        response = client.post("/membership/join/", join_data(individual))

    assert response["Location"].startswith("/store/checkout/?pending=")
    assert Membership.objects.get().user == user
    assert User.objects.count() == 1
    assert mail.outbox == []  # the address is confirmed already


def test_joining_again_after_abandoning_the_checkout_keeps_one_membership(individual, student):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    client.post("/membership/join/", join_data(individual))

    response = client.post("/membership/join/", join_data(student))

    assert response.status_code == 302
    membership = Membership.objects.get()
    assert membership.membership_type == student
    statuses = dict(membership.terms.values_list("membership_type__slug", "status"))
    assert statuses == {"individual-type-i": "cancelled", "student": "pending"}


def test_join_and_renew_need_no_javascript_and_carry_csrf(client, individual):
    response = client.get("/membership/join/")

    assert form_fields(response.content, "csrfmiddlewaretoken")
    assert {f["name"] for f in form_fields(response.content) if f.get("type") == "checkbox"} >= {
        "confirm_eligibility",
        "accept_code_of_conduct",
        "news_emails",
        "advocacy_emails",
        "elearning_emails",
    }
    assert checked_values(response.content, "confirm_eligibility") == set()  # never ticked for them


# Paying and confirming ------------------------------------------------------------------------


def test_join_log_in_and_pay_then_confirm_the_address_activates_for_a_year(client, individual, run_on_commit):
    join_as_visitor(client, individual)
    verify_link = verify_link_in_outbox()
    log_in(client)  # before opening the link: that works too

    with run_on_commit():
        after_paying = checkout_and_pay(client, start_paying_dues(client))

    assert after_paying.endswith("/membership/account/")
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert order.user == User.objects.get()
    membership = Membership.objects.get()
    assert membership.status == Membership.Status.PENDING  # paid, but the address is not confirmed
    assert membership.terms.get().status == MembershipTerm.Status.PAID
    assert not User.objects.get().is_member
    page = client.get("/membership/account/")
    assert "Please confirm your email address" in visible_text(page.content)

    with run_on_commit():
        opened = client.get(verify_link)

    assert opened.status_code == 302
    assert opened["Location"] == "/membership/account/"
    membership.refresh_from_db()
    expiry = one_year_from(today())
    assert membership.status == Membership.Status.ACTIVE
    assert membership.expires_on == expiry
    assert membership.member_since == today()
    user = User.objects.get()
    assert user.is_member
    assert user.email_verified
    page = client.get("/membership/account/")
    text = visible_text(page.content)
    assert "Status Active" in text
    assert f"Expires {long_date(expiry)}" in text
    assert order.reference in text
    assert "Please confirm your email address" not in text
    activated = [m for m in mail.outbox if "membership is active" in m.subject]
    assert len(activated) == 1
    assert long_date(expiry) in activated[0].subject


def test_confirming_the_address_first_then_paying_also_activates(client, individual, run_on_commit):
    checkout_url = join_confirm_and_log_in(client, individual)
    assert Membership.objects.get().status == Membership.Status.PENDING  # confirmed, not yet paid

    with run_on_commit():
        checkout_and_pay(client, checkout_url)

    membership = Membership.objects.get()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.expires_on == one_year_from(today())


def test_a_declined_payment_leaves_the_membership_pending_and_a_retry_activates(client, individual, run_on_commit):
    user = VerifiedUserFactory()
    client.force_login(user)
    joined = client.post("/membership/join/", join_data(individual))
    pay_link = checkout(client, joined["Location"])

    pay(client, pay_link, status="rejected")
    assert Membership.objects.get().status == Membership.Status.PENDING
    with run_on_commit():
        pay(client, pay_link)

    assert Membership.objects.get().status == Membership.Status.ACTIVE


def test_opening_the_link_while_logged_out_leads_to_log_in(individual, run_on_commit):
    client = Client()
    with run_on_commit():
        client.post("/membership/join/", join_data(individual))
    link = verify_link_in_outbox()

    response = Client().get(link)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/membership/account/"
    assert User.objects.get().email_verified


def test_opening_the_link_twice_is_harmless(client, individual, run_on_commit):
    join_as_visitor(client, individual)
    log_in(client)
    with run_on_commit():
        checkout_and_pay(client, start_paying_dues(client))
    link = verify_link_in_outbox()
    with run_on_commit():
        client.get(link)
        second = client.get(link)

    assert second.status_code == 302
    assert Membership.objects.get().expires_on == one_year_from(today())
    assert len([m for m in mail.outbox if "membership is active" in m.subject]) == 1


def test_a_new_link_can_be_asked_for(client, individual, run_on_commit):
    join_as_visitor(client, individual)
    log_in(client)

    response = client.post("/membership/verify-again/")

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert verify_link_in_outbox().startswith("/membership/verify/")


def test_paid_but_unconfirmed_is_not_offered_to_join_and_pay_again(client, individual):
    join_as_visitor(client, individual)
    log_in(client)
    checkout_and_pay(client, start_paying_dues(client))

    response = client.get("/membership/account/")

    text = visible_text(response.content)
    assert "Your dues are paid: your membership starts as soon as you confirm your email address." in text
    assert ("/membership/join/", "Complete your membership") not in links(response.content)
    assert "Pay your dues" not in text


def test_a_free_type_needs_no_checkout_and_starts_once_confirmed(client, run_on_commit):
    honorary = MembershipTypeFactory(name="Honorary", annual_dues=Decimal("0.00"))

    join_as_visitor(client, honorary)

    assert not Order.objects.exists()
    assert Membership.objects.get().status == Membership.Status.PENDING
    confirm_address(client)
    membership = Membership.objects.get()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.expires_on == one_year_from(today())

    log_in(client)

    renewed = client.post("/membership/renew/", {"membership_type": honorary.pk})
    assert renewed["Location"] == "/membership/account/"
    membership.refresh_from_db()
    assert membership.expires_on == one_year_from(one_year_from(today()) + timedelta(days=1))


# Renewing -------------------------------------------------------------------------------------


def test_renew_needs_a_login_and_keeps_the_token(client):
    response = client.get("/membership/renew/?token=abc123")

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"] == ["/membership/renew/?token=abc123"]


def test_renew_page_offers_the_types_with_the_current_one_chosen(individual, student):
    membership = MembershipFactory(membership_type=individual, expires_in=20)
    client = member_client(membership)

    response = client.get("/membership/renew/")

    assert response.status_code == 200
    text = visible_text(response.content)
    assert f"runs until {long_date(membership.expires_on)}" in text
    radios = form_fields(response.content, "membership_type")
    assert [r["value"] for r in radios if "checked" in r] == [str(individual.pk)]


def test_renewing_extends_from_the_current_expiry(individual, run_on_commit):
    membership = MembershipFactory(membership_type=individual, expires_in=20)
    old_expiry = membership.expires_on
    client = member_client(membership)

    response = client.post("/membership/renew/", {"membership_type": individual.pk})
    with run_on_commit():
        checkout_and_pay(client, response["Location"])

    membership.refresh_from_db()
    assert membership.expires_on == one_year_from(old_expiry + timedelta(days=1))
    assert membership.member_since == membership.terms.order_by("starts_on").first().starts_on
    text = visible_text(client.get("/membership/account/").content)
    assert f"Expires {long_date(membership.expires_on)}" in text
    assert text.count("Individual Type I") >= 3  # the type, and the two terms in the history


def test_renewing_a_lapsed_membership_starts_today(individual, run_on_commit):
    membership = MembershipFactory(membership_type=individual, expires_in=-40)
    client = member_client(membership)
    assert "has lapsed" in visible_text(client.get("/membership/renew/").content)
    assert "Status Expired" in visible_text(client.get("/membership/account/").content)

    response = client.post("/membership/renew/", {"membership_type": individual.pk})
    with run_on_commit():
        checkout_and_pay(client, response["Location"])

    membership.refresh_from_db()
    assert membership.expires_on == one_year_from(today())
    assert membership.status == Membership.Status.ACTIVE


def test_renewing_twice_in_two_tabs_never_loses_a_paid_term(individual, run_on_commit):
    membership = MembershipFactory(membership_type=individual, expires_in=20)
    old_expiry = membership.expires_on
    client = member_client(membership)
    first = client.post("/membership/renew/", {"membership_type": individual.pk})
    first_pay_link = checkout(client, first["Location"])
    second = client.post("/membership/renew/", {"membership_type": individual.pk})  # another tab
    second_pay_link = checkout(client, second["Location"])

    with run_on_commit():
        pay(client, first_pay_link)
        pay(client, second_pay_link)

    membership.refresh_from_db()
    assert Order.objects.filter(status=Order.Status.PAID).count() == 2
    assert membership.expires_on == one_year_from(one_year_from(old_expiry + timedelta(days=1)) + timedelta(days=1))
    started = membership.terms.filter(status=MembershipTerm.Status.STARTED).order_by("starts_on")
    assert started.count() == 3
    days = list(started.values_list("starts_on", "ends_on"))
    assert all(later[0] == earlier[1] + timedelta(days=1) for earlier, later in zip(days, days[1:], strict=False))


def test_changing_the_type_on_renewal(individual, student, run_on_commit):
    membership = MembershipFactory(membership_type=individual, expires_in=20)
    client = member_client(membership)

    response = client.post("/membership/renew/", {"membership_type": student.pk})
    assert "Student membership dues, one year" in visible_text(client.get(response["Location"]).content)
    with run_on_commit():
        checkout_and_pay(client, response["Location"])

    membership.refresh_from_db()
    assert membership.membership_type == individual  # until the Student year begins
    assert Order.objects.get().total == Decimal("33.00")
    assert membership.terms.filter(membership_type=student, dues=Decimal("33.00")).exists()


def test_renewing_with_a_tampered_token_warns_but_lets_the_member_renew(individual):
    membership = MembershipFactory(membership_type=individual)
    client = member_client(membership)
    token = tokens.renew_url(membership).split("token=")[1]

    response = client.get(f"/membership/renew/?token={token[:-3]}xyz")

    assert response.status_code == 200
    text = visible_text(response.content)
    assert "That renewal link has expired or is not valid" in text
    assert form_fields(response.content, "membership_type")
    assert client.post("/membership/renew/?token=garbage", {"membership_type": individual.pk}).status_code == 302
    assert membership.terms.filter(status=MembershipTerm.Status.PENDING).count() == 1


def test_renew_with_a_valid_token_shows_no_warning(individual):
    membership = MembershipFactory(membership_type=individual)
    client = member_client(membership)

    response = client.get(tokens.renew_url(membership))

    assert response.status_code == 200
    assert "not valid" not in visible_text(response.content)


def test_renew_with_an_invalid_type_says_so(individual):
    membership = MembershipFactory(membership_type=individual)
    client = member_client(membership)

    response = client.post("/membership/renew/", {"membership_type": "999999"})

    assert response.status_code == 200
    assert "Choose one of the listed types." in visible_text(response.content)
    assert membership.terms.count() == 1


def test_renew_without_a_membership_leads_to_join():
    client = Client()
    client.force_login(UserFactory())

    response = client.get("/membership/renew/")

    assert response.status_code == 302
    assert response["Location"] == "/membership/join/"


# The account page ---------------------------------------------------------------------------


def test_account_needs_a_login(client):
    response = client.get("/membership/account/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/membership/account/"


def test_account_shows_status_type_expiry_history_orders_and_a_renew_button(individual):
    membership = MembershipFactory(membership_type=individual, expires_in=45)  # in the renewal window
    order = Order.objects.create(
        user=membership.user,
        name="Member",
        email=membership.user.email,
        address_line1="1 Main St",
        city="Chicago",
        postal_code="60601",
        total=Decimal("125.00"),
    )
    DonationFactory(user=membership.user, amount=Decimal("75.00"))
    client = member_client(membership)

    response = client.get("/membership/account/")

    text = visible_text(response.content)
    assert "Status Active" in text
    assert "Type Individual Type I" in text
    assert f"Expires {long_date(membership.expires_on)}" in text
    assert f"Member since {long_date(membership.member_since)}" in text
    assert "History" in text
    assert f"{membership.member_since:%b} {membership.member_since.day}, {membership.member_since.year}" in text
    assert order.reference in text
    assert "$75.00" in text
    assert ("/membership/renew/", "Renew") in links(response.content)


def test_a_pending_join_offers_to_complete_it(individual):
    user = UserFactory()
    Membership.objects.create(user=user, membership_type=individual)
    client = Client()
    client.force_login(user)

    response = client.get("/membership/account/")

    text = visible_text(response.content)
    assert "Pending" in text
    assert ("/membership/join/", "Complete your membership") in links(response.content)


def test_a_person_without_a_membership_sees_the_types_link():
    client = Client()
    client.force_login(UserFactory())

    response = client.get("/membership/account/")

    assert "You are not a member yet." in visible_text(response.content)
    assert client.post("/membership/account/", {"save_preferences": "1"}).status_code == 200  # nothing to save


def test_profile_form_saves(individual):
    membership = MembershipFactory(membership_type=individual)
    client = member_client(membership)

    response = client.post(
        "/membership/account/",
        {"profile-first_name": "Carla", "profile-last_name": "Hayden", "save_profile": "1"},
        follow=True,
    )

    membership.user.refresh_from_db()
    assert (membership.user.first_name, membership.user.last_name) == ("Carla", "Hayden")
    assert "Your profile is saved." in visible_text(response.content)


def test_preferences_form_saves(individual):
    membership = MembershipFactory(membership_type=individual, news_emails=True, advocacy_emails=False)
    client = member_client(membership)

    response = client.post(
        "/membership/account/", {"prefs-advocacy_emails": "on", "prefs-elearning_emails": "on", "save_preferences": "1"}
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.news_emails, membership.advocacy_emails, membership.elearning_emails) == (False, True, True)
    page = client.get("/membership/account/")
    ticked = {f["name"] for f in form_fields(page.content) if f.get("type") == "checkbox" and "checked" in f}
    assert ticked == {"prefs-advocacy_emails", "prefs-elearning_emails"}


def test_one_member_never_sees_another_members_data(individual):
    mine = MembershipFactory(membership_type=individual, user__first_name="Ana")
    theirs = MembershipFactory(membership_type=individual, user__first_name="Zora", expires_in=33)
    their_order = Order.objects.create(
        user=theirs.user,
        name="Zora",
        email=theirs.user.email,
        address_line1="1 Main St",
        city="Chicago",
        postal_code="60601",
        total=Decimal("55.00"),
    )
    DonationFactory(user=theirs.user, amount=Decimal("987.00"))
    client = member_client(mine)

    for url in [
        "/membership/account/",
        f"/membership/account/?user={theirs.user.pk}",
        f"/membership/account/?pk={theirs.user.pk}&email={theirs.user.email}",
    ]:
        text = visible_text(client.get(url).content)
        assert mine.user.email in text
        assert theirs.user.email not in text
        assert their_order.reference not in text
        assert "$987.00" not in text
        assert long_date(theirs.expires_on) not in text

    # The order page of someone else's order is not there for this member.
    assert client.get(their_order.get_absolute_url()).status_code == 404


def test_posting_the_account_forms_changes_only_ones_own_data(individual):
    mine = MembershipFactory(membership_type=individual)
    theirs = MembershipFactory(membership_type=individual, user__first_name="Zora", advocacy_emails=False)
    client = member_client(mine)

    client.post(
        f"/membership/account/?user={theirs.user.pk}",
        {
            "profile-first_name": "Mallory",
            "profile-last_name": "Mallory",
            "profile-email": theirs.user.email,
            "user": theirs.user.pk,
            "save_profile": "1",
        },
    )
    client.post(
        "/membership/account/", {"prefs-advocacy_emails": "on", "prefs-membership": theirs.pk, "save_preferences": "1"}
    )

    theirs.refresh_from_db()
    theirs.user.refresh_from_db()
    mine.user.refresh_from_db()
    assert theirs.user.first_name == "Zora"
    assert theirs.advocacy_emails is False
    assert mine.user.first_name == "Mallory"
    assert mine.user.email != theirs.user.email  # the email is not editable here


def test_join_sends_a_member_whose_dues_are_paid_to_confirm_the_email_instead_of_paying_again(client):
    user = UserFactory()
    membership = Membership.objects.create(user=user, membership_type=MembershipTypeFactory())
    term = membership.new_term()
    term.mark_paid()
    assert MembershipTerm.objects.get(pk=term.pk).status == MembershipTerm.Status.PAID
    client.force_login(user)
    response = client.get("/membership/join/", follow=True)
    assert response.redirect_chain[-1][0] == "/membership/account/"
    assert "Your dues are paid: confirm your email address" in response.content.decode()


def test_refunding_a_renewal_order_takes_the_year_back(individual, run_on_commit):
    membership = MembershipFactory(membership_type=individual, expires_in=20)
    expiry_before = membership.expires_on
    client = member_client(membership)
    response = client.post("/membership/renew/", {"membership_type": individual.pk})
    with run_on_commit():
        checkout_and_pay(client, response["Location"])
    membership.refresh_from_db()
    assert membership.expires_on > expiry_before

    order = Order.objects.get()
    order.mark_refunded(by=StaffFactory())

    membership.refresh_from_db()
    assert membership.expires_on == expiry_before
    assert membership.terms.filter(status=MembershipTerm.Status.REFUNDED).count() == 1
    assert "Refunded" in visible_text(client.get("/membership/account/").content)


def test_a_lapsed_member_who_opens_join_is_sent_to_renew_and_their_record_is_untouched(individual, student):
    membership = MembershipFactory(membership_type=individual, expires_in=-30, status=Membership.Status.EXPIRED)
    client = member_client(membership)

    response = client.post("/membership/join/", join_data(student))

    assert response["Location"] == "/membership/renew/"
    membership.refresh_from_db()
    assert (membership.status, membership.membership_type) == (Membership.Status.EXPIRED, individual)


def test_account_page_query_count_does_not_grow_with_orders_terms_and_donations(individual):
    membership = MembershipFactory(membership_type=individual)
    client = member_client(membership)
    product = ProductFactory()

    def add_history(count):
        for _ in range(count):
            order_for(product, user=membership.user, email=membership.user.email)
            membership.new_term()
            Donation.objects.create(user=membership.user, name="D", email="d@example.org", amount=Decimal("5"))

    def count_queries():
        client.get("/membership/account/")  # warm the shared caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/membership/account/").status_code == 200
        return len(captured)

    add_history(2)
    few = count_queries()
    add_history(10)
    assert count_queries() == few
