"""Whole pages for anonymous visitors, rendered once and shared until the content changes.

A crowd sent by a news story is almost all anonymous visitors asking for the same few pages, so
a page they share is rendered once and replayed from the cache (one round trip to it) without
touching the database. Views opt in with `@shared_page`; everything else renders as usual.

What makes one anonymous visitor's page differ from another's is handled explicitly:
- the CSRF token in forms: stored as a placeholder and replaced by the visitor's own token on
  each replay (which also sets their CSRF cookie, as rendering would);
- the cookie-consent choice (banner shown or not, analytics allowed) and the dismissed alert
  banners: part of the cache key;
- anything kept in the session (a cart, a pending payment, messages): a visitor with a session
  or a messages cookie is never served nor stored from here.

Freshness: one site-wide version, kept in the cache, is in every entry; saving or deleting any of
the project's models (and `bump()` after a bulk `update()`) changes it, except models that declare
`shown_on_public_pages = False` (subscribers, orders, private notes), so an edit shows at the
next request on every server. A page that changes by the clock alone (an ad's run ending, an
event starting) is kept no longer than the moment its view or sections announce with
`expires_at()`, and never longer than PAGE_CACHE_SECONDS.
"""

import functools
import hashlib
import re
import struct
import threading
import uuid
import zlib

from django.conf import settings
from django.contrib.auth import get_user
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from . import consent as cookie_consent

VERSION_KEY = "page-version"
# Stands in for the CSRF token in a stored page; not a token's shape, so it never validates.
TOKEN_PLACEHOLDER = b"@@csrf-token@@"
_TOKEN_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
# The utility bar's account links (base.html): a member's replay renders only these.
ACCOUNT_PLACEHOLDER = b"@@account-links@@"
_ACCOUNT_REGION = re.compile(rb"(<!--account-links-->)(.*?)(<!--/account-links-->)", re.S)
_SLOTS = re.compile(rb"(" + re.escape(TOKEN_PLACEHOLDER) + rb"|" + re.escape(ACCOUNT_PLACEHOLDER) + rb")")
# Headers the server or the outer middleware set on every response, never replayed.
_NOT_STORED = {"content-length", "date", "set-cookie"}
# Apps whose models show on public pages: saving any of their rows renews every page.
PAGE_APPS = {"ala_site", "membership", "store", "events", "joblist", "advocacy", "censorship"}
MAX_QUERY_LENGTH = 500  # longer query strings are rendered, not stored (a key per variant)

_request = threading.local()


def shared_page(view=None, *, members=False):
    """Mark a read-only view whose anonymous page may be shared by every anonymous visitor.

    `members=True` also replays it to signed-in visitors, with only the account links of the
    utility bar rendered for them (templates/ala_site/_account_links.html): for a page whose
    content depends on no visitor, as the landing page's sections do not.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            request._shared_page = True
            return view(request, *args, **kwargs)

        wrapped.page_cache_members = members
        return wrapped

    return decorate(view) if view is not None else decorate


def expires_at(moment):
    """The page being rendered changes by the clock at `moment` (None: no such moment)."""
    if moment is not None and getattr(_request, "rendering", False):
        current = _request.expires_at
        _request.expires_at = moment if current is None else min(current, moment)


def bump():
    """Every cached page is out of date (content changed)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def bump_on_change(sender, **kwargs):
    """post_save / post_delete: a row of a public app changed, so pages may show it."""
    if sender._meta.app_label not in PAGE_APPS or not getattr(sender, "shown_on_public_pages", True):
        return  # e.g. an alert sign-up: a crowd signing up must not empty the cache for everyone
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in shows on no public page
    bump()
    # Again once the transaction commits: a page rendered meanwhile from the old rows and stored
    # under the new version would otherwise outlive the change.
    transaction.on_commit(bump)


def _key(request):
    """The cache key for this request's page, or None when it must be rendered for this visitor."""
    cookies = request.COOKIES
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY_LENGTH:
        return None
    from .alerts import COOKIE_NAME as DISMISSED_ALERTS  # alerts uses sections, which use this module

    consent = cookie_consent.get_consent(request)
    consent_part = ",".join(sorted(consent.accepted)) if consent.decided else "-"
    variant = "\n".join([request.get_host(), request.path, query, consent_part, cookies.get(DISMISSED_ALERTS, "")])
    return "page:" + hashlib.sha256(variant.encode()).hexdigest()


class PageCacheMiddleware:
    """Serves and stores shared pages. Placed after CsrfViewMiddleware (replays need its cookie
    handling) and before the authentication, messages and header middleware, whose work a replay
    skips: the headers they added are stored with the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or "messages" in request.COOKIES:
            return self.get_response(request)
        with_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        if with_session and not _shared_with_members(request.path_info):
            return self.get_response(request)  # the visitor's own page: signed in, a cart...
        key = _key(request)
        if key is None:
            return self.get_response(request)
        found = cache.get_many([VERSION_KEY, key])
        version, entry = found.get(VERSION_KEY), found.get(key)
        if entry is not None and version is not None and entry[0] == version:
            account_links = None
            if with_session:
                has_links = ACCOUNT_PLACEHOLDER in entry[4]
                account_links = _account_links(request) if has_links else False
            if account_links is not False:
                return _replay(request, entry, account_links)
        if with_session:
            return self.get_response(request)  # rendered for this visitor, never stored

        _request.rendering, _request.expires_at = True, None
        try:
            response = self.get_response(request)
            if _storable(request, response):
                _store(key, version, response, _request.expires_at)
        finally:
            _request.rendering, _request.expires_at = False, None
        return response


@functools.lru_cache(maxsize=1024)
def _shared_with_members(path):
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "page_cache_members", False)


def _account_links(request):
    """The account links for a visitor with a session: None for an anonymous one (the stored links
    are theirs), False when the page must be rendered (messages are waiting in the session)."""
    if request.session.get("_messages"):
        return False
    user = get_user(request)
    request.user = user
    if not user.is_authenticated:
        return None
    return _account_links_for(user.membership_offer).replace(TOKEN_PLACEHOLDER, get_token(request).encode())


@functools.lru_cache(maxsize=8)
def _account_links_for(offer):
    """The signed-in account links, which differ only by the membership offer ("join", "renew", "")."""
    context = {"user": _SignedIn(offer), "csrf_token": TOKEN_PLACEHOLDER.decode()}
    return get_template("ala_site/_account_links.html").render(context).encode()


class _SignedIn:
    """What templates/ala_site/_account_links.html reads of a signed-in user."""

    is_authenticated = True

    def __init__(self, membership_offer):
        self.membership_offer = membership_offer


def _storable(request, response):
    if not getattr(request, "_shared_page", False):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False  # a cookie set by the view belongs to this visitor alone
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def _store(key, version, response, until):
    body, tokens = _TOKEN_INPUT.subn(rb"\1" + TOKEN_PLACEHOLDER + rb"\2", response.content)
    if body.count(b"csrfmiddlewaretoken") != tokens:
        return  # a token this module cannot find would be shared: render for each visitor instead
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, None):
            return  # another request set the version meanwhile: store next time
    timeout = settings.PAGE_CACHE_SECONDS
    if until is not None:
        timeout = min(timeout, int((until - timezone.now()).total_seconds()))
        if timeout < 1:
            return
    region = _ACCOUNT_REGION.search(body)
    anonymous_links = b""
    if region:
        anonymous_links = region.group(2)
        body = body[: region.start(2)] + ACCOUNT_PLACEHOLDER + body[region.end(2) :]
    pieces = _SLOTS.split(body)
    statics, slots = pieces[0::2], pieces[1::2]
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED]
    compressed = [_deflate(static) for static in statics]
    cache.set(key, (version, response.status_code, headers, statics, slots, compressed, anonymous_links), timeout)


def _deflate(data):
    """`data` as raw DEFLATE blocks ending on a full flush: independent of whatever comes before or
    after, so a gzip body is assembled from stored pieces and the visitor's own (their token)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


# gzip's header (no name, no time, OS unknown) and DEFLATE's closing empty block.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
_LAST_BLOCK = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _replay(request, entry, account_links=None):
    _version, status, headers, statics, slots, compressed, anonymous_links = entry
    values = {ACCOUNT_PLACEHOLDER: anonymous_links if account_links is None else account_links}
    if TOKEN_PLACEHOLDER in slots:
        values[TOKEN_PLACEHOLDER] = get_token(request).encode()
    filled = [values[slot] for slot in slots]
    size = sum(map(len, statics)) + sum(map(len, filled))
    if size >= 200 and _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        # Compressed once when stored; only the visitor's own pieces are compressed now, each on its
        # own, so no secret shares a compression context with reflected text (no BREACH guessing).
        out, crc = [_GZIP_HEADER], 0
        for index, static in enumerate(statics):
            out.append(compressed[index])
            crc = zlib.crc32(static, crc)
            if index < len(filled):
                out.append(_deflate(filled[index]))
                crc = zlib.crc32(filled[index], crc)
        out += [_LAST_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
        response = HttpResponse(b"".join(out), status=status)
        response["Content-Encoding"] = "gzip"
    else:
        joined = [statics[0]]
        for index, value in enumerate(filled):
            joined += [value, statics[index + 1]]
        response = HttpResponse(b"".join(joined), status=status)
    for name, value in headers:
        response[name] = value
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    return response
