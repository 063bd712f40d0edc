"""Site-wide HTTP hardening that no single view should have to remember."""

from django.conf import settings
from django.http import HttpResponseNotAllowed

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
