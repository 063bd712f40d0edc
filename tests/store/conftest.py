import pytest


@pytest.fixture
def member(monkeypatch):
    """A user whom the store treats as a current member (membership itself is another app's business)."""
    from tests.factories import UserFactory

    user = UserFactory()
    monkeypatch.setattr(type(user), "is_member", property(lambda self: self.pk == user.pk), raising=False)
    return user
