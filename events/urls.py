from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("past/", views.event_list, {"when": "past"}, name="past"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    # Registration routes go above the slug routes (a slug never hides them).
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/ics/", views.event_ics, name="ics"),
]
