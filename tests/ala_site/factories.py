import factory

from ala_site.models import AlertBanner, NavLink, Promo, QuickLink, QuickLinkGroup, SocialLink


class PromoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Promo

    slot = Promo.Slot.SPOTLIGHT
    title = factory.Sequence(lambda n: f"Promo {n}")
    body = "Libraries change lives."
    cta_label = "Read more"
    cta_url = "/news/"


class AlertBannerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertBanner

    message = factory.Sequence(lambda n: f"Alert {n}")


class NavLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NavLink

    menu = NavLink.Menu.MAIN
    label = factory.Sequence(lambda n: f"Menu item {n}")
    url = factory.Sequence(lambda n: f"/section-{n}/")


class QuickLinkGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuickLinkGroup

    title = factory.Sequence(lambda n: f"Group {n}")


class QuickLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuickLink

    group = factory.SubFactory(QuickLinkGroupFactory)
    label = factory.Sequence(lambda n: f"Link {n}")
    url = factory.Sequence(lambda n: f"https://example.org/{n}")


class SocialLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialLink
        django_get_or_create = ("network",)

    network = SocialLink.Network.BLUESKY
    url = "https://bsky.app/profile/ala.org"
