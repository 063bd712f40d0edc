"""Registration: register (free, paid through the store's checkout, or waitlisted), cancel, and
take a seat offered from the waitlist. The rules live on the models (Event.register and
Registration's methods); these views turn their answers into messages and redirects.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ala_site.ratelimit import rate_limit
from store.api import start_checkout

from .forms import RegistrationActionForm
from .models import Event, Registration, RegistrationError


def _back(event):
    return event.get_absolute_url() if event.is_published else reverse("events:list")


def _checkout(request, registration):
    """Send the person to the store's checkout for the registration; back to the event page after."""
    user = request.user
    return start_checkout(
        request,
        [registration.checkout_line()],
        success_url=registration.event.get_absolute_url(),
        buyer={"name": user.get_full_name(), "email": user.email},
    )


def _honeypot_ok(request):
    form = RegistrationActionForm(request.POST)
    if form.is_valid():
        return True
    messages.error(request, form.first_error())
    return False


# A GET (the login page sending someone back to a POST-only address) lands on the event page.
@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("events-register", limit=10, period=60)
def register(request, slug):
    event = get_object_or_404(Event, slug=slug)
    if request.method != "POST" or not _honeypot_ok(request):
        return redirect(_back(event))
    try:
        registration = event.register(request.user)
    except RegistrationError as error:
        messages.error(request, str(error))
        return redirect(_back(event))
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(
            request, f"You are registered for “{event.title}”. We have emailed you the details and a calendar file."
        )
    elif registration.status == Registration.Status.WAITLISTED:
        messages.info(
            request, f"“{event.title}” is full: you are on the waitlist. We will email you if a seat becomes free."
        )
    else:
        return _checkout(request, registration)
    return redirect(event.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("events-register", limit=10, period=60)
def cancel(request, slug):
    event = get_object_or_404(Event, slug=slug)
    if request.method != "POST" or not _honeypot_ok(request):
        return redirect(_back(event))
    registration = event.registrations.active().filter(user=request.user).first()
    if registration is None:
        messages.error(request, f"You have no registration for “{event.title}” to cancel.")
        return redirect(_back(event))
    try:
        registration.cancel()
    except RegistrationError as error:
        messages.error(request, str(error))
        return redirect(_back(event))
    if registration.status == Registration.Status.WAITLISTED:
        messages.success(request, f"You have left the waitlist for “{event.title}”.")
    elif registration.status == Registration.Status.OFFERED:
        messages.success(request, f"You have declined the seat at “{event.title}”: it goes to the next person waiting.")
    else:
        messages.success(request, f"Your registration for “{event.title}” is cancelled.")
    return redirect(_back(event))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("events-register", limit=10, period=60)
def take_seat(request, slug):
    """The link in the seat-offered email. GET shows the offer (a mail scanner opening the link
    takes nothing); POST takes it: confirmed when free to the person, else on to the checkout."""
    event = get_object_or_404(Event, slug=slug)
    registration = event.registrations.filter(user=request.user, status=Registration.Status.OFFERED).first()
    if request.method == "POST" and registration is not None and _honeypot_ok(request):
        try:
            registration = registration.take_offer(request.user)
        except RegistrationError as error:
            messages.error(request, str(error))
            return redirect(_back(event))
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(
                request, f"You are registered for “{event.title}”. We have emailed you the details and a calendar file."
            )
            return redirect(event.get_absolute_url())
        return _checkout(request, registration)
    if registration is None:
        messages.error(request, f"There is no seat offered to you for “{event.title}”.")
        return redirect(_back(event))
    context = {
        "event": event,
        "registration": registration,
        "price": event.price_for(request.user),
        "form": RegistrationActionForm(auto_id="take_%s"),
        "cancel_form": RegistrationActionForm(auto_id="cancel_%s"),
    }
    return render(request, "events/register_offer.html", context)
