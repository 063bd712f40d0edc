from django.urls import include, path

from . import views

app_name = "joblist"

# Employer and job-seeker pages share the "joblist" namespace (their url modules have no app_name).
urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>-<slug:slug>/", views.detail, name="detail"),
    # A shortened address (the number alone) leads to the ad's full one.
    path("<int:pk>/", views.detail, name="detail_short"),
    path("", include("joblist.employer_urls")),
    path("", include("joblist.alert_urls")),
]
