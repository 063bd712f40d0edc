"""Redis as an optional cache: when it cannot be reached, the site serves from the database.

`ResilientRedisCache` is Django's own Redis backend (settings.py swaps it in for any redis:// cache
URL) with three additions:

- A connection or timeout error is a miss (reads return the default) or a no-op (writes), never an
  exception in a page. `incr` of an unreachable key raises ValueError, like a missing key, so the
  rate limits (ala_site/ratelimit.py) count the request as the first one and let it through: they
  fail open rather than turn every form into an error page.
- A circuit breaker: after a failure, Redis is left alone for `breaker_seconds` (5), so a dead
  server costs one connection attempt per process every few seconds instead of one per cache call
  (the landing page makes dozens). The connect and read timeouts are short (0.5 s) for the same
  reason; OPTIONS in CACHES may change any of these.
- One warning per `warning_every_seconds` (60) while Redis is unreachable, not one per call.

Writes lost while Redis was unreachable may have been invalidations (a section's version key, a
page-cache version): when Redis answers again after such a loss, this process empties the cache
database before using it, so nothing stale outlives the outage. The Redis database must therefore
hold nothing but this cache (sessions and login lockouts live in the database).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Errors that mean "Redis cannot be reached", as opposed to a wrong command (which still raises).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
BREAKER_SECONDS = 5.0
WARNING_EVERY_SECONDS = 60.0


class CircuitBreaker:
    """Whether to try Redis now, shared by every cache instance of one process for one server list.

    Closed (the normal state): calls go to Redis. A call that fails with a connection or timeout
    error opens it for `open_seconds`, during which calls are skipped; the first call after that
    tries Redis again and either closes it (success) or opens it for another period (failure).
    """

    def __init__(self, open_seconds=BREAKER_SECONDS, warning_every=WARNING_EVERY_SECONDS, clock=time.monotonic):
        self.open_seconds = open_seconds
        self.warning_every = warning_every
        self.clock = clock
        self._lock = threading.Lock()
        self.open_until = None  # monotonic time before which Redis is skipped; None when closed
        self.down_since = None  # when the current outage began
        self.lost_writes = False  # a write failed or was skipped since the cache was last emptied
        self.failures = 0  # failed calls since the last warning
        self.skipped = 0  # calls skipped since the last warning
        self.last_warning = None
        self.warned_this_outage = False

    @property
    def is_open(self):
        return self.open_until is not None and self.clock() < self.open_until

    def allows(self, writes=False):
        """True when a call should go to Redis; a skipped write is remembered as lost."""
        if not self.is_open:
            return True
        with self._lock:
            self.skipped += 1
            self.lost_writes = self.lost_writes or writes
        return False

    def failed(self, error, writes=False):
        with self._lock:
            now = self.clock()
            self.open_until = now + self.open_seconds
            self.down_since = now if self.down_since is None else self.down_since
            self.lost_writes = self.lost_writes or writes
            self.failures += 1
            if self.last_warning is not None and now - self.last_warning < self.warning_every:
                return
            logger.warning(
                "Redis cache unreachable (%s: %s): pages are served without it, Redis is tried again every %g s "
                "(%d failed and %d skipped calls since the last warning).",
                error.__class__.__name__,
                error,
                self.open_seconds,
                self.failures,
                self.skipped,
            )
            self.last_warning, self.failures, self.skipped, self.warned_this_outage = now, 0, 0, True

    def succeeded(self):
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is None:
                return
            if self.warned_this_outage:
                logger.warning("Redis cache reachable again after %.1f s.", self.clock() - self.down_since)
            self.open_until, self.down_since, self.warned_this_outage = None, None, False


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(servers, **options):
    """The process's breaker for this server list (Django makes one cache instance per thread)."""
    key = tuple(servers)
    with _breakers_lock:
        if key not in _breakers:
            _breakers[key] = CircuitBreaker(**options)
        return _breakers[key]


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, for which an unreachable Redis is a miss and never an error."""

    def __init__(self, server, params):
        options = {**DEFAULT_OPTIONS, **(params.get("OPTIONS") or {})}
        breaker_options = {
            "open_seconds": float(options.pop("breaker_seconds", BREAKER_SECONDS)),
            "warning_every": float(options.pop("warning_every_seconds", WARNING_EVERY_SECONDS)),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self.breaker = breaker_for(self._servers, **breaker_options)

    @property
    def unreachable(self):
        """True while Redis is being skipped after a failure (for /healthz)."""
        return self.breaker.is_open

    def _guard(self, call, fallback, writes=False):
        breaker = self.breaker
        if not breaker.allows(writes):
            return fallback
        try:
            if breaker.lost_writes:
                self._empty_after_lost_writes()
            result = call()
        except UNREACHABLE as error:
            breaker.failed(error, writes)
            return fallback
        breaker.succeeded()
        return result

    def _empty_after_lost_writes(self):
        super().clear()
        self.breaker.lost_writes = False
        logger.warning("Redis cache emptied: writes were lost while it was unreachable, so entries could be stale.")

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None, writes=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version), False, writes=True)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._guard(lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing, writes=True)
        if value is missing:
            # What the built-in backend says of a missing key: callers already handle it (a rate
            # limit then counts this request as the first of its window).
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # The keys that could not be stored, as BaseCache.set_many promises.
        return self._guard(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data), True)

    def delete_many(self, keys, version=None):
        self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None, writes=True)

    def clear(self):
        return self._guard(lambda: super(ResilientRedisCache, self).clear(), False, writes=True)
