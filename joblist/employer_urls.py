"""The employer's pages, inside the joblist namespace (joblist/urls.py includes them; no app_name)."""

from django.urls import path

from . import employer_views

urlpatterns = [
    path("post/", employer_views.post_job, name="post"),
    path("post/<int:pk>/edit/", employer_views.edit_job, name="edit"),
    path("post/<int:pk>/preview/", employer_views.preview, name="preview"),
    path("post/<int:pk>/pay/", employer_views.pay, name="pay"),
    path("post/<int:pk>/resubmit/", employer_views.resubmit, name="resubmit"),
    path("post/<int:pk>/withdraw/", employer_views.withdraw, name="withdraw"),
    path("post/<int:pk>/repost/", employer_views.repost, name="repost"),
    path("my-ads/", employer_views.my_ads, name="my_ads"),
    path("my-ads/<int:pk>/", employer_views.my_ad, name="my_ad"),
]
