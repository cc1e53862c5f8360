"""A POST-only address opened in the browser answers a Chinese page, not an empty 405."""

from typing import Any

import pytest


@pytest.mark.django_db
def test_typed_in_post_address_gets_a_chinese_page(client: Any) -> None:
    response = client.get("/logout/")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert "此地址不能直接打开" in response.content.decode()


@pytest.mark.django_db
def test_api_405_stays_machine_readable(client: Any) -> None:
    response = client.delete("/api/v1/cases")
    assert response.status_code == 405
    assert "此地址不能直接打开" not in response.content.decode()
