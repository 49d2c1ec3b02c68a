"""Pelican side of ``loa.events``: upcoming events in the templates, the events page, calendar feeds."""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals

from loa.events.calendar import Listing, calendar
from loa.vietnamese import localize, now

logger = logging.getLogger(__name__)

UPCOMING_ON_HOME = 5
_pending: dict[int, list[Listing]] = {}


def collect(generator) -> None:
    """Upcoming and past events in the context (``article_generator_finalized``)."""
    settings = generator.settings
    siteurl = settings.get("SITEURL", "")
    listings = []
    for article in generator.articles:
        event = getattr(article, "event", None)
        if event is None:
            continue
        unit = getattr(article, "unit", None)
        listings.append(
            Listing(
                event,
                article.title,
                f"{siteurl}/{article.url}",
                unit.slug if unit else article.category.slug,
                article.slug,
                getattr(article, "summary_text", "") or "",
                article.date,
                getattr(article, "modified", None),
            )
        )
        article.event_ics = f"su-kien/{article.category.slug}/{article.slug}.ics"
    moment = now()
    upcoming = sorted(
        (item for item in listings if localize(item.event.end) > moment),
        key=lambda item: item.event.start,
    )
    past = sorted(
        (item for item in listings if localize(item.event.end) <= moment),
        key=lambda item: item.event.start,
        reverse=True,
    )
    by_unit: dict[str, list[Listing]] = {}
    for item in upcoming:
        for slug in {item.unit, item.organiser}:
            by_unit.setdefault(slug, []).append(item)
    generator.context.update(
        upcoming_events=upcoming,
        past_events=past,
        upcoming_by_unit=by_unit,
        upcoming_on_home=upcoming[:UPCOMING_ON_HOME],
    )
    _pending[id(settings)] = listings


def write_page(generator, writer) -> None:
    """``/su-kien/``: upcoming first, then past (``article_writer_finalized``)."""
    writer.write_file(
        "su-kien/index.html",
        generator.get_template("events"),
        generator.context,
        relative_urls=generator.settings.get("RELATIVE_URLS", False),
        page_name="su-kien",
        url="su-kien/",
    )


def write_calendars(pelican) -> None:
    """``/feeds/events.ics``, ``/feeds/<unit>.ics`` and one ``.ics`` per event (``finalized``)."""
    listings = _pending.pop(id(pelican.settings), None)
    if listings is None:
        return
    settings = pelican.settings
    siteurl = settings.get("SITEURL", "")
    output = Path(settings["OUTPUT_PATH"])
    registry = settings.get("LOA_UNITS")
    feeds = output / "feeds"
    feeds.mkdir(parents=True, exist_ok=True)
    site_name = settings.get("SITESHORTNAME") or settings.get("SITENAME", "")
    if listings:  # a calendar needs at least one event (RFC 5545 §3.6)
        (feeds / "events.ics").write_bytes(calendar(listings, f"Sự kiện — {site_name}", siteurl))
    for unit in registry.all() if registry else ():
        mine = [item for item in listings if unit.slug in (item.unit, item.organiser)]
        if not mine:
            continue  # RFC 5545 wants at least one component: no events, no file (and no link)
        (feeds / f"{unit.slug}.ics").write_bytes(
            calendar(mine, f"Sự kiện — {unit.short_name}", siteurl)
        )
    for item in listings:
        path = output / "su-kien" / item.unit / f"{item.slug}.ics"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(calendar([item], item.title, siteurl))
    logger.info("loa: %d events written to calendar feeds", len(listings))


def register() -> None:
    """Context at ``article_generator_finalized``; the page with the articles' writer; the feeds at ``finalized``."""
    signals.article_generator_finalized.connect(collect)
    signals.article_writer_finalized.connect(write_page)
    signals.finalized.connect(write_calendars)
