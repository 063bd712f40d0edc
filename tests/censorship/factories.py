"""Factories for the public censorship content: figures per year, listed books and book résumés."""

import factory
from django.utils.text import slugify

from censorship.models import (
    BookResume,
    CensorshipYear,
    ChallengedBook,
    ResumeRecognition,
    ResumeResource,
    ResumeRetention,
    ResumeReview,
)


class CensorshipYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CensorshipYear
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2000 + n % 100)
    attempts = 300
    unique_titles = 500
    is_published = True


class BookResumeFactory(factory.django.DjangoModelFactory):
    """A published résumé of a young-adult novel, without a cover."""

    class Meta:
        model = BookResume

    title = factory.Sequence(lambda n: f"Book {n:04d}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.title))
    author = "Jordan Writer"
    publisher = "Example House"
    publication_year = 2015
    format = BookResume.Format.NOVEL
    age_min = 14
    age_max = 18
    grade_min = 9
    grade_max = 12
    summary = "A novel about a summer that changes everything."
    synopsis = "A teenager spends a **summer** with relatives and learns who they are."
    is_published = True


class ChallengedBookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChallengedBook

    year = factory.SubFactory(CensorshipYearFactory)
    rank = factory.Sequence(lambda n: n % 10 + 1)
    title = factory.Sequence(lambda n: f"Challenged Book {n:03d}")
    author = "Pat Author"
    challenges = 20
    reasons = "claimed to be sexually explicit"


class ResumeReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResumeReview

    resume = factory.SubFactory(BookResumeFactory)
    quote = "A moving, carefully told story for teen readers."
    source = "Review Journal"


class ResumeRecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResumeRecognition

    resume = factory.SubFactory(BookResumeFactory)
    name = "Teen Readers' Choice"
    year = 2016


class ResumeRetentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResumeRetention

    resume = factory.SubFactory(BookResumeFactory)
    institution = "Riverside Unified School District"
    city = "Riverside"
    state = "California"
    year = 2023
    outcome = ResumeRetention.Outcome.RETAINED
    details = "A review committee of teachers and parents voted to keep it."


class ResumeResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResumeResource

    resume = factory.SubFactory(BookResumeFactory)
    label = "Teaching guide"
    url = "https://example.org/guide"
