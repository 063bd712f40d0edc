"""Registration on pages: the event page's register/cancel control and the account's list."""

from django import template
from django.utils import timezone

from ..forms import RegistrationActionForm
from ..models import Registration, RegistrationError

register = template.Library()


@register.inclusion_tag("events/register_control.html", takes_context=True)
def registration_control(context, event):
    """Register, pay, join the waitlist, take an offered seat or cancel, as fits this person."""
    request = context.get("request")
    user = getattr(request, "user", None)
    now = timezone.now()
    registration = None
    if user is not None and user.is_authenticated:
        registration = event.registrations.active().filter(user=user).first()
        if registration is not None and not registration.holds_seat(now) and registration.status != "waitlisted":
            registration = None  # an unpaid hold or an offer that lapsed: they may register again
    try:
        event.check_registration_open(now)
        closed = ""
    except RegistrationError as error:
        closed = str(error)
    return {
        "event": event,
        "user": user,
        "request": request,
        "registration": registration,
        "closed": closed,
        "started": event.starts_at <= now,
        "full": not closed and not event.has_free_seat(now),
        "price": event.price_for(user) if user is not None and user.is_authenticated else None,
        "can_cancel": registration is not None and registration.can_cancel(now),
        # Two forms may share the page (pay, cancel): each honeypot gets its own id.
        "form": RegistrationActionForm(auto_id="register_%s"),
        "cancel_form": RegistrationActionForm(auto_id="cancel_%s"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("events/register_account.html", takes_context=True)
def my_registrations(context):
    """The signed-in person's registrations, upcoming first, for the account page (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"upcoming": [], "past": []}
    now = timezone.now()
    registrations = Registration.objects.filter(user=user).select_related("event").order_by("event__starts_at", "pk")
    upcoming, past = [], []
    for registration in registrations:
        if registration.status == Registration.Status.PENDING and not registration.holds_seat(now):
            continue  # an abandoned checkout: it holds nothing and was never theirs
        (upcoming if registration.event.ends_at > now else past).append(registration)
    past.reverse()
    return {"upcoming": upcoming, "past": past, "now": now}
