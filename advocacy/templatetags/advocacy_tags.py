"""The advocacy campaign's part of the landing page: "Show Up to Support Library Funding"."""

from django import template

from ala_site.sections import section_tag

register = template.Library()


@section_tag(register, "advocacy_campaign", "advocacy/_home_section.html")
def show_up_for_libraries():
    # The seed's texts and two links, no rows: cached like every section, refreshed with the campaign.
    return {}
