"""Rich text for every app: Markdown written by staff, rendered once when saved, sanitised by nh3.

Models keep the Markdown source (what staff edit) and the HTML (what pages show), and render on
save, never per request:

    class Event(RichTextMixin, ...):
        description = models.TextField(blank=True, help_text=MARKDOWN_HELP)
        description_html = models.TextField(editable=False, blank=True)
        rich_text_fields = {"description": "description_html"}

Templates show `{{ event.description_html|safe }}`: safe only because it went through `render`.
No raw HTML, scripts, styles, event handlers or non-http(s) links survive; links get
rel="noopener noreferrer nofollow".
"""

import markdown
import nh3

MARKDOWN_HELP = "Markdown: **bold**, *italic*, [a link](https://www.ala.org/), lists with - and headings with ##."

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render(source):
    """Sanitised HTML for a Markdown `source` (raw HTML in it is escaped, then cleaned again)."""
    if not source or not source.strip():
        return ""
    html = markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


class RichTextMixin:
    """Renders each `rich_text_fields` source into its HTML field on save."""

    rich_text_fields = {}

    def save(self, *args, **kwargs):
        for source, target in self.rich_text_fields.items():
            setattr(self, target, render(getattr(self, source)))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            touched = {target for source, target in self.rich_text_fields.items() if source in update_fields}
            kwargs["update_fields"] = set(update_fields) | touched
        super().save(*args, **kwargs)
