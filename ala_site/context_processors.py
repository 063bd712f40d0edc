from django.conf import settings

from . import consent as cookie_consent
from .models import SiteSettings


def site(request):
    site_settings = SiteSettings.current()
    consent = cookie_consent.get_consent(request)
    if consent.analytics and site_settings.analytics_script_url:
        # Read by ConsentCSPMiddleware to allow this one script origin.
        request._analytics_script_url = site_settings.analytics_script_url
    return {
        "site_settings": site_settings,
        "consent": consent,
        "SITE_URL": settings.SITE_URL,
    }
