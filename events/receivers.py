"""Fulfils the registrations the events app sold through the store (see store.api)."""

from django.dispatch import receiver
from django.utils import timezone

from store.api import items_in
from store.signals import describe_refund, order_paid, order_refunded

from .models import Registration


@receiver(order_paid, dispatch_uid="events.order_paid")
def confirm_paid_registrations(sender, order, **kwargs):
    for registration in items_in(order, Registration):
        registration.mark_paid()


@receiver(order_refunded, dispatch_uid="events.order_refunded")
def cancel_refunded_registrations(sender, order, **kwargs):
    for registration in items_in(order, Registration):
        registration.mark_refunded()


@receiver(describe_refund, dispatch_uid="events.describe_refund")
def describe_refund_effects(sender, order, **kwargs):
    """What cancel_refunded_registrations will undo, for the store's confirmation page."""
    effects = []
    for registration in items_in(order, Registration):
        if registration.status == Registration.Status.REFUNDED:
            continue
        event = registration.event
        when = timezone.localtime(event.starts_at)
        effect = f"The registration of {registration.user} for “{event}” ({when:%b %-d, %Y}) is cancelled"
        if registration.holds_seat() and event.starts_at > timezone.now():
            if event.registrations.filter(status=Registration.Status.WAITLISTED).exists():
                effect += "; its seat is offered to the first person on the waitlist"
            else:
                effect += "; its seat is freed"
        effects.append(effect + ".")
    return effects
