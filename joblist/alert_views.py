"""Job seekers' saved searches: save the board's search, list and delete them, unsubscribe by link.

The digest itself is `manage.py send_job_alerts` (management/commands/send_job_alerts.py).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ala_site.ratelimit import rate_limit

from . import alert_links
from .alert_forms import SaveSearchForm, SearchActionForm
from .forms import JobSearchForm, describe_criteria
from .models import SavedSearch

MAX_SAVED_SEARCHES = 20


def board_url(criteria):
    """The board running these criteria (in the board form's order, so one search has one address)."""
    query = urlencode([(name, criteria[name]) for name in JobSearchForm.CRITERIA if criteria.get(name)])
    return reverse("joblist:board") + (f"?{query}" if query else "")


@require_POST
@rate_limit("joblist-save-search", limit=20, period=600)
def save_search(request):
    # The criteria are read again through the board's own form: a tampered value is dropped.
    criteria = JobSearchForm(request.POST).criteria()
    if not request.user.is_authenticated:
        return redirect_to_login(board_url(criteria))
    form = SaveSearchForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "criteria": criteria, "description": describe_criteria(criteria)}
        return render(request, "joblist/saved_searches_save.html", context)
    name = form.cleaned_data["name"] or describe_criteria(criteria)[: form.fields["name"].max_length]
    with transaction.atomic():
        # The person's row is locked so two quick submits cannot both pass the limit.
        user = get_user_model().objects.select_for_update().get(pk=request.user.pk)
        searches = list(SavedSearch.objects.filter(user=user))
        same = next((search for search in searches if search.criteria == criteria), None)
        if same is not None:
            if same.is_active:
                messages.info(request, f"You already get these jobs by email, as “{same.name}”.")
            else:
                same.is_active, same.last_sent_at = True, timezone.now()
                same.save(update_fields=["is_active", "last_sent_at"])
                messages.success(request, f"We will email you new jobs for “{same.name}” again.")
            return redirect("joblist:saved_searches")
        if len(searches) >= MAX_SAVED_SEARCHES:
            messages.error(
                request,
                f"You have {MAX_SAVED_SEARCHES} saved searches, the most we keep for one person: "
                "delete one you no longer need, then save this one.",
            )
            return redirect("joblist:saved_searches")
        # Only jobs published from now on are new to this search: no flood of today's board.
        SavedSearch.objects.create(user=user, name=name, criteria=criteria, last_sent_at=timezone.now())
    messages.success(request, f"Saved “{name}”: we will email you new jobs that match.")
    return redirect("joblist:saved_searches")


@login_required
@require_safe
def saved_searches(request):
    searches = [
        {
            "search": search,
            "description": describe_criteria(search.criteria),
            "board_url": board_url(search.criteria),
            # Each row's button has its own honeypot, with ids of its own.
            "form": SearchActionForm(auto_id=f"search-{search.pk}-%s"),
        }
        for search in SavedSearch.objects.filter(user=request.user).order_by("-created_at", "-pk")
    ]
    return render(request, "joblist/saved_searches.html", {"searches": searches, "limit": MAX_SAVED_SEARCHES})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("joblist-saved-search-change", limit=30, period=600)
def delete_saved_search(request, pk):
    """GET asks to confirm; POST deletes. Another person's search is a 404."""
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    form = SearchActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        search.delete()
        messages.success(request, f"Deleted “{search.name}”: we will email you nothing more for it.")
        return redirect("joblist:saved_searches")
    context = {"search": search, "description": describe_criteria(search.criteria), "form": form}
    return render(request, "joblist/saved_searches_delete.html", context)


@login_required
@require_POST
@rate_limit("joblist-saved-search-change", limit=30, period=600)
def switch_saved_search_emails(request, pk):
    """Stop or resume one search's emails; resumed, it sends only jobs published from now on."""
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    form = SearchActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("joblist:saved_searches")
    resume = request.POST.get("emails") == "on"
    if resume and not search.is_active:
        search.is_active, search.last_sent_at = True, timezone.now()
        search.save(update_fields=["is_active", "last_sent_at"])
        messages.success(request, f"We will email you new jobs for “{search.name}” again.")
    elif not resume and search.is_active:
        search.is_active = False
        search.save(update_fields=["is_active"])
        messages.success(request, f"Stopped the emails for “{search.name}”.")
    return redirect("joblist:saved_searches")


# RFC 8058 one-click unsubscribe: a mail provider POSTs "List-Unsubscribe=One-Click" to the link in
# the List-Unsubscribe header, with no cookie and no CSRF token. The signed token in the address is
# the proof; a forged cross-site POST would need it. GET only shows a button, so a mail scanner that
# opens links stops nothing. The limit is generous: one-click POSTs of many people arrive from
# the same few mail-provider addresses, and a signed token cannot be guessed anyway.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("joblist-unsubscribe", limit=300, period=600)
def unsubscribe(request, token):
    found = alert_links.read_unsubscribe_token(token)
    if found is None:
        return render(request, "joblist/unsubscribe_invalid.html", status=400)
    search = SavedSearch.objects.filter(pk=found[0], user_id=found[1]).first()
    form = SearchActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if search is not None:
            SavedSearch.objects.filter(pk=search.pk).update(is_active=False)
        # A deleted search is as unsubscribed as can be: the same answer.
        return render(request, "joblist/unsubscribe_done.html", {"search": search})
    if search is None or not search.is_active:
        return render(request, "joblist/unsubscribe_done.html", {"search": search, "already": True})
    context = {"search": search, "description": describe_criteria(search.criteria), "form": form}
    return render(request, "joblist/unsubscribe.html", context)
