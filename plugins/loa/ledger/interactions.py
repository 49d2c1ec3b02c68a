"""Interactions: what each post earned, one dated snapshot per post per reading (``interactions.jsonl``).

A snapshot holds the counts the platform gave (``reactions``, ``comments``,
``shares``, ``views`` — any of them may be missing: unknown, never zero), or
``available: false`` when the platform offers no counts at all (Telegram's Bot
API, Zalo's article API). Readers take the latest snapshot of each post; a
failed reading appends nothing, so the last one stands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from loa.ledger.shapes import dumps, json_object, lines

METRIC_NAMES = ("reactions", "comments", "shares", "views")
INTERACTION_NAMES = ("reactions", "comments", "shares")  # what "interactions" adds up
MAX_LINE = 65_536
MAX_COUNT = 10**12


@dataclass(frozen=True)
class InteractionSnapshot:
    """The counts of one post (article, channel, account) at one time."""

    article: str
    channel: str
    account: str
    unit: str
    remote_id: str
    time: str
    metrics: dict = field(default_factory=dict, hash=False)
    available: bool = True

    @property
    def key(self) -> tuple[str, str, str]:
        """The post: article, channel, account."""
        return (self.article, self.channel, self.account)

    @property
    def interactions(self) -> int | None:
        """Reactions + comments + shares (those known); None when nothing is known."""
        known = [self.metrics[k] for k in INTERACTION_NAMES if k in self.metrics]
        return sum(known) if (self.available and known) else None

    @property
    def views(self) -> int | None:
        """Views, when the platform gave them."""
        return self.metrics.get("views") if self.available else None

    def to_json(self) -> str:
        """One JSON line."""
        data = {
            "article": self.article,
            "channel": self.channel,
            "account": self.account,
            "unit": self.unit,
            "remote_id": self.remote_id,
            "time": self.time,
            "available": self.available,
            "metrics": {k: self.metrics[k] for k in METRIC_NAMES if k in self.metrics},
        }
        return dumps(data)

    @classmethod
    def from_json(cls, line: str) -> InteractionSnapshot:
        """Parse and check one line; ``ValueError`` when it is not a snapshot."""
        data = json_object(line, MAX_LINE)
        values = {}
        for name in ("article", "channel", "account", "time"):
            if not isinstance(data.get(name), str) or not data[name]:
                raise ValueError(f"trường “{name}” sai")
            values[name] = data[name]
        for name in ("unit", "remote_id"):
            value = data.get(name, "")
            if not isinstance(value, str):
                raise ValueError(f"trường “{name}” sai")
            values[name] = value
        available = data.get("available", True)
        if not isinstance(available, bool):
            raise ValueError("trường “available” sai")
        raw = data.get("metrics") or {}
        if not isinstance(raw, dict):
            raise ValueError("trường “metrics” sai")
        metrics = {}
        for name in METRIC_NAMES:
            if name in raw:
                value = raw[name]
                if (
                    not isinstance(value, int)
                    or isinstance(value, bool)
                    or not 0 <= value < MAX_COUNT
                ):
                    raise ValueError(f"số “{name}” sai")
                metrics[name] = value
        dt.datetime.fromisoformat(values["time"])
        return cls(**values, metrics=metrics, available=available)


def parse_interactions(text: str) -> list[InteractionSnapshot]:
    """The snapshots of ``interactions.jsonl``; a broken line is left out (a count never stops a run)."""
    out = []
    for line in lines(text):
        if not line.strip():
            continue
        try:
            out.append(InteractionSnapshot.from_json(line))
        except (ValueError, TypeError, RecursionError):
            continue
    return out


def latest(snapshots: list[InteractionSnapshot]) -> dict[tuple[str, str, str], InteractionSnapshot]:
    """The newest snapshot of each post (by time; the later line wins a tie)."""
    out: dict[tuple[str, str, str], InteractionSnapshot] = {}
    for snapshot in snapshots:
        known = out.get(snapshot.key)
        if known is None or _instant(snapshot.time) >= _instant(known.time):
            out[snapshot.key] = snapshot
    return out


def _instant(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
