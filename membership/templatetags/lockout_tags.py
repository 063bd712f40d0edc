"""The login page's warning before django-axes locks an email out (membership.lockout)."""

from django import template

from ..lockout import attempts_left_warning

register = template.Library()


@register.simple_tag(takes_context=True)
def login_attempts_warning(context):
    request = context.get("request")
    return attempts_left_warning(request) if request is not None else ""
