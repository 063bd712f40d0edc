"""Book résumés: what a librarian hands a review committee to defend a challenged book.

Each résumé gathers the book's significance and educational value: synopsis, creators, age and
grade range, professional reviews, awards and lists, where it was challenged and kept, and
resources. The directory is searchable by title and author and filtered by age range and format.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ala_site.models import ImageModel, TrackedModel
from ala_site.richtext import MARKDOWN_HELP, RichTextMixin
from ala_site.validators import validate_link

__all__ = ["BookResume", "ResumeReview", "ResumeRecognition", "ResumeRetention", "ResumeResource", "AGE_RANGES"]

# The directory's age filter: a book shows under every range its own ages overlap.
AGE_RANGES = {
    "children": ("Children (up to 8)", 0, 8),
    "middle-grade": ("Middle grade (9–12)", 9, 12),
    "teens": ("Teens (13–17)", 13, 17),
    "adults": ("Adults (18 and up)", 18, 120),
}

# Grades as school boards write them; 0 is kindergarten, 13 stands for "adult" (beyond grade 12).
GRADES = [(0, "K"), *((grade, str(grade)) for grade in range(1, 13)), (13, "Adult")]


def normalise_isbn(value):
    return re.sub(r"[\s-]", "", value or "").upper()


def validate_isbn(value):
    """An ISBN-10 or ISBN-13 whose check digit adds up (hyphens and spaces allowed)."""
    digits = normalise_isbn(value)
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
        if total % 10 == 0:
            return
    elif re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        if total % 11 == 0:
            return
    raise ValidationError("Enter a valid ISBN-10 or ISBN-13 (the check digit does not add up).")


class BookResumeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def search(self, text):
        """Résumés whose title or author (or illustrator) holds every word typed."""
        for word in text.split()[:8]:
            self = self.filter(Q(title__icontains=word) | Q(author__icontains=word) | Q(illustrator__icontains=word))
        return self

    def for_ages(self, key):
        """Books whose age range overlaps one of AGE_RANGES."""
        _label, low, high = AGE_RANGES[key]
        return self.filter(
            Q(age_min__isnull=True) | Q(age_min__lte=high),
            Q(age_max__isnull=True) | Q(age_max__gte=low),
        ).exclude(age_min__isnull=True, age_max__isnull=True)


class BookResume(RichTextMixin, ImageModel, TrackedModel):
    class Format(models.TextChoices):
        NOVEL = "novel", "Novel"
        NOVEL_IN_VERSE = "verse", "Novel in verse"
        GRAPHIC_NOVEL = "graphic", "Graphic novel"
        PICTURE_BOOK = "picture", "Picture book"
        MEMOIR = "memoir", "Memoir"
        NONFICTION = "nonfiction", "Nonfiction"
        POETRY = "poetry", "Poetry"
        SHORT_STORIES = "stories", "Short stories"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    subtitle = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200)
    illustrator = models.CharField(max_length=200, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    publication_year = models.PositiveSmallIntegerField(
        "year published", null=True, blank=True, validators=[MaxValueValidator(2100)]
    )
    isbn = models.CharField(
        "ISBN", max_length=17, blank=True, validators=[validate_isbn], help_text="ISBN-10 or ISBN-13; hyphens allowed."
    )
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.NOVEL)
    age_min = models.PositiveSmallIntegerField("from age", null=True, blank=True, validators=[MaxValueValidator(120)])
    age_max = models.PositiveSmallIntegerField("to age", null=True, blank=True, validators=[MaxValueValidator(120)])
    grade_min = models.PositiveSmallIntegerField("from grade", choices=GRADES, null=True, blank=True)
    grade_max = models.PositiveSmallIntegerField("to grade", choices=GRADES, null=True, blank=True)
    summary = models.CharField(max_length=300, help_text="One or two sentences for the directory and search engines.")
    synopsis = models.TextField(help_text=MARKDOWN_HELP)
    synopsis_html = models.TextField(editable=False, blank=True)
    author_statement = models.TextField(
        blank=True, help_text=f"Optional: what the author says about the book and its readers. {MARKDOWN_HELP}"
    )
    author_statement_html = models.TextField(editable=False, blank=True)
    is_published = models.BooleanField("published", default=True)

    objects = BookResumeQuerySet.as_manager()
    rich_text_fields = {"synopsis": "synopsis_html", "author_statement": "author_statement_html"}
    cache_sections = ("censorship",)
    IMAGE_FOLDER = "resumes"
    RENDITION_WIDTH = 480

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = "book résumé"
        # The list's order among published résumés, so any page of it walks the index (partial:
        # SQLite cannot use a bare boolean as an index key).
        indexes = [
            models.Index(fields=["title", "id"], condition=Q(is_published=True), name="censorship_resume_listed_idx")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("censorship:resume_detail", args=[self.slug])

    def clean(self):
        super().clean()
        errors = {}
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            errors["age_max"] = "The upper age must not be below the lower one."
        if self.grade_min is not None and self.grade_max is not None and self.grade_max < self.grade_min:
            errors["grade_max"] = "The upper grade must not be below the lower one."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.isbn = normalise_isbn(self.isbn) if self.isbn else ""
        super().save(*args, **kwargs)

    @property
    def age_range(self):
        if self.age_min is not None and self.age_max is not None:
            return f"{self.age_min}–{self.age_max}"
        if self.age_min is not None:
            return f"{self.age_min} and up"
        if self.age_max is not None:
            return f"up to {self.age_max}"
        return ""

    @property
    def grade_range(self):
        low, high = self.get_grade_min_display(), self.get_grade_max_display()
        if self.grade_min is not None and self.grade_max is not None:
            return low if self.grade_min == self.grade_max else f"{low}–{high}"
        if self.grade_min is not None:
            return f"{low} and up"
        if self.grade_max is not None:
            return f"up to {high}"
        return ""


class ResumeReview(models.Model):
    """A professional review's words, with where they were published."""

    resume = models.ForeignKey(BookResume, on_delete=models.CASCADE, related_name="reviews")
    quote = models.TextField(max_length=2000)
    source = models.CharField(max_length=200, help_text="The journal or reviewer, e.g. a review journal's name.")
    published_on = models.DateField("review date", null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "professional review"

    def __str__(self):
        return self.source


class ResumeRecognition(models.Model):
    """An award, an honor or a place on a notable list."""

    class Kind(models.TextChoices):
        AWARD = "award", "Award"
        HONOR = "honor", "Honor"
        LIST = "list", "Notable list"
        FINALIST = "finalist", "Finalist"

    resume = models.ForeignKey(BookResume, on_delete=models.CASCADE, related_name="recognitions")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.AWARD)
    year = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(2100)])

    class Meta:
        ordering = ["year", "name", "pk"]
        verbose_name = "award, honor or list"
        verbose_name_plural = "awards, honors and lists"

    def __str__(self):
        return f"{self.name} {self.year or ''}".strip()


class ResumeRetention(models.Model):
    """Where the book was challenged and what became of it, from public records."""

    class Outcome(models.TextChoices):
        RETAINED = "retained", "Retained"
        RETAINED_RESTRICTED = "restricted", "Retained with restricted access"
        RELOCATED = "relocated", "Moved to another section"
        REMOVED = "removed", "Removed"

    resume = models.ForeignKey(BookResume, on_delete=models.CASCADE, related_name="retentions")
    institution = models.CharField(max_length=200, help_text="The library, school or district.")
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(validators=[MaxValueValidator(2100)])
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.RETAINED)
    details = models.CharField(max_length=500, blank=True, help_text="e.g. how the review committee decided.")

    class Meta:
        ordering = ["-year", "institution", "pk"]
        verbose_name = "challenge and outcome"
        verbose_name_plural = "retention history"

    def __str__(self):
        return f"{self.institution} ({self.year})"

    @property
    def place(self):
        return ", ".join(part for part in (self.city, self.state) if part)


class ResumeResource(models.Model):
    resume = models.ForeignKey(BookResume, on_delete=models.CASCADE, related_name="resources")
    label = models.CharField(max_length=200)
    url = models.CharField("link", max_length=500, validators=[validate_link])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "resource"

    def __str__(self):
        return self.label
