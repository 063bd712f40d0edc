from django.urls import include, path

app_name = "advocacy"

urlpatterns = [
    # Stories share the "advocacy" namespace (story_urls has no app_name of its own).
    path("stories/", include("advocacy.story_urls")),
]
