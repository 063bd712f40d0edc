"""Site-wide search, /search/?q= (ala_site/search.py and each app's search.py), on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advocacy.models import Article
from ala_site import page_cache
from ala_site import search as site_search
from ala_site.search import SearchResults, _matches, get_kind, kinds, search_session
from tests.censorship.factories import BookResumeFactory
from tests.censorship.report_factories import ChallengeReportFactory
from tests.events.factories import EventFactory
from tests.html_utils import h1_count
from tests.joblist.factories import JobPostingFactory, published_job
from tests.store.factories import ProductFactory

pytestmark = pytest.mark.django_db

WORD = "zephyrine"  # a word found nowhere else, so each test sees only its own rows


def article(**fields):
    values = {
        "title": f"Article {Article.objects.count()}",
        "slug": f"article-{Article.objects.count()}",
        "summary": "News from the association.",
        "body": "The association said so.",
        "publish_at": timezone.now() - timedelta(hours=1),
    }
    values.update(fields)
    values["slug"] = values["slug"].lower().replace(" ", "-")[:200]
    return Article.objects.create(**values)


def one_of_each(suffix=""):
    """One visible row of every searchable kind with WORD in its title."""
    return {
        "news": article(title=f"Libraries and {WORD} funding{suffix}"),
        "events": EventFactory(title=f"Webinar on {WORD} collections{suffix}"),
        "jobs": published_job(title=f"{WORD.title()} Services Librarian{suffix}"),
        "store": ProductFactory(title=f"{WORD.title()} reading poster{suffix}"),
        "resumes": BookResumeFactory(title=f"The {WORD} year{suffix}"),
    }


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response, response.content.decode()


def found_urls(response):
    return [hit.url for hit in response.context["hits"]]


def test_every_kind_is_declared():
    assert [kind.key for kind in kinds()] == ["news", "events", "jobs", "store", "resumes"]


def test_results_come_from_every_kind(client):
    rows = one_of_each()

    response, page = search(client, q=WORD)

    assert sorted(found_urls(response)) == sorted(row.get_absolute_url() for row in rows.values())
    assert "5 results for “zephyrine”" in page
    for label in ("News", "Events", "Jobs", "Store", "Book résumés"):
        assert f'{label} <span class="search-kinds__count">(1)</span>' in page
    assert h1_count(response.content) == 1


def test_nothing_unpublished_expired_or_confidential_is_found(client):
    article(title=f"Draft {WORD}", slug="draft", is_published=False)
    article(title=f"Scheduled {WORD}", slug="scheduled", publish_at=timezone.now() + timedelta(days=1))
    EventFactory(title=f"Hidden {WORD} webinar", is_published=False)
    EventFactory(title=f"Long over {WORD} webinar", past=True)
    JobPostingFactory(title=f"Draft {WORD} librarian")
    JobPostingFactory(title=f"Pending {WORD} librarian", pending=True)
    JobPostingFactory(title=f"Expired {WORD} librarian", expired=True)
    JobPostingFactory(title=f"Run over {WORD} librarian", run_over=True)
    JobPostingFactory(title=f"Rejected {WORD} librarian", rejected=True)
    withdrawn = published_job(title=f"Withdrawn {WORD} librarian")  # taken down by its employer mid-run
    withdrawn.status = withdrawn.Status.WITHDRAWN
    withdrawn.save()
    published_job(days_ago=-2, title=f"Scheduled {WORD} librarian")  # approved, on the board in two days
    published_job(title=f"Deadline passed {WORD} librarian", application_deadline=timezone.localdate() - timedelta(1))
    ProductFactory(title=f"Withdrawn {WORD} poster", is_published=False)
    BookResumeFactory(title=f"Unpublished {WORD} novel", is_published=False)
    ChallengeReportFactory(
        material_title=f"The {WORD} book", description=f"A {WORD} complaint", reasons=f"{WORD} reasons"
    )

    response, page = search(client, q=WORD)

    assert found_urls(response) == []
    assert "No results for “zephyrine”" in page
    assert "The zephyrine book" not in page


def test_a_challenge_reports_words_are_never_found(client):
    report = ChallengeReportFactory(description="Quixotically phrased confidential complaint about a novel.")

    _, page = search(client, q="quixotically")

    assert "No results" in page
    assert report.description not in page
    assert report.reporter_email not in page


def test_a_past_event_is_found_while_its_recording_is_on_demand(client):
    on_demand = EventFactory(
        title=f"Recorded {WORD} webinar", past=True, on_demand_until=timezone.localdate() + timedelta(days=30)
    )
    EventFactory(title=f"Finished {WORD} webinar", past=True, on_demand_until=timezone.localdate() - timedelta(days=1))

    response, page = search(client, q=WORD)

    assert found_urls(response) == [on_demand.get_absolute_url()]
    assert "recording on demand" in page


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(client):
    in_body = article(title="Annual report", slug="in-body", body=f"Long text that mentions {WORD} once.")
    in_summary = article(title="Budget news", slug="in-summary", summary=f"About {WORD}.")
    in_title = article(title=f"{WORD.title()} explained", slug="in-title")

    response, _ = search(client, q=WORD)

    assert found_urls(response) == [a.get_absolute_url() for a in (in_title, in_summary, in_body)]


def test_every_word_must_be_found(client):
    both = ProductFactory(title=f"{WORD} tote bag")
    ProductFactory(title=f"{WORD} poster")

    response, _ = search(client, q=f"{WORD} tote")

    assert found_urls(response) == [both.get_absolute_url()]


def test_words_with_accents_are_found_whatever_their_case(client):
    """SQLite's LIKE folds ASCII letters only; the search folds every letter, as PostgreSQL does."""
    poster = ProductFactory(title="Économie du livre poster", short_description="Ein Plakat für die Bücherei.")

    for query in ("économie", "Économie", "BÜCHEREI", "bücherei"):
        response, page = search(client, q=query)
        assert found_urls(response) == [poster.get_absolute_url()], query
    assert "<mark>Bücherei</mark>" in page
    _, accented = search(client, q="économie")
    assert "<mark>Économie</mark> du livre poster" in accented


def test_matched_words_are_highlighted(client):
    ProductFactory(title=f"{WORD.title()} reading poster", short_description=f"A {WORD} poster for your library.")

    _, page = search(client, q=WORD)

    assert "<mark>Zephyrine</mark> reading poster" in page
    assert f"A <mark>{WORD}</mark> poster for your library." in page


def test_plural_query_highlights_the_singular_postgresql_finds(client):
    ProductFactory(title="Library card poster")

    response, page = search(client, q="libraries" if connection.vendor == "postgresql" else "library")

    assert len(found_urls(response)) == 1
    assert "<mark>Library</mark> card poster" in page


def test_script_in_content_is_shown_as_text(client):
    ProductFactory(
        title=f"<script>alert('title')</script> {WORD}",
        short_description=f"{WORD} <script>alert('snippet')</script> <b>bold</b>",
    )

    _, page = search(client, q=WORD)

    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; <mark>zephyrine</mark>" in page
    assert (
        "<mark>zephyrine</mark> &lt;script&gt;alert(&#x27;snippet&#x27;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in page
    )


def test_script_in_the_query_is_shown_as_text_and_marks_nothing_but_words(client):
    ProductFactory(title="Script writing <b>kit</b>")

    response, page = search(client, q="<script>alert('q')</script>")
    marked, marked_page = search(client, q="script")

    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#x27;q&#x27;)&lt;/script&gt;" in page  # echoed as text
    assert found_urls(response) == []  # "alert" is nowhere
    assert "<mark>Script</mark> writing &lt;b&gt;kit&lt;/b&gt;" in marked_page
    assert len(found_urls(marked)) == 1


def test_results_are_paginated_and_pages_keep_the_query(client):
    for n in range(25):
        ProductFactory(title=f"{WORD} poster {n:02d}")

    first, page_one = search(client, q=WORD)
    second, _ = search(client, q=WORD, page=2)
    beyond, _ = search(client, q=WORD, page=99)

    assert len(found_urls(first)) == 20
    assert len(found_urls(second)) == 5
    assert set(found_urls(first)).isdisjoint(found_urls(second))
    assert f"?q={WORD}&amp;page=2" in page_one
    assert found_urls(beyond) == found_urls(second)  # a page past the end shows the last one


def test_the_kind_filter_shows_one_kind_and_keeps_the_counts(client):
    rows = one_of_each()

    response, page = search(client, q=WORD, kind="jobs")

    assert found_urls(response) == [rows["jobs"].get_absolute_url()]
    assert "1 result for “zephyrine” in Jobs" in page
    assert 'aria-current="page">Jobs' in page
    assert f'href="?q={WORD}">All <span class="search-kinds__count">(5)</span>' in page


def test_an_unknown_kind_searches_everything(client):
    one_of_each()

    response, _ = search(client, q=WORD, kind="reports")

    assert len(found_urls(response)) == 5


def test_no_results_in_a_kind_points_to_the_others(client):
    ProductFactory(title=f"{WORD} poster")

    _, page = search(client, q=WORD, kind="events")

    assert "No results for “zephyrine” in Events" in page
    assert "See the 1 result in everything else" in page


def test_the_empty_state_suggests_and_links_every_section(client):
    _, empty = search(client)
    _, nothing = search(client, q="qwxzv")

    for page in (empty, nothing):
        assert 'href="/events/"' in page
        assert 'href="/store/"' in page
        assert 'href="/censorship/resumes/"' in page
        assert 'href="/news/"' in page
    assert "Type a word or two above" in empty
    assert "Check the spelling" in nothing


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "x" * 10_000,
        ("library " * 2_000).strip(),
        "!!!",
        "?.,;",
        '"',
        '"unclosed phrase',
        "&",
        "|",
        "!",
        ":*",
        "a & b | !c",
        "poster:*",
        "(poster",
        "poster)) ||| && !!",
        "-",
        "- - -",
        "or",
        "the",
        "\\",
        "'; DROP TABLE store_product; --",
        "nul\x00byte",
        "<>&\"'",
        "%_%",
        "ünïcödé 图书馆",
    ],
)
def test_odd_queries_give_a_normal_page(client, query):
    ProductFactory(title="Library poster")

    response, page = search(client, q=query)

    assert h1_count(response.content) == 1
    assert "Search" in page


def test_a_long_query_is_cut_to_two_hundred_characters(client):
    response, _ = search(client, q="a" * 10_000)

    assert response.context["query"] == "a" * 200


def test_bad_page_numbers_give_a_normal_page(client):
    ProductFactory(title=f"{WORD} poster")

    for number in ("0", "-1", "x", "9" * 50):
        response, _ = search(client, q=WORD, page=number)
        assert len(found_urls(response)) == 1


def test_head_is_answered_and_post_is_refused(client):
    assert client.head("/search/?q=poster").status_code == 200
    assert client.post("/search/", {"q": "poster"}).status_code == 405


def _queries_for(client, query):
    # Warm the cached page chrome and the moment results change by the clock (kept as a section);
    # that request stored the whole page too: renew it, so the counted request renders.
    client.get("/search/", {"q": query})
    page_cache.bump()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_the_number_of_queries_does_not_grow_with_the_rows(client):
    one_of_each()
    few, _ = _queries_for(client, WORD)
    for n in range(12):
        one_of_each(suffix=f" {n}")
        article(title=f"{WORD} more {n}", slug=f"more-{n}")

    many, response = _queries_for(client, WORD)

    hits = response.context["hits"]
    assert len(hits) == 20
    # One grouped count, one page of ranked rows, one fetch per kind shown on the page (the chrome
    # is cached); on PostgreSQL also search_session's savepoint and its planner settings.
    session = 2 + 1 if connection.vendor == "postgresql" else 0
    assert few == session + 1 + 1 + 5
    assert many == session + 1 + 1 + len({hit.kind.key for hit in hits})


HEADER_FORM = '<form class="site-search" role="search" method="get" action="/search/" aria-label="Site search">'
HEADER_LABEL = '<label class="visually-hidden" for="site-search-q">Search the site</label>'
HEADER_BOX = 'type="search" id="site-search-q" name="q"'


def test_the_header_has_a_search_box_on_every_page(client):
    page = client.get("/").content.decode()

    assert HEADER_FORM in page
    assert HEADER_LABEL in page
    assert HEADER_BOX in page


def test_every_public_page_and_every_sitemap_page_has_the_header_search_box(client):
    """Every HTML page a visitor can reach (the smoke list, everything in the sitemap, a missing page)."""
    from django.core.management import call_command

    from tests.ala_site.test_smoke import PUBLIC_PAGES
    from tests.sitemap_utils import sitemap_paths

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    paths = list(dict.fromkeys([*PUBLIC_PAGES, *sitemap_paths(client)]))
    assert len(paths) > 50
    without = []
    for path in [*paths, "/no-such-page/"]:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        page = response.content.decode()
        if page.count(HEADER_FORM) != 1 or HEADER_LABEL not in page or HEADER_BOX not in page:
            without.append(path)

    assert without == []


def test_results_for_the_registry_directly():
    ProductFactory(title=f"{WORD} poster")

    results = SearchResults(f"  {WORD}\t")

    assert results.query == WORD
    assert results.count() == 1
    assert [hit.obj.title for hit in results[0:20]] == [f"{WORD} poster"]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_understands_quotes_or_and_minus(client):
    ProductFactory(title=f"{WORD} tote bag", short_description="A canvas bag.")
    ProductFactory(title=f"{WORD} poster")
    ProductFactory(title="Reading mug")

    phrase, _ = search(client, q=f'"{WORD} tote"')
    either, _ = search(client, q=f"{WORD} or mug")
    without, _ = search(client, q=f"{WORD} -poster")

    assert len(found_urls(phrase)) == 1
    assert len(found_urls(either)) == 3
    assert len(found_urls(without)) == 1


SEARCH_INDEXES = {
    "news": "advocacy_article_search_gin",
    "events": "events_event_search_gin",
    "jobs": "joblist_search_vector_gin",
    "store": "store_product_search_gin",
    "resumes": "censorship_resume_search_gin",
}


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize("key", SEARCH_INDEXES)
def test_postgresql_searches_through_each_kinds_gin_index(key):
    """The query's vector is the indexed expression (a mismatch would silently scan every row)."""
    kind = get_kind(key)
    with connection.cursor() as cursor:
        # Test tables are tiny, where a scan is cheaper; forbid it to see whether the index can serve
        # (search_session discourages it too, but only discourages).
        cursor.execute("SET LOCAL enable_seqscan = off")

    every_row = kind.queryset().model._default_manager.all()  # without the visibility filters' own indexes

    with search_session():
        plan = _matches(kind, "library", ["library"], queryset=every_row).explain()

    assert SEARCH_INDEXES[key] in plan, plan


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_ranks_a_bounded_number_of_rows_per_kind_and_says_so(client, monkeypatch):
    monkeypatch.setattr(site_search, "RANK_CANDIDATES", 3)
    for n in range(5):
        ProductFactory(title=f"{WORD} poster {n}")
    EventFactory(title=f"{WORD} webinar")

    response, page = search(client, q=WORD)

    assert len(found_urls(response)) == 4
    assert "More than 4 results for “zephyrine”" in page
    assert "add a word to narrow the search" in page
    assert 'Store <span class="search-kinds__count">(3+)</span>' in page
    assert 'Events <span class="search-kinds__count">(1)</span>' in page


def test_every_kind_of_the_demo_content_is_found_by_its_title(client):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    for kind in kinds():
        row = kind.queryset().order_by("pk").first()
        assert row is not None, f"the demo has no {kind.label}"

        response, _ = search(client, q=kind.title(row), kind=kind.key)

        assert row.get_absolute_url() in found_urls(response), kind.key
