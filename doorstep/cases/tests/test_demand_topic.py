"""Demand-list topics (需求清单归类) name the matter, not the building or the order number."""

import pytest

from doorstep.cases.services import demand_topic


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("4号楼403室申请壁挂炉安装", "壁挂炉"),
        ("【12345 1234520261202】希望小区门口能增设一个快递柜", "快递"),
    ],
)
def test_topic_keeps_the_matter_and_drops_numbers(text: str, wanted: str) -> None:
    topic = demand_topic(text)
    assert wanted in topic
    assert not any(ch.isdigit() for ch in topic)
    assert "号楼" not in topic


def test_a_text_of_only_numbers_still_gets_a_topic() -> None:
    assert demand_topic("12345") == "12345"
