"""A small cache-based rate limit for public forms (counts per client address)."""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse


def client_address(request):
    """The address a limit counts against.

    X-Forwarded-For is only believed behind a proxy that sets it (TRUST_X_FORWARDED_FOR);
    then only its last entry, the one the proxy appended, since earlier ones come from the
    client, who could vary them to escape the limit. Without a proxy, REMOTE_ADDR is the client.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.TRUST_X_FORWARDED_FOR else ""
    return forwarded.rsplit(",", 1)[-1].strip() or request.META.get("REMOTE_ADDR", "unknown")


def is_rate_limited(request, scope, limit, period):
    """Count this request; True once a client made more than `limit` in `period` seconds."""
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, period)
        count = 1
    return count > limit


def rate_limit(scope, limit=20, period=60, methods=("POST",)):
    """View decorator: too many submissions get a polite 429 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods and is_rate_limited(request, scope, limit, period):
                return TemplateResponse(request, "429.html", {"retry_after_minutes": max(1, period // 60)}, status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
