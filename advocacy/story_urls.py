from django.urls import path

from . import story_views

# Included inside the "advocacy" namespace (advocacy/urls.py), so no app_name here.
urlpatterns = [
    path("", story_views.story_list, name="story_list"),
    path("new/", story_views.story_new, name="story_new"),
    path("thanks/", story_views.story_thanks, name="story_thanks"),
]
