"""Site-wide content that staff edit: settings, menus, alert banners, promos, quick links."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .images import image_upload_path, refresh_rendition, rendition_upload_path
from .validators import validate_link


class TrackedModel(models.Model):
    """Base for content that staff edit: when it was made and changed, and by whom."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    # Names of the cached sections that show this model (see sections.py).
    cache_sections = ()

    class Meta:
        abstract = True


class PublishWindowQuerySet(models.QuerySet):
    def visible(self, now=None):
        """Published, and inside the publish window right now."""
        now = now or timezone.now()
        return self.filter(
            Q(publish_at__isnull=True) | Q(publish_at__lte=now),
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            is_published=True,
        )

    def next_change(self, now=None):
        """The next moment when a published item appears or disappears by the clock."""
        now = now or timezone.now()
        published = self.filter(is_published=True)
        starts = published.filter(publish_at__gt=now).aggregate(m=models.Min("publish_at"))["m"]
        ends = published.filter(expires_at__gt=now).aggregate(m=models.Min("expires_at"))["m"]
        return min((moment for moment in (starts, ends) if moment), default=None)


class PublishWindowModel(TrackedModel):
    is_published = models.BooleanField("published", default=True)
    publish_at = models.DateTimeField(
        "publish from", null=True, blank=True, help_text="Leave empty to publish at once."
    )
    expires_at = models.DateTimeField("publish until", null=True, blank=True, help_text="Leave empty to keep it up.")

    objects = PublishWindowQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.publish_at and self.expires_at and self.expires_at <= self.publish_at:
            raise ValidationError({"expires_at": "“Publish until” must be after “Publish from”."})

    @property
    def is_visible(self):
        now = timezone.now()
        return (
            self.is_published
            and (self.publish_at is None or self.publish_at <= now)
            and (self.expires_at is None or self.expires_at > now)
        )


class ImageModel(models.Model):
    """An optional image with its required alt text, and a resized rendition made once on save.

    Subclasses set IMAGE_FOLDER (under MEDIA_ROOT) and may set RENDITION_WIDTH.
    """

    IMAGE_FOLDER = "images"
    RENDITION_WIDTH = 960

    image = models.ImageField(upload_to=image_upload_path, blank=True)
    image_alt = models.CharField(
        "image description (alt text)",
        max_length=250,
        blank=True,
        help_text="Required with an image: what the image shows, for people who cannot see it.",
    )
    # The rendition's size is stored so pages can give <img> its width and height without
    # opening the file on every request.
    image_rendition = models.ImageField(
        upload_to=rendition_upload_path,
        blank=True,
        editable=False,
        width_field="rendition_width",
        height_field="rendition_height",
    )
    rendition_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    rendition_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": "Describe the image for people who cannot see it."})

    def save(self, *args, **kwargs):
        refresh_rendition(self.image, self.image_rendition, self.RENDITION_WIDTH)
        super().save(*args, **kwargs)


class SiteSettings(TrackedModel):
    """The one row of settings for the whole site (name, contact details, footer)."""

    SINGLETON_PK = 1
    CACHE_KEY = "site-settings"

    name = models.CharField(max_length=120, default="American Library Association")
    short_name = models.CharField(max_length=30, default="ALA")
    tagline = models.CharField(max_length=200, blank=True)
    mission_title = models.CharField(max_length=120, default="The ALA Mission")
    mission_statement = models.TextField(blank=True)
    mission_link_label = models.CharField(max_length=80, blank=True)
    mission_link_url = models.CharField(max_length=500, blank=True, validators=[validate_link])
    street_address = models.CharField(max_length=200, blank=True)
    city_state_zip = models.CharField("city, state and ZIP", max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    copyright_start_year = models.PositiveSmallIntegerField(null=True, blank=True)

    cache_sections = ("chrome", "mission")

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    def delete(self, *args, **kwargs):
        cache.delete(self.CACHE_KEY)
        return super().delete(*args, **kwargs)

    @classmethod
    def current(cls):
        site_settings = cache.get(cls.CACHE_KEY)
        if site_settings is None:
            site_settings, _ = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
            cache.set(cls.CACHE_KEY, site_settings, None)
        return site_settings

    @property
    def copyright_years(self):
        this_year = timezone.localdate().year
        start = self.copyright_start_year
        return f"{start}–{this_year}" if start and start < this_year else str(this_year)


class SocialLink(TrackedModel):
    class Network(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        LINKEDIN = "linkedin", "LinkedIn"
        YOUTUBE = "youtube", "YouTube"
        THREADS = "threads", "Threads"
        BLUESKY = "bluesky", "Bluesky"
        TIKTOK = "tiktok", "TikTok"
        MASTODON = "mastodon", "Mastodon"

    network = models.CharField(max_length=20, choices=Network.choices, unique=True)
    url = models.URLField("address")
    order = models.PositiveSmallIntegerField(default=0)

    cache_sections = ("chrome",)

    class Meta:
        ordering = ["order", "network"]

    def __str__(self):
        return self.get_network_display()


class NavLinkQuerySet(models.QuerySet):
    def menu(self, menu):
        return self.filter(menu=menu, is_published=True, parent__isnull=True).order_by("order", "pk")


class NavLink(TrackedModel):
    """A link in one of the site's menus. Main-menu links may have child links."""

    class Menu(models.TextChoices):
        UTILITY = "utility", "Utility bar (top)"
        MAIN = "main", "Main navigation"
        FOOTER = "footer", "Footer link groups"
        FOOTER_UTILITY = "footer_utility", "Footer utility links"

    menu = models.CharField(max_length=20, choices=Menu.choices, default=Menu.MAIN)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        help_text="Set for a link inside a main-menu item's drop-down.",
    )
    label = models.CharField(max_length=80)
    url = models.CharField(
        "link",
        max_length=500,
        validators=[validate_link],
        help_text="A path such as /news/ or a full https:// address.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField("published", default=True)

    objects = NavLinkQuerySet.as_manager()
    cache_sections = ("chrome",)

    class Meta:
        ordering = ["menu", "order", "pk"]
        verbose_name = "menu link"

    def __str__(self):
        return f"{self.parent.label} › {self.label}" if self.parent_id else self.label

    def clean(self):
        super().clean()
        if self.parent_id:
            if self.parent.parent_id:
                raise ValidationError({"parent": "Menus have two levels: pick a top-level link."})
            if self.parent.menu != self.menu:
                raise ValidationError({"parent": "The parent link belongs to another menu."})


class AlertBannerQuerySet(models.QuerySet):
    def current(self, now=None):
        now = now or timezone.now()
        return self.filter(
            Q(starts_at__isnull=True) | Q(starts_at__lte=now),
            Q(ends_at__isnull=True) | Q(ends_at__gt=now),
            is_active=True,
        )


class AlertBanner(TrackedModel):
    """A site-wide message above the main navigation, e.g. a funding threat."""

    class Level(models.TextChoices):
        INFO = "info", "Information"
        URGENT = "urgent", "Urgent"

    message = models.CharField(max_length=300)
    link_label = models.CharField(max_length=80, blank=True)
    link_url = models.CharField("link", max_length=500, blank=True, validators=[validate_link])
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.URGENT)
    starts_at = models.DateTimeField("show from", null=True, blank=True)
    ends_at = models.DateTimeField("show until", null=True, blank=True)
    is_active = models.BooleanField("active", default=True)

    objects = AlertBannerQuerySet.as_manager()
    cache_sections = ("alerts",)

    class Meta:
        ordering = ["-starts_at", "-created_at"]

    def __str__(self):
        return self.message

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "“Show until” must be after “Show from”."})
        if bool(self.link_label) != bool(self.link_url):
            raise ValidationError("Give both the link's text and its address, or neither.")


class Promo(ImageModel, PublishWindowModel):
    """A promotional block in one slot of the landing page."""

    class Slot(models.TextChoices):
        HERO = "hero", "Top carousel"
        SPOTLIGHT = "spotlight", "Spotlight"
        MAGAZINE = "magazine", "Latest magazine issue"
        GET_INVOLVED = "get_involved", "Get involved"
        QUICK_LINKS = "quick_links", "Beside the resource quick links"

    slot = models.CharField(max_length=20, choices=Slot.choices)
    title = models.CharField(max_length=150)
    body = models.TextField(blank=True, help_text="Plain text; blank lines start new paragraphs.")
    cta_label = models.CharField("call to action", max_length=60, blank=True)
    cta_url = models.CharField("call to action link", max_length=500, blank=True, validators=[validate_link])
    order = models.PositiveSmallIntegerField(default=0)

    cache_sections = ("promos",)
    IMAGE_FOLDER = "promos"

    class Meta:
        ordering = ["slot", "order", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if bool(self.cta_label) != bool(self.cta_url):
            raise ValidationError("Give both the call to action's text and its link, or neither.")


class QuickLinkGroup(TrackedModel):
    """A group of links in "Resource Quick Links" or "You may also be interested in"."""

    class Placement(models.TextChoices):
        QUICK_LINKS = "quick_links", "Resource quick links"
        ALSO_INTERESTED = "also_interested", "You may also be interested in"

    title = models.CharField(max_length=100)
    placement = models.CharField(max_length=20, choices=Placement.choices, default=Placement.QUICK_LINKS)
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField("published", default=True)

    cache_sections = ("quick_links",)

    class Meta:
        ordering = ["placement", "order", "pk"]
        verbose_name = "quick-link group"

    def __str__(self):
        return self.title


class QuickLink(TrackedModel):
    group = models.ForeignKey(QuickLinkGroup, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=120)
    url = models.CharField("link", max_length=500, validators=[validate_link])
    order = models.PositiveSmallIntegerField(default=0)

    cache_sections = ("quick_links",)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.label
