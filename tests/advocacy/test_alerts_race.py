"""Races, with real threads: on SQLite on a file (the write lock taken at BEGIN) and on PostgreSQL
(the unique address; the alert's row lock). The same address signed up many times at once makes
one subscriber and one email; two senders of one alert at once send each subscriber one email."""

import threading

import pytest
from django.core import mail
from django.db import connections

from advocacy.models import AdvocacyAlert, AlertDelivery, AlertSubscriber

from .factories import AdvocacyAlertFactory, AlertSubscriberFactory


def run_together(count, work):
    """`work(n)` in `count` threads released at the same moment; returns the errors they met."""
    start = threading.Barrier(count)
    errors = []

    def run(n):
        try:
            start.wait()
            work(n)
        except Exception as error:  # surfaced by the assertions
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_the_same_address_signed_up_at_once_makes_one_subscriber_and_one_email(file_database):
    def sign_up(n):
        AlertSubscriber.sign_up(
            email="pat@example.org", name=f"Pat {n}", zip_code="60601", state="IL", interests=["funding"]
        )

    errors = run_together(4, sign_up)

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

    errors = run_together(2, sender)

    assert errors == []
    addresses = sorted(address for message in mail.outbox for address in message.to)
    assert addresses == sorted(subscriber.email for subscriber in subscribers)
    assert AlertDelivery.objects.count() == 12
    assert AdvocacyAlert.objects.get(pk=alert.pk).status == AdvocacyAlert.Status.SENT
