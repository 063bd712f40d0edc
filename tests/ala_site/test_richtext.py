"""Markdown from staff becomes safe HTML: formatting kept, scripts, styles and bad links gone."""

import pytest

from ala_site.richtext import render


def test_markdown_formatting_is_kept():
    html = render("## Agenda\n\n**Bold** and *italic*, a [link](https://www.ala.org/).\n\n- one\n- two")
    assert "<h2>Agenda</h2>" in html
    assert "<strong>Bold</strong>" in html and "<em>italic</em>" in html
    assert '<a href="https://www.ala.org/" rel="noopener noreferrer nofollow">link</a>' in html
    assert "<ul>" in html and "<li>one</li>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<style>body{display:none}</style>",
        '<p style="color:red">x</p>',
        "[click](javascript:alert(1))",
        "[click](data:text/html,<script>alert(1)</script>)",
        '<a href="https://x.example" onclick="alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
    ],
)
def test_scripts_styles_handlers_and_bad_links_never_survive(source):
    html = render(source).lower()
    for bad in ["<script", "onerror", "onclick", "<style", "style=", "javascript:", "data:text", "<iframe", "<img"]:
        assert bad not in html, (source, html)


def test_empty_source_gives_empty_html():
    assert render("") == ""
    assert render("   \n") == ""
