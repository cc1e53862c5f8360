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


def test_traditional_keeps_community_and_project_words(db: None) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-Hant-TW").get("/").content.decode()
    assert "社區" in page
    assert "社群" not in page and "專案" not in page and "匯出" not in page
    assert 'lang="zh-hant"' in page


def test_traditional_catalogue_has_no_taiwan_phrase_swaps() -> None:
    from django.conf import settings

    po = (settings.LOCALE_PATHS[0] / "zh_Hant" / "LC_MESSAGES" / "django.po").read_text()
    for wrong in ("社群", "專案", "匯出"):
        assert wrong not in po


def test_english_portal_speaks_english_with_english_lang(db: None) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    assert 'lang="en"' in page and 'dir="ltr"' in page
    assert "Ask for help / report a problem" in page
    assert "Large text" in page


def test_uyghur_portal_is_right_to_left(db: None) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "ug", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="ug"' in page and 'dir="rtl"' in page
    assert "ئىشىك ئالدى مۇلازىمىتى" in page


def test_untranslated_message_falls_back_to_chinese(db: None) -> None:
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("一条还没有译文的新消息") == "一条还没有译文的新消息"


def test_django_own_messages_follow_the_language(db: None) -> None:
    from django import forms
    from django.utils import translation

    class Required(forms.Form):
        name = forms.CharField()

    for language, expected in (
        ("zh-hans", "这个字段是必填项。"),
        ("en", "This field is required."),
    ):
        with translation.override(language):
            assert Required({}).errors["name"] == [expected]


def test_dates_follow_the_language(db: None) -> None:
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{{ day|date:"DATE_FORMAT" }} {{ day|date:"l" }}')
    with translation.override("zh-hans"):
        assert template.render(Context({"day": date(2026, 12, 1)})) == "2026年12月1日 星期二"
    with translation.override("en"):
        assert "Tuesday" in template.render(Context({"day": date(2026, 12, 1)}))
