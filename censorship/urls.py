from django.urls import include, path

app_name = "censorship"

urlpatterns = [
    # The report form shares the "censorship" namespace (report_urls has no app_name of its own).
    path("report/", include("censorship.report_urls")),
]
