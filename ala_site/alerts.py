"""Alert banners, and the ones a visitor dismissed, remembered in a cookie until the banner changes.

The cookie lists `<banner id>:<version>` entries, the version being the banner's last edit
time, so an edited banner shows again. It is set only when the visitor presses ✕ and does only
what they asked for (stop showing this message), so it is strictly necessary and needs no consent
(the ePrivacy exemption for a service the user explicitly requested); it holds no personal data.
It is not signed: a forged value could only hide banners from the browser that holds it.
"""

import re
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from .models import AlertBanner
from .sections import next_change, section_data

COOKIE_NAME = "ala_alerts_dismissed"
MAX_AGE = 60 * 60 * 24 * 365  # a banner edited, or replaced, shows again long before this
MAX_ENTRIES = 20  # the oldest dismissals drop out, keeping the cookie small
_ENTRY = re.compile(r"(\d{1,12}):(\d{1,20})")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def version(banner):
    """Microseconds since 1970 of the banner's last edit: exact, and short in a cookie."""
    return str((banner.updated_at - _EPOCH) // timedelta(microseconds=1))


def _build_current():
    banners = list(AlertBanner.objects.current())
    upcoming = AlertBanner.objects.filter(is_active=True, starts_at__gt=timezone.now()).order_by("starts_at").first()
    return {
        "banners": [
            {
                "id": banner.pk,
                "version": version(banner),
                "message": banner.message,
                "link_url": banner.link_url,
                "link_label": banner.link_label,
                "level": banner.level,
            }
            for banner in banners
        ],
        "cache_until": next_change(*(banner.ends_at for banner in banners), upcoming and upcoming.starts_at),
    }


def current_banners():
    """The banners showing now, as plain dicts, from the shared cache (one copy for every visitor)."""
    return section_data("alert_banners", ("alerts",), _build_current)["banners"]


def dismissed(request):
    """{banner id: version} this browser dismissed; an unreadable cookie counts as none."""
    entries = {}
    for entry in request.COOKIES.get(COOKIE_NAME, "").split(".")[-MAX_ENTRIES:]:
        match = _ENTRY.fullmatch(entry)
        if match:
            entries[int(match[1])] = match[2]
    return entries


def shown_to(request):
    """The current banners, without those this browser dismissed in their present version."""
    hidden = dismissed(request) if request is not None else {}
    return [banner for banner in current_banners() if hidden.get(banner["id"]) != banner["version"]]


def is_version(value):
    return bool(re.fullmatch(r"\d{1,20}", value))


def store_dismissal(response, request, banner_id, banner_version):
    entries = dismissed(request)
    entries.pop(banner_id, None)  # re-added last: the newest dismissal is the last to drop out
    entries[banner_id] = banner_version
    value = ".".join(f"{key}:{value}" for key, value in list(entries.items())[-MAX_ENTRIES:])
    response.set_cookie(COOKIE_NAME, value, max_age=MAX_AGE, secure=request.is_secure(), httponly=True, samesite="Lax")
