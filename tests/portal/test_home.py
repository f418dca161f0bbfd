"""The site shell's home page."""

import pytest

from demo import factories as f


@pytest.mark.django_db
def test_home_explains_the_portal_in_japanese(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in html
    assert "協働マッチング" in html and "コーディネート" in html


@pytest.mark.django_db
def test_home_shows_newest_published_listings_only(client):
    f.ListingFactory(title="公開中の協働テーマ")
    f.ListingFactory(title="下書きのニーズ", status="draft", published_at=None)
    html = client.get("/").content.decode()
    assert "公開中の協働テーマ" in html
    assert "下書きのニーズ" not in html


@pytest.mark.django_db
def test_home_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()
