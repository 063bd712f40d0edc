"""Cookie consent: what the visitor agreed to, kept in a signed first-party cookie.

The cookie holds the policy version and the optional categories accepted. A
missing, unreadable, tampered or outdated cookie means "not decided yet": the
banner shows and nothing optional runs.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing

# Optional categories, in the order the settings page lists them.
CATEGORIES = {
    "analytics": (
        "Analytics",
        "Counts visits and how pages are used, so we can improve the site. No personal profile is built.",
    ),
    "functional": (
        "Functional",
        "Remembers choices such as preferences on embedded media.",
    ),
    "marketing": (
        "Marketing",
        "Lets partners show you relevant offers from the association elsewhere.",
    ),
}
NECESSARY = (
    "Strictly necessary",
    "Keeps you signed in, protects forms against forgery, and remembers this choice and the alerts you "
    "dismissed. Always on.",
)
SALT = "ala.cookie-consent"
MAX_AGE = 60 * 60 * 24 * 365 // 2  # ask again after six months


@dataclass(frozen=True)
class Consent:
    decided: bool = False
    accepted: frozenset = field(default_factory=frozenset)

    def allows(self, category):
        return self.decided and category in self.accepted

    @property
    def analytics(self):
        return self.allows("analytics")

    @property
    def functional(self):
        return self.allows("functional")

    @property
    def marketing(self):
        return self.allows("marketing")


def read(request):
    try:
        value = request.get_signed_cookie(settings.COOKIE_CONSENT_NAME, salt=SALT, max_age=MAX_AGE)
        version, _, categories = value.partition(":")
        if int(version) != settings.COOKIE_CONSENT_VERSION:
            return Consent()
    except (KeyError, ValueError, signing.BadSignature):
        return Consent()
    accepted = frozenset(name for name in categories.split(",") if name in CATEGORIES)
    return Consent(decided=True, accepted=accepted)


def store(response, request, accepted):
    value = f"{settings.COOKIE_CONSENT_VERSION}:{','.join(sorted(accepted))}"
    response.set_signed_cookie(
        settings.COOKIE_CONSENT_NAME,
        value,
        salt=SALT,
        max_age=MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def get_consent(request):
    if not hasattr(request, "_consent"):
        request._consent = read(request)
    return request._consent


class ConsentCSPMiddleware:
    """Allows the analytics script's origin in the CSP, only on pages that load it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        script_url = getattr(request, "_analytics_script_url", "")
        if script_url:
            parts = urlsplit(script_url)
            response._csp_update = {"script-src": [f"{parts.scheme}://{parts.netloc}"]}
        return response
