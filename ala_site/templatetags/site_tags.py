"""Cached sections of the site chrome and of the landing page owned by ala_site."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import alerts, form_errors
from ..forms import CookieConsentForm, shorten_next
from ..models import NavLink, Promo, QuickLink, QuickLinkGroup, SiteSettings, SocialLink
from ..sections import hero_slides_from_apps, next_change, section_tag

register = template.Library()


@register.inclusion_tag("ala_site/_alert_banners.html", takes_context=True)
def alert_banners(context):
    """The current banners from the shared cache, less those this visitor dismissed.

    Rendered on each request rather than cached as HTML: each ✕ is a form with the
    visitor's own CSRF token, and which banners show depends on their cookie.
    """
    request = context.get("request")
    next_url = shorten_next(request.get_full_path(), CookieConsentForm.MAX_NEXT) if request else ""
    return {"banners": alerts.shown_to(request), "next": next_url}


@section_tag(register, "chrome", "ala_site/_utility_links.html")
def utility_links():
    return {"links": NavLink.objects.menu(NavLink.Menu.UTILITY)}


@section_tag(register, "chrome", "ala_site/_main_nav.html")
def main_nav():
    children = NavLink.objects.filter(is_published=True).order_by("order", "pk")
    links = NavLink.objects.menu(NavLink.Menu.MAIN).prefetch_related(Prefetch("children", queryset=children))
    return {"links": links}


@section_tag(register, "chrome", "ala_site/_footer.html")
def site_footer():
    return {
        "site_settings": SiteSettings.current(),
        "footer_links": NavLink.objects.menu(NavLink.Menu.FOOTER),
        "utility_links": NavLink.objects.menu(NavLink.Menu.FOOTER_UTILITY),
        "social_links": SocialLink.objects.all(),
    }


def _promos(slot):
    return list(Promo.objects.visible().filter(slot=slot).order_by("order", "pk"))


def _promo_context(slot):
    return {"promos": _promos(slot), "cache_until": Promo.objects.filter(slot=slot).next_change()}


@section_tag(register, "promos", "ala_site/_hero.html")
def hero_carousel():
    """One carousel of the apps' slides (a featured event) and then the hero promos."""
    slides, moments = hero_slides_from_apps()
    promos = _promo_context(Promo.Slot.HERO)
    return {"promos": slides + promos["promos"], "cache_until": next_change(promos["cache_until"], *moments)}


@section_tag(register, "promos", "ala_site/_spotlight.html")
def spotlight_promos():
    return _promo_context(Promo.Slot.SPOTLIGHT)


@section_tag(register, "mission", "ala_site/_mission.html")
def mission():
    return {"site_settings": SiteSettings.current()}


@section_tag(register, "promos", "ala_site/_magazine.html")
def magazine_promo():
    return _promo_context(Promo.Slot.MAGAZINE)


@section_tag(register, "promos", "ala_site/_get_involved.html")
def get_involved():
    return _promo_context(Promo.Slot.GET_INVOLVED)


@section_tag(register, ("quick_links", "promos"), "ala_site/_quick_links.html")
def resource_quick_links():
    groups = (
        QuickLinkGroup.objects.filter(is_published=True)
        .order_by("placement", "order", "pk")
        .prefetch_related(Prefetch("links", queryset=QuickLink.objects.order_by("order", "pk")))
    )
    by_placement = {placement: [] for placement in QuickLinkGroup.Placement.values}
    for group in groups:
        by_placement[group.placement].append(group)
    return {
        "quick_link_groups": by_placement[QuickLinkGroup.Placement.QUICK_LINKS],
        "also_interested": by_placement[QuickLinkGroup.Placement.ALSO_INTERESTED],
        "promos": _promos(Promo.Slot.QUICK_LINKS),
        "cache_until": Promo.objects.filter(slot=Promo.Slot.QUICK_LINKS).next_change(),
    }


@section_tag(register, "chrome", "ala_site/_json_ld.html")
def organization_json_ld():
    site_settings = SiteSettings.current()
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": site_settings.name,
        "alternateName": site_settings.short_name,
        "url": settings.SITE_URL + "/",
        "sameAs": [social.url for social in SocialLink.objects.all()],
    }
    if site_settings.phone:
        data["telephone"] = site_settings.phone
    if site_settings.street_address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": site_settings.street_address,
            "addressLocality": site_settings.city_state_zip,
        }
    return {"json_ld": json_ld(data)}


def json_ld(data):
    """A JSON-LD block; the content is escaped so no text can close the script element."""
    return format_html('<script type="application/ld+json">{}</script>', _json_for_script(data))


def _json_for_script(data):
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES))


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.inclusion_tag("ala_site/_error_summary.html")
def error_summary(*forms, note="", links=True, about=""):
    """After a failed submit: the problems of `forms`, linked to their fields, first in <main>.

    `note` adds a sentence (the login page's attempts left); `links=False` tells the problems
    without links, for a page that shows no form; `about` names what the fields are about (the
    cart's item), since a page may repeat a form.
    """
    return {"problems": form_errors.problems(*forms, links=links, about=about), "note": note}


@register.simple_tag(takes_context=True)
def error_title_prefix(context):
    """The title's "Error: " when the page holds a refused form, so it is heard first (base.html)."""
    return "Error: " if form_errors.context_has_errors(context) else ""
