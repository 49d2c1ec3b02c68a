"""RSS 2.0 and Atom feeds of official sources."""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from loa.errors import LoaError
from loa.vietnamese import localize, nfc

ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed."""

    source: str
    title: str
    link: str
    date: dt.datetime | None


def _date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    text = text.strip()
    try:
        return localize(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError):
        pass
    try:
        return localize(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def parse_feed(text: str, source: str, url: str) -> list[FeedItem]:
    """Items of an RSS or Atom document, newest first."""
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise LoaError(
            f"Nguồn tin {url} không phải RSS/Atom đọc được ({exc}) — kiểm tra địa chỉ trong sources.yml."
        ) from None
    items = []
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            link = next(
                (
                    a.get("href")
                    for a in entry.findall(f"{ATOM}link")
                    if a.get("rel", "alternate") == "alternate"
                ),
                "",
            )
            items.append(
                FeedItem(
                    source,
                    nfc((entry.findtext(f"{ATOM}title") or "").strip()),
                    link or "",
                    _date(entry.findtext(f"{ATOM}published") or entry.findtext(f"{ATOM}updated")),
                )
            )
    else:
        for item in root.iter("item"):
            items.append(
                FeedItem(
                    source,
                    nfc((item.findtext("title") or "").strip()),
                    (item.findtext("link") or "").strip(),
                    _date(item.findtext("pubDate")),
                )
            )
    return sorted(
        items, key=lambda i: i.date or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True
    )
