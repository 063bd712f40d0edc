"""The test payment page (dummy provider): "Approve payment" and "Decline payment", the provider's raw
fields tucked away for edge cases, and a message for every outcome once the buyer lands.

The forms are read from the page and sent as a browser sends them, so a button that posts the wrong
fields fails here.
"""

import re
from html.parser import HTMLParser

import pytest

from store.models import Order, Payment

from .factories import ProductFactory, order_for
from .helpers import messages, text

pytestmark = pytest.mark.django_db


class _FormsParser(HTMLParser):
    """Each <form>: its action, the fields a browser would send, its buttons' text, whether it sits in
    a <details> (and whether that one is open)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.details = []  # stack of "open?" for the <details> we are in
        self.summaries = []
        self._form = None
        self._button = None
        self._select = None
        self._in_summary = False

    def handle_starttag(self, tag, attrs):
        attrs = {name: "" if value is None else value for name, value in attrs}
        if tag == "details":
            self.details.append("open" in attrs)
        elif tag == "summary":
            self._in_summary = True
            self.summaries.append("")
        elif tag == "form":
            self._form = {
                "action": attrs.get("action", ""),
                "fields": {},
                "visible_fields": [],
                "buttons": [],
                "in_details": bool(self.details),
                "details_open": bool(self.details) and self.details[-1],
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self._form["fields"][attrs["name"]] = attrs.get("value", "")
            if attrs.get("type") != "hidden":
                self._form["visible_fields"].append(attrs["name"])
        elif tag == "select":
            self._select = attrs.get("name")
            self._form["visible_fields"].append(self._select)
        elif tag == "option" and self._select:
            if self._select not in self._form["fields"] or "selected" in attrs:
                self._form["fields"][self._select] = attrs.get("value", "")
        elif tag == "button":
            self._button = []

    def handle_endtag(self, tag):
        if tag == "details" and self.details:
            self.details.pop()
        elif tag == "summary":
            self._in_summary = False
        elif tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "button" and self._button is not None and self._form is not None:
            self._form["buttons"].append(" ".join("".join(self._button).split()))
            self._button = None

    def handle_data(self, data):
        if self._button is not None:
            self._button.append(data)
        if self._in_summary:
            self.summaries[-1] += data


def page_forms(response):
    parser = _FormsParser()
    parser.feed(response.content.decode())
    return parser


def form_with_button(response, label):
    [form] = [form for form in page_forms(response).forms if label in form["buttons"]]
    return form


def raw_form(response):
    """The provider's own form: the one where the outcome is chosen field by field."""
    [form] = [form for form in page_forms(response).forms if "status" in form["visible_fields"]]
    return form


@pytest.fixture
def order():
    return order_for(ProductFactory(stock=5), quantity=2)


def test_the_test_payment_page_offers_approve_and_decline_and_tucks_the_raw_fields_away(client, order):
    response = client.get(order.get_pay_link())

    assert response.status_code == 200
    page = text(response)
    assert "Test payment" in page
    assert "no card is charged" in page
    parsed = page_forms(response)
    approve = form_with_button(response, "Approve payment")
    decline = form_with_button(response, "Decline payment")
    for form in (approve, decline):
        assert not form["in_details"]
        # Nothing to choose: the button says it all (only the CSRF token and the outcome are sent).
        assert form["visible_fields"] == []
    assert "Other outcomes (testing)" in [" ".join(summary.split()) for summary in parsed.summaries]
    raw = raw_form(response)
    assert raw["in_details"] and not raw["details_open"]
    assert set(raw["visible_fields"]) >= {"status", "fraud_status", "gateway_response", "verification_result"}
    # The provider's vocabulary shows only inside the <details>.
    outside = re.sub(r"<details\b.*?</details>", " ", response.content.decode(), flags=re.S)
    for raw_word in ("Waiting for confirmation", "Fraud status", "Gateway response", "Verification result"):
        assert raw_word in page
        assert raw_word not in outside


def test_approve_pays_the_order_and_the_buyer_is_told(client, order, run_on_commit):
    page = client.get(order.get_pay_link())
    approve = form_with_button(page, "Approve payment")

    with run_on_commit():
        response = client.post(approve["action"] or order.get_pay_link(), approve["fields"], follow=True)

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert f"Thank you! Order {order.reference} is paid. A receipt is on its way to {order.email}." in messages(
        response
    )
    assert "order-status--paid" in response.content.decode()


def test_decline_fails_the_payment_and_the_buyer_can_try_again(client, order):
    page = client.get(order.get_pay_link())
    decline = form_with_button(page, "Decline payment")

    response = client.post(decline["action"] or order.get_pay_link(), decline["fields"], follow=True)

    order.refresh_from_db()
    assert order.status == Order.Status.FAILED
    assert Payment.objects.get(order=order).status == "rejected"
    seen = text(response)
    assert "Your payment was not accepted. You can try again." in seen
    assert f"Pay ${order.total} now" in seen
    assert "is paid" not in seen


def test_an_edge_case_from_the_details_is_told_too(client, order):
    page = client.get(order.get_pay_link())
    raw = raw_form(page)
    fields = {**raw["fields"], "status": "waiting", "gateway_response": "3ds-disabled"}

    response = client.post(raw["action"] or order.get_pay_link(), fields, follow=True)

    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert "Your last payment was not completed; nothing was charged." in text(response)


def test_an_incomplete_edge_case_reopens_the_details_with_its_error(client, order):
    client.get(order.get_pay_link())
    fields = {"status": "waiting", "fraud_status": "unknown", "gateway_response": "3ds-redirect"}

    response = client.post(order.get_pay_link(), fields)

    assert response.status_code == 400
    raw = raw_form(response)
    assert raw["in_details"] and raw["details_open"]
    assert "When 3DS is enabled you must set post validation status" in text(response)
    # The main buttons still work after a failed edge case.
    approve = form_with_button(response, "Approve payment")
    assert approve["fields"]["status"] == "confirmed"
