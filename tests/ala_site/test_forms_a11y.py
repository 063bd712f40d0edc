"""Every form, as assistive technology meets it: the error summary and the page title after a failed
submit, autocomplete tokens, a honeypot that only bots see, the required-field asterisk explained,
opt-in consent, and the login page warning before the lockout.

The pages are read as a tree (ids, roles, attributes), the way a screen reader reads them; the
focus itself is checked in a real browser (tests/browser/test_forms.py).
"""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client

from membership.models import Membership
from tests.factories import UserFactory
from tests.membership.factories import MembershipFactory, MembershipTypeFactory
from tests.membership.flows import join_data
from tests.store.factories import ProductFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-42"  # UserFactory's
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# A small DOM ---------------------------------------------------------------------------------


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, **attrs):
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and all(element.attrs.get(name.rstrip("_").replace("_", "-")) == value for name, value in attrs.items())
        ]

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, id_):
        return next((element for element in self.iter() if element.attrs.get("id") == id_), None)

    def text(self):
        parts = []
        for child in self.children:
            if isinstance(child, Element):
                if child.tag not in ("script", "style"):
                    parts.append(child.text())
            else:
                parts.append(child)
        return " ".join(" ".join(parts).split())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: "" if value is None else value for name, value in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(
            Element(tag, {name: "" if value is None else value for name, value in attrs}, self.current)
        )

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def dom(response):
    builder = _TreeBuilder()
    builder.feed(response.content.decode())
    builder.close()
    return builder.root


def title(page):
    return page.find("title").text()


def error_summary(page):
    """The error summary: an alert in <main>, focusable by script, before the page's heading."""
    summaries = [
        element
        for element in page.find("main").iter()
        if element.attrs.get("role") == "alert" and "There is a problem" in element.text()
    ]
    return summaries[0] if summaries else None


def assert_error_summary(response, links=(), texts=()):
    """The summary lists each problem: `links` (field id, error) as links to the field, `texts` as text."""
    page = dom(response)
    summary = error_summary(page)
    assert summary is not None, "no error summary"
    assert summary.attrs.get("tabindex") == "-1"
    assert summary.find("h2") is not None and summary.find("h2").text() == "There is a problem"
    # The first thing in <main>: before the page's heading, so it is what focus lands on and reads.
    main_elements = list(page.find("main").iter())
    assert main_elements.index(summary) < main_elements.index(page.find("h1"))
    assert title(page).startswith("Error: "), title(page)
    found = {a.attrs["href"]: a.text() for a in summary.find_all("a")}
    for field_id, message in links:
        assert f"#{field_id}" in found, (field_id, found)
        assert message in found[f"#{field_id}"]
        target = page.by_id(field_id)
        assert target is not None and target.tag in ("input", "select", "textarea"), field_id
    for message in texts:
        assert message in summary.text()
    for href in found:
        assert page.by_id(href[1:]) is not None, f"summary link {href} goes nowhere"
    return summary


def assert_no_error_summary(response):
    page = dom(response)
    assert error_summary(page) is None
    assert not title(page).startswith("Error")
    text = page.find("main").text()
    assert "There is a problem" not in text
    assert "Please correct" not in text
    assert not page.find("main").find_all(role="alert")


def field(page, name):
    found = page.find_all(name=name)
    assert found, f"no field {name}"
    return found[0]


# Fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def member_client():
    client = Client()
    client.force_login(MembershipFactory(user__email="member@example.org").user)
    return client


@pytest.fixture
def poster():
    return ProductFactory(title="READ Your Way Poster", price=Decimal("18.00"), stock=10)


def in_cart(client, product, quantity=1):
    assert client.post("/store/cart/add/", {"product": product.pk, "quantity": quantity}).status_code == 302


# Before anything is submitted --------------------------------------------------------------


def test_form_pages_have_no_error_summary_before_a_submit(client, member_client, poster):
    MembershipTypeFactory()
    pages = [client.get(path) for path in ["/donate/", "/membership/join/", "/accounts/login/"]]
    pages += [client.get(path) for path in ["/accounts/password_reset/", "/cookies/", poster.get_absolute_url()]]
    pages += [member_client.get(path) for path in ["/membership/renew/", "/membership/account/"]]
    pages.append(member_client.get("/accounts/password_change/"))
    in_cart(client, poster)
    pages += [client.get("/store/cart/"), client.get("/store/checkout/")]
    for response in pages:
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert_no_error_summary(response)


# After a failed submit -----------------------------------------------------------------------


def test_donate_lists_each_problem_as_a_link_to_its_field(client):
    response = client.post(
        "/donate/", {"preset_amount": "other", "other_amount": "12.345", "fund": "general", "name": "", "email": "x"}
    )
    assert response.status_code == 200
    assert_error_summary(
        response,
        links=[
            ("id_other_amount", "Use at most two decimal places (cents)."),
            ("id_name", "This field is required."),
            ("id_email", "Enter a valid email address."),
            ("id_fund", "Select a valid choice."),
        ],
    )


def test_donate_summary_links_a_choice_of_radios_to_its_first_radio(client):
    response = client.post("/donate/", {"name": "Pat", "email": "pat@example.org", "fund": "greatest_need"})
    assert_error_summary(response, links=[("id_preset_amount_0", "Choose an amount.")])


def test_donate_honeypot_error_is_listed_as_text(client):
    data = {"preset_amount": "50", "fund": "greatest_need", "name": "Pat", "email": "pat@example.org"}
    response = client.post("/donate/", {**data, "website": "http://spam.example"})
    summary = assert_error_summary(response, texts=["This submission looks automated"])
    assert not summary.find_all("a")


def test_join_lists_the_account_and_membership_problems(client):
    individual = MembershipTypeFactory()
    data = join_data(individual, **{"account-first_name": "", "accept_code_of_conduct": None})
    response = client.post("/membership/join/", data)
    assert response.status_code == 200
    assert_error_summary(
        response,
        links=[
            ("id_account-first_name", "This field is required."),
            ("id_accept_code_of_conduct", "Members agree to the Code of Conduct"),
        ],
    )
    page = dom(response)
    # Each field's own error stays next to it, tied to it for screen readers.
    checkbox = page.by_id("id_accept_code_of_conduct")
    assert checkbox.attrs.get("aria-invalid") == "true"
    described = checkbox.attrs["aria-describedby"].split()
    assert any("Members agree to the Code of Conduct" in page.by_id(id_).text() for id_ in described)


def test_join_without_a_type_links_to_the_first_type(client):
    individual = MembershipTypeFactory()
    response = client.post("/membership/join/", join_data(individual, membership_type=None))
    assert_error_summary(response, links=[("id_membership_type_0", "Choose a membership type.")])


def test_renew_lists_its_problem(member_client):
    response = member_client.post("/membership/renew/", {"membership_type": "999999"})
    assert response.status_code == 200
    assert_error_summary(response, links=[("id_membership_type_0", "Choose one of the listed types.")])


def test_account_profile_lists_its_problem(member_client):
    response = member_client.post(
        "/membership/account/", {"profile-first_name": "", "profile-last_name": "Hayden", "save_profile": ""}
    )
    assert response.status_code == 200
    assert_error_summary(response, links=[("id_profile-first_name", "This field is required.")])


def test_checkout_lists_each_problem(client, poster):
    in_cart(client, poster)
    response = client.post("/store/checkout/", {"name": "", "email": "nope", "country": "United States"})
    assert response.status_code == 400
    assert_error_summary(
        response,
        links=[
            ("id_name", "Enter your name."),
            ("id_email", "Enter an email address like name@example.org."),
            ("id_address_line1", "Enter the street address for billing."),
            ("id_city", "Enter the city."),
            ("id_postal_code", "Enter the ZIP or postal code."),
        ],
    )


def test_login_failure_is_listed_as_text_and_empty_fields_as_links(client):
    response = client.post("/accounts/login/", {"username": "nobody@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert_error_summary(response, texts=["Please enter a correct email address and password."])

    response = client.post("/accounts/login/", {"username": "", "password": ""})
    assert_error_summary(
        response, links=[("id_username", "This field is required."), ("id_password", "This field is required.")]
    )


def test_password_reset_lists_its_problems(client):
    response = client.post("/accounts/password_reset/", {"email": "not-an-address"})
    assert response.status_code == 200
    assert_error_summary(response, links=[("id_email", "Enter a valid email address.")])

    response = client.post("/accounts/password_reset/", {"email": "a@example.org", "website": "spam"})
    assert_error_summary(response, texts=["This submission looks automated"])
    assert not mail.outbox


def test_password_change_lists_its_problems(member_client):
    response = member_client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": "Shelves-and-stacks-2026", "new_password2": "different"},
    )
    assert response.status_code == 200
    assert_error_summary(
        response,
        links=[("id_old_password", "Your old password was entered incorrectly."), ("id_new_password2", "")],
    )


def test_cookie_settings_list_a_bad_choice(client):
    response = client.post("/cookies/", {"choice": "maybe"})
    assert response.status_code == 400
    assert_error_summary(response, texts=["Choose one of the buttons."])


def test_cart_quantity_error_is_listed_with_the_item(client, poster):
    in_cart(client, poster)
    response = client.post("/store/cart/update/", {"product": poster.pk, "quantity": "0"})
    assert response.status_code == 400
    summary = assert_error_summary(response, links=[(f"cart-{poster.pk}-quantity", "Enter a quantity of at least 1.")])
    assert "READ Your Way Poster" in summary.text()


def test_product_quantity_error_is_on_the_field_which_takes_focus(client, poster):
    response = client.post("/store/cart/add/", {"product": poster.pk, "quantity": "abc"})
    assert response.status_code == 400
    page = dom(response)
    assert title(page).startswith("Error: ")
    quantity = page.by_id("id_quantity")
    assert quantity.attrs.get("aria-invalid") == "true"
    assert "data-focus-on-load" in quantity.attrs
    error = page.by_id(quantity.attrs["aria-describedby"])
    assert "Enter the quantity as a whole number, like 2." in error.text()
    assert "/static/js/forms.js" in [s.attrs.get("src") for s in page.find_all("script")]


def test_product_honeypot_error_gets_the_summary(client, poster):
    response = client.post("/store/cart/add/", {"product": poster.pk, "quantity": "1", "website": "x"})
    assert_error_summary(response, texts=["This submission looks automated"])


def test_every_page_loads_the_forms_script(client):
    page = dom(client.get("/donate/"))
    assert "/static/js/forms.js" in [s.attrs.get("src") for s in page.find_all("script")]


# Autocomplete --------------------------------------------------------------------------------


def autocomplete(response):
    return {
        element.attrs["name"]: element.attrs.get("autocomplete")
        for element in dom(response).find("main").find_all("input")
        if element.attrs.get("type") != "hidden"
    }


def test_personal_data_fields_say_what_they_hold(client, member_client, poster):
    tokens = autocomplete(client.get("/donate/"))
    assert (tokens["name"], tokens["email"]) == ("name", "email")

    MembershipTypeFactory()
    tokens = autocomplete(client.get("/membership/join/"))
    assert tokens["account-email"] == "email"
    assert (tokens["account-first_name"], tokens["account-last_name"]) == ("given-name", "family-name")
    assert tokens["account-password1"] == tokens["account-password2"] == "new-password"

    tokens = autocomplete(client.get("/accounts/login/"))
    assert (tokens["username"], tokens["password"]) == ("username", "current-password")
    assert autocomplete(client.get("/accounts/password_reset/"))["email"] == "email"

    tokens = autocomplete(member_client.get("/accounts/password_change/"))
    assert tokens["old_password"] == "current-password"
    assert tokens["new_password1"] == tokens["new_password2"] == "new-password"

    tokens = autocomplete(member_client.get("/membership/account/"))
    assert (tokens["profile-first_name"], tokens["profile-last_name"]) == ("given-name", "family-name")

    in_cart(client, poster)
    tokens = autocomplete(client.get("/store/checkout/"))
    assert {name: tokens[name] for name in tokens if name != "website"} == {
        "name": "name",
        "email": "email",
        "address_line1": "address-line1",
        "address_line2": "address-line2",
        "city": "address-level2",
        "region": "address-level1",
        "postal_code": "postal-code",
        "country": "country-name",
    }


# The honeypot --------------------------------------------------------------------------------


def test_the_honeypot_is_hidden_from_assistive_technology_in_every_form(client, poster):
    MembershipTypeFactory()
    in_cart(client, poster)
    paths = ["/donate/", "/membership/join/", "/accounts/password_reset/", "/store/cart/", "/store/checkout/"]
    paths.append(poster.get_absolute_url())
    for path in paths:
        page = dom(client.get(path))
        honeypots = page.find_all("input", name="website")
        assert honeypots, path
        for honeypot in honeypots:
            # Still a plain, normal-looking text field with a label, for bots.
            assert honeypot.attrs.get("type") == "text"
            assert honeypot.attrs.get("tabindex") == "-1"
            assert honeypot.attrs.get("autocomplete") == "off"
            hidden = [a for a in honeypot.ancestors() if a.attrs.get("aria-hidden") == "true"]
            assert hidden, path
            label = hidden[0].find("label")
            assert label.text() == "Leave this empty" and label.attrs["for"] == honeypot.attrs["id"]


# Required fields -----------------------------------------------------------------------------


def forms_with_asterisks(page):
    return [form for form in page.find_all("form") if form.find_all(class_="asteriskField")]


def test_the_asterisk_is_explained_once_per_form_and_hidden_from_screen_readers(client, member_client, poster):
    MembershipTypeFactory()
    in_cart(client, poster)
    responses = [client.get(path) for path in ["/donate/", "/membership/join/", "/accounts/login/"]]
    responses += [client.get("/accounts/password_reset/"), client.get("/store/checkout/")]
    responses += [member_client.get(path) for path in ["/membership/renew/", "/membership/account/"]]
    responses.append(member_client.get("/accounts/password_change/"))
    for response in responses:
        path = response.request["PATH_INFO"]
        page = dom(response)
        forms = forms_with_asterisks(page)
        assert forms, path
        for form in forms:
            assert form.text().count("Fields marked * are required.") == 1, path
            for asterisk in form.find_all(class_="asteriskField"):
                assert asterisk.attrs.get("aria-hidden") == "true", path
                label = asterisk.parent
                control = dom_control(form, label)
                assert control is not None, (path, label.text())
                # A select that always holds a value gets no `required` from Django: aria-required.
                assert "required" in control.attrs or control.attrs.get("aria-required") == "true", (path, label.text())
        # A form without required fields has no note.
        for form in page.find_all("form"):
            if form not in forms:
                assert "Fields marked * are required" not in form.text(), path


def dom_control(form, label):
    """The control a label (or a radio group's legend) stands for."""
    if label.tag == "label":
        return form.by_id(label.attrs["for"])
    group = label.parent
    return group.find("input")


# Consent is opt-in ---------------------------------------------------------------------------


def test_association_news_is_not_ticked_on_the_join_form(client, member_client):
    MembershipTypeFactory()
    news = field(dom(client.get("/membership/join/")), "news_emails")
    assert "checked" not in news.attrs

    # Joining without ticking it stores no consent.
    individual = MembershipTypeFactory()
    client.post("/membership/join/", join_data(individual, news_emails=None))
    assert Membership.objects.get(user__email="mina.okafor@example.org").news_emails is False


def test_existing_members_keep_their_news_choice(member_client):
    membership = Membership.objects.get(user__email="member@example.org")
    assert membership.news_emails is True  # as stored
    news = field(dom(member_client.get("/membership/account/")), "prefs-news_emails")
    assert "checked" in news.attrs


# Warning before the lockout -----------------------------------------------------------------


ATTEMPTS_LEFT = re.compile(r"(\d) attempts? left before the account is locked for 15 minutes")


def attempts_left(response):
    summary = error_summary(dom(response))
    found = ATTEMPTS_LEFT.search(summary.text()) if summary else None
    return int(found.group(1)) if found else None


def fail(client, email):
    response = client.post("/accounts/login/", {"username": email, "password": "wrong-guess"})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("email", ["reader@example.org", "nobody-has-this@example.org"])
def test_failed_logins_three_and_four_warn_the_same_whether_or_not_the_account_exists(email):
    UserFactory(email="reader@example.org")
    client = Client()
    responses = [fail(client, email) for _ in range(4)]
    assert [attempts_left(response) for response in responses] == [None, None, 2, 1]
    assert "1 attempt left before the account is locked for 15 minutes" in error_summary(dom(responses[3])).text()
    fifth = client.post("/accounts/login/", {"username": email, "password": "wrong-guess"})
    assert fifth.status_code in (403, 429)


def test_the_warning_counts_this_email_only_and_in_any_case():
    client = Client()
    for _ in range(2):
        fail(client, "reader@example.org")
    assert attempts_left(fail(client, "other@example.org")) is None
    assert attempts_left(fail(client, "READER@example.org")) == 2


def test_the_warning_counts_this_address_only():
    for _ in range(3):
        fail(Client(REMOTE_ADDR="10.0.0.1"), "reader@example.org")
    assert attempts_left(fail(Client(REMOTE_ADDR="10.0.0.2"), "reader@example.org")) is None


def test_no_warning_on_the_login_page_before_a_failure(client):
    for _ in range(3):
        fail(client, "reader@example.org")
    assert "attempts left" not in dom(client.get("/accounts/login/")).text()
