"""collectstatic writes a brotli copy beside each static file, and whitenoise serves it to browsers
that accept it (the `brotli` package is a dependency; without it whitenoise writes gzip alone)."""

import brotli
import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic with production's storage, over the site's CSS only (the whole tree takes ~20 s)."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = [("css", django_settings.BASE_DIR / "static" / "css")]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_collectstatic_writes_a_brotli_copy_of_the_site_css(collected):
    hashed = staticfiles_storage.stored_name("css/site.css")
    assert hashed != "css/site.css"  # the manifest named it by its content
    original = (collected / hashed).read_bytes()
    compressed = (collected / f"{hashed}.br").read_bytes()

    assert brotli.decompress(compressed) == original
    assert len(compressed) < len(original) / 3
    assert (collected / f"{hashed}.gz").exists()  # gzip for the clients without brotli


def test_whitenoise_serves_brotli_to_browsers_that_accept_it(collected, client):
    url = staticfiles_storage.url("css/site.css")
    original = (collected / staticfiles_storage.stored_name("css/site.css")).read_bytes()

    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert brotli.decompress(b"".join(response.streaming_content)) == original

    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert b"".join(plain.streaming_content) == original
