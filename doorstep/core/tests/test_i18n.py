"""The UI speaks Simplified Chinese by default and Traditional Chinese on request."""

from django.test import Client


def test_pages_default_to_simplified_chinese(db: None) -> None:
    page = Client().get("/login/").content.decode()
    assert "家门口服务平台" in page
    assert 'lang="zh-hans"' in page


def test_traditional_chinese_when_the_browser_asks_for_it(db: None) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-Hant-TW").get("/login/").content.decode()
    assert "家門口服務平臺" in page or "家門口服務平台" in page
    assert "进一个门" not in page


def test_language_can_be_switched_and_is_remembered(db: None) -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    assert response.status_code == 302
    assert "進一個門" in client.get("/").content.decode()
