"""The censorship app's part of the landing page: "Fight Censorship: Take Action Against Book Bans"."""

from django import template
from django.urls import NoReverseMatch, reverse

from ala_site.sections import section_tag

register = template.Library()


def _url(name):
    """The page's address, or "" while it does not exist (the section then leaves its card out)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@section_tag(register, "censorship", "censorship/_home_section.html")
def fight_censorship():
    return {
        "hub_url": _url("censorship:hub"),
        "data_url": _url("censorship:data"),
        "resumes_url": _url("censorship:resume_list"),
        "report_url": _url("censorship:report"),
    }
