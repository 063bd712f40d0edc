"""Two staff moderate the same story at once: one decision wins, the other is told the story was
already moderated; never both recorded, never two emails. Real threads, on SQLite (a file, the
write lock taken at BEGIN) and on PostgreSQL (the story's row lock)."""

import contextlib
import threading

import pytest
from django.core import mail
from django.db import connections

from advocacy.models import Story
from advocacy.models.stories import StoryModerationError
from tests.concurrency import run_at_once
from tests.factories import StaffFactory

from .news_factories import StoryFactory
from .test_stories import answers


@pytest.mark.django_db(transaction=True)
def test_approve_and_reject_at_once_record_one_decision(file_database, monkeypatch):
    story = StoryFactory()
    approver, rejecter = StaffFactory(), StaffFactory()
    # Each waits in save() for the other: without the row lock both would get there and both
    # decisions would be written, the later over the earlier.
    saved = threading.Barrier(2, timeout=1)
    save = Story.save

    def save_then_wait(self, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            saved.wait()
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Story, "save", save_then_wait)
    start = threading.Barrier(2)
    outcomes = {}

    def moderate(name, step):
        try:
            copy = Story.objects.get(pk=story.pk)
            start.wait()
            step(copy)
            outcomes[name] = "done"
        except StoryModerationError:
            outcomes[name] = "refused"
        except Exception as error:  # surfaced by the assertion below
            outcomes[name] = repr(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=moderate, args=("approve", lambda copy: copy.approve(by=approver))),
        threading.Thread(target=moderate, args=("reject", lambda copy: copy.reject(by=rejecter, reason="Spam"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()) == ["done", "refused"]
    story.refresh_from_db()
    if outcomes["approve"] == "done":
        assert (story.status, story.moderated_by, story.rejection_reason) == (Story.Status.APPROVED, approver, "")
        assert len(mail.outbox) == 1
    else:
        assert (story.status, story.moderated_by, story.rejection_reason) == (Story.Status.REJECTED, rejecter, "Spam")
        assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_same_story_sent_twice_at_once_is_stored_once_and_confirmed_once(file_database):
    """A double-click sends the form twice at the same moment: the unique fingerprint keeps one."""
    from django.test import Client

    statuses = []
    errors = run_at_once(
        lambda client: statuses.append(
            client.post("/advocacy/stories/new/", answers(publish_consent="yes")).status_code
        ),
        [1, 2],
        prepare=lambda n: Client(REMOTE_ADDR=f"192.0.2.{n}"),
    )

    assert errors == []
    assert statuses == [302, 302]
    assert Story.objects.count() == 1
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
