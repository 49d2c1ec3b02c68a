"""``<lastmod>`` from the content's own dates (pelican-sitemap uses the build time for lists).

pelican-sitemap dates an article or a page by its own date, and every other
page — home, units, tags, authors, archives, events, statistics — by the time
of the build, so each build tells search engines that every list changed.
Here such a page is dated by the newest article it lists (or, for pages that
list no articles of their own, the newest article of the site). A page with
no date of its own (Giới thiệu, Liên hệ, without ``modified:``) gets no
``<lastmod>`` at all — the protocol makes it optional — rather than a made-up one.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from pelican import signals


@dataclass(frozen=True)
class Dated:
    """What pelican-sitemap reads of a page: its address, date and status."""

    url: str
    modified: object
    status: str = "published"


# Stands for "no date" until the sitemap is written, then its <lastmod> is taken out.
UNDATED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_UNDATED_LINE = "<lastmod>1970-01-01T00:00:00+00:00</lastmod>\n"


def _newest(articles):
    return max(
        (getattr(a, "modified", None) or a.date for a in articles if getattr(a, "date", None)),
        default=None,
    )


def take_over(pelican) -> None:
    """Replace pelican-sitemap's page recorder with one that dates lists (``initialized``)."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:  # the site does not use pelican-sitemap
        return
    generator = sitemap.generator
    # pelican-sitemap 1.2.2's queue_page, pinned by tests/test_upstream_pins.py.
    signals.content_written.disconnect(generator.queue_page)
    previous = getattr(generator, "loa_queue_page", None)
    if previous is not None:  # the last build's (tests and make devserver build again)
        signals.content_written.disconnect(previous)

    def queue_page(path, context):
        obj = context.get("article") or context.get("page")
        if obj is not None and not (getattr(obj, "modified", None) or getattr(obj, "date", None)):
            obj = Dated(obj.url, UNDATED, getattr(obj, "status", "published"))
        elif obj is None:
            page = context.get("articles_page")
            listed = page.object_list if page is not None else context.get("articles") or ()
            newest = _newest(listed) or _newest(context.get("articles") or ())
            if newest is not None:
                rel = os.path.relpath(path, pelican.output_path).replace(os.sep, "/")
                obj = Dated(rel, newest)
        generator.page_queue.append((path, obj))

    generator.loa_queue_page = queue_page  # kept alive: blinker holds receivers weakly
    signals.content_written.connect(queue_page)
    # Connected after pelican-sitemap's own handler, so it runs once the file is written.
    signals.finalized.disconnect(drop_undated)
    signals.finalized.connect(drop_undated)


def drop_undated(pelican) -> None:
    """Take the placeholder ``<lastmod>`` of undated pages out of ``sitemap.xml`` (``finalized``)."""
    path = Path(pelican.output_path) / "sitemap.xml"
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        if _UNDATED_LINE in text:
            path.write_text(text.replace(_UNDATED_LINE, ""), encoding="utf-8")
