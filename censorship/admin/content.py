"""Admin for the public censorship content: figures per year, most-challenged books, book résumés."""

from django.contrib import admin

from ala_site.admin import EditorAdmin, image_preview, publish, unpublish

from ..models import (
    BookResume,
    CensorshipYear,
    ChallengedBook,
    ResumeRecognition,
    ResumeResource,
    ResumeRetention,
    ResumeReview,
)


class ChallengedBookInline(admin.TabularInline):
    model = ChallengedBook
    extra = 0
    fields = ("rank", "title", "author", "challenges", "reasons", "resume")
    autocomplete_fields = ("resume",)
    verbose_name_plural = "most-challenged books of the year"


@admin.register(CensorshipYear)
class CensorshipYearAdmin(EditorAdmin):
    list_display = ("year", "attempts", "unique_titles", "books", "is_published", "updated_at")
    list_editable = ("is_published",)
    list_filter = ("is_published",)
    search_fields = ("year", "notes")
    actions = [publish, unpublish]
    inlines = [ChallengedBookInline]
    fieldsets = (
        (None, {"fields": ("year", "attempts", "unique_titles", "notes", "is_published")}),
        ("History", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("challenged_books")

    @admin.display(description="most-challenged books")
    def books(self, year):
        return len(year.challenged_books.all())

    def view_on_site(self, obj):
        return "/censorship/data/"


@admin.register(ChallengedBook)
class ChallengedBookAdmin(EditorAdmin):
    list_display = ("title", "author", "year", "rank", "challenges", "resume")
    list_filter = ("year",)
    search_fields = ("title", "author", "reasons")
    list_select_related = ("year", "resume")
    autocomplete_fields = ("resume",)
    ordering = ("-year__year", "rank")


class ReviewInline(admin.StackedInline):
    model = ResumeReview
    extra = 0
    fields = ("quote", "source", "published_on", "order")


class RecognitionInline(admin.TabularInline):
    model = ResumeRecognition
    extra = 0
    fields = ("name", "kind", "year")


class RetentionInline(admin.TabularInline):
    model = ResumeRetention
    extra = 0
    fields = ("institution", "city", "state", "year", "outcome", "details")


class ResourceInline(admin.TabularInline):
    model = ResumeResource
    extra = 0
    fields = ("label", "url", "order")


@admin.register(BookResume)
class BookResumeAdmin(EditorAdmin):
    list_display = ("title", "author", "format", "ages", "cover", "is_published", "updated_at")
    list_editable = ("is_published",)
    list_filter = ("is_published", "format")
    search_fields = ("title", "author", "illustrator", "publisher", "isbn", "slug")
    prepopulated_fields = {"slug": ("title",)}
    actions = [publish, unpublish]
    inlines = [ReviewInline, RecognitionInline, RetentionInline, ResourceInline]
    readonly_fields = ("cover_preview", *EditorAdmin.readonly_fields)
    fieldsets = (
        (None, {"fields": ("title", "slug", "subtitle", "summary", "synopsis", "author_statement")}),
        ("The book", {"fields": ("author", "illustrator", "publisher", "publication_year", "isbn", "format")}),
        (
            "Readers",
            {"fields": (("age_min", "age_max"), ("grade_min", "grade_max"))},
        ),
        ("Cover", {"fields": ("image", "image_alt", "cover_preview")}),
        ("Publishing", {"fields": ("is_published",)}),
        ("History", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    @admin.display(description="ages")
    def ages(self, resume):
        return resume.age_range or "—"

    @admin.display(description="cover")
    def cover(self, resume):
        return image_preview(resume.image_rendition or resume.image, resume.image_alt)

    @admin.display(description="cover as shown")
    def cover_preview(self, resume):
        return image_preview(resume.image_rendition or resume.image, resume.image_alt)
