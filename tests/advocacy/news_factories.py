"""Factories for news articles and library stories."""

from datetime import timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify

from advocacy.models import Article, Story


class ArticleFactory(factory.django.DjangoModelFactory):
    """A news article published an hour ago."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Libraries in the news {n:03d}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.title))
    kind = Article.Kind.NEWS
    summary = "Libraries across the country report what they did this month."
    body = "Libraries **across the country** did many things.\n\n- One\n- Two"
    publish_at = factory.LazyFunction(lambda: (timezone.now() - timedelta(hours=1)).replace(microsecond=0))
    is_published = True

    class Params:
        press_release = factory.Trait(kind=Article.Kind.PRESS_RELEASE)
        scheduled = factory.Trait(
            publish_at=factory.LazyFunction(lambda: (timezone.now() + timedelta(days=1)).replace(microsecond=0))
        )
        draft = factory.Trait(is_published=False)


class StoryFactory(factory.django.DjangoModelFactory):
    """A story waiting for moderation, with both consents given."""

    class Meta:
        model = Story

    name = factory.Sequence(lambda n: f"Reader {n:03d}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    library = factory.Sequence(lambda n: f"Town Library {n:03d}")
    city = "Springfield"
    state = "IL"
    zip_code = "62701"
    story = "The library helped my family find work and learn English."
    congress_consent = True
    publish_consent = True

    class Params:
        approved = factory.Trait(
            status=Story.Status.APPROVED,
            moderated_at=factory.LazyFunction(timezone.now),
        )
        rejected = factory.Trait(
            status=Story.Status.REJECTED,
            moderated_at=factory.LazyFunction(timezone.now),
            rejection_reason="Spam",
        )
