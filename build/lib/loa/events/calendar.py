"""iCalendar (RFC 5545) feeds: one per site, one per unit, one file per event to add to a phone's calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from loa.frontmatter import Event
from loa.vietnamese import TIMEZONE, localize


@dataclass(frozen=True)
class Listing:
    """An event and the article that announces it."""

    event: Event
    title: str
    url: str
    unit: str
    slug: str
    summary: str
    published: dt.datetime
    modified: dt.datetime | None = None  # the article's ``modified``, when written

    @property
    def organiser(self) -> str:
        """The unit that organises it (the article's unit unless named)."""
        return self.event.organiser or self.unit


def uid(listing: Listing, siteurl: str) -> str:
    """Stable across builds: the article's unit and slug at the site's host."""
    host = urlsplit(siteurl).hostname or "loa.local"
    return f"{listing.unit}-{listing.slug}@{host}"


def _component(listing: Listing, siteurl: str) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", uid(listing, siteurl))
    # From the article, not the clock: the same input gives the same file. An
    # edit announced with ``modified:`` moves DTSTAMP and LAST-MODIFIED and
    # raises SEQUENCE (minutes since publication), so a calendar app replaces
    # its copy of the event (RFC 5545 §3.8.7.4, RFC 5546 §2.1.4).
    published = localize(listing.published).astimezone(dt.UTC)
    changed = (
        max(published, localize(listing.modified).astimezone(dt.UTC))
        if listing.modified
        else published
    )
    item.add("dtstamp", changed)
    item.add("created", published)
    item.add("last-modified", changed)
    item.add("sequence", int((changed - published).total_seconds() // 60))
    item.add("summary", listing.title)
    if listing.event.all_day:
        item.add("dtstart", localize(listing.event.start).date())
        item.add("dtend", localize(listing.event.end).date())
    else:
        item.add("dtstart", localize(listing.event.start))
        item.add("dtend", localize(listing.event.end))
    location = listing.event.location or listing.event.online
    if location:
        item.add("location", location)
    details = [listing.summary]
    if listing.event.online:
        details.append(f"Tham gia trực tuyến: {listing.event.online}")
    if listing.event.registration:
        details.append(f"Đăng ký: {listing.event.registration}")
    details.append(f"Chi tiết: {listing.url}")
    item.add("description", "\n".join(d for d in details if d))
    item.add("url", listing.url)
    return item


def calendar(listings: list[Listing], name: str, siteurl: str) -> bytes:
    """A calendar with its Vietnam VTIMEZONE, events oldest first."""
    cal = Calendar()
    cal.add("prodid", "-//Loa//Lich su kien//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TIMEZONE)
    for listing in sorted(listings, key=lambda item: (item.event.start, item.url)):
        cal.add_component(_component(listing, siteurl))
    cal.add_missing_timezones()
    return cal.to_ical()
