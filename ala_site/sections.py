"""Cached page sections: the landing page's parts and the chrome of every page.

Each section is rendered once and kept in the cache under a key that carries a
version. Saving or deleting a model that lists the section in its
`cache_sections` bumps the version (see `bump_on_change` in apps.py), so an edit
in admin shows on the next request while a busy page costs a few cache reads.

A section function returns its template context, and may add `cache_until`: the
moment its content changes by the clock alone (a promo's publish window opening
or closing), so a scheduled change is never served late.
"""

import functools
import threading
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import page_cache


def _version_key(name):
    return f"section-version:{name}"


# Within a request, the first section fetches every known section's version and content in two
# `get_many` round trips instead of two reads per section (each a network round trip on Redis).
# Outside requests (commands, the shell) sections read one by one.
_known = {}  # cache key prefix -> names it depends on, as sections are first used in this process
_request = threading.local()


def _start_request(**kwargs):
    _request.active, _request.versions, _request.values = True, None, None


def _end_request(**kwargs):
    _request.active, _request.versions, _request.values = False, None, None


request_started.connect(_start_request, dispatch_uid="ala_site.sections.start")
request_finished.connect(_end_request, dispatch_uid="ala_site.sections.end")


def section_version(name):
    version = cache.get(_version_key(name))
    if version is None:
        version = uuid.uuid4().hex
        cache.set(_version_key(name), version, None)
    return version


def bump(*names):
    for name in names:
        cache.set(_version_key(name), uuid.uuid4().hex, None)
    _request.versions = _request.values = None  # this request reads afresh too


def _prefetch():
    """Every known section's version and cached value, in two round trips."""
    names = {name for depends_on in _known.values() for name in depends_on}
    found = cache.get_many([_version_key(name) for name in names])
    versions = {name: found.get(_version_key(name)) for name in names}
    missing = {name: uuid.uuid4().hex for name, version in versions.items() if version is None}
    if missing:
        cache.set_many({_version_key(name): version for name, version in missing.items()}, None)
        versions.update(missing)
    _request.versions = versions
    _request.values = cache.get_many([_key(prefix, depends_on, versions) for prefix, depends_on in _known.items()])


def _key(prefix, depends_on, versions):
    return f"{prefix}:{'-'.join(versions[name] for name in depends_on)}"


def _lookup(prefix, depends_on):
    """(key, cached value or None) for a section."""
    first_use = _known.get(prefix) != depends_on
    _known[prefix] = depends_on
    if getattr(_request, "active", False) and not first_use:
        if _request.versions is None:
            _prefetch()
        key = _key(prefix, depends_on, _request.versions)
        return key, _request.values.get(key)
    key = _key(prefix, depends_on, {name: section_version(name) for name in depends_on})
    return key, cache.get(key)


def _cached(prefix, depends_on, build_context, finish):
    """`finish(context)` for the section's context, kept until its content or the clock changes it."""
    key, stored = _lookup(prefix, depends_on)
    if stored is not None:
        value, cache_until = stored
    else:
        context = build_context()
        cache_until = context.pop("cache_until", None)
        timeout = settings.SECTION_CACHE_SECONDS
        if cache_until is not None:
            seconds_left = int((cache_until - timezone.now()).total_seconds()) + 1
            timeout = max(1, min(timeout, seconds_left))
        value = finish(context)
        cache.set(key, (value, cache_until), timeout)
    page_cache.expires_at(cache_until)  # a page showing this section changes with it
    return value


def render_section(key_name, depends_on, template, build_context):
    def render(context):
        return render_to_string(template, context)

    return mark_safe(_cached(f"section:{key_name}", depends_on, build_context, render))


def section_data(key_name, depends_on, build_context):
    """A section's context, cached as render_section caches HTML, for a section whose HTML depends on the visitor.

    The shared part (the current alert banners, say) comes from the cache and the small template is
    rendered on each request with what is the visitor's own (the banners they dismissed, a CSRF token).
    The context is pickled into the cache: plain values, not model instances.
    """
    return _cached(f"section-data:{key_name}", depends_on, build_context, lambda context: context)


def section_tag(register, depends_on, template):
    """Register a template tag `{% <function name> %}` that renders a cached section.

    `depends_on` names the content (one name or several) whose change refreshes it.

    The decorated function takes no arguments and returns the template's context.
    Sections depend on nothing about the request (no user, no consent), which is
    what makes them safe to share between visitors.
    """

    names = (depends_on,) if isinstance(depends_on, str) else tuple(depends_on)

    def decorator(build_context):
        _known[f"section:{build_context.__name__}"] = names

        @functools.wraps(build_context)
        def tag():
            return render_section(build_context.__name__, names, template, build_context)

        register.simple_tag(tag, name=build_context.__name__)
        return build_context

    return decorator


# The landing page's hero carousel also shows slides from other apps (the events app's featured
# event), and ala_site imports no app's models: each app registers a source here. A source's
# content must list "promos" in its `cache_sections`, the section the hero depends on.
_hero_slide_sources = []


def hero_slide_source(source):
    """Register `source()`, which returns {"slides": [...], "cache_until": datetime or None}.

    Each slide offers what templates/ala_site/_hero_slide.html reads: title, body, cta_label,
    cta_url and, with a picture, image_rendition, image_alt, rendition_width, rendition_height.
    Apps' slides come before the promos, in the order the apps registered them.
    """
    if source not in _hero_slide_sources:
        _hero_slide_sources.append(source)
    return source


def hero_slides_from_apps():
    """The registered sources' slides, and the moments their content changes by the clock."""
    slides, moments = [], []
    for source in _hero_slide_sources:
        found = source()
        slides.extend(found["slides"])
        moments.append(found.get("cache_until"))
    return slides, moments


def next_change(*datetimes):
    """The earliest future moment among the given ones (None when there is none)."""
    now = timezone.now()
    future = [moment for moment in datetimes if moment is not None and moment > now]
    return min(future, default=None)
