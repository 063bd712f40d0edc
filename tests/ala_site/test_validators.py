"""Links that staff type into banners, menus and promos: a path on this site or a full http(s) address."""

import pytest
from django.core.exceptions import ValidationError

from ala_site.models import AlertBanner, NavLink, Promo
from ala_site.validators import validate_link


@pytest.mark.parametrize(
    "value",
    ["/", "/news/", "/news/#latest", "/store/?category=books", "https://www.ala.org/", "http://example.org/a?b=c"],
)
def test_site_paths_and_full_addresses_are_links(value):
    validate_link(value)


@pytest.mark.parametrize(
    "value",
    [
        "/\\evil.example/",
        "\\\\evil.example/",
        "\\/evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\t/evil.example/",
        "/\n/evil.example/",
        "/\r/evil.example/",
        "/news /",
        "/\x00/evil.example",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "evil.example",
        "ftp://evil.example/",
    ],
)
def test_anything_a_browser_could_open_as_another_host_or_a_script_is_refused(value):
    with pytest.raises(ValidationError):
        validate_link(value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model, fields",
    [
        (NavLink, {"label": "News", "menu": "main"}),
        (AlertBanner, {"message": "Act now", "link_label": "Act"}),
        (Promo, {"slot": "hero", "title": "Read", "cta_label": "Go"}),
    ],
)
def test_banner_menu_and_promo_links_refuse_a_backslash_path(model, fields):
    link_field = {NavLink: "url", AlertBanner: "link_url", Promo: "cta_url"}[model]
    item = model(**fields, **{link_field: "/\\evil.example/"})
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert link_field in error.value.message_dict
