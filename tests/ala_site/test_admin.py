"""Site content in Django admin: pages answer, edits are tracked, images are checked and rendered once."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from PIL import Image

from ala_site.models import AlertBanner, NavLink, Promo, QuickLinkGroup, SiteSettings
from tests.factories import UserFactory

from .factories import PromoFactory

pytestmark = pytest.mark.django_db

CONTENT_MODELS = ["sociallink", "navlink", "alertbanner", "promo", "quicklinkgroup"]


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def admin(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def demo_content():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def png(width, height, name="photo.png", color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def rendition_files():
    return sorted(path.name for path in (Path(settings.MEDIA_ROOT) / "promos" / "renditions").iterdir())


def promo_form(**overrides):
    data = {
        "slot": Promo.Slot.SPOTLIGHT,
        "title": "Banned Books Week",
        "body": "Celebrate the freedom to read.",
        "order": 0,
        "image_alt": "",
        "cta_label": "Learn more",
        "cta_url": "/censorship/",
        "is_published": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("model", CONTENT_MODELS)
def test_changelist_and_add_pages_answer(admin, demo_content, model):
    assert admin.get(f"/admin/ala_site/{model}/").status_code == 200
    assert admin.get(f"/admin/ala_site/{model}/add/").status_code == 200


@pytest.mark.parametrize(
    ("model", "lookup"),
    [
        (AlertBanner, {}),
        (NavLink, {"label": "Membership"}),
        (Promo, {"title": "Read the Latest Issue"}),
        (QuickLinkGroup, {"title": "For the public"}),
    ],
)
def test_change_pages_answer(admin, demo_content, model, lookup):
    obj = model.objects.get(**lookup)

    response = admin.get(f"/admin/ala_site/{model._meta.model_name}/{obj.pk}/change/")

    assert response.status_code == 200


def test_changelists_search_and_filter(admin, demo_content):
    response = admin.get("/admin/ala_site/promo/", {"q": "Latest Issue", "slot__exact": "magazine"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [Promo.objects.get(title="Read the Latest Issue")]


def test_site_settings_is_one_row_that_cannot_be_added_twice_or_deleted(admin, demo_content):
    # The list of one row opens straight on its form.
    assert (
        admin.get("/admin/ala_site/sitesettings/").url
        == f"/admin/ala_site/sitesettings/{SiteSettings.SINGLETON_PK}/change/"
    )
    assert admin.get(f"/admin/ala_site/sitesettings/{SiteSettings.SINGLETON_PK}/change/").status_code == 200
    assert admin.get("/admin/ala_site/sitesettings/add/").status_code == 403
    assert admin.get(f"/admin/ala_site/sitesettings/{SiteSettings.SINGLETON_PK}/delete/").status_code == 403


def test_saving_a_promo_in_admin_records_who_edited_it(admin, superuser):
    response = admin.post("/admin/ala_site/promo/add/", promo_form())

    assert response.status_code == 302
    promo = Promo.objects.get(title="Banned Books Week")
    assert promo.updated_by == superuser

    editor = UserFactory(is_staff=True, is_superuser=True)
    other = Client()
    other.force_login(editor)
    other.post(f"/admin/ala_site/promo/{promo.pk}/change/", promo_form(title="Banned Books Week 2026"))

    promo.refresh_from_db()
    assert promo.title == "Banned Books Week 2026"
    assert promo.updated_by == editor


def test_saving_child_menu_links_in_admin_records_the_editor_and_parents_menu(admin, superuser):
    response = admin.post(
        "/admin/ala_site/navlink/add/",
        {
            "menu": NavLink.Menu.MAIN,
            "label": "Publishing",
            "url": "/publishing/",
            "order": 7,
            "is_published": "on",
            "children-TOTAL_FORMS": 1,
            "children-INITIAL_FORMS": 0,
            "children-0-label": "ALA Editions",
            "children-0-url": "https://www.alastore.ala.org/",
            "children-0-order": 0,
            "children-0-is_published": "on",
        },
    )

    assert response.status_code == 302
    child = NavLink.objects.get(label="ALA Editions")
    assert child.parent.label == "Publishing"
    assert child.menu == NavLink.Menu.MAIN
    assert child.updated_by == superuser


def test_promo_with_an_image_but_no_alt_text_is_rejected(admin):
    response = admin.post("/admin/ala_site/promo/add/", promo_form(image=png(800, 400)))

    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in response.content.decode()
    assert not Promo.objects.exists()


def test_promo_with_only_half_a_call_to_action_is_rejected(admin):
    response = admin.post("/admin/ala_site/promo/add/", promo_form(cta_url=""))

    assert response.status_code == 200
    assert "Give both the call to action" in response.content.decode()
    assert not Promo.objects.exists()


def test_promo_whose_window_ends_before_it_starts_is_rejected(admin):
    response = admin.post(
        "/admin/ala_site/promo/add/",
        promo_form(
            publish_at_0="2026-05-01",
            publish_at_1="09:00:00",
            expires_at_0="2026-04-01",
            expires_at_1="09:00:00",
        ),
    )

    assert response.status_code == 200
    assert "must be after" in response.content.decode()
    assert not Promo.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "www.ala.org", "//evil.example/", "/with space/"])
def test_promo_link_must_be_a_path_or_web_address(admin, url):
    response = admin.post("/admin/ala_site/promo/add/", promo_form(cta_url=url))

    assert response.status_code == 200
    assert not Promo.objects.exists()


def test_uploaded_image_gets_a_webp_rendition_no_wider_than_960px(admin, client):
    response = admin.post(
        "/admin/ala_site/promo/add/",
        promo_form(image=png(2400, 1200), image_alt="Readers in a sunny library"),
    )
    assert response.status_code == 302

    promo = Promo.objects.get()
    assert promo.image_rendition.name.endswith(".webp")
    with Image.open(promo.image_rendition.path) as rendition:
        assert rendition.format == "WEBP"
        assert rendition.size == (960, 480)

    page = client.get("/").content.decode()
    assert f'src="{promo.image_rendition.url}" alt="Readers in a sunny library" width="960" height="480"' in page


def test_small_image_is_not_enlarged(admin):
    admin.post("/admin/ala_site/promo/add/", promo_form(image=png(300, 200), image_alt="A bookmobile"))

    with Image.open(Promo.objects.get().image_rendition.path) as rendition:
        assert rendition.size == (300, 200)


def test_rendition_is_made_once_not_on_every_save(admin):
    admin.post("/admin/ala_site/promo/add/", promo_form(image=png(1200, 600), image_alt="A reading room"))
    promo = Promo.objects.get()
    first_rendition = promo.image_rendition.name

    # Saved again in admin without a new image, and once more from code.
    response = admin.post(f"/admin/ala_site/promo/{promo.pk}/change/", promo_form(image_alt="A quiet reading room"))
    assert response.status_code == 302
    promo.refresh_from_db()
    promo.save()

    promo.refresh_from_db()
    assert promo.image_alt == "A quiet reading room"
    assert promo.image_rendition.name == first_rendition
    assert rendition_files() == [Path(first_rendition).name]  # no copies were rendered


def test_replacing_the_image_makes_a_new_rendition(admin):
    admin.post("/admin/ala_site/promo/add/", promo_form(image=png(1200, 600), image_alt="Red"))
    promo = Promo.objects.get()
    first_rendition = promo.image_rendition.name

    # The new file has the same name as the old one; storage gives it a new name.
    admin.post(
        f"/admin/ala_site/promo/{promo.pk}/change/",
        promo_form(image=png(1000, 1000, color=(30, 30, 200)), image_alt="Blue"),
    )

    promo.refresh_from_db()
    assert promo.image_rendition.name != first_rendition
    with Image.open(promo.image_rendition.path) as rendition:
        assert rendition.size == (960, 960)
        assert rendition.convert("RGB").getpixel((10, 10))[2] > 150  # blue, the new picture

    renamed = promo.image_rendition.name
    promo.save()
    promo.refresh_from_db()
    assert promo.image_rendition.name == renamed  # and that one is kept on the next save


def test_second_promo_with_a_same_named_image_keeps_its_rendition_on_save(admin):
    PromoFactory(image=png(1200, 600), image_alt="First")
    promo = PromoFactory(image=png(1500, 500), image_alt="Second")  # storage renames this photo.png
    rendition = promo.image_rendition.name

    promo.save()
    promo.refresh_from_db()

    assert promo.image_rendition.name == rendition
    with Image.open(promo.image_rendition.path) as image:
        assert image.size == (960, 320)


def test_removing_the_image_removes_the_rendition(admin):
    promo = PromoFactory(image=png(1200, 600), image_alt="A reading room")
    rendition_path = promo.image_rendition.path

    promo.image = None
    promo.save()

    promo.refresh_from_db()
    assert not promo.image_rendition
    assert not Path(rendition_path).exists()


def test_content_editors_group_can_edit_content_but_not_delete_site_settings():
    group = Group.objects.get(name="Content editors")
    codenames = set(group.permissions.values_list("codename", flat=True))

    assert {"add_promo", "change_promo", "delete_promo", "view_promo"} <= codenames
    assert {"change_alertbanner", "change_navlink", "change_quicklinkgroup", "change_sitesettings"} <= codenames
    assert "delete_sitesettings" not in codenames
    assert "add_sitesettings" not in codenames


def test_content_editor_can_use_the_promo_admin(demo_content):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    client = Client()
    client.force_login(editor)

    assert client.get("/admin/ala_site/promo/").status_code == 200
    assert client.get("/admin/ala_site/promo/add/").status_code == 200
    assert client.get(f"/admin/ala_site/sitesettings/{SiteSettings.SINGLETON_PK}/change/").status_code == 200
    assert client.get("/admin/membership/user/").status_code == 403


def test_bulk_publish_action_reports_how_many(admin):
    drafts = PromoFactory.create_batch(3, is_published=False)

    response = admin.post(
        "/admin/ala_site/promo/",
        {"action": "publish", "_selected_action": [promo.pk for promo in drafts[:2]]},
        follow=True,
    )

    assert "2 items published." in response.content.decode()
    assert sorted(Promo.objects.filter(is_published=True).values_list("pk", flat=True)) == sorted(
        promo.pk for promo in drafts[:2]
    )


@pytest.mark.parametrize("group", ["Membership staff", "Store staff"])
def test_membership_and_store_staff_see_email_sends_and_content_editors_do_not(group):
    def client_in(name):
        user = UserFactory(is_staff=True)
        user.groups.add(Group.objects.get(name=name))
        client = Client()
        client.force_login(user)
        return client

    url = "/admin/django_tasks_database/dbtaskresult/?email=gave_up"
    response = client_in(group).get(url)
    assert response.status_code == 200
    assert "Not sent, given up" in response.content.decode()
    assert client_in("Content editors").get(url).status_code == 403
