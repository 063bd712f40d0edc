from datetime import UTC, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import alerts, page_cache
from . import consent as cookie_consent
from .forms import CookieConsentForm, shorten_next
from .models import AlertBanner, SiteSettings
from .ratelimit import rate_limit


@require_safe
@page_cache.shared_page(members=True)  # its sections depend on no visitor
def home(request):
    return render(request, "home.html")


def _safe_next(request, candidate):
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("cookies", limit=30, period=60)
def cookie_settings(request):
    current = cookie_consent.get_consent(request)
    if request.method == "POST":
        form = CookieConsentForm(request.POST)
        if form.is_valid():
            accepted = form.accepted()
            destination = _safe_next(request, form.cleaned_data["next"]) or reverse("cookie_settings")
            response = redirect(destination)
            cookie_consent.store(response, request, accepted)
            messages.success(request, "Your cookie choices are saved.")
            return response
        status = 400
    else:
        form = CookieConsentForm(
            initial={
                "categories": sorted(current.accepted),
                "next": _safe_next(request, shorten_next(request.GET.get("next", ""), CookieConsentForm.MAX_NEXT)),
            }
        )
        status = 200
    context = {
        "form": form,
        "necessary": cookie_consent.NECESSARY,
        "categories": [
            (name, label, description, current.allows(name))
            for name, (label, description) in cookie_consent.CATEGORIES.items()
        ],
        "hide_consent_banner": True,
    }
    return render(request, "ala_site/cookies.html", context, status=status)


@require_POST
@rate_limit("alert-dismiss", limit=30, period=60)
def dismiss_alert(request, pk):
    """The alert banner's ✕: remember the dismissal and go back to the page it was pressed on.

    A script asks for JSON and gets an empty answer, then hides the banner itself. A plain
    form post is redirected back to just after the dismissed banner: to the next banner still
    showing, or past the banners, so the keyboard carries on from where it was.
    """
    posted_version = request.POST.get("version", "")
    banner = AlertBanner.objects.filter(pk=pk).first()
    if "application/json" in request.headers.get("Accept", ""):
        response = HttpResponse(status=204)
    else:
        next_url = shorten_next(request.POST.get("next", ""), CookieConsentForm.MAX_NEXT)
        destination = _safe_next(request, next_url) or reverse("home")
        response = redirect(destination.split("#")[0] + "#" + _after_dismissed(request, pk))
    if banner is not None:
        # The version the visitor read: if the banner was edited since, its new text still shows.
        version = posted_version if alerts.is_version(posted_version) else alerts.version(banner)
        alerts.store_dismissal(response, request, banner.pk, version)
    return response


def _after_dismissed(request, pk):
    """The id of the place the keyboard goes to after the banner `pk` is gone."""
    still_shown = alerts.shown_to(request)
    ids = [banner["id"] for banner in alerts.current_banners()]
    later = ids[ids.index(pk) + 1 :] if pk in ids else []
    for banner in still_shown:
        if banner["id"] in later:
            return f"alert-{banner['id']}"
    return "site-alerts"


@never_cache
@require_safe
def healthz(request):
    """503 when this server cannot serve pages (the database, or a cache that fails pages, is broken).

    A Redis the resilient cache cannot reach (ala_site/cache.py) is reported, status "degraded", but
    answers 200: pages are then served from the database, and a load balancer that took every app
    server out because Redis is down would turn a slower site into no site.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"error: {error.__class__.__name__}"
    try:
        cache.set("healthz", "ok", 10)
        if cache.get("healthz") == "ok":
            checks["cache"] = "ok"
        elif getattr(cache, "unreachable", False):
            checks["cache"] = "unreachable: serving from the database"
        else:
            checks["cache"] = "error: value not kept"
    except Exception as error:  # any backend failure means unhealthy, not a 500
        checks["cache"] = f"error: {error.__class__.__name__}"
    if any(value.startswith("error") for value in checks.values()):
        return JsonResponse({"status": "error", **checks}, status=503)
    return JsonResponse({"status": "ok" if all(value == "ok" for value in checks.values()) else "degraded", **checks})


@require_safe
def security_txt(request):
    """RFC 9116: where to report a vulnerability. SECURITY_CONTACT (a mailto: or https: address)
    or else the site's own email address; with neither, there is no file rather than a made-up one."""
    contact = settings.SECURITY_CONTACT
    if not contact:
        email = SiteSettings.current().email
        contact = f"mailto:{email}" if email else ""
    if not contact:
        raise Http404("No security contact is configured.")
    # The file says how long it may be trusted; it is made on each request, so a year from now.
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: en",
        f"Canonical: {settings.SITE_URL}{reverse('security_txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /cookies/",
        f"Sitemap: {settings.SITE_URL}{reverse('django.contrib.sitemaps.views.index')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
