from django.conf import settings

from . import consent as cookie_consent
from .models import SiteSettings


def site(request):
    consent = cookie_consent.get_consent(request)
    analytics_script_url = settings.ANALYTICS_SCRIPT_URL if consent.analytics else ""
    if analytics_script_url:
        # Read by ConsentCSPMiddleware to allow this one script origin.
        request._analytics_script_url = analytics_script_url
    return {
        "site_settings": SiteSettings.current(),
        "consent": consent,
        "analytics_script_url": analytics_script_url,
        "SITE_URL": settings.SITE_URL,
    }
