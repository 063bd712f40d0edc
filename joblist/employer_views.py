"""The employer's pages: post an ad, preview it, pay for it, and follow their ads (edit and resubmit
a rejected one, withdraw, repost an ended one). The rules live on JobPosting's methods; these views
turn their answers into pages, messages and redirects. Another person's ad is a 404 everywhere.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ala_site.ratelimit import rate_limit
from store.api import PayableLine, start_checkout
from store.models import Order

from .employer_forms import EDITABLE_STATES, ActionForm, JobPostingForm, not_editable_reason
from .models import JobPosting, JobPostingError

ADS_PER_PAGE = 20
Status = JobPosting.Status


def _own(request, pk):
    """The ad `pk` if this person may manage it (theirs, or their employer's); else a 404."""
    queryset = JobPosting.objects.owned_by(request.user).select_related("employer", "ad_product")
    return get_object_or_404(queryset, pk=pk)


def _action_ok(request):
    form = ActionForm(request.POST)
    if form.is_valid():
        return True
    messages.error(request, form.first_error())
    return False


def _form_page(request, form, posting=None):
    return render(request, "joblist/post_form.html", {"form": form, "posting": posting})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("joblist-post", limit=10, period=60)
def post_job(request):
    form = JobPostingForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        posting = form.save_draft()
        messages.success(request, "Your ad is saved as a draft. Check it below, then pay to send it for review.")
        return redirect("joblist:preview", posting.pk)
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("joblist-post", limit=10, period=60)
def edit_job(request, pk):
    posting = _own(request, pk)
    if posting.status not in EDITABLE_STATES:
        messages.error(request, not_editable_reason(posting))
        return redirect("joblist:my_ad", posting.pk)
    # A paid ad (a rejected one being corrected) keeps the product it was paid for.
    with_product = posting.paid_at is None
    form = JobPostingForm(
        request.POST or None, request.FILES or None, instance=posting, user=request.user, with_product=with_product
    )
    if request.method == "POST" and form.is_valid():
        try:
            posting = form.save_draft()
        except JobPostingError as error:
            messages.error(request, str(error))
            return redirect("joblist:my_ad", pk)
        messages.success(request, "Your changes are saved. Check the ad below.")
        return redirect("joblist:preview", posting.pk)
    return _form_page(request, form, posting)


@login_required
@require_safe
def preview(request, pk):
    posting = _own(request, pk)
    product = posting.ad_product
    context = {
        "posting": posting,
        "price": product.price_for(request.user) if product else None,
        "product_on_sale": bool(product and product.is_active),
        "is_editable": posting.status in EDITABLE_STATES,
        "form": ActionForm(),
    }
    return render(request, "joblist/post_preview.html", context)


def _orders_for(posting):
    content_type = ContentType.objects.get_for_model(JobPosting)
    return Order.objects.filter(lines__content_type=content_type, lines__object_id=posting.pk).distinct()


@login_required
@require_POST
@rate_limit("joblist-pay", limit=10, period=60)
def pay(request, pk):
    """Send the employer to the store's checkout for the ad's product, at their price."""
    posting = _own(request, pk)
    if not _action_ok(request):
        return redirect("joblist:preview", posting.pk)
    if posting.status != Status.DRAFT or posting.paid_at is not None:
        messages.error(request, f"“{posting.title}” is paid for already: there is nothing more to pay.")
        return redirect("joblist:my_ad", posting.pk)
    if _orders_for(posting).filter(status=Order.Status.PAID).exists():
        # Paid, and the store's signal is still on its way (or waits for a retry): never charge twice.
        messages.info(request, f"We have your payment for “{posting.title}”; it goes to review in a moment.")
        return redirect("joblist:my_ad", posting.pk)
    product = posting.ad_product
    if product is None or not product.is_active:
        messages.error(request, "The ad you chose is no longer on sale: edit the ad and choose another.")
        return redirect("joblist:preview", posting.pk)
    user = request.user
    line = PayableLine(
        kind="job_ad",
        description=f"JobLIST {product.name}: {posting.title} ({posting.employer_name})"[:300],
        unit_price=product.price_for(user),
        item=posting,
    )
    try:
        return start_checkout(
            request,
            [line],
            success_url=reverse("joblist:my_ad", args=[posting.pk]),
            buyer={"name": user.get_full_name()[:200], "email": user.email},
        )
    except ValueError:
        messages.error(request, "This ad cannot be paid for online just now: please write to JobLIST staff.")
        return redirect("joblist:preview", posting.pk)


@login_required
@require_POST
@rate_limit("joblist-post", limit=10, period=60)
def resubmit(request, pk):
    posting = _own(request, pk)
    if _action_ok(request):
        try:
            posting.resubmit(by=request.user)
        except JobPostingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"“{posting.title}” is back with our staff for review. We will email you.")
    return redirect("joblist:my_ad", posting.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("joblist-post", limit=10, period=60)
def withdraw(request, pk):
    """GET asks (what withdrawing means); POST takes the ad down."""
    posting = _own(request, pk)
    if posting.status in (Status.EXPIRED, Status.WITHDRAWN):
        messages.error(request, f"“{posting.title}” has already ended.")
        return redirect("joblist:my_ad", posting.pk)
    if request.method == "POST" and _action_ok(request):
        try:
            posting.withdraw(by=request.user)
        except JobPostingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"“{posting.title}” is withdrawn: it is no longer on the board.")
        return redirect("joblist:my_ads")
    return render(request, "joblist/my_ads_withdraw.html", {"posting": posting, "form": ActionForm()})


@login_required
@require_POST
@rate_limit("joblist-post", limit=10, period=60)
def repost(request, pk):
    posting = _own(request, pk)
    if not _action_ok(request):
        return redirect("joblist:my_ad", posting.pk)
    try:
        copy = posting.repost(by=request.user)
    except JobPostingError as error:
        messages.error(request, str(error))
        return redirect("joblist:my_ad", posting.pk)
    messages.success(
        request, f"A new draft of “{copy.title}” is ready. Check it (edit anything that changed), then pay to run it."
    )
    return redirect("joblist:preview", copy.pk)


# Following one's ads ---------------------------------------------------------------------------


def state_in_words(posting):
    """What the employer reads about an ad's state (a published ad past its run has ended)."""
    if posting.status == Status.PUBLISHED and posting.has_ended():
        return "Ended"
    if posting.status == Status.PUBLISHED:
        return "On the board"
    if posting.status == Status.DRAFT:
        return "Draft, not paid yet" if posting.paid_at is None else "Draft"
    if posting.status == Status.REJECTED:
        return "Needs changes"
    return posting.get_status_display()


def can_withdraw(posting):
    return posting.status in (Status.DRAFT, Status.PENDING, Status.PUBLISHED, Status.REJECTED) and not (
        posting.status == Status.PUBLISHED and posting.has_ended()
    )


def can_repost(posting):
    return posting.status in (Status.EXPIRED, Status.WITHDRAWN) or posting.has_ended()


def _annotate(posting):
    posting.state_text = state_in_words(posting)
    posting.may_edit = posting.status in EDITABLE_STATES
    posting.may_withdraw = can_withdraw(posting)
    posting.may_repost = can_repost(posting)
    posting.on_board = posting.is_visible()
    # Each row's repost button has its own honeypot, with ids of its own.
    posting.repost_form = ActionForm(auto_id=f"repost-{posting.pk}-%s") if posting.may_repost else None
    return posting


@login_required
@require_safe
def my_ads(request):
    postings = (
        JobPosting.objects.owned_by(request.user)
        .select_related("employer")
        .order_by("-created_at", "-pk")
        .defer("description", "description_html", "requirements", "requirements_html", "search_vector")
    )
    page = Paginator(postings, ADS_PER_PAGE).get_page(request.GET.get("page"))
    for posting in page:
        _annotate(posting)
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "ellipsis": Paginator.ELLIPSIS,
    }
    return render(request, "joblist/my_ads.html", context)


ORDER_STATES = {
    Order.Status.PAID: "paid",
    Order.Status.REFUNDED: "refunded",
    Order.Status.CANCELLED: "cancelled",
    Order.Status.FAILED: "failed",
    Order.Status.PENDING: "pending",
}


def payment_state(posting, order):
    """What became of the ad's payment, from its latest order (which may be ahead of the ad for a
    moment: the store's signal on its way, or a failed fulfilment waiting for its retry)."""
    if order is None:
        return "paid" if posting.paid_at is not None else "unpaid"
    if posting.paid_at is not None and order.status == Order.Status.PENDING:
        return "paid"  # paid on an earlier order (staff recorded it); this one was left unfinished
    return ORDER_STATES.get(order.status, "pending")


@login_required
@require_safe
def my_ad(request, pk):
    """One ad as its employer follows it; where the checkout sends them after paying."""
    posting = _annotate(_own(request, pk))
    order = _orders_for(posting).order_by("-created_at", "-pk").first()
    state = payment_state(posting, order)
    context = {
        "posting": posting,
        "order": order,
        "payment": state,
        "pay_link": order.get_pay_link() if order is not None and order.is_payable else "",
        "form": ActionForm(),
    }
    return render(request, "joblist/my_ads_detail.html", context)
