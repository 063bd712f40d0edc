"""Read rendered pages the way a visitor does: headings, visible text, links, scripts.

A small parser on the standard library, shared by every app's tests.
"""

from html.parser import HTMLParser

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings = []  # (tag, text) in document order
        self.links = []  # (href, text)
        self.scripts = []  # attributes of each <script>
        self.text_parts = []
        self._open_heading = None
        self._open_link = None
        self._skip = 0  # inside <script>, <style> or <template>

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            if tag == "script":
                self.scripts.append(attrs)
            self._skip += 1
        elif tag in HEADINGS:
            self._open_heading = [tag, []]
        elif tag == "a":
            self._open_link = [attrs.get("href"), []]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag in HEADINGS and self._open_heading:
            self.headings.append((self._open_heading[0], _squash("".join(self._open_heading[1]))))
            self._open_heading = None
        elif tag == "a" and self._open_link:
            self.links.append((self._open_link[0], _squash("".join(self._open_link[1]))))
            self._open_link = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text_parts.append(data)
        if self._open_heading:
            self._open_heading[1].append(data)
        if self._open_link:
            self._open_link[1].append(data)


def _squash(text):
    return " ".join(text.split())


def parse(content):
    if isinstance(content, bytes):
        content = content.decode()
    parser = _PageParser()
    parser.feed(content)
    parser.close()
    return parser


def headings(content, levels=HEADINGS):
    """The text of each heading, in document order."""
    return [text for tag, text in parse(content).headings if tag in levels]


def h1_count(content):
    return sum(1 for tag, _ in parse(content).headings if tag == "h1")


def visible_text(content):
    """The page's text without markup, scripts or styles, with whitespace squashed."""
    return _squash(" ".join(parse(content).text_parts))


def links(content):
    """(href, text) of every link."""
    return parse(content).links


def script_sources(content):
    return [attrs["src"] for attrs in parse(content).scripts if attrs.get("src")]


class _InputParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inputs = []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "select", "textarea", "button"):
            self.inputs.append({"tag": tag, **{name: "" if value is None else value for name, value in attrs}})


def form_fields(content, name=None):
    """Attributes of every input, select, textarea and button (only those called `name` if given)."""
    if isinstance(content, bytes):
        content = content.decode()
    parser = _InputParser()
    parser.feed(content)
    return [attrs for attrs in parser.inputs if name is None or attrs.get("name") == name]


def checked_values(content, name):
    """The values of the ticked checkboxes called `name`."""
    return {attrs["value"] for attrs in form_fields(content, name) if "checked" in attrs}
