"""One definition of every figure, shared by the statistics page, ``loa report`` and the charts.

The page, its printable quarters, the report (text, CSV, JSON, Markdown) and the
charts all take their numbers from ``figures`` and their words from ``DEFINITIONS``:

- an article counts when readers can see it: published, dated no later than now, not a
  draft, not an unfinished ``loa new`` file (``stats.counts``);
- the period's weeks are the ISO weeks (Monday to Sunday, Vietnam time) holding one of
  its days, up to the week in progress (``stats.period_weeks``); every "x/N weeks" has
  that N, for units and authors alike;
- a week with a post holds at least one counted article of the period; a week met the
  target when it holds at least the unit's minimum; a missed week is over and did not;
- an author is a name in the front matter of a counted article (co-authors each count it).
"""

from __future__ import annotations

import datetime as dt

from loa.cadence.definitions import DEFINITIONS, TABLES, definitions
from loa.cadence.report import Report
from loa.cadence.stats import Record, author_board, published, top_posts, unit_board, unit_weeks
from loa.vietnamese import localize

__all__ = ["DEFINITIONS", "TABLES", "definitions", "figures"]


def figures(
    records: list[Record],
    registry,
    start: dt.date,
    end: dt.date,
    moment: dt.datetime,
    post_states: dict | None = None,
    followers: list | None = None,
    latest: dict | None = None,
) -> Report:
    """Every figure of the period ``start``–``end`` as seen at ``moment`` (Vietnam time)."""
    today = localize(moment).date()
    counted = published(records, moment)
    return Report(
        start,
        end,
        unit_weeks(counted, registry, start, end, today),
        author_board(counted, start, end, post_states, latest, today=today),
        unit_board(counted, registry, start, end, today, post_states, followers, latest),
        top_posts(counted, start, end, latest, post_states),
    )
