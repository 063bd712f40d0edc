"""Ads leave the board the moment their run ends; `manage.py expire_jobs` then records the state."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from joblist.models import AD_RUN_DAYS, JobPosting

from .factories import JobPostingFactory, published_job

pytestmark = pytest.mark.django_db


def expire():
    out = io.StringIO()
    call_command("expire_jobs", stdout=out)
    return out.getvalue()


def test_a_job_leaves_the_board_the_moment_its_run_ends_before_the_command_runs(client, settings):
    # The board is a shared page, kept until the run ends: time travel moves the local cache's
    # clock, not Redis's.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    job = published_job(days_ago=AD_RUN_DAYS - 1, title="Youth Services Librarian")
    assert "Youth Services Librarian" in client.get("/joblist/").content.decode()

    with time_machine.travel(job.expires_at + timedelta(seconds=1)):
        assert "Youth Services Librarian" not in client.get("/joblist/").content.decode()
        assert list(JobPosting.objects.visible()) == []
        job.refresh_from_db()
        assert job.status == JobPosting.Status.PUBLISHED  # nothing recorded yet: the dates decide


def test_the_command_records_the_expired_state_and_says_how_many():
    over = [JobPostingFactory(run_over=True) for _ in range(2)]
    live = published_job(days_ago=2)
    deadline_passed = published_job(days_ago=2, application_deadline=timezone.localdate() - timedelta(days=1))
    pending = JobPostingFactory(pending=True)

    assert expire() == "2 ads marked expired.\n"

    statuses = dict(JobPosting.objects.values_list("pk", "status"))
    assert [statuses[job.pk] for job in over] == [JobPosting.Status.EXPIRED] * 2
    assert statuses[live.pk] == JobPosting.Status.PUBLISHED
    assert statuses[deadline_passed.pk] == JobPosting.Status.PUBLISHED  # hidden by date; its run goes on
    assert statuses[pending.pk] == JobPosting.Status.PENDING


def test_the_command_is_idempotent():
    JobPostingFactory(run_over=True)

    assert expire() == "1 ad marked expired.\n"
    assert expire() == "0 ads marked expired.\n"
    assert JobPosting.objects.filter(status=JobPosting.Status.EXPIRED).count() == 1


def test_a_recorded_expired_ad_still_has_its_page_kept_out_of_search_engines(client):
    job = JobPostingFactory(run_over=True)
    expire()
    job.refresh_from_db()

    assert job.status == JobPosting.Status.EXPIRED
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200 and "noindex" in page.content.decode()
