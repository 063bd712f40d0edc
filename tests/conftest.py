from pathlib import Path

import pytest
from django.core.cache import cache


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
