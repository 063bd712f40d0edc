import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection


def pytest_configure(config):
    from django.conf import settings

    # Tests serve static files from the source folders, without a collectstatic manifest.
    # STATIC_ROOT comes from django-environ (an environ.Path, not a pathlib.Path).
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Strong password hashing costs a noticeable fraction of a second per user; tests make many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Cached sections and rate-limit counters must not leak from one test into the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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


def restore_staff_groups():
    """Make the staff groups again with the migrations' own code, if a flush removed them.

    A transactional test (a live server for the browser, real threads for a race) empties the
    database after it runs, migrations' rows included (Django makes content types and permissions
    again, not groups), and pytest-django runs those tests after the others. serialized_rollback
    cannot bring the groups back once the flush has re-made the content types. The data migrations
    that make groups are those that use ala_site.groups.ensure_group; they run again here, in
    migration order, on the migrations' own models.
    """
    from importlib import import_module

    from django.contrib.auth.models import Group
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    if Group.objects.filter(name="Content editors").exists():
        return
    loader = MigrationLoader(connection)
    state_apps = loader.project_state().apps
    for key in _migration_plan(loader):
        for operation in loader.graph.nodes[key].operations:
            if isinstance(operation, RunPython) and hasattr(import_module(operation.code.__module__), "ensure_group"):
                operation.code(state_apps, None)


def _migration_plan(loader):
    plan = []
    for leaf in loader.graph.leaf_nodes():
        plan += [key for key in loader.graph.forwards_plan(leaf) if key not in plan]
    return plan


def _is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return (
        "live_server" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _staff_groups(request):
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        restore_staff_groups()
