"""What of the censorship app the site search finds: published book résumés (see ala_site/search.py).

Challenge reports are confidential and are never declared here, so no search can reach them.
"""

from ala_site.search import SearchKind, register

from .models import BookResume


def _meta(resume):
    parts = [f"by {resume.author}", resume.get_format_display()]
    if resume.publication_year:
        parts.append(str(resume.publication_year))
    return " · ".join(parts)


register(
    SearchKind(
        key="resumes",
        label="Book résumés",
        queryset=lambda: BookResume.objects.published(),
        fields={"A": ("title", "author"), "B": ("summary", "subtitle", "illustrator"), "C": ("synopsis",)},
        section=("censorship:resume_list", "Browse book résumés"),
        date_field="updated_at",
        snippet=lambda resume: resume.summary,
        meta=_meta,
        order=50,
    )
)
