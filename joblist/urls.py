from django.urls import include, path

app_name = "joblist"

# Employer and job-seeker pages share the "joblist" namespace (their url modules have no app_name).
urlpatterns = [
    path("", include("joblist.employer_urls")),
    path("", include("joblist.alert_urls")),
]
