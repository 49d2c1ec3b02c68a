"""The published figures, per unit and month (Vietnam time): counts only, small cells hidden.

Conversations (members' requests) in the month they were written; answered;
the share answered within 1 h, within the unit's promise and within 24 h (of
all conversations, so an unanswered one counts against every share); the
median time to first answer (of those answered); comments under Loa's posts
still unanswered, with the public posts' addresses.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from loa import clock
from loa.listening.records import Record

SMALL = 5  # cells under this many conversations show "< 5" and nothing derived from them
HOUR = 3600.0


@dataclass(frozen=True)
class Cell:
    """One unit's month."""

    unit: str
    month: str
    conversations: int
    answered: int
    within_hour: int
    within_promise: int
    within_day: int
    median_seconds: float | None
    promise_hours: float

    @property
    def small(self) -> bool:
        """Too few conversations to show anything but "< 5"."""
        return self.conversations < SMALL

    def percent(self, count: int) -> int | None:
        """``count`` as a whole percentage of the month's conversations (None for a small cell)."""
        if self.small or not self.conversations:
            return None
        return round(100 * count / self.conversations)

    def published(self) -> dict:
        """The figures as numbers, exactly what may be published: a small cell keeps only its size class.

        The site's table, the run's summary and ``loa report`` (table, Markdown,
        CSV, JSON) all show these, through ``shown`` or as they are.
        """
        if self.small:
            return {
                "conversations": None,
                "fewer_than": SMALL,
                "answered": None,
                "within_hour_percent": None,
                "within_promise_percent": None,
                "within_day_percent": None,
                "median_seconds": None,
            }
        return {
            "conversations": self.conversations,
            "fewer_than": None,
            "answered": self.answered,
            "within_hour_percent": self.percent(self.within_hour),
            "within_promise_percent": self.percent(self.within_promise),
            "within_day_percent": self.percent(self.within_day),
            "median_seconds": self.median_seconds,
        }

    def shown(self) -> dict:
        """What a reader sees: ``published`` as text, a small cell "< 5" and "—"."""
        figures = self.published()

        def share(value):
            return "—" if value is None else f"{value} %"

        return {
            "conversations": (
                f"< {SMALL}" if figures["conversations"] is None else str(figures["conversations"])
            ),
            "answered": "—" if figures["answered"] is None else str(figures["answered"]),
            "within_hour": share(figures["within_hour_percent"]),
            "within_promise": share(figures["within_promise_percent"]),
            "within_day": share(figures["within_day_percent"]),
            "median": duration(figures["median_seconds"]),
        }


def duration(seconds: float | None) -> str:
    """A time to answer as people say it: "42 phút", "3 giờ 5 phút", "2 ngày 4 giờ"."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} phút"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} giờ {minutes} phút" if minutes else f"{hours} giờ"
    days, hours = divmod(hours, 24)
    return f"{days} ngày {hours} giờ" if hours else f"{days} ngày"


def cells(records, promises: dict[str, float]) -> list[Cell]:
    """One cell per unit and month with conversations, sorted by month then unit order of ``promises``."""
    groups: dict[tuple[str, str], list[Record]] = {}
    for record in records:
        if record.kind == "conversation":
            groups.setdefault((record.unit, record.month), []).append(record)
    order = {slug: i for i, slug in enumerate(promises)}
    out = []
    for (unit, month), items in groups.items():
        promise = promises.get(unit, 24.0)
        waits = [(r.answered_at - r.received_at).total_seconds() for r in items if r.answered_at]
        out.append(
            Cell(
                unit,
                month,
                len(items),
                len(waits),
                sum(1 for w in waits if w <= HOUR),
                sum(1 for w in waits if w <= promise * HOUR),
                sum(1 for w in waits if w <= 24 * HOUR),
                statistics.median(waits) if waits else None,
                promise,
            )
        )
    return sorted(out, key=lambda c: (c.month, order.get(c.unit, len(order)), c.unit))


@dataclass
class Unanswered:
    """Comments under one public post still waiting for the account's answer."""

    unit: str
    post: str
    count: int


def unanswered_comments(records) -> list[Unanswered]:
    """Per post (public address), the comments the account has not answered."""
    counts: dict[tuple[str, str], int] = {}
    for record in records:
        if record.kind == "comment" and not record.answered and record.post:
            counts[(record.unit, record.post)] = counts.get((record.unit, record.post), 0) + 1
    return [Unanswered(u, p, n) for (u, p), n in sorted(counts.items())]


@dataclass
class Overdue:
    """A unit whose oldest unanswered conversation has passed its promise."""

    unit: str
    waiting: int
    oldest_hours: float
    promise_hours: float
    inboxes: list = field(default_factory=list)


def overdue(records, promises: dict[str, float], now: dt.datetime) -> list[Overdue]:
    """Units with an unanswered conversation older than their promise (counts only)."""
    waiting: dict[str, list[float]] = {}
    for record in records:
        if record.kind == "conversation" and not record.answered:
            age = (now - record.received_at).total_seconds() / HOUR
            waiting.setdefault(record.unit, []).append(age)
    out = []
    for unit, ages in waiting.items():
        promise = promises.get(unit, 24.0)
        if max(ages) > promise:
            out.append(Overdue(unit, len(ages), max(ages), promise))
    order = list(promises)
    return sorted(out, key=lambda o: order.index(o.unit) if o.unit in order else len(order))


def month_label(month: str) -> str:
    """``2026-11`` → "tháng 11/2026"."""
    year, number = month.split("-")
    return f"tháng {int(number)}/{year}"


def current_month(now: dt.datetime | None = None) -> str:
    """The month of ``now`` (the one clock) in Vietnam time."""
    return (now or clock.now()).astimezone(clock.TIMEZONE).strftime("%Y-%m")


@dataclass
class Row:
    """One unit's month as every output shows it (the site, ``loa listen``, ``loa report``)."""

    unit: str
    name: str
    month: str
    label: str
    shown: dict
    promise: float
    published: dict


@dataclass
class Table:
    """The listening units' rows, oldest month first, and their comments still unanswered."""

    rows: list[Row]
    unanswered: list[Unanswered]
    names: dict


def table(registry, records) -> Table:
    """The one computation of the published figures, from merged records and the registry."""
    units = [u for u in registry.all() if u.listening.configured]
    names = {u.slug: u.short_name for u in registry.all()}
    promises = {u.slug: u.listening.promise_hours for u in units}
    rows = [
        Row(
            c.unit,
            names.get(c.unit, c.unit),
            c.month,
            month_label(c.month),
            c.shown(),
            c.promise_hours,
            c.published(),
        )
        for c in cells(records, promises)
        if c.unit in promises
    ]
    unanswered = [u for u in unanswered_comments(records) if u.unit in promises]
    return Table(rows, unanswered, names)
