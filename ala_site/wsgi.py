"""The WSGI application for gunicorn (`gunicorn ala_site.wsgi`)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from .checks import DUMMY_PAYMENTS_REFUSED, dummy_payments_refused

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ala_site.settings")

application = get_wsgi_application()

# Fail at start-up rather than on the first request that signs a cookie.
if not settings.SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
if dummy_payments_refused():
    raise ImproperlyConfigured(DUMMY_PAYMENTS_REFUSED)
