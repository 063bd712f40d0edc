from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.static import serve

from advocacy.campaign_sitemap import CampaignPagesSitemap
from advocacy.sitemaps import NewsSitemap, StoryPagesSitemap
from censorship.sitemaps import BookResumeSitemap, CensorshipPagesSitemap
from events.sitemaps import EventPagesSitemap, EventSitemap
from joblist.sitemaps import JobListPagesSitemap, JobPostingSitemap
from membership import views as membership_views
from store import views as store_views
from store.sitemaps import ProductSitemap

from . import search_views, views
from . import sitemaps as sitemap_views
from .forms import PasswordResetRequestForm
from .ratelimit import rate_limit
from .sitemaps import StaticPagesSitemap, on_site_url

# Apps add their own entries here as they gain public pages; every location is on SITE_URL.
sitemaps = on_site_url(
    {
        "pages": StaticPagesSitemap,
        "store": ProductSitemap,
        "event-pages": EventPagesSitemap,
        "events": EventSitemap,
        "joblist": JobListPagesSitemap,
        "jobs": JobPostingSitemap,
        "advocacy": CampaignPagesSitemap,
        "news": NewsSitemap,
        "stories": StoryPagesSitemap,
        "censorship": CensorshipPagesSitemap,
        "resumes": BookResumeSitemap,
    }
)

admin.site.site_header = "ALA portal administration"
admin.site.site_title = "ALA portal admin"
admin.site.index_title = "Content and operations"

urlpatterns = [
    path("", views.home, name="home"),
    path("cookies/", views.cookie_settings, name="cookie_settings"),
    path("search/", search_views.search, name="search"),
    path("alerts/<int:pk>/dismiss/", views.dismiss_alert, name="dismiss_alert"),
    # The reset form sends email to any address typed in: rate-limited, with a honeypot.
    path(
        "accounts/password_reset/",
        rate_limit("password-reset", limit=5, period=600)(
            auth_views.PasswordResetView.as_view(form_class=PasswordResetRequestForm)
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("membership/", include("membership.urls")),
    path("donate/", membership_views.donate, name="donate"),
    path("store/", include("store.urls")),
    path("events/", include("events.urls")),
    path("joblist/", include("joblist.urls")),
    path("advocacy/", include("advocacy.urls")),
    path("news/", include("advocacy.news_urls")),
    path("censorship/", include("censorship.urls")),
    # Ahead of django-payments' own route for provider webhooks, to refuse unknown providers cleanly.
    re_path(r"^payments/process/(?P<variant>[a-z-]+)/$", store_views.payment_webhook),
    path("payments/", include("payments.urls")),
    # An index of the sections (robots.txt names it), each paginated: /sitemap-store.xml?p=2.
    path("sitemap.xml", sitemap_views.index, {"sitemaps": sitemaps}, name="django.contrib.sitemaps.views.index"),
    path(
        "sitemap-<str:section>.xml",
        sitemap_views.section,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # In production the web server (or a storage service) serves uploads.
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
