"""JobLIST's demo content: the seed's fifteen jobs at their ages, the ad products, the menus."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from ala_site import demo as site_demo
from ala_site.models import NavLink
from joblist import demo
from joblist.models import AdProduct, JobPosting
from joblist.templatetags.joblist_tags import posted_ago
from membership import demo as membership_demo
from tests.factories import StaffFactory
from tests.joblist.factories import published_job

pytestmark = pytest.mark.django_db

# The seed's "Featured Jobs", in its order: title, employer, place, age.
SEED = [
    ("Education Librarian", "University of Missouri", "Columbia, MO", "2 weeks ago"),
    ("Director of Library Services", "UTMB Library - The University of Texas Medical Branch", "Galveston, TX",
     "2 weeks ago"),
    ("Digital Scholarship Librarian", "Missouri University of Science and Technology", "Rolla, MO", "3 weeks ago"),
    ("Social Sciences and Government Information Librarian", "University of Missouri", "Columbia, MO",
     "3 weeks ago"),
    ("Associate Dean for Research and Instruction", "University of Cincinnati Library", "Cincinnati, OH",
     "1 month ago"),
    ("Librarian I - Children's Coordinator", "City of Petersburg", "Petersburg, VA", "1 month ago"),
    ("Research and Learning Services Librarian", "Hofstra University", "Hempstead, NY", "1 month ago"),
    ("Instruction and Engagement Librarian", "Eastern New Mexico University", "Portales, NM", "1 month ago"),
    ("Director of Library Services", "Placer County Library", "Rocklin, CA", "1 month ago"),
    ("Children Services Librarian", "Dayton Metro Library", "Dayton, OH", "1 month ago"),
    ("Director", "Avon Lake Public Library (OH)", "Avon Lake, OH", "1 month ago"),
    ("Director for Collections Services", "Binghamton University", "Binghamton, NY", "1 month ago"),
    ("Director for Research Services", "Binghamton University", "Binghamton, NY", "1 month ago"),
    ("Executive Director Central Library", "Texas Southern University", "Houston, TX", "1 month ago"),
    ("Director of Library Services", "UTMB Library - The University of Texas Medical Branch", "Galveston, TX",
     "1 month ago"),
]  # fmt: skip


def quiet(*args):
    pass


def on(day, hour=12):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE)))


def board():
    return [
        (posting.title, posting.employer_name, posting.location, posted_ago(posting.published_at))
        for posting in JobPosting.objects.visible().newest()
    ]


def test_the_seeds_fifteen_jobs_are_on_the_board_at_their_ages():
    demo.seed(log=quiet)
    assert board() == SEED
    postings = list(JobPosting.objects.order_by("pk"))
    assert [posting.pk for posting in postings] == list(range(1, 16))
    for posting in postings:
        # A 30-day run, noon to noon in Chicago (across a change of clocks too).
        assert timezone.localtime(posting.expires_at) - timezone.localtime(posting.published_at) == timedelta(days=30)
        assert posting.description_html.startswith("<p>") and "<li>" in posting.requirements_html
        assert posting.apply_url or posting.apply_email
        assert posting.status == JobPosting.Status.PUBLISHED and posting.ad_product is not None
    # Some give a salary (the seed asks for one; it is not required), some do not.
    assert 0 < sum(posting.salary_min is not None for posting in postings) < 15


def test_the_next_ad_takes_the_next_number():
    demo.seed(log=quiet)
    assert published_job().pk == 16


def test_even_the_oldest_demo_jobs_stay_visible_as_the_day_goes_on():
    today = date(2026, 11, 26)
    with on(today, hour=0):
        demo.seed(log=quiet)
    with on(today, hour=23):
        assert len(board()) == 15


def test_the_ad_products_and_the_organizational_discount():
    membership_demo.seed(log=quiet)
    demo.seed(log=quiet)
    online, featured = AdProduct.objects.order_by("position")
    assert (online.days, online.price, online.is_featured) == (30, Decimal("250.00"), False)
    assert (featured.days, featured.price, featured.is_featured) == (30, Decimal("650.00"), True)
    for product in (online, featured):
        assert Decimal("250") <= product.price <= Decimal("650")
        assert product.member_price < product.price
        assert [t.slug for t in product.discounted_membership_types.all()] == ["organizational"]


def test_running_it_again_adds_nothing_and_keeps_staff_edits():
    membership_demo.seed(log=quiet)
    demo.seed(log=quiet)
    staff = StaffFactory()
    product = AdProduct.objects.get(slug="online-30-days")
    product.price, product.updated_by = Decimal("275.00"), staff
    product.save()
    product.discounted_membership_types.clear()
    posting = JobPosting.objects.get(pk=3)
    posting.title, posting.updated_by = "Digital Scholarship Librarian (reopened)", staff
    posting.save()

    demo.seed(log=quiet)

    assert JobPosting.objects.count() == 15 and AdProduct.objects.count() == 2
    product.refresh_from_db()
    assert product.price == Decimal("275.00") and not product.discounted_membership_types.exists()
    assert JobPosting.objects.get(pk=3).title == "Digital Scholarship Librarian (reopened)"


def test_a_later_run_moves_the_demos_untouched_jobs_and_leaves_the_others():
    first_day = date(2026, 11, 1)
    with on(first_day):
        demo.seed(log=quiet)
        withdrawn = JobPosting.objects.get(pk=2)
        withdrawn.withdraw(by=None)
        edited = JobPosting.objects.get(pk=4)
        edited.updated_by = StaffFactory()
        edited.save()
        edited_dates = (edited.published_at, edited.expires_at)

    later = first_day + timedelta(days=40)
    with on(later):
        demo.seed(log=quiet)
        moved = JobPosting.objects.get(pk=1)
        assert timezone.localdate(moved.published_at) == later - timedelta(days=14)
        assert posted_ago(moved.published_at) == "2 weeks ago"
        assert JobPosting.objects.get(pk=2).status == JobPosting.Status.WITHDRAWN
        edited.refresh_from_db()
        assert (edited.published_at, edited.expires_at) == edited_dates
        assert len(board()) == 13  # all but the withdrawn and the edited (whose run is over)


def test_the_menus_lead_to_the_board():
    site_demo.seed(log=quiet)
    demo.seed(log=quiet)
    assert NavLink.objects.get(label="Job Board").url == "/joblist/"
    assert NavLink.objects.get(label="JobLIST").url == "/joblist/"


def test_menus_written_by_an_older_site_demo_are_repointed_unless_staff_edited_them():
    NavLink.objects.create(menu=NavLink.Menu.UTILITY, label="Job Board", url="https://joblist.ala.org/")
    kept = NavLink.objects.create(
        menu=NavLink.Menu.MAIN, label="Jobs", url="https://joblist.ala.org/", updated_by=StaffFactory()
    )
    demo.seed(log=quiet)
    assert NavLink.objects.get(label="Job Board").url == "/joblist/"
    kept.refresh_from_db()
    assert kept.url == "https://joblist.ala.org/"


def test_volume_adds_searchable_live_jobs_once():
    demo.seed(log=quiet)
    demo.seed(volume=60, log=quiet)
    demo.seed(volume=60, log=quiet)
    generated = JobPosting.objects.filter(apply_url__startswith=demo.GENERATED_APPLY_URL)
    assert generated.count() == 60
    assert JobPosting.objects.visible().count() == 75
    assert all(posting.description_html and posting.slug and posting.employer_name for posting in generated)
    assert JobPosting.objects.visible().search("metadata").filter(pk__in=generated).exists()
    if connection.vendor == "postgresql":
        assert not generated.filter(search_vector=None).exists()


def test_every_demo_page_answers(client):
    demo.seed(log=quiet)
    assert client.get("/joblist/").status_code == 200
    assert client.get("/joblist/1-education-librarian/").status_code == 200
    assert client.get("/joblist/?q=librarian&state=MO").context["page"].paginator.count == 3
