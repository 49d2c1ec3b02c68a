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


def register() -> None:
    """Connect to Pelican's signals: Pelican is imported only when a build registers the plugin."""
    from loa.cadence.plugin import register as connect

    connect()


def __getattr__(name: str):
    """The build's helpers (``statistics``), imported with Pelican on first use."""
    if name in ('statistics',):
        from loa.cadence import plugin

        return getattr(plugin, name)
    raise AttributeError(f"module 'loa.cadence' has no attribute {name!r}")
