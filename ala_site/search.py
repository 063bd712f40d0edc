"""Site-wide search: what each app makes searchable, and one ranked query over all of it.

Each app declares its searchable kinds in `<app>/search.py` by calling `register(SearchKind(...))`:
a key (`?kind=jobs`), the function giving the rows the public may see now (published, not
expired), the fields with their weights (A title, B summary, C body) and how to show a hit. The
modules are found by name, as `seed_demo` finds `<app>.demo`, so `ala_site` never imports an
app's models and an app's owner need not touch anything here. Whatever is not declared (challenge
reports, drafts) can never be found.

PostgreSQL: full-text search (`websearch_to_tsquery`, so quotes, `or` and `-word` work and nothing
typed is a syntax error), ranked with `ts_rank` over a weighted vector. The vector is the same
expression the app's `*_search_index` migration indexes with GIN (`index_operation` below builds
both), or a stored, indexed tsvector column (`vector_field`). SQLite: every word must appear in one
of the fields (case-insensitive), ranked by where it appears (title above summary above body).
"""

import html
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import reduce
from importlib import import_module
from importlib.util import find_spec
from operator import add, or_

from django.apps import apps
from django.db import connection, migrations, transaction
from django.db.models import Case, DateTimeField, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.functions import Cast
from django.db.models.lookups import Contains
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe

# Longer queries are cut: nobody types more, and a huge query must not become a huge SQL statement.
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
CONFIG = "english"
# PostgreSQL's own default weights for ts_rank, used on SQLite too so the two rank alike.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
SNIPPET_LENGTH = 220
# PostgreSQL: the most matching rows of one kind that are ranked and shown (see _matches).
RANK_CANDIDATES = 100


@dataclass(frozen=True)
class SearchKind:
    key: str  # in the address: /search/?kind=<key>
    label: str  # the filter's and the result's label: "Jobs"
    queryset: Callable  # () -> the rows the public may see now
    fields: dict  # {"A": ("title",), "B": ("summary",), "C": ("body",)}
    section: tuple = ()  # (URL name, link text) of the app's own page, for the empty state
    date_field: str = ""  # newer first among equally relevant hits
    vector_field: str = ""  # a stored, indexed tsvector to use on PostgreSQL instead of `fields`
    snippet: Callable = None  # obj -> plain text shown under the title (default: the B fields)
    meta: Callable = None  # obj -> a short line of facts ("Webinar · May 3, 2026")
    title: Callable = str
    url: Callable = field(default=lambda obj: obj.get_absolute_url())
    # (now) -> when the rows `queryset` gives (or how hits show) next change by the clock alone,
    # None for never; the search page is cached until then (ala_site/search_views.py).
    next_change: Callable = None
    order: int = 100  # place in the filter list

    def vector(self):
        """The weighted tsvector; the `*_search_index` migrations index exactly this expression."""
        return search_vector(self.fields)

    def all_fields(self):
        return [name for weight in sorted(self.fields) for name in self.fields[weight]]


def search_vector(fields):
    from django.contrib.postgres.search import SearchVector

    return reduce(add, (SearchVector(*fields[weight], weight=weight, config=CONFIG) for weight in sorted(fields)))


_registry = {}
_discovered = False


def register(kind):
    _registry[kind.key] = kind
    return kind


def kinds():
    """Every searchable kind, in the filter's order; `<app>.search` modules are imported once."""
    global _discovered
    if not _discovered:
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.search"
            if app_config.name == "ala_site" or app_config.name.startswith("django."):
                continue
            if find_spec(module_name) is not None:
                import_module(module_name)
        _discovered = True
    return sorted(_registry.values(), key=lambda kind: (kind.order, kind.label))


def get_kind(key):
    return next((kind for kind in kinds() if kind.key == key), None)


def index_operation(app_label, model_name, index_name, fields):
    """A migration operation adding a GIN index on the search vector of `fields` (PostgreSQL only).

    The index is made from the very expression the search filters on, so the planner uses it;
    it is not added to the model's state, so the app's own `makemigrations` never sees it.
    """
    from django.contrib.postgres.indexes import GinIndex

    # schema_editor is None when a test helper re-runs migrations' code to restore data.
    def create(apps, schema_editor):
        if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
            model = apps.get_model(app_label, model_name)
            schema_editor.execute(GinIndex(search_vector(fields), name=index_name).create_sql(model, schema_editor))

    def drop(apps, schema_editor):
        if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index_name)}")

    return migrations.RunPython(create, drop)


# Reading what was typed ------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WORD = re.compile(r"\w+")


def clean_query(text):
    """What we search for: control characters (a NUL breaks PostgreSQL) out, spaces collapsed, cut short."""
    text = _CONTROL.sub(" ", text or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def query_words(text):
    """The words typed, without websearch's `or` and the ones excluded with a leading minus."""
    words = []
    for match in _WORD.finditer(text):
        word = match.group()
        excluded = match.start() > 0 and text[match.start() - 1] == "-"
        if word.lower() != "or" and not excluded and word.lower() not in (w.lower() for w in words):
            words.append(word)
    return words[:MAX_WORDS]


# Highlighting ----------------------------------------------------------------------------------


def _stem(word):
    """A word's likely stem, so "libraries" marks "library" as PostgreSQL's stemmer matches it."""
    lower = word.lower()
    if len(lower) > 4 and lower.endswith("ies"):
        return lower[:-3]
    if len(lower) > 3 and lower.endswith("s") and not lower.endswith("ss"):
        return lower[:-1]
    return lower


def words_pattern(words):
    stems = sorted({_stem(word) for word in words if len(word) > 1 or word.isdigit()}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.IGNORECASE)


def highlight(text, pattern):
    """`text` escaped, with the matched words in <mark>: every piece is escaped before it is joined."""
    if not text:
        return ""
    if pattern is None:
        return escape(text)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group()))
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))


def excerpt(text, pattern, length=SNIPPET_LENGTH):
    """About `length` characters of `text` around its first matched word, cut at spaces."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    match = pattern.search(text) if pattern else None
    start = 0 if match is None or match.start() < length // 3 else match.start() - length // 3
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + length
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def plain_text(rich_html):
    """Plain words from stored, sanitised HTML (for snippets)."""
    return html.unescape(strip_tags(rich_html or ""))


# Querying --------------------------------------------------------------------------------------


@contextmanager
def search_session():
    """Where the search's queries run: on PostgreSQL, one transaction with planner settings for it.

    The planner underrates `to_tsvector` (it parses the text again for every row it reads), so
    for a common word it prefers reading the table to the GIN index, which is ten times slower
    here; bitmap scans only (the GIN index, combined with the visibility filters' indexes) and no
    JIT compilation (which costs more than these queries). SET LOCAL ends with the transaction.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            # set_config(..., true) is SET LOCAL; one statement, one round trip.
            cursor.execute(
                "SELECT set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true),"
                " set_config('enable_indexscan', 'off', true)"
            )
        yield


def _matches(kind, text, words, queryset=None):
    """The kind's visible rows (or `queryset`) that match, annotated with `rank`; None if nothing can match.

    PostgreSQL ranks at most RANK_CANDIDATES + 1 matching rows of a kind (found through the GIN
    index), by the title and summary (a stored vector: all of it): ranking parses each row's
    text, so ranking every row a common word matches would take seconds at volume. A search
    that matches more says so and asks for another word.
    """
    queryset = (kind.queryset() if queryset is None else queryset).order_by()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        if kind.vector_field:
            matching = queryset.filter(**{kind.vector_field: query})
            document = F(kind.vector_field)
        else:
            matching = queryset.annotate(search_document=kind.vector()).filter(search_document=query)
            document = search_vector({weight: names for weight, names in kind.fields.items() if weight in "AB"})
        candidates = matching.values("pk")[: RANK_CANDIDATES + 1]
        return (
            queryset.model._default_manager.filter(pk__in=candidates)
            .order_by()
            .annotate(rank=Cast(SearchRank(document, query), FloatField()))
        )
    if not words:
        return None
    rank = Value(0.0, output_field=FloatField())
    for word in words:
        where_found = [
            When(reduce(or_, (_contains(name, word) for name in kind.fields[weight])), then=WEIGHTS[weight])
            for weight in sorted(kind.fields)
        ]
        queryset = queryset.filter(reduce(or_, (_contains(name, word) for name in kind.all_fields())))
        rank = rank + Case(*where_found, default=0.0, output_field=FloatField())
    return queryset.annotate(rank=rank)


class _Casefold(Func):
    """SQLite: the text case-folded by Python (SQLite's own LIKE and lower() fold ASCII letters only)."""

    function = "ALA_CASEFOLD"
    output_field = TextField()


def _casefold(text):
    return text.casefold() if isinstance(text, str) else text


def _contains(name, word):
    """SQLite: whether field `name` holds `word`, whatever its case ("économie" finds "Économie", as
    PostgreSQL's full-text search does). ASCII words keep LIKE, which folds their case itself."""
    if word.isascii():
        return Q(**{f"{name}__icontains": word})
    # Registered on the connection the query will run on (a cheap call; connections come and go).
    connection.ensure_connection()
    connection.connection.create_function("ALA_CASEFOLD", 1, _casefold, deterministic=True)
    return Q(Contains(_Casefold(name), word.casefold()))


def _ranked_rows(kind, matches):
    sort_date = F(kind.date_field) if kind.date_field else Value(None)
    return matches.annotate(hit_kind=Value(kind.key), hit_date=Cast(sort_date, DateTimeField())).values_list(
        "pk", "hit_kind", "rank", "hit_date"
    )


@dataclass
class Hit:
    kind: SearchKind
    obj: object
    rank: float
    url: str
    title: str
    snippet: str
    meta: str


class SearchResults:
    """The hits for a query, ranked; sliced by a Paginator. Run it inside `search_session()`.

    Three queries at most, however many rows match: the hits per kind (one grouped count, for
    the filter; the total is their sum, so the paginator needs no count of its own), the page's
    ranked (kind, pk) pairs, and the rows on the page, one query per kind shown.
    """

    def __init__(self, text, kind_key=""):
        self.query = clean_query(text)
        self.words = query_words(self.query)
        self.pattern = words_pattern(self.words)
        self.kind = get_kind(kind_key)
        self._matches = {}
        self.counts = {}
        self.capped = {}
        self.rank_candidates = RANK_CANDIDATES
        if self.query and (self.words or connection.vendor == "postgresql"):
            for kind in kinds():
                matches = _matches(kind, self.query, self.words)
                if matches is not None:
                    self._matches[kind.key] = matches
            self._count()

    def _count(self):
        if not self._matches:
            return
        parts = [
            matches.annotate(hit_kind=Value(key)).values_list("hit_kind") for key, matches in self._matches.items()
        ]
        hits = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        sql, params = hits.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT hit_kind, COUNT(*) FROM ({sql}) AS hits GROUP BY hit_kind", params)
            found = dict(cursor.fetchall())
        for key in self._matches:
            self.capped[key] = connection.vendor == "postgresql" and found.get(key, 0) > RANK_CANDIDATES
            self.counts[key] = min(found.get(key, 0), RANK_CANDIDATES) if self.capped[key] else found.get(key, 0)

    @property
    def is_capped(self):
        """Whether the hits shown stop short of everything that matches (PostgreSQL, a common word)."""
        if self.kind:
            return self.capped.get(self.kind.key, False)
        return any(self.capped.values())

    @property
    def total_everywhere(self):
        return sum(self.counts.values())

    def count(self):
        if self.kind:
            return self.counts.get(self.kind.key, 0)
        return self.total_everywhere

    def __len__(self):
        return self.count()

    def _rows(self):
        shown = [self.kind] if self.kind else [kind for kind in kinds() if self.counts.get(kind.key)]
        parts = [_ranked_rows(kind, self._matches[kind.key]) for kind in shown if kind.key in self._matches]
        if not parts:
            return None
        rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        return rows.order_by(F("rank").desc(), F("hit_date").desc(nulls_last=True), "hit_kind", "pk")

    def __getitem__(self, page_slice):
        rows = self._rows()
        if rows is None:
            return []
        rows = list(rows[page_slice])
        by_kind = {}
        for pk, key, _rank, _date in rows:
            by_kind.setdefault(key, []).append(pk)
        objects = {}
        for key, pks in by_kind.items():
            kind = get_kind(key)
            for obj in kind.queryset().filter(pk__in=pks):
                objects[key, obj.pk] = obj
        return [self._hit(get_kind(key), objects[key, pk], rank) for pk, key, rank, _ in rows if (key, pk) in objects]

    def _hit(self, kind, obj, rank):
        if kind.snippet:
            text = kind.snippet(obj)
        else:
            text = " ".join(str(getattr(obj, name) or "") for name in kind.fields.get("B", ()))
        return Hit(
            kind=kind,
            obj=obj,
            rank=rank,
            url=kind.url(obj),
            title=highlight(kind.title(obj), self.pattern),
            snippet=highlight(excerpt(text, self.pattern), self.pattern),
            meta=kind.meta(obj) if kind.meta else "",
        )
