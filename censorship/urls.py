from django.urls import include, path

from . import views

app_name = "censorship"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("data/", views.data, name="data"),
    path("data.csv", views.data_csv, name="data_csv"),
    path("most-challenged.csv", views.books_csv, name="books_csv"),
    path("resumes/", views.resume_list, name="resume_list"),
    path("resumes/<slug:slug>/", views.resume_detail, name="resume_detail"),
    # The report form shares the "censorship" namespace (report_urls has no app_name of its own).
    path("report/", include("censorship.report_urls")),
]
