"""The catalogue: categories and products, and the store's money conventions."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from ala_site.models import ImageModel, TrackedModel

CURRENCY = "USD"
CURRENCY_CHOICES = [("USD", "US dollars")]
MAX_QUANTITY = 99  # of one product in one order
# Paths under /store/ that a product slug must not take.
RESERVED_SLUGS = {"cart", "checkout", "orders"}
MONEY = {"max_digits": 9, "decimal_places": 2}


def money(value):
    return Decimal(value).quantize(Decimal("0.01"))


class Category(TrackedModel):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField("published", default=True)

    cache_sections = ("store",)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class ProductQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def featured(self):
        """Published products chosen for the landing page's "Shop ALA" section."""
        return self.published().filter(is_featured=True)


class Product(ImageModel, TrackedModel):
    class Format(models.TextChoices):
        PRINT = "print", "Print"
        DIGITAL = "digital", "Digital download"

    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="products")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    short_description = models.CharField(
        max_length=300, help_text="One or two sentences for lists and the landing page."
    )
    description = models.TextField(blank=True, help_text="Plain text; blank lines start new paragraphs.")
    price = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    member_price = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="What current members pay. Leave empty when members pay the full price.",
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default=CURRENCY)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.PRINT)
    stock = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Copies on hand, lowered when an order is paid. Leave empty for unlimited (digital downloads).",
    )
    is_published = models.BooleanField("published", default=True)
    is_featured = models.BooleanField("featured on the landing page", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ProductQuerySet.as_manager()
    cache_sections = ("store",)
    IMAGE_FOLDER = "store"
    RENDITION_WIDTH = 800

    class Meta:
        ordering = ["order", "title"]
        # One per order the catalogue offers (store.views.SORTS), of published products only, so
        # a page of any order, however deep, walks an index instead of sorting every product.
        # Partial: the catalogue's `is_published` filter is the index's condition (SQLite cannot
        # use a bare boolean as an index key), and the count reads the smallest of them.
        indexes = [
            models.Index(
                fields=["order", "title", "id"], condition=Q(is_published=True), name="store_product_listed_idx"
            ),
            models.Index(
                fields=["category", "order", "title", "id"],
                condition=Q(is_published=True),
                name="store_product_category_idx",
            ),
            models.Index(fields=["title", "id"], condition=Q(is_published=True), name="store_product_title_idx"),
            models.Index(
                fields=["price", "title", "id"], condition=Q(is_published=True), name="store_product_price_idx"
            ),
            models.Index(fields=["created_at", "id"], condition=Q(is_published=True), name="store_product_newest_idx"),
            # The landing page's "Shop ALA": the few featured products, in the same order.
            models.Index(
                fields=["order", "title"],
                condition=Q(is_published=True, is_featured=True),
                name="store_product_featured_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(member_price__isnull=True) | Q(member_price__lte=F("price")),
                name="store_product_member_price_not_above_price",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        try:
            super().clean()  # the image's alt text
        except ValidationError as error:
            errors.update(error.message_dict)
        if self.member_price is not None and self.price is not None and self.member_price > self.price:
            errors["member_price"] = "The member price cannot be higher than the price."
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"“{self.slug}” is taken by a store page; choose another address."
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("store:product", args=[self.slug])

    def price_for(self, user):
        """The price this buyer pays: the member price for current members."""
        if self.member_price is not None and getattr(user, "is_member", False):
            return self.member_price
        return self.price

    @property
    def is_unlimited(self):
        return self.stock is None

    @property
    def in_stock(self):
        return self.stock is None or self.stock > 0

    def stock_problem(self, quantity):
        """A message for the buyer when `quantity` cannot be had, else None."""
        if self.stock is None or quantity <= self.stock:
            return None
        if self.stock == 0:
            return f"“{self.title}” is sold out."
        return f"Only {self.stock} of “{self.title}” left in stock."
