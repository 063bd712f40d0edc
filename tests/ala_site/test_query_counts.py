"""The landing page's database work is bounded and does not grow with its content."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ala_site.models import NavLink, Promo, QuickLinkGroup, SiteSettings

from .factories import AlertBannerFactory, NavLinkFactory, PromoFactory, QuickLinkFactory, QuickLinkGroupFactory

# Upper bound for a landing page rendered from an empty cache. Each app's section adds
# a few queries; raise this when a new section lands, never because a list grew.
COLD_CACHE_MAX_QUERIES = 40
# With every section cached, an anonymous visitor costs (almost) no queries.
WARM_CACHE_MAX_QUERIES = 3


def make_content(count):
    """`count` rows of every kind of landing-page content, with child rows where they nest."""
    SiteSettings.objects.get_or_create(pk=SiteSettings.SINGLETON_PK)  # the one row, as on a live site
    for slot in Promo.Slot.values:
        PromoFactory.create_batch(count, slot=slot)
    for _ in range(count):
        parent = NavLinkFactory(menu=NavLink.Menu.MAIN)
        NavLinkFactory.create_batch(2, menu=NavLink.Menu.MAIN, parent=parent)
    for menu in (NavLink.Menu.UTILITY, NavLink.Menu.FOOTER, NavLink.Menu.FOOTER_UTILITY):
        NavLinkFactory.create_batch(count, menu=menu)
    for placement in QuickLinkGroup.Placement.values:
        for _ in range(count):
            QuickLinkFactory.create_batch(3, group=QuickLinkGroupFactory(placement=placement))
    AlertBannerFactory.create_batch(count)


def cold_home_queries(client):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.django_db
def test_landing_page_queries_are_bounded_with_a_cold_cache(client, django_assert_max_num_queries):
    make_content(5)
    cache.clear()

    with django_assert_max_num_queries(COLD_CACHE_MAX_QUERIES):
        response = client.get("/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_landing_page_queries_do_not_grow_with_content(client):
    make_content(5)
    few, page = cold_home_queries(client)
    cards = len(Promo.Slot.values) - 1  # every slot but the hero shows promos as cards
    assert page.count('class="promo card') == cards * 5  # the content is really on the page

    make_content(45)
    many, page = cold_home_queries(client)
    assert page.count('class="promo card') == cards * 50

    assert many == few


@pytest.mark.django_db
def test_landing_page_with_a_warm_cache_costs_at_most_three_queries(client, django_assert_max_num_queries):
    make_content(5)
    client.get("/")  # fills the cache

    with django_assert_max_num_queries(WARM_CACHE_MAX_QUERIES):
        response = client.get("/")

    assert response.status_code == 200
    assert response.content.decode().count('class="promo card') == (len(Promo.Slot.values) - 1) * 5
