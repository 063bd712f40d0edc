"""SQLite, the default database, holds under the concurrency gunicorn gives it."""

import contextlib
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):
    # These tests open their own file databases, outside the test database pytest-django guards.
    with django_db_blocker.unblock():
        yield


def file_connection(path, alias):
    """A connection with the project's SQLite settings, to a real file (tests use memory)."""
    settings_dict = {**settings.DATABASES["default"], "NAME": str(path)}
    settings_dict.setdefault("TIME_ZONE", None)
    return DatabaseWrapper(settings_dict, alias=alias)


def test_sqlite_uses_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    db = file_connection(tmp_path / "site.sqlite3", "check")
    try:
        with db.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    finally:
        db.close()


def test_two_read_then_write_transactions_at_once_both_commit(tmp_path):
    """Deferred transactions that both read then write deadlock ("database is locked")."""
    path = tmp_path / "race.sqlite3"
    setup = file_connection(path, "setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE stock (id INTEGER PRIMARY KEY, left INTEGER)")
        cursor.execute("INSERT INTO stock VALUES (1, 10)")
    setup.close()

    both_read = threading.Barrier(2, timeout=1)
    errors = []

    def buy(name):
        db = file_connection(path, name)
        try:
            db.ensure_connection()
            db._start_transaction_under_autocommit()  # what atomic() runs: BEGIN <transaction_mode>
            with db.cursor() as cursor:
                left = cursor.execute("SELECT left FROM stock WHERE id = 1").fetchone()[0]
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait()  # with IMMEDIATE the second buyer waits at BEGIN instead
                cursor.execute("UPDATE stock SET left = %s WHERE id = 1", [left - 1])
            db.connection.commit()
        except Exception as error:  # recorded for the assertion below
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=buy, args=(f"buyer{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    check = file_connection(path, "check")
    with check.cursor() as cursor:
        assert cursor.execute("SELECT left FROM stock").fetchone()[0] == 8
    check.close()
