import pytest


@pytest.mark.django_db
def test_home_answers(client):
    response = client.get("/")
    assert response.status_code == 200
