"""Races, with real threads: on SQLite on a file (the write lock taken at BEGIN) and on PostgreSQL
(the unique address; the alert's row lock). The same address signed up many times at once makes
one subscriber and one email; two senders of one alert at once send each subscriber one email."""

import pytest
from django.core import mail

from advocacy.models import AdvocacyAlert, AlertDelivery, AlertSubscriber
from tests.concurrency import run_at_once

from .factories import AdvocacyAlertFactory, AlertSubscriberFactory


@pytest.mark.django_db(transaction=True)
def test_the_same_address_signed_up_at_once_makes_one_subscriber_and_one_email(file_database):
    def sign_up(n):
        AlertSubscriber.sign_up(
            email="pat@example.org", name=f"Pat {n}", zip_code="60601", state="IL", interests=["funding"]
        )

    errors = run_at_once(sign_up, range(4))

    assert errors == []
    assert AlertSubscriber.objects.count() == 1
    assert [message.to for message in mail.outbox] == [["pat@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_two_senders_of_one_alert_at_once_send_each_subscriber_one_email(file_database):
    subscribers = [AlertSubscriberFactory() for _ in range(12)]
    alert = AdvocacyAlertFactory()
    alert.start_sending(by=None)

    def sender(n):
        AdvocacyAlert.objects.get(pk=alert.pk).send_all(size=3)

    errors = run_at_once(sender, range(2))

    assert errors == []
    addresses = sorted(address for message in mail.outbox for address in message.to)
    assert addresses == sorted(subscriber.email for subscriber in subscribers)
    assert AlertDelivery.objects.count() == 12
    assert AdvocacyAlert.objects.get(pk=alert.pk).status == AdvocacyAlert.Status.SENT
