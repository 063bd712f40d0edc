"""Whatever the payment provider answers, the order and the page the buyer lands on agree with it.

The dummy provider's form lets the buyer pick the payment's status, its fraud status and how the
gateway answers (with 3-D Secure, the status after verification too): every combination is tried.
"""

import itertools

import pytest
from payments import FraudStatus, PaymentStatus

from store.models import Order, Payment, Product

from .factories import ProductFactory, order_for
from .helpers import messages, text

pytestmark = pytest.mark.django_db

STATUSES = [value for value, _ in PaymentStatus.CHOICES]
FRAUD_STATUSES = [value for value, _ in FraudStatus.CHOICES]
GATEWAY_RESPONSES = ["3ds-disabled", "3ds-redirect", "failure", "payment-error"]

PAID = "is paid. A receipt is on its way"
NOT_CHARGED = "nothing was charged"
NOT_ACCEPTED = "Your payment was not accepted. You can try again."
NO_ANSWER = "The payment service did not answer. Nothing was charged; please try again."

# What the buyer's money and order end up as, for the payment's final status. An authorised
# (pre-authorised) payment is captured at once: the store sells nothing on approval.
EXPECTED = {
    PaymentStatus.CONFIRMED: (PaymentStatus.CONFIRMED, Order.Status.PAID),
    PaymentStatus.PREAUTH: (PaymentStatus.CONFIRMED, Order.Status.PAID),
    PaymentStatus.REJECTED: (PaymentStatus.REJECTED, Order.Status.FAILED),
    PaymentStatus.ERROR: (PaymentStatus.ERROR, Order.Status.FAILED),
    PaymentStatus.WAITING: (PaymentStatus.WAITING, Order.Status.PENDING),
    PaymentStatus.INPUT: (PaymentStatus.INPUT, Order.Status.PENDING),
    PaymentStatus.CANCELLED: (PaymentStatus.CANCELLED, Order.Status.PENDING),
    PaymentStatus.REFUNDED: (PaymentStatus.REFUNDED, Order.Status.PENDING),
}


def pay_and_follow(client, order, status, fraud_status, gateway_response, verification_result=None):
    client.get(order.get_pay_link())  # opens the payment, as the buyer does
    data = {"status": status, "fraud_status": fraud_status, "gateway_response": gateway_response}
    if gateway_response == "3ds-redirect":
        data["verification_result"] = verification_result or status
    return client.post(order.get_pay_link(), data, follow=True)


def seen(response):
    """What the buyer reads: the flashed messages and the page they land on."""
    return " ".join([*messages(response), text(response)])


@pytest.mark.parametrize(
    "status, fraud_status, gateway_response", list(itertools.product(STATUSES, FRAUD_STATUSES, GATEWAY_RESPONSES))
)
def test_order_payment_and_message_agree_for_every_answer_of_the_provider(
    client, run_on_commit, status, fraud_status, gateway_response
):
    poster = ProductFactory(stock=5)
    order = order_for(poster, quantity=2)

    with run_on_commit():
        response = pay_and_follow(client, order, status, fraud_status, gateway_response)

    assert response.status_code == 200
    payment = Payment.objects.get(order=order)
    order.refresh_from_db()
    poster.refresh_from_db()
    payment_status, order_status = EXPECTED[status]
    assert (payment.status, order.status) == (payment_status, order_status)
    assert payment.fraud_status == fraud_status  # recorded for staff; the order follows the money
    page = seen(response)
    assert f"order-status--{order_status}" in response.content.decode()  # the status on the order page
    if order_status == Order.Status.PAID:
        if gateway_response != "3ds-redirect":  # 3-D Secure returns through the provider, past the store's view
            assert f"Thank you! Order {order.reference} {PAID} to {order.email}." in page
        assert payment.captured_amount == order.total
        assert poster.stock == 3
        assert "charged" not in page.lower() and "not accepted" not in page
        assert response.redirect_chain[-1][0].endswith(order.get_link())
    else:
        assert PAID not in page
        assert poster.stock == 5
        if order_status == Order.Status.FAILED:
            assert NOT_ACCEPTED in page
        elif gateway_response in ("failure", "payment-error"):
            assert NO_ANSWER in page
        else:
            assert "Your last payment was not completed; nothing was charged." in page
        assert f"Pay ${order.total} now" in page  # the buyer can try again
    assert not Payment.objects.filter(settlement__in=[Payment.Settlement.NOT_APPLIED, Payment.Settlement.REFUND_DUE])


@pytest.mark.parametrize("verification_result", [PaymentStatus.REJECTED, PaymentStatus.ERROR, PaymentStatus.CANCELLED])
def test_a_payment_reported_failed_after_it_paid_the_order_is_left_to_staff(client, run_on_commit, verification_result):
    """3-D Secure "fails" after the provider said "confirmed". Providers' callbacks arrive out of
    order, so a late failure never unpays an order by itself: staff check it with the provider."""
    poster = ProductFactory(stock=5)
    order = order_for(poster, quantity=2)

    with run_on_commit():
        response = pay_and_follow(
            client, order, PaymentStatus.CONFIRMED, FraudStatus.ACCEPT, "3ds-redirect", verification_result
        )

    payment = Payment.objects.get(order=order)
    order.refresh_from_db()
    assert (payment.status, order.status) == (verification_result, Order.Status.PAID)
    assert payment.settlement == Payment.Settlement.CHECK
    assert "check with the provider" in payment.settlement_note
    assert Product.objects.get(pk=poster.pk).stock == 3
    assert "order-status--paid" in response.content.decode()
    assert NOT_CHARGED not in seen(response).lower()


def test_a_payment_confirmed_after_3ds_pays_the_order(client, run_on_commit):
    order = order_for(ProductFactory(stock=5))
    with run_on_commit():
        response = pay_and_follow(client, order, PaymentStatus.WAITING, FraudStatus.ACCEPT, "3ds-redirect", "confirmed")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert "order-status--paid" in response.content.decode()
    assert NOT_CHARGED not in seen(response).lower()
