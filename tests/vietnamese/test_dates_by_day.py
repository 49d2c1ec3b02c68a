"""Dates formatted by day (the cache's key) read exactly as Babel writes the full time."""

from __future__ import annotations

import datetime as dt
import random

from babel.dates import format_datetime
from loa.vietnamese.dates import DATE_TIME, LONG_DATE, SHORT_DATE, tz, vi_date


def test_day_patterns_give_babels_text_for_any_time_and_zone():
    rng = random.Random(11)
    start = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)
    for _ in range(500):
        moment = start + dt.timedelta(minutes=rng.randrange(5_000_000))
        for pattern in (LONG_DATE, SHORT_DATE, DATE_TIME):
            expected = format_datetime(moment.astimezone(tz()), pattern, locale="vi", tzinfo=tz())
            assert vi_date(moment, pattern) == expected
    # 23:30 UTC is already the next day in Vietnam.
    late = dt.datetime(2026, 11, 25, 23, 30, tzinfo=dt.UTC)
    assert vi_date(late, SHORT_DATE) == "26/11/2026"
    naive = dt.datetime(2026, 11, 26, 23, 59)  # naive values are Vietnam time
    assert vi_date(naive, LONG_DATE) == "Thứ Năm, 26/11/2026"
