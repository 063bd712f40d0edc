import pytest
from django.contrib.auth.models import AnonymousUser


@pytest.fixture
def member(monkeypatch):
    """A signed-in user whom the store treats as a member (membership is another app's business)."""
    from tests.factories import UserFactory

    user = UserFactory()
    monkeypatch.setattr(type(user), "is_member", property(lambda self: self.pk == user.pk), raising=False)
    return user


@pytest.fixture
def anonymous():
    return AnonymousUser()
