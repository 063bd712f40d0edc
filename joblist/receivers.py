"""Fulfils the job ads sold through the store (see store.api): paid, an ad goes to review;
refunded, it is withdrawn from the board. Both model methods are idempotent, as the store retries."""

from django.dispatch import receiver

from store.api import items_in
from store.signals import describe_refund, order_paid, order_refunded

from .models import JobPosting


@receiver(order_paid, dispatch_uid="joblist.order_paid")
def send_paid_ads_to_review(sender, order, **kwargs):
    for posting in items_in(order, JobPosting):
        posting.mark_paid()


@receiver(order_refunded, dispatch_uid="joblist.order_refunded")
def withdraw_refunded_ads(sender, order, **kwargs):
    for posting in items_in(order, JobPosting):
        posting.mark_refunded()


WITHDRAWN_BY_REFUND = (
    JobPosting.Status.DRAFT,
    JobPosting.Status.PENDING,
    JobPosting.Status.PUBLISHED,
    JobPosting.Status.REJECTED,
)


@receiver(describe_refund, dispatch_uid="joblist.describe_refund")
def describe_refund_effects(sender, order, **kwargs):
    """What withdraw_refunded_ads will undo, for the store's confirmation page."""
    effects = []
    for posting in items_in(order, JobPosting):
        name = f"The job ad “{posting.title}” ({posting.employer_name})"
        if posting.status == JobPosting.Status.PUBLISHED and posting.is_visible():
            effects.append(f"{name} is withdrawn: it leaves the JobLIST board at once.")
        elif posting.status == JobPosting.Status.PENDING:
            effects.append(f"{name} is withdrawn from review.")
        elif posting.status in WITHDRAWN_BY_REFUND:
            effects.append(f"{name} is marked withdrawn.")
    return effects
