"""The one clock: every "now" of the build and of the ``loa`` command comes from here.

``LOA_NOW`` (an ISO 8601 time) sets it, for a rehearsal ("what would tomorrow's
run post?"), for a build as it will look on a given day, and for the tests,
which pin it. Without it, the clock is the machine's, in Vietnam time.

Durations are not "now": a wait, a timeout or a benchmark measures real time
with ``time.monotonic``. Everything that decides *what day it is* — which
articles are published, which events are upcoming, which week a report is in,
how old an article is for syndication, when a ledger entry was made — asks
this module. ``tests/test_clock.py`` fails on any other read of the wall clock
under ``plugins/``.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from zoneinfo import ZoneInfo

from loa.errors import UsageError

ENV = "LOA_NOW"
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


class ClockError(UsageError):
    """``LOA_NOW`` does not hold a time."""


@lru_cache(maxsize=16)
def parse(value: str) -> dt.datetime:
    """``value`` (ISO 8601; Vietnam time when it names no offset) as an aware time.

    ``2026-12-04T09:00:00+07:00``, ``2026-12-04T02:00Z``, ``2026-12-04 09:00`` and
    ``2026-12-04`` (midnight in Vietnam) are all accepted.
    """
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ClockError(
            f"{ENV} “{value}” không phải thời điểm ISO 8601 — ví dụ 2026-12-04T09:00:00+07:00 "
            f"(hoặc bỏ biến {ENV} để dùng giờ của máy)."
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TIMEZONE)
    return moment.astimezone(TIMEZONE)


def pinned() -> dt.datetime | None:
    """The time ``LOA_NOW`` pins, or None when the machine's clock is used."""
    value = os.environ.get(ENV, "").strip()
    return parse(value) if value else None


def now() -> dt.datetime:
    """The current time, in Vietnam: ``LOA_NOW`` when set, else the machine's clock."""
    moment = pinned()
    return moment if moment is not None else dt.datetime.now(TIMEZONE)


def localize(value: dt.datetime) -> dt.datetime:
    """``value`` in Vietnam's timezone (a naive value is taken as Vietnam time)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=TIMEZONE)
    return value.astimezone(TIMEZONE)


def utc_iso() -> str:
    """The current time in UTC, ISO 8601, to the second (ledger entries, manifests)."""
    return now().astimezone(dt.UTC).replace(microsecond=0).isoformat()
