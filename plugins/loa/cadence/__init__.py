"""Cadence board and recognition: posts per unit per week against the target, leaderboards, followers."""

from loa.cadence.plugin import register, statistics
from loa.cadence.records import from_articles, from_files
from loa.cadence.report import Report, print_table, to_csv, to_json, to_markdown
from loa.cadence.stats import (
    ABOVE,
    BELOW,
    WITHIN,
    Record,
    Standing,
    UnitWeeks,
    author_board,
    follower_gain,
    follower_series,
    period_bounds,
    published,
    status,
    unit_board,
    unit_weeks,
    week_start,
    weeks_between,
)

__all__ = [
    "ABOVE",
    "BELOW",
    "WITHIN",
    "Record",
    "Report",
    "Standing",
    "UnitWeeks",
    "author_board",
    "follower_gain",
    "follower_series",
    "from_articles",
    "from_files",
    "period_bounds",
    "print_table",
    "published",
    "register",
    "statistics",
    "status",
    "to_csv",
    "to_json",
    "to_markdown",
    "unit_board",
    "unit_weeks",
    "week_start",
    "weeks_between",
]
