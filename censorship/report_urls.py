"""/censorship/report/: the public form and its thank-you page (inside the "censorship" namespace).

No URL here or anywhere public shows a report or an attachment: staff read reports in the admin,
where the attachment's download checks the dedicated permission (censorship/admin/reports.py).
"""

from django.urls import path

from . import report_views

urlpatterns = [
    path("", report_views.report, name="report"),
    path("thanks/", report_views.thanks, name="report_thanks"),
]
