"""Reading store pages as a visitor would."""

import json
import re
from html import unescape


def text(response):
    """The page's visible text, with tags dropped and whitespace squashed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def json_ld(response):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), flags=re.S)
    return [json.loads(block) for block in blocks]


def h1s(response):
    return re.findall(r"<h1\b", response.content.decode())


def product_titles(response):
    """Titles of the product cards, in page order."""
    return [
        unescape(t)
        for t in re.findall(r'<a class="stretched-link" href="[^"]+">([^<]+)</a>', response.content.decode())
    ]


def messages(response):
    return [str(message) for message in response.context["messages"]] if response.context else []
