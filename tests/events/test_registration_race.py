"""Two people take the last seat at once: one gets it, the other the waitlist; never more
registrations holding seats than the capacity. Real threads, on SQLite (the write lock taken at
BEGIN, transaction_mode=IMMEDIATE, with a busy timeout, on a file as in production) and on
PostgreSQL (the event's row lock)."""

import contextlib
import threading

import pytest

from events.models import Event, Registration
from tests.concurrency import run_at_once
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

    def own_copy(user):
        return Event.objects.get(pk=event.pk), user

    return run_at_once(lambda ready: ready[0].register(ready[1]), people, prepare=own_copy)


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
