"""Fulfils what the membership app sold once the store reports the payment."""

from django.dispatch import receiver

from store.api import items_in
from store.signals import describe_refund, order_paid, order_payment_failed, order_refunded

from .models import Donation, MembershipTerm


@receiver(order_paid, dispatch_uid="membership.order_paid")
def fulfil_paid_order(sender, order, **kwargs):
    for term in items_in(order, MembershipTerm):
        term.mark_paid()
    for donation in items_in(order, Donation):
        donation.mark_paid()


@receiver(order_payment_failed, dispatch_uid="membership.order_failed")
def record_failed_payment(sender, order, **kwargs):
    for donation in items_in(order, Donation):
        donation.mark(Donation.Status.FAILED)


@receiver(order_refunded, dispatch_uid="membership.order_refunded")
def record_refund(sender, order, **kwargs):
    for term in items_in(order, MembershipTerm):
        term.refund()
    for donation in items_in(order, Donation):
        donation.mark(Donation.Status.REFUNDED)


@receiver(describe_refund, dispatch_uid="membership.describe_refund")
def describe_refund_effects(sender, order, **kwargs):
    """What record_refund will undo, for the store's confirmation page."""
    effects = []
    for term in items_in(order, MembershipTerm):
        who = term.membership.user
        if term.status == MembershipTerm.Status.STARTED:
            effects.append(
                f"The membership year {term.starts_on:%b %-d, %Y} – {term.ends_on:%b %-d, %Y} of {who} is "
                "withdrawn; any later year moves earlier to close the gap."
            )
        elif term.status == MembershipTerm.Status.PAID:
            effects.append(f"The paid membership year of {who}, waiting for their email confirmation, never starts.")
    for donation in items_in(order, Donation):
        if donation.status != Donation.Status.REFUNDED:
            effects.append(f"The ${donation.amount} donation from {donation.name} is marked refunded.")
    return effects
