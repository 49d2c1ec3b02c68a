"""Pelican side of ``loa.cadence``: the statistics page ``/thong-ke/`` and its printable quarters."""

from __future__ import annotations

import datetime as dt
import logging

from pelican import signals

from loa import platforms
from loa.cadence.charts import chart_id, line_chart, weekly_chart
from loa.cadence.figures import definitions, figures
from loa.cadence.records import from_articles
from loa.cadence.stats import follower_series, period_bounds, published, quarter_of
from loa.ledger import latest, read_for_build
from loa.vietnamese import localize, now

logger = logging.getLogger(__name__)

QUARTERS_KEPT = 8


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter."""
    return period_bounds("quarter", dt.date(year, 3 * quarter - 2, 1))


def statistics(articles, settings: dict, today: dt.date, moment: dt.datetime) -> dict:
    """Everything the statistics templates show."""
    registry = settings["LOA_UNITS"]
    records = from_articles(articles)
    view = read_for_build(settings) if settings.get("LOA_READ_LEDGER") else None
    post_states, followers = (view.states, view.followers) if view else (None, [])
    earned = latest(view.interactions) if view else None
    series = []
    for (unit, channel, account), points in sorted(follower_series(followers).items()):
        label = f"{platforms.label(channel)} — {registry.get(unit).short_name if registry.get(unit) else unit}"
        series.append(
            {
                "label": label,
                "points": points,
                "chart": line_chart(
                    points,
                    chart_id("nguoi-theo-doi", unit, channel, account),
                    f"Số người theo dõi {label}",
                ),
            }
        )
    quarters = sorted(
        {quarter_of(localize(r.date).date()) for r in published(records, moment)}
        | {quarter_of(today)},
        reverse=True,
    )[:QUARTERS_KEPT]
    quarter_pages = []
    for year, quarter in quarters:
        start, end = quarter_bounds(year, quarter)
        report = figures(records, registry, start, end, moment, post_states, followers, earned)
        quarter_pages.append(
            {
                "year": year,
                "quarter": quarter,
                "slug": f"quy-{year}-{quarter}",
                "start": start,
                "end": end,
                "units": report.units,
                "unit_board": report.unit_board,
                "author_board": report.authors,
                "top_posts": report.top_posts,
                "has_interactions": bool(earned),
                "definitions": {
                    table: definitions(table, bool(earned))
                    for table in ("weeks", "units", "authors", "top")
                },
            }
        )
    # The charts show the current quarter, the same weeks as the boards beside them.
    charts = [
        (row, weekly_chart(row, chart_id("bieu-do", row.slug))) for row in quarter_pages[0]["units"]
    ]
    return {
        "charts": charts,
        "followers": series,
        "quarters": quarter_pages,
        "current": quarter_pages[0],
        "generated": moment,
    }


def write_pages(generator, writer) -> None:
    """Write ``thong-ke/index.html`` and ``thong-ke/quy-YYYY-Q/index.html`` (``article_writer_finalized``)."""
    settings = generator.settings
    if settings.get("LOA_UNITS") is None or not settings.get("LOA_STATISTICS", True):
        return
    moment = now()
    stats = statistics(generator.articles, settings, moment.date(), moment)
    base = settings.get("LOA_STATISTICS_PATH", "thong-ke")
    writer.write_file(
        f"{base}/index.html",
        generator.get_template("statistics"),
        generator.context,
        relative_urls=settings.get("RELATIVE_URLS", False),
        stats=stats,
        page_name=base,
        url=f"{base}/",
    )
    template = generator.get_template("statistics_quarter")
    for quarter in stats["quarters"]:
        writer.write_file(
            f"{base}/{quarter['slug']}/index.html",
            template,
            generator.context,
            relative_urls=settings.get("RELATIVE_URLS", False),
            stats=stats,
            quarter=quarter,
            page_name=base,
            url=f"{base}/{quarter['slug']}/",
        )


def register() -> None:
    """Written with the articles' writer, once every article is final."""
    signals.article_writer_finalized.connect(write_pages)
