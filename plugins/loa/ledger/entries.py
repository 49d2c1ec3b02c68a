"""Ledger entries: one JSON line per state change of one post, and the state they add up to."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

from loa import clock

# States of a post, in the order they usually happen.
CLAIMED = "claimed"  # about to call the platform; pushed before the call
POSTED = "posted"  # the platform answered with the post's id
FAILED = "failed"  # the platform answered with an error (a later run may retry)
DUPLICATE = "duplicate"  # the platform says it already has this post: never retried
BOOTSTRAPPED = "bootstrapped"  # live before Loa posted anything: never posted
UNKNOWN = "unknown"  # derived: a claim with no result (a crash or a timeout)

DONE = frozenset({POSTED, DUPLICATE, BOOTSTRAPPED})


def now_iso() -> str:
    """The current UTC time (the one clock: ``LOA_NOW`` sets it), ISO 8601, to the second."""
    return clock.utc_iso()


@dataclass(frozen=True)
class Entry:
    """One state change of one post: which article, where, what happened, when."""

    article: str
    channel: str
    account: str
    state: str
    time: str = field(default_factory=now_iso)
    attempt: int = 1
    remote_id: str = ""
    remote_url: str = ""
    kind: str = "post"  # "post", or "reminder" for an event's reminder
    run: str = ""
    error: str = ""
    error_class: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies one post: article, channel, account and kind."""
        return (self.article, self.channel, self.account, self.kind)

    def to_json(self) -> str:
        """One JSON line, no spaces, stable key order."""
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str) -> Entry:
        """Parse a line; unknown keys are ignored (newer writers may add some)."""
        data = json.loads(line)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def parse_lines(text: str) -> list[Entry]:
    """Entries of a JSON Lines text; blank and broken lines are skipped, never fatal."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        try:
            out.append(Entry.from_json(line))
        except (ValueError, TypeError):
            continue
    return out


@dataclass(frozen=True)
class PostState:
    """Where one post stands, from all its entries."""

    key: tuple[str, str, str, str]
    state: str
    attempts: int
    last: Entry
    posted: Entry | None = None

    @property
    def done(self) -> bool:
        """Posted, duplicate or bootstrapped: never to be posted again."""
        return self.state in DONE


def states(entries: list[Entry]) -> dict[tuple[str, str, str, str], PostState]:
    """The state of every post: the latest entry wins; a claim without a result is unknown.

    A post that was ever posted stays posted whatever follows, so no sequence of
    entries can make Loa post it again.
    """
    out: dict[tuple[str, str, str, str], PostState] = {}
    for entry in entries:
        previous = out.get(entry.key)
        attempts = max(entry.attempt, previous.attempts if previous else 0)
        if previous is not None and previous.done:
            continue
        state = UNKNOWN if entry.state == CLAIMED else entry.state
        posted = entry if entry.state == POSTED else None
        out[entry.key] = PostState(entry.key, state, attempts, entry, posted)
    return out
