"""Ledger entries: one JSON line per state change of one post, and the state they add up to."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields

from loa import clock
from loa.ledger.shapes import channel_problem, dumps, lines, post_url, time_problem

# States of a post, in the order they usually happen.
CLAIMED = "claimed"  # about to call the platform; pushed before the call
POSTED = "posted"  # the platform answered with the post's id
FAILED = "failed"  # the platform answered with an error (a later run may retry)
DUPLICATE = "duplicate"  # the platform says it already has this post: never retried
BOOTSTRAPPED = "bootstrapped"  # live before Loa posted anything: never posted
UNKNOWN = "unknown"  # derived: a claim with no result (a crash or a timeout)
# A video the platform took and is still processing: remote_id is the platform's
# handle; a later run checks it (never a sleep of minutes inside one run) and,
# once ready, claims the publishing step like a new post.
PROCESSING = "processing"

DONE = frozenset({POSTED, DUPLICATE, BOOTSTRAPPED})
STATES = frozenset({CLAIMED, POSTED, FAILED, DUPLICATE, BOOTSTRAPPED, UNKNOWN, PROCESSING})
KINDS = frozenset({"post", "reminder"})
# What a platform answered, kept as text: masked for secrets before it is written.
ANSWER_FIELDS = ("remote_id", "remote_url", "error", "error_class")
MAX_LINE = 65_536  # characters; an entry is a few hundred


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
    # The article as it was when claimed: its Markdown file, date and title.
    # A later build that gives it another address (a new slug, a renamed file)
    # finds its posts by these, so it is never posted again (``renamed``).
    file: str = ""
    published: str = ""
    title: str = ""
    uid: str = ""  # the front matter's ``id``: matched first, whatever else changed

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies one post: article, channel, account and kind."""
        return (self.article, self.channel, self.account, self.kind)

    def to_json(self) -> str:
        """One JSON line, no spaces, stable key order."""
        return dumps(asdict(self))

    @classmethod
    def from_json(cls, line: str) -> Entry:
        """Parse and check a line; ``ValueError`` (a Vietnamese reason) when it is not an entry.

        Unknown keys are ignored (a newer writer may add some); every known key
        must have its type, the state and kind must be known ones.
        """
        if len(line) > MAX_LINE:
            raise ValueError(f"dòng dài {len(line)} ký tự, quá {MAX_LINE}")
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            raise ValueError("không phải JSON hợp lệ") from None
        if not isinstance(data, dict):
            raise ValueError("không phải một đối tượng JSON {…}")
        values = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            wanted = int if f.name == "attempt" else str
            if not isinstance(value, wanted) or isinstance(value, bool):
                raise ValueError(f"trường “{f.name}” sai kiểu")
            values[f.name] = value
        for name in ("article", "channel", "account", "state"):
            if not values.get(name):
                raise ValueError(f"thiếu trường “{name}”")
        if values["state"] not in STATES:
            raise ValueError(f"trạng thái “{values['state'][:40]}” không có")
        if values.get("kind", "post") not in KINDS:
            raise ValueError(f"loại “{values['kind'][:40]}” không có")
        if values.get("attempt", 1) < 1:
            raise ValueError("số lần thử phải từ 1")
        problem = channel_problem(values["channel"]) or (
            time_problem(values["time"]) if "time" in values else None
        )
        if problem:
            raise ValueError(problem)
        # A post's address becomes a link on the site: only https on the platform's own hosts.
        values["remote_url"] = post_url(values["channel"], values.get("remote_url", ""))
        return cls(**values)


@dataclass(frozen=True)
class LedgerProblem:
    """A line of the ledger that is not an entry: where it is, which article it seems to be about."""

    file: str
    line: int
    reason: str
    article: str | None  # None when the line does not say

    def __str__(self) -> str:
        """The problem as people read it: file, line and what is wrong."""
        about = f" (bài {self.article})" if self.article else " (không rõ của bài nào)"
        return f"sổ ghi {self.file}, dòng {self.line}{about}: {self.reason}"


_ARTICLE = re.compile(r'"article"\s*:\s*"((?:[^"\\]|\\.){1,500})"')


def read_lines(text: str, file: str = "posts.jsonl") -> tuple[list[Entry], list[LedgerProblem]]:
    """Entries of a JSON Lines text, and every line that is not one (never skipped in silence).

    A broken line may have been the record of a post: the article it names
    (read from the raw text when the JSON does not parse) must not be posted
    again on the belief that nothing was posted.
    """
    entries, problems = [], []
    for number, raw in enumerate(lines(text), 1):
        line = raw.strip()
        if not line:
            continue
        try:
            entries.append(Entry.from_json(line))
        except ValueError as exc:
            found = _ARTICLE.search(line[:MAX_LINE])
            article = None
            if found:
                try:
                    article = json.loads(f'"{found.group(1)}"')
                except ValueError:
                    article = None
            problems.append(LedgerProblem(file, number, str(exc), article))
    return entries, problems


def parse_lines(text: str) -> list[Entry]:
    """The entries of a JSON Lines text (see ``read_lines`` for the lines that are not)."""
    return read_lines(text)[0]


def renamed(articles, entries: list[Entry]) -> dict[str, str]:
    """{current id: id it was posted under} for articles whose address changed since.

    ``articles`` are (id, file, published, title[, front-matter id]) of
    today's articles. One with no entry under its own id is the same article
    as an id of the ledger with the same front-matter ``id`` (renamed *and*
    retitled), else the same Markdown file, else the same date and title —
    unless that id is itself one of today's articles.
    """
    current = {a[0] for a in articles}
    recorded = {e.article for e in entries}
    by_uid: dict[str, str] = {}
    by_file: dict[str, str] = {}
    by_identity: dict[tuple[str, str], str] = {}
    for entry in entries:
        if entry.article in current:
            continue
        if entry.uid:
            by_uid.setdefault(entry.uid, entry.article)
        if entry.file:
            by_file.setdefault(entry.file, entry.article)
        if entry.published and entry.title:
            by_identity.setdefault((entry.published, entry.title), entry.article)
    out = {}
    for article_id, file, published, title, *more in articles:
        if article_id in recorded:
            continue
        uid = more[0] if more else ""
        old = by_uid.get(uid) if uid else None
        old = old or (by_file.get(file) if file else None)
        old = old or by_identity.get((published, title))
        if old:
            out[article_id] = old
    return out


def with_renames(post_states: dict, renames: dict[str, str]) -> dict:
    """``post_states`` with each renamed article's old posts also under its new id."""
    if not renames:
        return post_states
    old_to_new: dict[str, list[str]] = {}
    for new, old in renames.items():
        old_to_new.setdefault(old, []).append(new)
    out = dict(post_states)
    for key, state in post_states.items():
        for new in old_to_new.get(key[0], ()):
            out.setdefault((new, *key[1:]), state)
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
