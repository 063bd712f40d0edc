from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ala_site import page_cache
from ala_site.emails import send_templated_email, send_templated_email_on_commit
from ala_site.ratelimit import rate_limit
from store.api import PayableLine, start_checkout
from store.models import Order

from . import tokens
from .forms import AccountForm, DonationForm, JoinForm, PreferencesForm, ProfileForm, RenewForm
from .models import Donation, Membership, MembershipTerm, MembershipType, User


@require_safe
@page_cache.shared_page
def membership_types(request):
    types = MembershipType.objects.filter(is_active=True)
    return render(request, "membership/types.html", {"types": types})


JOIN_EMAIL_SESSION_KEY = "membership.join_email"


def send_verification_email(request, user, *, on_commit=False):
    link = request.build_absolute_uri(tokens.verify_email_url(user))
    send = send_templated_email_on_commit if on_commit else send_templated_email
    send("membership/email/verify_email", {"user": user, "link": link}, user.email)


def send_account_exists_email(request, user):
    """Tell the owner of an address that someone (probably they) tried to join with it."""
    join_path = reverse("membership:join")
    context = {
        "user": user,
        "login_link": request.build_absolute_uri(f"{reverse('login')}?{urlencode({'next': join_path})}"),
        "reset_link": request.build_absolute_uri(reverse("password_reset")),
        # The email goes to the address itself, so it may as well confirm it for an owner who lost the first link.
        "verify_link": None if user.email_verified else request.build_absolute_uri(tokens.verify_email_url(user)),
    }
    send_templated_email_on_commit("membership/email/account_exists", context, user.email)


def dues_line(term):
    return PayableLine(
        kind="dues",
        description=f"{term.membership_type.name} membership dues, one year",
        unit_price=term.dues,
        item=term,
    )


PAYING_TERM_SESSION_KEY = "membership.paying_term"


def pay_dues(request, term):
    """Send the member to the store's checkout for the term's dues."""
    if term.dues <= 0:
        # The store refuses a checkout with nothing to pay (it raised, a 500 after the account
        # was saved). A free type, which admin allows, needs no payment: the term counts as paid
        # and starts once the address is confirmed.
        term.mark_paid()
        messages.success(request, f"Your {term.membership_type.name} membership has no dues to pay.")
        return redirect("membership:account")
    # The account page, where the store sends the member back, thanks them once the term is paid.
    request.session[PAYING_TERM_SESSION_KEY] = term.pk
    user = request.user
    return start_checkout(
        request,
        [dues_line(term)],
        success_url=reverse("membership:account"),
        buyer={"name": user.get_full_name(), "email": user.email},
    )


def tell_dues_paid(request, membership):
    """Thank the member on the account page once the term they went to pay is paid.

    The store leaves the thanks to the page it returns to (it would call the dues an "order").
    """
    term_pk = request.session.get(PAYING_TERM_SESSION_KEY)
    if membership is None or not isinstance(term_pk, int):
        return
    term = membership.terms.filter(pk=term_pk).first()
    if term is None or term.status in (MembershipTerm.Status.CANCELLED, MembershipTerm.Status.REFUNDED):
        del request.session[PAYING_TERM_SESSION_KEY]
    elif term.status == MembershipTerm.Status.STARTED:
        del request.session[PAYING_TERM_SESSION_KEY]
        until = date_format(term.ends_on, "F j, Y")
        messages.success(request, f"Thank you: your dues are paid. Your membership runs until {until}.")
    elif term.status == MembershipTerm.Status.PAID:
        del request.session[PAYING_TERM_SESSION_KEY]
        messages.success(request, "Thank you: your dues are paid.")
    # Still pending: the account page offers to pay; the thanks waits for the payment.


def save_join(join_form, user):
    """The membership (pending unless already active) and a pending term of the chosen type."""
    membership = join_form.save(commit=False)
    membership.user = user
    membership.eligibility_confirmed_at = membership.code_of_conduct_accepted_at = timezone.now()
    if membership.status != Membership.Status.ACTIVE:
        membership.status = Membership.Status.PENDING
    membership.save()
    # A join abandoned at the checkout leaves a pending term; the new choice replaces it.
    membership.terms.filter(status=MembershipTerm.Status.PENDING).update(status=MembershipTerm.Status.CANCELLED)
    return membership.new_term(join_form.cleaned_data["membership_type"])


def join_as_visitor(request, join_form, account_form):
    """Make the account with its waiting membership, or tell the address's owner they have one.

    The visitor sees the same page either way ("check your email"), and is not logged in, so the
    join page never reveals whether an address has an account: only the address's owner learns it.
    """
    email = account_form.cleaned_data["email"]
    with transaction.atomic():
        try:
            # The case-insensitive unique constraint is the one judge of "taken", so a join racing
            # another for the same address (in any case) gets the same answer as one that comes
            # second. The savepoint undoes the refused insert and keeps the transaction usable.
            with transaction.atomic():
                user = account_form.save()
        except IntegrityError:
            owner = User.objects.filter(email__iexact=email).first()
            if owner is None:
                raise  # not the address after all
            send_account_exists_email(request, owner)
            return
        term = save_join(join_form, user)
        if term.dues <= 0:
            # Nothing to pay (a free type, which admin allows): it starts once the address is confirmed.
            term.mark_paid()
        send_verification_email(request, user, on_commit=True)


# An anonymous visitor's empty form (GET) is the same for all of them (the type chosen comes from
# the address, which is part of the cache key): shared. A signed-in person's page, a redirect and a
# POST never are.
@require_http_methods(["GET", "HEAD", "POST"])
@page_cache.shared_page
@rate_limit("membership-join", limit=10, period=600)
def join(request):
    user = request.user if request.user.is_authenticated else None
    membership = Membership.objects.filter(user=user).first() if user else None
    if membership and membership.member_since:
        # A member, current or lapsed, renews; joining again would overwrite their record.
        messages.info(request, "You have been a member before, so you renew rather than join.")
        return redirect("membership:renew")
    if membership and membership.terms.filter(status=MembershipTerm.Status.PAID).exists():
        # Paid already: only the email confirmation is missing; paying again would be a mistake.
        messages.info(request, "Your dues are paid: confirm your email address to start your membership.")
        return redirect("membership:account")

    chosen_type = MembershipType.objects.filter(slug=request.GET.get("type", ""), is_active=True).first()
    initial = {"membership_type": chosen_type} if chosen_type else {}
    join_form = JoinForm(request.POST or None, instance=membership, initial=initial)
    account_form = AccountForm(request.POST or None, prefix="account") if user is None else None

    if request.method == "POST" and join_form.is_valid() and (account_form is None or account_form.is_valid()):
        if account_form is not None:
            join_as_visitor(request, join_form, account_form)
            request.session[JOIN_EMAIL_SESSION_KEY] = account_form.cleaned_data["email"]
            return redirect("membership:join_check_email")
        with transaction.atomic():
            term = save_join(join_form, user)
        if not user.email_verified:
            send_verification_email(request, user)
            messages.info(request, f"We sent a link to {user.email}: open it to confirm your address.")
        return pay_dues(request, term)

    context = {"form": join_form, "account_form": account_form}
    return render(request, "membership/join.html", context)


@require_safe
def join_check_email(request):
    context = {"email": request.session.get(JOIN_EMAIL_SESSION_KEY, "")}
    return render(request, "membership/join_check_email.html", context)


@login_required
@require_POST
def pay_pending_dues(request):
    """The account page's "Pay your dues": the checkout for the term a join left waiting."""
    membership = Membership.objects.filter(user=request.user).first()
    if membership and membership.terms.filter(status=MembershipTerm.Status.PAID).exists():
        messages.info(request, "Your dues are paid: confirm your email address to start your membership.")
        return redirect("membership:account")
    term = membership.pending_term() if membership else None
    if term is None:
        messages.info(request, "You have no dues waiting to be paid.")
        return redirect("membership:account")
    return pay_dues(request, term)


def verify_email(request, token):
    found = tokens.read_verify_token(token)
    user = User.objects.filter(pk=found[0]).first() if found else None
    if user is None or user.email.lower() != found[1]:
        return render(request, "membership/verify_invalid.html", status=400)
    user.verify_email()
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(request, "Thank you: your email address is confirmed.")
        return redirect("membership:account")
    messages.success(request, "Thank you: your email address is confirmed. Log in to continue.")
    return redirect(f"{reverse('login')}?next={reverse('membership:account')}")


@login_required
@require_POST
@rate_limit("membership-resend", limit=3, period=600)
def resend_verification(request):
    if request.user.email_verified:
        messages.info(request, "Your email address is already confirmed.")
    else:
        send_verification_email(request, request.user)
        messages.success(request, f"We sent a new link to {request.user.email}.")
    return redirect("membership:account")


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("membership-renew", limit=10, period=600)
def renew(request):
    token = request.GET.get("token")
    if token and tokens.read_renew_token(token) is None:
        messages.warning(request, "That renewal link has expired or is not valid; log in to renew instead.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    membership = Membership.objects.filter(user=request.user).select_related("membership_type").first()
    if membership is None or membership.member_since is None:
        messages.info(request, "You have no membership to renew yet: join first.")
        return redirect("membership:join")

    form = RenewForm(request.POST or None, initial={"membership_type": membership.membership_type})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            membership.terms.filter(status=MembershipTerm.Status.PENDING).update(status=MembershipTerm.Status.CANCELLED)
            term = membership.new_term(form.cleaned_data["membership_type"])
        return pay_dues(request, term)
    context = {"form": form, "membership": membership}
    return render(request, "membership/renew.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account(request):
    user = request.user
    membership = Membership.objects.filter(user=user).select_related("membership_type").first()
    if request.method != "POST":
        tell_dues_paid(request, membership)
    profile_form = ProfileForm(instance=user, prefix="profile")
    preferences_form = PreferencesForm(instance=membership, prefix="prefs") if membership else None
    if request.method == "POST":
        if "save_profile" in request.POST:
            profile_form = ProfileForm(request.POST, instance=user, prefix="profile")
            if profile_form.is_valid():
                profile_form.save()
                messages.success(request, "Your profile is saved.")
                return redirect("membership:account")
        elif "save_preferences" in request.POST and membership:
            preferences_form = PreferencesForm(request.POST, instance=membership, prefix="prefs")
            if preferences_form.is_valid():
                preferences_form.save()
                messages.success(request, "Your email preferences are saved.")
                return redirect("membership:account")
    context = {
        "membership": membership,
        "terms": membership.terms.select_related("membership_type").exclude(status=MembershipTerm.Status.CANCELLED)
        if membership
        else [],
        # Paid, waiting only for the address to be confirmed: do not offer to join (and pay) again.
        "paid_awaiting_email": bool(membership) and membership.terms.filter(status=MembershipTerm.Status.PAID).exists(),
        # A join waiting for its dues (the visitor confirmed the address and logged in to pay).
        "pending_term": membership.pending_term() if membership and not membership.member_since else None,
        "orders": Order.objects.filter(user=user).order_by("-created_at")[:20],
        "donations": Donation.objects.filter(user=user)[:20],
        "profile_form": profile_form,
        "preferences_form": preferences_form,
    }
    return render(request, "membership/account.html", context)


DONATIONS_SESSION_KEY = "membership.donations"
REMEMBERED_DONATIONS = 20  # gifts of this browser whose thank-you page it may open


# The empty form (GET) is the same for every anonymous visitor (a signed-in one's is prefilled, and
# never shared): shared. A POST is never served from the cache.
@require_http_methods(["GET", "HEAD", "POST"])
@page_cache.shared_page
@rate_limit("donate", limit=10, period=600)
def donate(request):
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name(), "email": request.user.email}
    form = DonationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        donation = form.save(commit=False)
        donation.user = request.user if request.user.is_authenticated else None
        donation.save()
        # A guest donor has no account: the session they gave from is what lets them see the page.
        remembered = [pk for pk in request.session.get(DONATIONS_SESSION_KEY, []) if isinstance(pk, int)]
        request.session[DONATIONS_SESSION_KEY] = [*remembered, donation.pk][-REMEMBERED_DONATIONS:]
        line = PayableLine(
            kind="donation",
            description=f"Donation: {donation.get_fund_display()}",
            unit_price=donation.amount,
            item=donation,
        )
        return start_checkout(
            request,
            [line],
            success_url=tokens.donation_thanks_url(donation),
            buyer={"name": donation.name, "email": donation.email},
        )
    return render(request, "membership/donate.html", {"form": form})


def donation_state(donation, order):
    """What became of the gift, from the gift and its order (the order may be ahead of the gift
    while a failed fulfilment waits for its retry)."""
    statuses = {donation.status, order.status if order else None}
    if Donation.Status.REFUNDED in statuses or Order.Status.REFUNDED in statuses:
        return "refunded"
    if Donation.Status.PAID in statuses or Order.Status.PAID in statuses:
        return "paid"
    if order is not None and order.status == Order.Status.CANCELLED:
        return "cancelled"
    if Donation.Status.FAILED in statuses or Order.Status.FAILED in statuses:
        return "failed"
    return "pending"


@require_safe
def donation_thanks(request, token):
    """The donor's page for their gift: thanks once paid, or what is still missing."""
    pk = tokens.read_donation_token(token)
    donation = Donation.objects.filter(pk=pk).first() if pk else None
    own = donation is not None and (
        donation.pk in request.session.get(DONATIONS_SESSION_KEY, [])
        or (request.user.is_authenticated and donation.user_id == request.user.pk)
    )
    if not own:
        return render(request, "membership/donation_thanks.html", {"donation": None}, status=404)
    order = (
        Order.objects.filter(
            lines__content_type=ContentType.objects.get_for_model(Donation), lines__object_id=donation.pk
        )
        .order_by("-created_at")
        .first()
    )
    context = {
        "donation": donation,
        "state": donation_state(donation, order),
        "pay_link": order.get_pay_link() if order is not None and order.is_payable else "",
    }
    return render(request, "membership/donation_thanks.html", context)
