"""Pelican side of ``loa.listening``: ``/gop-y/`` and the *Lắng nghe đoàn viên* figures.

Connected before ``loa.cadence`` to ``article_writer_finalized``, it puts
``LISTENING`` in the context the statistics pages are written with (their
``partials/listening_stats.html`` block), and writes ``gop-y/index.html``:
where to write to each unit, its promised answer time, the privacy notice.
Only counts reach a page; a month with fewer than 5 conversations shows "< 5".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pelican import signals

from loa.ledger import read_for_build
from loa.listening import questions
from loa.listening.figures import table
from loa.listening.records import DEFAULT_RETENTION_MONTHS, merge, parse_records
from loa.vietnamese import now

PATH = "gop-y"
MONTHS_SHOWN = 3


@dataclass
class ListeningView:
    """What the templates read: rows per month, unanswered comments, the units' settings."""

    rows: list = field(default_factory=list)
    unanswered: list = field(default_factory=list)
    units: list = field(default_factory=list)
    retention_months: int = DEFAULT_RETENTION_MONTHS
    # Zalo OA offers no API to read comments on its articles (README, "Listening to members"):
    # the pages say those comments are not counted, for the units with a Zalo OA.
    zalo_comments_uncounted: bool = False
    # A unit whose Telegram bot relays members' private messages to its admins' group.
    telegram_relay: bool = False

    def months(self, last: int = MONTHS_SHOWN) -> list[str]:
        """The latest months with figures, newest first."""
        return sorted({r.month for r in self.rows}, reverse=True)[:last]

    def rows_of(self, month: str) -> list:
        """The rows of one month, in registry order."""
        return [r for r in self.rows if r.month == month]

    def quarter_months(self, year: int, quarter: int) -> list[str]:
        """The quarter's months that have figures."""
        wanted = {f"{year:04d}-{3 * quarter - 2 + i:02d}" for i in range(3)}
        return sorted(m for m in {r.month for r in self.rows} if m in wanted)


def view_for(registry, texts, moment: dt.datetime) -> ListeningView:
    """The page's figures from the ledger's listening files' texts (``figures.table``)."""
    found = table(registry, list(merge(parse_records(texts)).values()))
    unanswered = [
        {"unit": found.names.get(u.unit, u.unit), "post": u.post, "count": u.count}
        for u in found.unanswered
    ]
    units = [u for u in registry.all() if u.listening.configured]
    view = ListeningView(found.rows, unanswered, units)
    view.zalo_comments_uncounted = any(u.channel("zalo") is not None for u in units)
    view.telegram_relay = any(u.listening.telegram_admin_chat for u in units)
    return view


def write_pages(generator, writer) -> None:
    """Put ``LISTENING`` in the context; write ``gop-y/index.html`` (``article_writer_finalized``)."""
    settings = generator.settings
    registry = settings.get("LOA_UNITS")
    if registry is None:
        return
    ledger = read_for_build(settings) if settings.get("LOA_READ_LEDGER") else None
    view = view_for(registry, ledger.listening.values() if ledger else [], now())
    generator.context["LISTENING"] = view
    questions.write_pages(generator, writer, registry)
    if not view.units:
        return
    writer.write_file(
        f"{PATH}/index.html",
        generator.get_template("gop_y"),
        generator.context,
        relative_urls=settings.get("RELATIVE_URLS", False),
        listening=view,
        page_name=PATH,
        url=f"{PATH}/",
    )


def add_filters(pelican) -> None:
    """``faq_json_ld`` for the article template (``initialized``)."""
    pelican.settings.setdefault("JINJA_FILTERS", {}).setdefault(
        "faq_json_ld", questions.faq_json_ld
    )


def register() -> None:
    """Connect before ``loa.cadence`` (PLUGINS order) so the statistics pages see ``LISTENING``."""
    signals.initialized.connect(add_filters)
    signals.article_writer_finalized.connect(write_pages)
