"""Images in a real browser: a content editor's upload survives a failed save, card images keep
their shape on the public pages, and the content lists fit a 1366 px screen."""

import io
import re
from importlib import import_module

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from PIL import Image
from playwright.sync_api import expect

from ala_site.models import AlertBanner, NavLink, Promo, QuickLinkGroup, SocialLink
from store.models import Product
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def jpeg(width, height, color=(30, 110, 160)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def csp_violations(page):
    found = []
    page.on("console", lambda message: "Content Security Policy" in message.text and found.append(message.text))
    return found


def content_editors_group():
    """The group as its migration makes it: an earlier transactional test empties the tables,
    migrations' rows included, so it is made again by the migration's own code when missing."""
    group = Group.objects.filter(name="Content editors").first()
    if group is None:
        state_apps = MigrationLoader(connection).project_state().apps
        import_module("ala_site.migrations.0003_content_editors_group").create_group(state_apps, None)
        group = Group.objects.get(name="Content editors")
    return group


@pytest.fixture
def editor_site(transactional_db, live_server, page):
    """The admin, logged in as a member of the Content editors group (not a superuser)."""
    editor = UserFactory(email="editor@ala.test", is_staff=True, password=PASSWORD)
    editor.groups.add(content_editors_group())
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Email address").fill("editor@ala.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Promos")).to_be_visible()
    return live_server.url


def test_content_editor_adds_a_promo_whose_first_save_fails_and_the_image_survives(editor_site, page, csp_violations):
    page.goto(editor_site + "/admin/ala_site/promo/add/")
    page.get_by_label("Slot:").select_option(label="Spotlight")
    page.get_by_label("Title:").fill("Banned Books Week")
    page.get_by_label("Body:").fill("Celebrate the freedom to read.")

    # Picking the file shows it at once, before anything is uploaded.
    preview = page.locator("#id_image_preview")
    expect(preview).to_have_count(0)
    page.get_by_label("Image:", exact=True).set_input_files(
        {"name": "image.jpg", "mimeType": "image/jpeg", "buffer": jpeg(960, 540)}
    )
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("src", re.compile(r"^data:image/jpeg;base64,"))
    expect(preview).to_have_attribute("alt", "Preview of the chosen file, image.jpg")
    assert preview.evaluate("img => img.naturalWidth") == 960

    page.get_by_label("Image description (alt text):").fill("Banned books on a library display")
    page.get_by_label("Call to action:", exact=True).fill("Learn more")  # ... but no link
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text("Give both the call to action's text and its link, or neither.")).to_be_visible()
    expect(page.get_by_text("image.jpg is kept: choose another file to replace it.")).to_be_visible()
    expect(preview).to_be_visible()  # the kept image, shown again
    assert preview.evaluate("img => img.complete && img.naturalWidth") > 0
    assert not Promo.objects.exists()

    # The editor fixes the error and saves, without choosing the file again.
    page.get_by_label("Call to action link:").fill("/censorship/")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text("was added successfully")).to_be_visible()
    promo = Promo.objects.get()
    assert promo.image.name == "promos/image.jpg"
    assert promo.image_rendition.name.endswith(".webp")
    assert (promo.rendition_width, promo.rendition_height) == (960, 540)
    with Image.open(promo.image.path) as saved:
        assert saved.size == (960, 540)

    # Its change page shows the image once, under one label.
    page.locator("#result_list").get_by_role("link", name="Banned Books Week").click()
    expect(page.locator("label", has_text=re.compile(r"^Image:$"))).to_have_count(1)
    expect(page.locator("#id_image_preview")).to_have_attribute("src", promo.image_rendition.url)
    assert not csp_violations, csp_violations


def rendered_images(page, selector):
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })")
    # (wait_for_function would evaluate a string, which the page's CSP forbids.)
    page.evaluate(
        """() => Promise.all([...document.images].filter(img => !img.complete).map(img =>
            new Promise(done => { img.addEventListener('load', done); img.addEventListener('error', done); })))"""
    )
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)].map(img => {
            const box = img.getBoundingClientRect();
            return {src: img.currentSrc, natural: img.naturalWidth / img.naturalHeight,
                    shown: box.width / box.height, width: box.width, fit: getComputedStyle(img).objectFit};
        })""",
        selector,
    )


@pytest.mark.parametrize("width", [1366, 1024, 390])
def test_card_images_keep_their_shape(transactional_db, live_server, page, width):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    product = Product.objects.filter(is_published=True).exclude(image="").first().get_absolute_url()
    page.set_viewport_size({"width": width, "height": 900})

    checked = 0
    for path in ["/", "/store/", product]:
        page.goto(live_server.url + path)
        for image in rendered_images(page, "main img"):
            checked += 1
            if image["fit"] in ("cover", "contain"):
                # Cropped or boxed to a fixed shape on purpose (the hero, catalogue covers), never stretched.
                continue
            assert image["shown"] == pytest.approx(image["natural"], rel=0.01), (path, image)
    assert checked >= 10

    # The demo's promos carry pictures, so the landing page shows them.
    page.goto(live_server.url + "/")
    promo_images = rendered_images(page, ".promo img")
    assert len(promo_images) >= 4
    for image in promo_images:
        assert image["natural"] == pytest.approx(960 / 540, rel=0.01)
        assert image["shown"] == pytest.approx(960 / 540, rel=0.01)


def test_every_content_list_fits_a_1366px_screen(editor_site, page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # Long texts, as staff write them.
    Promo.objects.create(
        slot=Promo.Slot.GET_INVOLVED,
        title="Celebrate National Library Week with your community: programs, displays and social media kits",
        body="Text",
    )
    AlertBanner.objects.create(message="Library funding is under threat in Congress this week. " * 5)
    parent = NavLink.objects.filter(parent=None, menu=NavLink.Menu.MAIN).first()
    NavLink.objects.create(
        menu=NavLink.Menu.MAIN,
        parent=parent,
        label="Intellectual freedom resources for school and public libraries",
        url="https://www.ala.org/advocacy/intfreedom/statementspols/freedomreadstatement/extra/long/path",
    )
    QuickLinkGroup.objects.create(title="Resources for library trustees, friends groups and foundations")
    SocialLink.objects.update_or_create(
        network=SocialLink.Network.MASTODON, defaults={"url": "https://mastodon.social/@americanlibraryassociation"}
    )
    page.set_viewport_size({"width": 1366, "height": 900})

    for model in ("alertbanner", "navlink", "promo", "quicklinkgroup", "sitesettings", "sociallink"):
        page.goto(f"{editor_site}/admin/ala_site/{model}/")
        widths = page.evaluate(
            """() => {
                const results = document.querySelector('.results');
                return {page: document.documentElement.scrollWidth, window: innerWidth,
                        table: results ? results.scrollWidth : 0, box: results ? results.clientWidth : 0};
            }"""
        )
        assert widths["page"] <= widths["window"], (model, widths)
        assert widths["table"] <= widths["box"], (model, widths)  # no scrolling inside the list either
