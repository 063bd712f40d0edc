"""Two people take the last seat at once: one gets it, the other the waitlist; never more
registrations holding seats than the capacity. Real threads, on SQLite (the write lock taken at
BEGIN, transaction_mode=IMMEDIATE, with a busy timeout, on a file as in production) and on
PostgreSQL (the event's row lock)."""

import contextlib
import threading

import pytest
from django.db import connections

from events.models import Event, Registration
from tests.factories import UserFactory

from .factories import EventFactory


def race_for_the_last_seat(event, people, monkeypatch):
    """Everyone registers at once; each waits for the others after counting the seats, the moment
    two read-then-write registrations would both see the seat free unless the second waited for
    the first from its start. Returns the errors the threads met."""
    counted = threading.Barrier(len(people), timeout=1)
    seats_held = Event.seats_held

    def seats_held_then_wait(self, now=None):
        taken = seats_held(self, now)
        with contextlib.suppress(threading.BrokenBarrierError):
            counted.wait()
        return taken

    monkeypatch.setattr(Event, "seats_held", seats_held_then_wait)
    start = threading.Barrier(len(people))
    errors = []

    def take(user):
        try:
            mine = Event.objects.get(pk=event.pk)
            start.wait()
            mine.register(user)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("paid", [False, True], ids=["free", "paid"])
def test_two_people_taking_the_last_seat_at_once_never_exceed_the_capacity(file_database, monkeypatch, paid):
    event = EventFactory(capacity=1, paid=paid)
    people = [UserFactory(), UserFactory()]

    errors = race_for_the_last_seat(event, people, monkeypatch)

    assert errors == []  # no "database is locked", no deadlock
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    holding = Registration.Status.PENDING if paid else Registration.Status.CONFIRMED
    assert statuses == sorted([holding, Registration.Status.WAITLISTED])
    assert Event.objects.get(pk=event.pk).seats_held() == 1
