"""The site as `make lighthouse` serves it: gunicorn's application with /media/ served in front.

In production the web server in front of gunicorn serves MEDIA_ROOT (README, "Static files"); with
DEBUG off the site does not. Here WhiteNoise stands in for that web server, so the pages' uploaded
images load and are measured like the rest of the page.
"""

from django.conf import settings
from whitenoise import WhiteNoise

from ala_site.wsgi import application as site

application = WhiteNoise(site, root=settings.MEDIA_ROOT, prefix=settings.MEDIA_URL, max_age=24 * 60 * 60)
