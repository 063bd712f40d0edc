"""Site-wide HTTP hardening that no single view should have to remember."""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Methods no page of this site answers: TRACE echoes the request (cookies included) back, and
# the others are proxy verbs. Refused before any view, so a view without a method decorator
# cannot answer them with a page.
REFUSED_METHODS = {"TRACE", "TRACK", "CONNECT"}
ALLOWED_METHODS = ["GET", "HEAD", "POST", "OPTIONS"]


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in REFUSED_METHODS:
            response = HttpResponseNotAllowed(ALLOWED_METHODS)
        else:
            response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseOutageMiddleware:
    """A page the database fails under (down, restarting, unreachable) answers 503, not 500.

    The page says to try again in a few minutes, and a form sent to it says it was not completed:
    never a success the database did not record. It is rendered from templates/503.html alone,
    without the context processors (they read the database) and without a traceback; Retry-After
    tells clients when to come back. Innermost in MIDDLEWARE, so it sees the view's exception first.
    One warning is logged per WARNING_EVERY_SECONDS, not one per failed request.
    """

    RETRY_AFTER_SECONDS = 60
    WARNING_EVERY_SECONDS = 60
    _last_warning = None
    _failures = 0

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        self._log(request, exception)
        session = getattr(request, "session", None)
        if session is not None:
            session.modified = False  # saving it would only fail again, as a 500, after this page
        submitted = request.method not in ("GET", "HEAD", "OPTIONS")
        try:
            body = render_to_string("503.html", {"submitted": submitted})
        except Exception:  # a missing static manifest, say: still a page, never a 500
            body = OUTAGE_FALLBACK_HTML
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response

    @classmethod
    def _log(cls, request, exception):
        now = time.monotonic()
        cls._failures += 1
        if cls._last_warning is not None and now - cls._last_warning < cls.WARNING_EVERY_SECONDS:
            return
        logger.warning(
            "Database unavailable, answering 503 (%s %s: %s: %s; %d such requests since the last warning).",
            request.method,
            request.path,
            exception.__class__.__name__,
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
            cls._failures,
        )
        cls._last_warning, cls._failures = now, 0


OUTAGE_FALLBACK_HTML = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Temporarily unavailable</title></head>'
    "<body><h1>Temporarily unavailable</h1><p>The site is having a short technical problem and could not "
    "complete your request: anything you sent may not have been saved. Please try again in a few minutes.</p>"
    "</body></html>"
)
