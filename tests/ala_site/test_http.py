"""HTTP as monitors, crawlers and attackers use it: HEAD answers, TRACE does not, headers are set."""

import pytest
from django.core import checks
from django.core.management import call_command

from tests.factories import UserFactory
from tests.sitemap_utils import index_entries, path_of, sitemap_paths

from .test_smoke import AUTHENTICATED_URLS, PUBLIC_URLS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_content(db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_head_answers_like_get_on_every_public_url_and_every_sitemap_address(client, demo_content):
    section_pages = [path_of(location) for location, _ in index_entries(client)]
    paths = sorted(set(PUBLIC_URLS) | set(section_pages) | set(sitemap_paths(client)))
    assert len(paths) > len(PUBLIC_URLS)
    for path in paths:
        get = client.get(path)
        head = client.head(path)
        assert head.status_code == get.status_code == 200, f"HEAD {path} answered {head.status_code}"
        assert head.content == b"", path
        assert head["Content-Type"] == get["Content-Type"], path


def test_head_answers_on_pages_behind_a_login(client, demo_content):
    client.force_login(UserFactory())
    for path in AUTHENTICATED_URLS:
        assert client.head(path).status_code == 200, path


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "CONNECT"])
def test_trace_and_proxy_methods_are_refused_everywhere(client, demo_content, method):
    for path in [*PUBLIC_URLS, "/membership/account/", "/static/css/site.css", "/no-such-page/"]:
        response = client.generic(method, path)
        assert response.status_code == 405, f"{method} {path} answered {response.status_code}"
        assert "TRACE" not in response["Allow"]
        assert b"Cookie" not in response.content


def test_every_response_carries_a_permissions_policy(client, demo_content):
    for path in ["/", "/store/", "/healthz", "/no-such-page/", "/admin/login/"]:
        policy = client.get(path)["Permissions-Policy"]
        for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()"]:
            assert feature in policy, (path, feature)


def deploy_warnings():
    return [message.id for message in checks.run_checks(include_deployment_checks=True)]


def test_check_deploy_warns_when_the_cache_is_local_to_each_process(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "ala_site.W001" in deploy_warnings()


def test_check_deploy_is_quiet_about_a_shared_cache_or_in_development(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    settings.DEBUG = False
    assert "ala_site.W001" not in deploy_warnings()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.DEBUG = True
    assert "ala_site.W001" not in deploy_warnings()
