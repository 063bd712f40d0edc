from django.urls import path

from . import views

app_name = "membership"

urlpatterns = [
    path("", views.membership_types, name="types"),
    path("join/", views.join, name="join"),
    path("join/check-email/", views.join_check_email, name="join_check_email"),
    path("pay/", views.pay_pending_dues, name="pay_dues"),
    path("renew/", views.renew, name="renew"),
    path("account/", views.account, name="account"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("verify-again/", views.resend_verification, name="resend_verification"),
    path("donations/<str:token>/thank-you/", views.donation_thanks, name="donation_thanks"),
]
