"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Where Chromium is missing these tests skip, unless REQUIRE_BROWSER=1 (CI sets it), so a
missing browser never passes silently.
"""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but Chromium is missing at {CHROMIUM}: run `make browser`.")
    skip = pytest.mark.skip(reason="Chromium is not installed (`make browser` installs it)")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture
def axe_violations():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page):
        result = axe.run(page)
        return [
            f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes: "
            f"{', '.join(node['target'][0] for node in violation['nodes'][:3])})"
            for violation in result.response["violations"]
        ]

    return run


def restore_staff_groups():
    """Make the staff groups again with the migrations' own code, if a flush removed them.

    Browser tests run against a live server, so their database is emptied after each test,
    migrations' rows included (Django makes content types and permissions again, not groups).
    serialized_rollback cannot bring them back once the flush has re-made the content types.
    The data migrations that make groups are those that use ala_site.groups.ensure_group; they
    run again here, in migration order, on the migrations' own models.
    """
    from importlib import import_module

    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    if Group.objects.filter(name="Content editors").exists():
        return
    loader = MigrationLoader(connection)
    state_apps = loader.project_state().apps
    for key in _plan(loader):
        for operation in loader.graph.nodes[key].operations:
            if isinstance(operation, RunPython) and hasattr(import_module(operation.code.__module__), "ensure_group"):
                operation.code(state_apps, None)


def _plan(loader):
    plan = []
    for leaf in loader.graph.leaf_nodes():
        plan += [key for key in loader.graph.forwards_plan(leaf) if key not in plan]
    return plan


@pytest.fixture(autouse=True)
def _staff_groups(request):
    if "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        restore_staff_groups()
