from django.urls import path

from . import registration_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("past/", views.event_list, {"when": "past"}, name="past"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    # Registration routes go above the slug routes (a slug never hides them).
    path("<slug:slug>/register/", registration_views.register, name="register"),
    path("<slug:slug>/cancel/", registration_views.cancel, name="cancel"),
    path("<slug:slug>/take-seat/", registration_views.take_seat, name="take_seat"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/ics/", views.event_ics, name="ics"),
]
