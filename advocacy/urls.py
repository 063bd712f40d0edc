from django.urls import include, path

from . import views

app_name = "advocacy"

urlpatterns = [
    path("", views.campaign, name="campaign"),
    path("alerts/", views.alerts_sign_up, name="alerts"),
    path("alerts/check-your-email/", views.alerts_check_email, name="alerts_check_email"),
    path("alerts/confirm/<str:token>/", views.alerts_confirm, name="alerts_confirm"),
    path("alerts/unsubscribe/<str:token>/", views.alerts_unsubscribe, name="alerts_unsubscribe"),
    # Stories share the "advocacy" namespace (story_urls has no app_name of its own).
    path("stories/", include("advocacy.story_urls")),
]
