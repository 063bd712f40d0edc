"""Images in admin are never lost: an upload survives a failed save, and the form shows the image once."""

import io
import os
import re
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from ala_site import images
from ala_site.models import Promo
from store.models import Product
from tests.factories import UserFactory

from .factories import PromoFactory

pytestmark = pytest.mark.django_db

KEPT_MESSAGE = "is kept: choose another file to replace it."


def png(width, height, name="image.png", color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def promo_form(**overrides):
    data = {
        "slot": Promo.Slot.SPOTLIGHT,
        "title": "Banned Books Week",
        "body": "Celebrate the freedom to read.",
        "order": 0,
        "image_alt": "Readers in a sunny library",
        "cta_label": "Learn more",
        "cta_url": "/censorship/",
        "is_published": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Content editors"))
    client = Client()
    client.force_login(user)
    return client


def kept_token(response):
    match = re.search(r'name="image-kept" value="([^"]+)"', response.content.decode())
    return match and match.group(1)


def kept_files():
    folder = Path(settings.MEDIA_ROOT) / images.KEPT_FOLDER
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def pixel(field_file):
    with default_storage.open(field_file.name, "rb") as stored, Image.open(stored) as image:
        return image.convert("RGB").getpixel((5, 5))


def test_a_failed_save_keeps_the_image_and_the_next_save_uses_it(editor, django_capture_on_commit_callbacks):
    # A call to action without its link: the form fails after the file was chosen.
    response = editor.post(
        "/admin/ala_site/promo/add/", promo_form(cta_url="", image=png(1200, 600, "reading-room.png"))
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Give both the call to action" in page
    assert f"reading-room.png {KEPT_MESSAGE}" in page
    assert not Promo.objects.exists()
    token = kept_token(response)
    assert token and len(kept_files()) == 1

    # Fixed without choosing the file again.
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post("/admin/ala_site/promo/add/", promo_form(**{"image-kept": token}))

    assert response.status_code == 302
    promo = Promo.objects.get()
    assert promo.image.name == "promos/reading-room.png"
    assert pixel(promo.image) == (200, 30, 30)
    assert promo.image_rendition.name.endswith(".webp")
    assert (promo.rendition_width, promo.rendition_height) == (960, 480)
    assert kept_files() == []  # the saved promo has its own copy


def test_the_kept_image_is_shown_and_survives_a_second_failure(editor):
    first = editor.post("/admin/ala_site/promo/add/", promo_form(cta_url="", image=png(800, 400)))
    token = kept_token(first)

    second = editor.post("/admin/ala_site/promo/add/", promo_form(cta_url="", image_alt="", **{"image-kept": token}))

    page = second.content.decode()
    assert "Describe the image for people who cannot see it." in page
    assert f"image.png {KEPT_MESSAGE}" in page
    assert kept_token(second) == token
    assert len(kept_files()) == 1  # kept once, not copied again on each failure
    # The kept picture shows (as data, since it has no public address yet).
    assert re.search(r'<img id="id_image_preview"[^>]+src="data:image/webp;base64,', page)

    third = editor.post("/admin/ala_site/promo/add/", promo_form(**{"image-kept": token}))
    assert third.status_code == 302
    assert Promo.objects.get().image.name == "promos/image.png"


def test_choosing_another_file_replaces_the_kept_one(editor):
    token = kept_token(
        editor.post("/admin/ala_site/promo/add/", promo_form(cta_url="", image=png(800, 400, "red.png")))
    )

    response = editor.post(
        "/admin/ala_site/promo/add/",
        promo_form(image=png(800, 400, "blue.png", color=(30, 30, 200)), **{"image-kept": token}),
    )

    assert response.status_code == 302
    promo = Promo.objects.get()
    assert promo.image.name == "promos/blue.png"
    assert pixel(promo.image) == (30, 30, 200)


def test_dont_use_it_drops_the_kept_image(editor):
    token = kept_token(editor.post("/admin/ala_site/promo/add/", promo_form(cta_url="", image=png(800, 400))))

    response = editor.post("/admin/ala_site/promo/add/", promo_form(**{"image-kept": token, "image-forget": "on"}))

    assert response.status_code == 302
    assert not Promo.objects.get().image


def test_on_the_change_page_a_kept_image_replaces_the_current_one_only_when_saved(editor):
    promo = PromoFactory(image=png(1200, 600, "old.png"), image_alt="Old")
    url = f"/admin/ala_site/promo/{promo.pk}/change/"

    failed = editor.post(url, promo_form(cta_url="", image=png(800, 800, "new.png", color=(30, 200, 30))))
    assert f"new.png {KEPT_MESSAGE}" in failed.content.decode()
    promo.refresh_from_db()
    assert promo.image.name == "promos/old.png"

    assert editor.post(url, promo_form(**{"image-kept": kept_token(failed)})).status_code == 302
    promo.refresh_from_db()
    assert promo.image.name == "promos/new.png"
    assert (promo.rendition_width, promo.rendition_height) == (800, 800)


@pytest.mark.parametrize("how", ["forged", "expired", "deleted"])
def test_a_kept_image_that_is_gone_is_said_so_and_nothing_is_saved(editor, monkeypatch, how):
    token = kept_token(editor.post("/admin/ala_site/promo/add/", promo_form(cta_url="", image=png(800, 400))))
    if how == "forged":
        token = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    elif how == "expired":
        later = time.time() + images.KEPT_FOR.total_seconds() + 60
        monkeypatch.setattr(signing.time, "time", lambda: later)
    else:
        for name in kept_files():
            default_storage.delete(f"{images.KEPT_FOLDER}/{name}")

    response = editor.post("/admin/ala_site/promo/add/", promo_form(**{"image-kept": token}))

    assert response.status_code == 200
    assert (
        "The image chosen before is no longer kept on the server: choose the file again." in response.content.decode()
    )
    assert not Promo.objects.exists()


def test_a_token_cannot_bring_back_any_other_file(editor):
    promo = PromoFactory(image=png(800, 400, "someone-elses.png"), image_alt="Theirs")
    # Even a correctly signed token names only the temporary folder.
    token = signing.dumps({"path": promo.image.name, "name": "x.png", "type": "image/png"}, salt=images._KEPT_SALT)

    assert images.kept_upload(token) is None
    response = editor.post("/admin/ala_site/promo/add/", promo_form(title="Mine", **{"image-kept": token}))
    assert response.status_code == 200
    assert not Promo.objects.filter(title="Mine").exists()


def test_a_file_that_is_not_an_image_is_not_kept(editor):
    response = editor.post(
        "/admin/ala_site/promo/add/",
        promo_form(cta_url="", image=SimpleUploadedFile("notes.png", b"not a picture", content_type="image/png")),
    )

    page = response.content.decode()
    assert "Upload a valid image." in page
    assert KEPT_MESSAGE not in page
    assert kept_files() == []


def test_a_large_upload_streamed_to_disk_is_kept(editor, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # the upload goes to a temporary file, as big ones do
    upload = png(1500, 1000, "big.png", color=(10, 120, 200))
    assert len(upload.read()) > 1000
    upload.seek(0)

    failed = editor.post("/admin/ala_site/promo/add/", promo_form(cta_url="", image=upload))
    assert (
        editor.post("/admin/ala_site/promo/add/", promo_form(**{"image-kept": kept_token(failed)})).status_code == 302
    )

    assert pixel(Promo.objects.get().image) == (10, 120, 200)


def test_a_product_form_keeps_its_image_too(django_user_model):
    # Every admin built on EditorAdmin keeps uploads; the store's products are one.
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    form = {
        "title": "READ Poster",
        "slug": "read-poster",
        "short_description": "A poster.",
        "price": "",  # missing: the form fails
        "currency": "USD",
        "format": Product.Format.PRINT,
        "stock": 5,
        "image_alt": "A poster",
        "order": 0,
    }

    failed = client.post("/admin/store/product/add/", {**form, "image": png(600, 800, "poster.png")})
    assert failed.status_code == 200
    assert f"poster.png {KEPT_MESSAGE}" in failed.content.decode()

    saved = client.post("/admin/store/product/add/", {**form, "price": "18.00", "image-kept": kept_token(failed)})
    assert saved.status_code == 302
    assert Product.objects.get().image.name.endswith("poster.png")


def test_old_kept_uploads_are_swept_away(editor):
    old = kept_token(editor.post("/admin/ala_site/promo/add/", promo_form(cta_url="", image=png(800, 400, "old.png"))))
    old_path = Path(settings.MEDIA_ROOT) / signing.loads(old, salt=images._KEPT_SALT)["path"]
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old_path, (two_days_ago, two_days_ago))

    editor.post("/admin/ala_site/promo/add/", promo_form(cta_url="", image=png(800, 400, "new.png")))

    assert not old_path.exists()
    assert len(kept_files()) == 1


@pytest.mark.django_db(transaction=True)
def test_uploads_kept_at_the_same_time_stay_apart(settings):
    """Several editors whose saves fail at once each get their own file back; sweeping at the same
    moment (each keep sweeps) never fails a request."""
    stale = default_storage.save(f"{images.KEPT_FOLDER}/stale.png", png(10, 10))
    os.utime(default_storage.path(stale), (time.time() - 3 * 24 * 3600,) * 2)
    colors = [(index * 40, 100, 200 - index * 40) for index in range(5)]
    tokens, errors = {}, []
    barrier = threading.Barrier(len(colors))

    def keep(color):
        try:
            barrier.wait()
            tokens[color] = images.keep_upload(png(64, 64, "same-name.png", color=color))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=keep, args=(color,)) for color in colors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    for color, token in tokens.items():
        with Image.open(images.kept_upload(token)) as image:
            assert image.convert("RGB").getpixel((1, 1)) == color
    assert not default_storage.exists(stale)


def test_the_image_field_shows_the_current_image_once_under_one_label(editor):
    promo = PromoFactory(image=png(1200, 600), image_alt="A reading room")

    page = editor.get(f"/admin/ala_site/promo/{promo.pk}/change/").content.decode()

    assert len(re.findall(r"<label[^>]*>Image:</label>", page)) == 1
    assert page.count(promo.image_rendition.url) == 1
    preview = re.search(r'<img id="id_image_preview" class="[^"]*admin-image-preview[^"]*" src="([^"]+)"', page)
    assert preview.group(1) == promo.image_rendition.url
    # The picture preview script comes with the form, as a file (the CSP allows no inline script).
    assert '<script src="/static/js/admin-image-preview.js"></script>' in page
    assert 'data-image-preview="id_image_preview"' in page


def test_the_add_form_has_no_preview_until_a_file_is_picked(editor):
    page = editor.get("/admin/ala_site/promo/add/").content.decode()

    assert 'id="id_image_preview"' not in page  # the script adds it when a file is picked
    assert 'data-image-preview="id_image_preview"' in page
    assert 'accept="image/*"' in page
