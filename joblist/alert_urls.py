"""Job seekers' pages: saved searches and their emails, and the RSS feed (inside the joblist namespace)."""

from django.urls import path
from django.views.decorators.http import require_safe

from ala_site import page_cache

from . import alert_views
from .feeds import LatestJobsFeed

urlpatterns = [
    path("alerts/", alert_views.saved_searches, name="saved_searches"),
    path("alerts/save/", alert_views.save_search, name="save_search"),
    path("alerts/<int:pk>/delete/", alert_views.delete_saved_search, name="delete_saved_search"),
    path("alerts/<int:pk>/emails/", alert_views.switch_saved_search_emails, name="saved_search_emails"),
    path("alerts/unsubscribe/<str:token>/", alert_views.unsubscribe, name="unsubscribe"),
    # Read-only, as every page that only shows: GET and HEAD; anything else is a 405.
    path("feed/", require_safe(page_cache.shared_page(LatestJobsFeed())), name="feed"),
]
