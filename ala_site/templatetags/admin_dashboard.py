"""The admin index's dashboard panels (see ala_site.dashboard)."""

from django import template

from .. import dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_panels(context):
    """The panels the signed-in staff member may see, with their lines."""
    request = context.get("request")
    return dashboard.panels_for(request) if request is not None else []
