import sqlite3
from contextlib import closing

import pytest
from django.db import connection


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Emails go out when the transaction commits; in these tests, run them as they happen."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def file_database(tmp_path):
    """On SQLite, run the test against a file copy of the test database, as production does.

    pytest-django's SQLite test database lives in memory, shared between connections through
    SQLite's shared cache, which locks whole tables and fails at once ("database table is
    locked") instead of waiting: threads racing there test nothing real. The copy lives for the
    test; every connection, including new threads', opens it (they share this settings dict).
    PostgreSQL needs none of this.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = str(tmp_path / "db.sqlite3")
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    in_memory_name, in_memory_connection = connection.settings_dict["NAME"], connection.connection
    connection.settings_dict["NAME"] = path
    connection.connection = None
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = in_memory_name
        connection.connection = in_memory_connection
