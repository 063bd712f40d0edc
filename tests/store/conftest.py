import pytest


@pytest.fixture
def member(monkeypatch):
    """A user whom the store treats as a current member (membership itself is another app's business)."""
    from tests.factories import UserFactory

    user = UserFactory()
    monkeypatch.setattr(type(user), "is_member", property(lambda self: self.pk == user.pk), raising=False)
    return user


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Work the store does once a transaction commits (the receipt, cancelling open payments), run as it happens."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
