"""Vietnamese dates with Babel: right on any machine, with no vi_VN locale installed."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from loa import clock
from loa.clock import localize

TIMEZONE = "Asia/Ho_Chi_Minh"
# "Thứ Năm, 26/11/2026": how Vietnamese public bodies date their news.
LONG_DATE = "EEEE, dd/MM/yyyy"
SHORT_DATE = "dd/MM/yyyy"
DATE_TIME = "HH:mm, EEEE, dd/MM/yyyy"


def tz() -> ZoneInfo:
    """Vietnam's timezone."""
    return ZoneInfo(TIMEZONE)


def now() -> dt.datetime:
    """The current time in Vietnam, from the one clock (``LOA_NOW`` sets it)."""
    return clock.now()


@lru_cache(maxsize=4096)
def _format(value: dt.date, pattern: str) -> str:
    from babel.dates import format_date, format_datetime  # Babel's data, on the first date only

    if isinstance(value, dt.datetime):
        return format_datetime(localize(value), pattern, locale="vi", tzinfo=tz())
    return format_date(value, pattern, locale="vi")


def vi_date(value: dt.date, pattern: str = LONG_DATE) -> str:
    """``value`` written the Vietnamese way, e.g. "Thứ Năm, 26/11/2026".

    Cached: a site of thousands of articles formats the same few dates again and
    again on list pages (by day, when the pattern shows no time).
    """
    # Babel capitalises "Thứ năm" as "Thứ Năm" in its vi data; keep that.
    if isinstance(value, dt.datetime) and _date_only(pattern):
        value = localize(value).date()  # one entry per day, not per article
    return _format(value, pattern)


@lru_cache(maxsize=64)
def _date_only(pattern: str) -> bool:
    """Whether a Babel pattern shows no time of day (nor a timezone)."""
    return not any(letter in pattern for letter in "HhKkmsSaAbBzZvVxXO'")
