"""The search's boundaries (issue 14): each app declares what of it is searchable, and `ala_site`
imports no app's models, so the site-wide app never reaches into another's tables by itself.

Read from the source (the import statements), so an import added anywhere in `ala_site`, even one
no test exercises, fails here.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

from ala_site.search import kinds

ALA_SITE = Path(settings.BASE_DIR) / "ala_site"


def project_apps():
    """The project's own apps other than ala_site (those whose code lives in this checkout)."""
    base = Path(settings.BASE_DIR).resolve()
    return {
        config.name
        for config in apps.get_app_configs()
        if config.name != "ala_site" and Path(config.path).resolve().parent == base
    }


def imports_of(path):
    """Every module a file imports, as dotted names (`from store import models` gives store.models)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def ala_site_sources():
    return [path for path in ALA_SITE.rglob("*.py") if "migrations" not in path.parts]


def test_the_project_apps_are_found():
    assert {"advocacy", "events", "joblist", "store", "censorship", "membership"} <= project_apps()


def test_ala_site_imports_no_apps_models():
    others = project_apps()
    found = []
    for path in ala_site_sources():
        for name in imports_of(path):
            parts = name.split(".")
            if parts[0] in others and "models" in parts[1:]:
                found.append(f"{path.relative_to(settings.BASE_DIR)}: {name}")

    assert found == []


def test_the_search_modules_import_nothing_of_the_apps():
    """The search finds the apps' declarations by name (`<app>.search`), never by importing them."""
    others = project_apps()
    search_files = [ALA_SITE / "search.py", ALA_SITE / "search_views.py"]
    search_files += list((ALA_SITE / "management" / "commands").glob("search*.py"))
    found = [
        f"{path.name}: {name}" for path in search_files for name in imports_of(path) if name.split(".")[0] in others
    ]

    assert found == []


def test_each_searchable_kind_is_declared_by_its_own_app():
    owners = {kind.key: kind.queryset().model._meta.app_label for kind in kinds()}
    declared_in = {}
    for kind in kinds():
        declared_in[kind.key] = kind.queryset.__module__.split(".")[0]

    assert owners == {
        "news": "advocacy",
        "events": "events",
        "jobs": "joblist",
        "store": "store",
        "resumes": "censorship",
    }
    assert declared_in == owners
