"""Posting cadence and recognition: posts per unit per ISO week against the target, leaderboards.

Pure functions over plain records, so ``loa report`` (reading the content files)
and the statistics page (reading the build) compute the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from loa import platforms
from loa.units import Registry
from loa.vietnamese import localize

BELOW, WITHIN, ABOVE = "below", "within", "above"
STATUS_VI = {BELOW: "dưới mức", WITHIN: "đạt", ABOVE: "vượt"}


@dataclass(frozen=True)
class Record:
    """One published article, as the cadence board needs it."""

    id: str
    unit: str
    date: dt.datetime
    authors: tuple[str, ...]
    title: str = ""
    draft: bool = False
    unfinished: bool = False  # still holds a placeholder line of ``loa new``


def week_start(value: dt.datetime | dt.date) -> dt.date:
    """The Monday of the ISO week of ``value``, in Vietnam time (23:30 on Sunday stays in its week)."""
    day = localize(value).date() if isinstance(value, dt.datetime) else value
    return day - dt.timedelta(days=day.weekday())


def weeks_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every week start from the week of ``start`` to the week of ``end``, inclusive."""
    first, last = week_start(start), week_start(end)
    return (
        [first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
        if last >= first
        else []
    )


def week_label(monday: dt.date) -> str:
    """The week's name for people: ``Tuần 48/2026``."""
    year, week, _ = monday.isocalendar()
    return f"Tuần {week}/{year}"


def period_bounds(period: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The current week, month, quarter or year containing ``today`` (first and last day)."""
    if period == "week":
        start = week_start(today)
        return start, start + dt.timedelta(days=6)
    if period == "month":
        start = today.replace(day=1)
    elif period == "quarter":
        start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    elif period == "year":
        start = today.replace(month=1, day=1)
    else:
        raise ValueError(period)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    month = start.month - 1 + months
    end = dt.date(start.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def quarter_of(day: dt.date) -> tuple[int, int]:
    """(year, quarter)."""
    return day.year, (day.month - 1) // 3 + 1


def status(count: int, low: int, high: int) -> str:
    """Below, within or above the target band."""
    if count < low:
        return BELOW
    return ABOVE if count > high else WITHIN


@dataclass
class UnitWeeks:
    """One unit's weeks of a period: counts, status against its target, streak and misses."""

    slug: str
    name: str
    low: int
    high: int
    weeks: list[tuple[dt.date, int, str]] = field(default_factory=list)
    streak: int = 0
    missed: int = 0

    @property
    def active(self) -> int:
        """Weeks with at least one counted article."""
        return sum(1 for _, n, _ in self.weeks if n)

    @property
    def met(self) -> int:
        """Weeks that met the target (at least the minimum)."""
        return sum(1 for _, _, s in self.weeks if s != BELOW)

    @property
    def on_target_share(self) -> float:
        """Met weeks over the period's weeks (``period_weeks``)."""
        return self.met / len(self.weeks) if self.weeks else 0.0


def counts(record: Record, now: dt.datetime) -> bool:
    """Whether an article counts in every figure.

    Readers could see it at ``now``; not a draft; not an unfinished ``loa new``
    file still holding its placeholder lines.
    """
    return not record.draft and not record.unfinished and record.date <= now


def published(records: list[Record], now: dt.datetime) -> list[Record]:
    """The articles that count (``counts``)."""
    return [r for r in records if counts(r, now)]


def period_weeks(start: dt.date, end: dt.date, today: dt.date) -> list[dt.date]:
    """The weeks of a period that every "x/N weeks" figure counts.

    Each ISO week (Monday to Sunday, Vietnam time) holding a day of
    ``start``–``end``, up to the week in progress.
    """
    return weeks_between(start, min(end, today)) if start <= today else []


def in_period(records: list[Record], start: dt.date, end: dt.date) -> list[Record]:
    """The articles dated (in Vietnam) from ``start`` to ``end``."""
    return [r for r in records if start <= localize(r.date).date() <= end]


def unit_weeks(
    records: list[Record], registry: Registry, start: dt.date, end: dt.date, today: dt.date
) -> list[UnitWeeks]:
    """Per unit, per week of the period (``period_weeks``): count and status; streak, missed weeks.

    Only the period's articles count. A week met the target when it holds at
    least the unit's minimum; a week is missed when it is over and did not. The
    streak counts met weeks back from the latest, passing over the week in
    progress while it has not met the target yet.
    """
    counted: dict[str, Counter] = defaultdict(Counter)
    for record in in_period(records, start, end):
        counted[record.unit][week_start(record.date)] += 1
    weeks = period_weeks(start, end, today)
    current = week_start(today)
    out = []
    for unit in registry.all():
        low, high = unit.cadence.min_per_week, unit.cadence.max_per_week
        row = UnitWeeks(unit.slug, unit.short_name, low, high)
        for monday in weeks:
            count = counted[unit.slug][monday]
            row.weeks.append((monday, count, status(count, low, high)))
        row.missed = sum(1 for monday, _, s in row.weeks if s == BELOW and monday < current)
        streak = 0
        for monday, _, state in reversed(row.weeks):
            if monday == current and state == BELOW:
                continue  # this week is not over yet
            if state == BELOW:
                break
            streak += 1
        row.streak = streak
        out.append(row)
    return out


@dataclass
class Standing:
    """One line of a leaderboard."""

    name: str
    articles: int
    active_weeks: int
    weeks: int
    on_target_share: float | None
    channels_reached: int
    followers_gained: int | None = None
    unit: str = ""
    interactions: int | None = None  # reactions + comments + shares earned by the period's posts
    views: int | None = None
    met_weeks: int | None = None  # units only
    missed_weeks: int | None = None  # units only


@dataclass(frozen=True)
class ChannelCount:
    """What one post of an article earned on one account."""

    platform: str
    label: str
    url: str
    interactions: int | None
    views: int | None


@dataclass(frozen=True)
class TopPost:
    """An article and what its posts earned, summed over its channels."""

    id: str
    title: str
    unit: str
    authors: tuple[str, ...]
    date: dt.datetime
    interactions: int
    views: int | None
    channels: tuple[ChannelCount, ...]


def _earned(ids: set[str], latest: dict | None) -> tuple[int | None, int | None]:
    """(interactions, views) of the latest snapshots of these articles' posts; None: nothing known."""
    if not latest:
        return None, None
    interactions = views = None
    for (article, _channel, _account), snap in latest.items():
        if article not in ids:
            continue
        if snap.interactions is not None:
            interactions = (interactions or 0) + snap.interactions
        if snap.views is not None:
            views = (views or 0) + snap.views
    return interactions, views


def top_posts(
    records: list[Record],
    start: dt.date,
    end: dt.date,
    latest: dict | None,
    post_states: dict | None = None,
    limit: int = 10,
) -> list[TopPost]:
    """The period's articles that earned the most interactions (known counts only), with each post's link."""
    if not latest:
        return []
    by_article: dict[str, list] = defaultdict(list)
    for key, snap in latest.items():
        by_article[key[0]].append(snap)
    out = []
    for record in records:
        if not start <= localize(record.date).date() <= end:
            continue
        snaps = [s for s in by_article.get(record.id, ()) if s.interactions is not None]
        if not snaps:
            continue
        channels = []
        for snap in sorted(snaps, key=lambda s: (platform_order(s.channel), s.account)):
            state = (post_states or {}).get((snap.article, snap.channel, snap.account, "post"))
            url = state.posted.remote_url if state is not None and state.posted else ""
            channels.append(
                ChannelCount(
                    snap.channel,
                    platforms.label(snap.channel),
                    url if url.startswith("https://") else "",
                    snap.interactions,
                    snap.views,
                )
            )
        known_views = [s.views for s in snaps if s.views is not None]
        out.append(
            TopPost(
                record.id,
                record.title,
                record.unit,
                record.authors,
                record.date,
                sum(s.interactions for s in snaps),
                sum(known_views) if known_views else None,
                tuple(channels),
            )
        )
    out.sort(key=lambda p: (-p.interactions, -(p.views or 0), p.id))
    return out[:limit]


def platform_order(name: str) -> int:
    """Platforms in their records' order (an unknown one last)."""
    names = platforms.names()
    return names.index(name) if name in names else len(names)


def _reach(ids: set[str], post_states: dict | None) -> int:
    if not post_states:
        return 0
    return len(
        {
            (k[1], k[2])
            for k, state in post_states.items()
            if k[0] in ids and state.state == "posted"
        }
    )


def author_board(
    records: list[Record],
    start: dt.date,
    end: dt.date,
    post_states: dict | None = None,
    latest: dict | None = None,
    *,
    today: dt.date | None = None,
) -> list[Standing]:
    """Authors ranked by articles, then active weeks; co-authored articles count for each author.

    An author is a name in the front matter of a counted article of the period;
    weeks are the period's weeks (``period_weeks``), as for the units.
    """
    weeks = len(period_weeks(start, end, end if today is None else today))
    mine: dict[str, list[Record]] = defaultdict(list)
    for record in in_period(records, start, end):
        for author in dict.fromkeys(record.authors):
            mine[author].append(record)
    board = [
        Standing(
            name=author,
            articles=len(items),
            active_weeks=len({week_start(r.date) for r in items}),
            weeks=weeks,
            on_target_share=None,
            channels_reached=_reach({r.id for r in items}, post_states),
            unit=Counter(r.unit for r in items).most_common(1)[0][0],
        )
        for author, items in mine.items()
    ]
    for standing in board:
        standing.interactions, standing.views = _earned({r.id for r in mine[standing.name]}, latest)
    return sorted(board, key=lambda s: (-s.articles, -s.active_weeks, -s.channels_reached, s.name))


def unit_board(
    records: list[Record],
    registry: Registry,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    post_states: dict | None = None,
    followers: list | None = None,
    latest: dict | None = None,
) -> list[Standing]:
    """Units ranked by share of the period's weeks that met the target, then articles."""
    chosen = in_period(records, start, end)
    rows = {row.slug: row for row in unit_weeks(chosen, registry, start, end, today)}
    board = []
    for unit in registry.all():
        items = [r for r in chosen if r.unit == unit.slug]
        row = rows[unit.slug]
        interactions, views = _earned({r.id for r in items}, latest)
        board.append(
            Standing(
                name=unit.short_name,
                unit=unit.slug,
                articles=len(items),
                active_weeks=row.active,
                weeks=len(row.weeks),
                on_target_share=row.on_target_share,
                channels_reached=_reach({r.id for r in items}, post_states),
                followers_gained=follower_gain(followers, unit.slug, start, end)
                if followers
                else None,
                interactions=interactions,
                views=views,
                met_weeks=row.met,
                missed_weeks=row.missed,
            )
        )
    return sorted(board, key=lambda s: (-(s.on_target_share or 0), -s.articles, s.name))


def follower_gain(snapshots: list, unit: str, start: dt.date, end: dt.date) -> int | None:
    """Followers gained by a unit's accounts between the first and last snapshot of the period."""
    series: dict[tuple[str, str], list] = defaultdict(list)
    for snap in snapshots:
        day = localize(dt.datetime.fromisoformat(snap.time)).date()
        if snap.unit == unit and start <= day <= end:
            series[(snap.channel, snap.account)].append((snap.time, snap.followers))
    if not series:
        return None
    return sum(sorted(points)[-1][1] - sorted(points)[0][1] for points in series.values())


def follower_series(snapshots: list) -> dict[tuple[str, str, str], list[tuple[dt.date, int]]]:
    """Per (unit, channel, account): one count per day (the day's last snapshot), oldest first."""
    by_day: dict[tuple[str, str, str], dict[dt.date, int]] = defaultdict(dict)
    for snap in sorted(snapshots, key=lambda s: s.time):
        by_day[(snap.unit, snap.channel, snap.account)][
            localize(dt.datetime.fromisoformat(snap.time)).date()
        ] = snap.followers
    return {key: sorted(days.items()) for key, days in by_day.items()}
