"""The dashboard on the admin index: what waits for staff, one panel per kind of work.

Each app registers its own panels from its ``AppConfig.ready()``; ``ala_site`` never imports the
apps' models. A panel is a title, the permissions that show it, and a function of the request that
returns its lines: a label, a count and a link to the admin list filtered to exactly the rows
counted. For example, an events app::

    # events/dashboard.py, imported from EventsConfig.ready()
    from django.db.models import Count, Q

    from ala_site import dashboard

    from .models import Registration

    def registrations(request):
        waiting = Q(status=Registration.Status.WAITING)
        counts = Registration.objects.aggregate(waiting=Count("pk", filter=waiting))
        return [
            dashboard.Line(
                "Registrations waiting",
                counts["waiting"],
                dashboard.changelist_url(Registration, status__exact="waiting"),
            )
        ]

    dashboard.register(
        dashboard.Panel(
            key="events",
            title="Events",
            permission="events.change_registration",
            items=registrations,
            order=40,
        )
    )

The rules every panel keeps:

- ``permission``: one permission or a tuple of them, all needed (superusers have all). A panel
  that lists work asks for the permission to do that work (e.g. the store's orders ask for
  ``store.change_order``: membership staff may view orders, to follow dues to their payment,
  but refunds are not theirs to make).
- ``items(request)`` makes at most one query whatever the number of rows: count every line in
  one ``aggregate(Count("pk", filter=Q(...)))``. It returns ``Line``s (or plain
  ``(label, count, url)`` tuples).
- A line's link shows the rows it counts. The admin accepts any lookup on the model's own
  fields in the query string (``?status__exact=pending&created_at__lt=...``); a lookup across a
  relation needs a list filter, so use a ``SimpleListFilter``'s parameter for those.
- A panel whose ``items`` raises is shown as "could not be loaded" and logged: one broken panel
  never takes the admin index down.

Windows used here: promos and banners "in the next 7 days" (``SOON``). Recent staff actions: the
latest ``RECENT_ACTIONS`` entries of the admin log by anyone, shown to every staff user but limited
to the kinds of records that user may view (superusers see all), so no line leads to a 403.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)

SOON = timedelta(days=7)
RECENT_ACTIONS = 10


@dataclass(frozen=True)
class Line:
    """One line of a panel. `count` None means a plain entry (e.g. a log entry), not a tally."""

    label: str
    count: int | None = None
    url: str = ""
    when: datetime | None = None


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    items: Callable[..., Sequence]
    permission: str | tuple[str, ...] = ()
    order: int = 100
    empty_text: str = "Nothing to show."

    @property
    def permissions(self):
        return (self.permission,) if isinstance(self.permission, str) else tuple(self.permission)

    def visible_to(self, user):
        return bool(user and user.is_active and user.is_staff and user.has_perms(self.permissions))


@dataclass
class ShownPanel:
    """A panel as one request sees it."""

    panel: Panel
    lines: list = field(default_factory=list)
    failed: bool = False


_registry: dict[str, Panel] = {}


def register(panel):
    """Add `panel` to the admin index; registering the same key again replaces it."""
    _registry[panel.key] = panel
    return panel


def unregister(key):
    _registry.pop(key, None)


def registered():
    return sorted(_registry.values(), key=lambda panel: (panel.order, panel.title))


def _line(item):
    return item if isinstance(item, Line) else Line(*item)


def panels_for(request):
    """The panels `request.user` may see, with their lines."""
    user = getattr(request, "user", None)
    shown = []
    for panel in registered():
        if not panel.visible_to(user):
            continue
        try:
            lines = [_line(item) for item in panel.items(request)]
        except Exception:
            logger.exception("Dashboard panel %r failed", panel.key)
            shown.append(ShownPanel(panel, failed=True))
            continue
        shown.append(ShownPanel(panel, lines))
    return shown


# Helpers for panels ----------------------------------------------------------------------


def now():
    """This minute, in the association's time zone: counts and their links use the same moment,
    and a minute makes a readable link."""
    return timezone.localtime().replace(second=0, microsecond=0)


def _query_value(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        # Never rounded: the link must list exactly what was counted.
        return value.isoformat(timespec="minutes" if not (value.second or value.microsecond) else "auto")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return ",".join(_query_value(item) for item in value)  # the admin splits `__in` values on commas
    return str(value)


def changelist_url(model, **lookups):
    """The admin list of `model` filtered by `lookups` (field lookups or list filter parameters)."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    if lookups:
        url += "?" + urlencode({name: _query_value(value) for name, value in lookups.items()})
    return url


# The site's own panels ---------------------------------------------------------------------


def window_lines(model, flag, start_field, end_field, labels):
    """Items of `model` (switched on by `flag`) whose window opens or closes in the next 7 days:
    one query, two lines, each linking to the same rows in the admin list."""
    start = now()
    end = start + SOON
    lookups = [
        {f"{flag}__exact": True, f"{field}__gt": start, f"{field}__lte": end} for field in (start_field, end_field)
    ]
    counts = model.objects.aggregate(**{f"line{n}": Count("pk", filter=Q(**found)) for n, found in enumerate(lookups)})
    return [
        Line(label, counts[f"line{n}"], changelist_url(model, **found))
        for n, (label, found) in enumerate(zip(labels, lookups, strict=True))
    ]


def promo_lines(request):
    from .models import Promo

    labels = ("Going live in the next 7 days", "Expiring in the next 7 days")
    return window_lines(Promo, "is_published", "publish_at", "expires_at", labels)


def banner_lines(request):
    from .models import AlertBanner

    labels = ("Showing from the next 7 days", "Ending in the next 7 days")
    return window_lines(AlertBanner, "is_active", "starts_at", "ends_at", labels)


def _viewable_models(request):
    """(app label, model name) of every model the admin lets `request.user` see (view or change).

    Asked of each ModelAdmin, not read off permission names: an admin may demand more than the
    model's view permission (challenge reports need the Intellectual Freedom permission too).
    """
    from django.contrib import admin

    return {
        (model._meta.app_label, model._meta.model_name)
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_view_or_change_permission(request)
    }


ACTION_VERBS = {1: "added", 2: "changed", 3: "deleted"}


def recent_action_lines(request):
    from django.contrib.admin.models import LogEntry

    user = request.user
    entries = LogEntry.objects.select_related("user", "content_type").order_by("-action_time", "-pk")
    if not user.is_superuser:
        models = _viewable_models(request)
        if not models:
            return []
        entries = entries.filter(
            reduce(or_, (Q(content_type__app_label=app, content_type__model=model) for app, model in sorted(models)))
        )
    lines = []
    for entry in entries[:RECENT_ACTIONS]:
        who = entry.user.get_full_name() or entry.user.email
        kind = entry.content_type.name if entry.content_type else "record"
        label = f"{who} {ACTION_VERBS.get(entry.action_flag, 'changed')} {kind} “{entry.object_repr}”"
        url = "" if entry.is_deletion() else (entry.get_admin_url() or "")
        lines.append(Line(label, url=url, when=entry.action_time))
    return lines


register(
    Panel(
        key="promos",
        title="Promos",
        permission="ala_site.view_promo",
        items=promo_lines,
        order=60,
    )
)
register(
    Panel(
        key="banners",
        title="Alert banners",
        permission="ala_site.view_alertbanner",
        items=banner_lines,
        order=70,
    )
)
register(
    Panel(
        key="recent_actions",
        title="Recent staff actions",
        items=recent_action_lines,
        order=1000,
        empty_text="No staff actions on records you can see yet.",
    )
)
