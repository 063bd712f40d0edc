"""Fulfils what the membership app sold once the store reports the payment."""

from django.dispatch import receiver

from store.api import items_in
from store.signals import order_paid, order_payment_failed, order_refunded

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
