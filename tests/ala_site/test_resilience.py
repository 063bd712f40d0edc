"""The site when Redis or the database is down: Redis is optional, a database outage is a friendly 503.

The live versions (gunicorn behind TCP proxies that are cut and restored) are `make faults`.
"""

import logging
import os
import socket
from unittest import mock

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError

from advocacy.models import AlertSubscriber
from ala_site import cache as resilient
from ala_site.cache import CircuitBreaker, ResilientRedisCache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST_PAGES = ["/", "/store/", "/events/", "/joblist/", "/news/", "/censorship/resumes/"]
SIGN_UP = {"email": "reader@example.org", "name": "Ada Reader", "zip_code": "60601"}
# The Redis the tests run with (CI's PostgreSQL leg): these tests empty it, as the fixtures do anyway.
REDIS_URL = os.environ.get("CACHE_URL", "") if os.environ.get("CACHE_URL", "").startswith("redis://") else ""


def refused_redis_url():
    """A redis:// address on a port nothing listens on: every connection is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture(autouse=True)
def _fresh_breakers(monkeypatch):
    monkeypatch.setattr(resilient, "_breakers", {})


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "ala_site.cache.ResilientRedisCache", "LOCATION": refused_redis_url()}}
    yield
    cache.clear()


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


# --- The circuit breaker -------------------------------------------------------------------------


def test_breaker_skips_redis_for_a_few_seconds_after_a_failure_then_tries_again():
    clock = FakeClock()
    breaker = CircuitBreaker(open_seconds=5, warning_every=60, clock=clock)
    assert breaker.allows() and not breaker.is_open

    breaker.failed(redis.ConnectionError("refused"))
    assert breaker.is_open
    clock.now += 4.9
    assert not breaker.allows()

    clock.now += 0.2  # the window is over: one call goes through again
    assert breaker.allows()
    breaker.failed(redis.ConnectionError("still refused"))  # and fails: another window
    clock.now += 1
    assert not breaker.allows()

    clock.now += 5
    assert breaker.allows()
    breaker.succeeded()
    assert not breaker.is_open and breaker.down_since is None


def test_breaker_warns_once_per_period_not_once_per_failure(caplog):
    clock = FakeClock()
    breaker = CircuitBreaker(open_seconds=5, warning_every=60, clock=clock)
    with caplog.at_level(logging.WARNING, logger="ala_site.cache"):
        for _ in range(10):
            breaker.failed(redis.ConnectionError("refused"))
            clock.now += 5
        assert len(caplog.records) == 1
        clock.now += 20  # 70 s after the first warning
        breaker.failed(redis.ConnectionError("refused"))
        breaker.succeeded()
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 3
    assert "10 failed" in messages[1]
    assert messages[2].startswith("Redis cache reachable again after 70.0 s")


def test_breaker_remembers_writes_lost_while_open():
    clock = FakeClock()
    breaker = CircuitBreaker(open_seconds=5, clock=clock)
    breaker.failed(redis.ConnectionError("refused"), writes=False)
    assert not breaker.lost_writes
    assert not breaker.allows(writes=False)
    assert not breaker.lost_writes
    assert not breaker.allows(writes=True)
    assert breaker.lost_writes


# --- The backend against a Redis that refuses connections ----------------------------------------


def test_every_operation_is_a_miss_or_a_no_op_when_redis_refuses_connections(caplog):
    backend = ResilientRedisCache(refused_redis_url(), {})
    with caplog.at_level(logging.WARNING, logger="ala_site.cache"):
        assert backend.get("key", "default") == "default"
        assert backend.set("key", 1) is None
        assert backend.add("key", 1) is False
        assert backend.get_many(["a", "b"]) == {}
        assert sorted(backend.set_many({"a": 1, "b": 2})) == ["a", "b"]
        assert backend.has_key("key") is False
        assert backend.touch("key") is False
        assert backend.delete("key") is False
        assert backend.delete_many(["a", "b"]) is None
        assert backend.clear() is False
        assert backend.get_or_set("key", "computed") == "computed"
        with pytest.raises(ValueError):
            backend.incr("key")
        with pytest.raises(ValueError):
            backend.decr("key")
    assert backend.unreachable
    # One connection attempt, then the breaker skipped Redis: one warning, not one per call.
    assert len(caplog.records) == 1
    assert "Redis cache unreachable (ConnectionError" in caplog.records[0].getMessage()


def test_short_socket_timeouts_are_the_default_and_can_be_changed():
    default = ResilientRedisCache("redis://127.0.0.1:6379/13", {})
    assert default._options["socket_connect_timeout"] == 0.5
    assert default._options["socket_timeout"] == 0.5
    assert "breaker_seconds" not in default._options

    changed = ResilientRedisCache(
        "redis://127.0.0.1:6379/13", {"OPTIONS": {"socket_timeout": 2, "breaker_seconds": 30}}
    )
    assert changed._options["socket_timeout"] == 2
    assert changed.breaker is default.breaker  # one breaker per server list in a process


def test_a_redis_cache_url_gets_the_resilient_backend():
    import environ

    config = environ.Env.cache_url_config("redis://127.0.0.1:6379/1")
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"  # what settings.py swaps
    if settings.CACHES["default"]["LOCATION"].startswith("redis://"):
        assert settings.CACHES["default"]["BACKEND"] == "ala_site.cache.ResilientRedisCache"


needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs CACHE_URL=redis://... (CI's PostgreSQL leg)")


@needs_redis
def test_the_cache_is_emptied_when_redis_returns_after_writes_were_lost():
    """A lost write may have been an invalidation (a new page version): nothing stale survives it."""
    backend = ResilientRedisCache(REDIS_URL, {"OPTIONS": {"breaker_seconds": 0.01}})
    backend.clear()
    backend.set("page-version", "old")
    backend.set("page:home", "rendered with the old content")
    clock = FakeClock()
    backend.breaker.clock = clock

    backend.breaker.failed(redis.ConnectionError("refused"))  # Redis went away...
    backend.set("page-version", "new")  # ...so this bump after an edit was skipped
    assert backend.breaker.lost_writes
    clock.now += 1  # the window is over and Redis answers again

    assert backend.get("page:home") is None
    assert backend.get("page-version") is None
    assert not backend.breaker.lost_writes and not backend.unreachable
    backend.set("page-version", "newer")
    assert backend.get("page-version") == "newer"  # and after that it is a cache again
    backend.clear()


@needs_redis
def test_failed_reads_alone_keep_the_cache():
    backend = ResilientRedisCache(REDIS_URL, {})
    backend.clear()
    backend.set("kept", 1)
    clock = FakeClock()
    backend.breaker.clock = clock
    backend.breaker.failed(redis.TimeoutError("timed out"))
    assert backend.get("kept") is None  # skipped while the breaker is open
    clock.now += 10
    assert backend.get("kept") == 1
    backend.clear()


# --- The site with Redis down ---------------------------------------------------------------------


@pytest.mark.parametrize("path", LIST_PAGES)
def test_pages_are_served_from_the_database_when_redis_is_down(client, redis_down, path):
    response = client.get(path)
    assert response.status_code == 200
    assert cache.unreachable


def sign_up(client, n):
    return client.post("/advocacy/alerts/", {**SIGN_UP, "email": f"reader{n}@example.org"})


def test_rate_limits_fail_open_when_redis_is_down(client, redis_down):
    statuses = {sign_up(client, n).status_code for n in range(12)}
    assert statuses == {302}  # the limit is 10 in 10 minutes: with a cache, the 11th is refused
    assert AlertSubscriber.objects.count() == 12


def test_rate_limits_still_count_with_a_working_cache(client):
    statuses = [sign_up(client, n).status_code for n in range(12)]
    assert statuses[-1] == 429


def test_healthz_says_degraded_but_200_when_redis_is_down(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "unreachable: serving from the database",
    }


# --- The database down ----------------------------------------------------------------------------


def database_down(error=OperationalError):
    """Every query fails, as when PostgreSQL is stopped under a running server."""
    return mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=error("connection to server at 127.0.0.1, port 5432 failed: Connection refused"),
    )


def assert_friendly_503(response):
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    assert "Temporarily unavailable" in body
    assert "try again in a few minutes" in body
    for leak in ("Traceback", "OperationalError", "InterfaceError", "5432", "Connection refused"):
        assert leak not in body
    return body


@pytest.mark.parametrize("path", LIST_PAGES)
def test_a_page_answers_a_friendly_503_when_the_database_is_down(client, path):
    with database_down():
        response = client.get(path)
    body = assert_friendly_503(response)
    assert "cannot show this page" in body


def test_an_error_raised_in_a_view_is_a_friendly_503(client):
    with mock.patch("advocacy.views.AlertSubscriber.sign_up", side_effect=InterfaceError("connection already closed")):
        response = client.post("/advocacy/alerts/", SIGN_UP)
    body = assert_friendly_503(response)
    assert "Your form could not be sent" in body


def test_a_form_sent_while_the_database_is_down_says_to_try_again_never_success(client):
    with database_down():
        response = client.post("/advocacy/alerts/", SIGN_UP)
    body = assert_friendly_503(response)
    assert "Your form could not be sent" in body
    assert "may not have been saved" in body
    assert "check-your-email" not in response.get("Location", "")
    assert "Check your email" not in body
    assert AlertSubscriber.objects.count() == 0


def test_a_signed_in_member_gets_the_same_503(client):
    client.force_login(UserFactory())
    with database_down(InterfaceError):
        response = client.get("/store/")
    assert_friendly_503(response)


def test_the_503_page_needs_no_database(client):
    """Rendered without context processors: a query there would fail again on the error page."""
    with database_down(), mock.patch("ala_site.context_processors.site", side_effect=AssertionError("queried")):
        response = client.get("/news/")
    assert_friendly_503(response)


def test_other_errors_are_still_500(client):
    client.raise_request_exception = False
    with mock.patch("advocacy.views.AlertSubscriber.sign_up", side_effect=ValueError("a bug")):
        response = client.post("/advocacy/alerts/", SIGN_UP)
    assert response.status_code == 500


def test_healthz_is_503_when_the_database_is_down(client):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def test_persistent_connections_are_checked_before_reuse():
    # After PostgreSQL restarts, a request finds the dead connection and reconnects (no restart).
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
