"""Two visitors join at the same moment with one address in different cases: one account, same answers."""

import threading
import time

import pytest
from django.core import mail
from django.db import connections
from django.db.models.signals import post_save
from django.test import Client

from membership.models import Membership, MembershipTerm, User

from .factories import MembershipTypeFactory
from .flows import CHECK_EMAIL_PAGE, join_data


def hold_the_new_account(sender, instance, created, **kwargs):
    if created:
        time.sleep(0.3)  # keep the first join's transaction open, so the second really collides


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("n", [1, 2])
def test_two_joins_racing_for_one_address_in_different_cases_get_the_same_answer(n, file_database):
    kind = MembershipTypeFactory()
    addresses = [f"race{n}@x.test", f"RACE{n}@X.TEST"]
    start = threading.Barrier(len(addresses))
    answers, errors = {}, []

    def join(email):
        try:
            client = Client()
            start.wait()
            response = client.post("/membership/join/", join_data(kind, **{"account-email": email}))
            answers[email] = (response.status_code, response.get("Location"))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    post_save.connect(hold_the_new_account, sender=User, dispatch_uid="hold-the-new-account")
    threads = [threading.Thread(target=join, args=(email,)) for email in addresses]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        post_save.disconnect(sender=User, dispatch_uid="hold-the-new-account")

    assert errors == []
    assert answers == dict.fromkeys(addresses, (302, CHECK_EMAIL_PAGE))
    # One account with one membership and one term; nothing half-saved for the join that lost.
    [user] = User.objects.all()
    assert user.email.lower() == f"race{n}@x.test"
    assert Membership.objects.get().user == user
    assert MembershipTerm.objects.get().status == MembershipTerm.Status.PENDING
    # The winner is asked to confirm the address; the owner is told of the other attempt.
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        "Confirm your email address for the American Library Association",
        "You already have an account with the American Library Association",
    ]
    assert all(message.to == [user.email] for message in mail.outbox)
