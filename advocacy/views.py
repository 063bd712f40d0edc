from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from ala_site import page_cache
from ala_site.ratelimit import rate_limit

from . import alert_links
from .forms import AlertSignUpForm
from .models import AlertSubscriber, CampaignAction


@require_safe
@page_cache.shared_page
def campaign(request):
    actions = list(CampaignAction.objects.published())
    groups = [
        {"key": key, "label": label, "actions": [action for action in actions if action.time_needed == key]}
        for key, label in CampaignAction.TimeNeeded.choices
    ]
    context = {"groups": [group for group in groups if group["actions"]]}
    return render(request, "advocacy/campaign.html", context)


# Its empty form (GET) is the same for every visitor: shared; a POST is never served from the cache.
@require_http_methods(["GET", "HEAD", "POST"])
@page_cache.shared_page
@rate_limit("advocacy-alerts-sign-up", limit=10, period=600)
def alerts_sign_up(request):
    # Bound on every POST, even an empty one, so a submission always gets its messages.
    form = AlertSignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        AlertSubscriber.sign_up(
            email=data["email"],
            name=data["name"],
            zip_code=data["zip_code"],
            state=data["state"],
            interests=data["interests"],
        )
        # The same page whatever the address's story (new, pending, confirmed, unsubscribed).
        return redirect("advocacy:alerts_check_email")
    return render(request, "advocacy/alerts_sign_up.html", {"form": form})


@require_safe
def alerts_check_email(request):
    return render(request, "advocacy/alerts_check_email.html")


def _invalid_link(request, kind):
    return render(request, "advocacy/alerts_link_invalid.html", {"kind": kind}, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("advocacy-alerts-link", limit=30, period=600)
def alerts_confirm(request, token):
    """GET shows a button, POST confirms: a mail scanner opening the link confirms nothing."""
    found = alert_links.read_confirm_token(token)
    subscriber = AlertSubscriber.objects.filter(pk=found[0], email=found[1]).first() if found else None
    if subscriber is None or not subscriber.accepts_link_from(found[2]):
        return _invalid_link(request, "confirm")
    if request.method == "POST":
        if not subscriber.confirm(link_issued_at=found[2]):
            return _invalid_link(request, "confirm")
        return render(request, "advocacy/alerts_confirmed.html", {"subscriber": subscriber})
    return render(request, "advocacy/alerts_confirm.html", {"subscriber": subscriber})


# RFC 8058 one-click unsubscribe: a mail provider POSTs "List-Unsubscribe=One-Click" to the link
# in the List-Unsubscribe header, with no cookie and no CSRF token. The signed token in the
# address is the proof; a forged cross-site POST would need it.
# Its limit is high: providers' one-click POSTs come from a few shared addresses, and after an
# alert many arrive at once; guessing a signed token is hopeless whatever the limit.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("advocacy-alerts-unsubscribe", limit=600, period=600)
def alerts_unsubscribe(request, token):
    found = alert_links.read_unsubscribe_token(token)
    if found is None:
        return _invalid_link(request, "unsubscribe")
    subscriber = AlertSubscriber.objects.filter(pk=found[0], email=found[1]).first()
    if request.method == "POST":
        if subscriber is not None:
            with transaction.atomic():
                subscriber.unsubscribe()
        # A removed subscriber is as unsubscribed as can be: the same answer.
        return render(request, "advocacy/alerts_unsubscribed.html")
    return render(request, "advocacy/alerts_unsubscribe.html", {"email": found[1]})
