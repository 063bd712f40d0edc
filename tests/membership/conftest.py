import pytest


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Emails go out when the transaction commits; in these tests, run them as they happen."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
