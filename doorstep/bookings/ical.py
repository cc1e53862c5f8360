"""iCal feeds (RFC 5545, `icalendar`): each event links back to its page; no resident names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str
    url: str
    stamp: datetime


def ical_feed(name: str, events: Iterable[FeedEvent]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Doorstep 家门口//zh-Hans")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("summary", item.summary)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("dtstamp", item.stamp)
        event.add("location", item.location)
        event.add("url", item.url)
        event.add("description", item.url)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
