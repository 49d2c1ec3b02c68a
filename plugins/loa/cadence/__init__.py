"""Cadence board and recognition: posts per unit per week against the target, leaderboards, followers."""

from loa.cadence.figures import DEFINITIONS, definitions, figures
from loa.cadence.records import from_articles, from_files
from loa.cadence.report import Report, print_table, to_csv, to_json, to_markdown
from loa.cadence.stats import (
    ABOVE,
    BELOW,
    WITHIN,
    Record,
    Standing,
    TopPost,
    UnitWeeks,
    author_board,
    counts,
    follower_gain,
    follower_series,
    period_bounds,
    period_weeks,
    published,
    status,
    top_posts,
    unit_board,
    unit_weeks,
    week_start,
    weeks_between,
)
from loa.lazy import lazy

__all__ = [
    "ABOVE",
    "BELOW",
    "DEFINITIONS",
    "WITHIN",
    "Record",
    "Report",
    "Standing",
    "TopPost",
    "UnitWeeks",
    "author_board",
    "counts",
    "definitions",
    "figures",
    "follower_gain",
    "follower_series",
    "from_articles",
    "from_files",
    "period_bounds",
    "period_weeks",
    "print_table",
    "published",
    "register",
    "statistics",
    "status",
    "to_csv",
    "to_json",
    "to_markdown",
    "top_posts",
    "unit_board",
    "unit_weeks",
    "week_start",
    "weeks_between",
]

register, __getattr__ = lazy(__name__, "plugin", ("statistics",))
