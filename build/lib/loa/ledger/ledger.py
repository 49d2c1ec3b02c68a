"""The ledger: what was posted where, and follower counts, on a git branch of the site."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from loa.ledger.entries import ANSWER_FIELDS, Entry, LedgerProblem, PostState, read_lines, states
from loa.ledger.git import Author, GitStore, LedgerError
from loa.ledger.interactions import InteractionSnapshot, parse_interactions
from loa.masking import mask, mask_fields

POSTS_FILE = "posts.jsonl"
FOLLOWERS_FILE = "followers.jsonl"
INTERACTIONS_FILE = "interactions.jsonl"
DEFAULT_BRANCH = "loa-ledger"
DEFAULT_REMOTE = "origin"


@dataclass(frozen=True)
class FollowerSnapshot:
    """One follower count of one account at one time."""

    channel: str
    account: str
    unit: str
    followers: int
    time: str

    def to_json(self) -> str:
        """One JSON line."""
        return json.dumps(self.__dict__, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str) -> FollowerSnapshot:
        """Parse and check one line; ``ValueError`` when it is not a snapshot."""
        data = json.loads(line)
        if not isinstance(data, dict):
            raise ValueError("không phải đối tượng JSON")
        values = {}
        for name in ("channel", "account", "unit", "time"):
            if not isinstance(data.get(name), str) or not data[name]:
                raise ValueError(f"trường “{name}” sai")
            values[name] = data[name]
        count = data.get("followers")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError("trường “followers” sai")
        try:
            dt.datetime.fromisoformat(values["time"])
        except ValueError:
            raise ValueError("trường “time” không phải thời điểm") from None
        return cls(values["channel"], values["account"], values["unit"], count, values["time"])


def parse_followers(text: str) -> list[FollowerSnapshot]:
    """The snapshots of ``followers.jsonl``; a broken line is left out (a count is never worth stopping for)."""
    out = []
    for line in text.splitlines():
        if not line.strip() or len(line) > 65_536:
            continue
        try:
            out.append(FollowerSnapshot.from_json(line))
        except (ValueError, RecursionError):
            continue
    return out


def remote_from_env() -> tuple[str, str]:
    """``LOA_LEDGER_REMOTE`` and ``LOA_LEDGER_BRANCH``, with their defaults."""
    return os.environ.get("LOA_LEDGER_REMOTE") or DEFAULT_REMOTE, os.environ.get(
        "LOA_LEDGER_BRANCH"
    ) or DEFAULT_BRANCH


class Ledger:
    """Read the ledger branch, append entries to it; one instance per run."""

    def __init__(
        self,
        remote: str | None = None,
        branch: str | None = None,
        author: str | Author | None = None,
        repo: Path | None = None,
    ):
        """Point at the ledger branch (``LOA_LEDGER_REMOTE``/``LOA_LEDGER_BRANCH`` by default)."""
        env_remote, env_branch = remote_from_env()
        self.remote = remote or env_remote
        self.branch = branch or env_branch
        if not isinstance(author, Author):
            author = Author.parse(author or os.environ.get("LOA_LEDGER_AUTHOR", ""))
        # A remote *name* (origin) lives in the site repository, with its
        # credentials; a URL or a path can be used from a scratch repository.
        is_name = "/" not in self.remote and ":" not in self.remote
        if repo is None and is_name:
            repo = Path.cwd()
        self.store = GitStore(self.remote, self.branch, author, repo)
        self.exists = False
        self._posts: list[Entry] = []
        self._followers_text = ""
        self._interactions_text = ""
        self.problems: list[LedgerProblem] = []

    def refresh(self) -> bool:
        """Fetch the branch and read its files; True when the ledger exists."""
        self.exists = self.store.fetch()
        self.read_texts(
            self.store.read(POSTS_FILE) if self.exists else "",
            self.store.read(FOLLOWERS_FILE) if self.exists else "",
            self.store.read(INTERACTIONS_FILE) if self.exists else "",
        )
        return self.exists

    def read_texts(self, posts: str, followers: str, interactions: str = "") -> None:
        """Take the ledger's files' texts (from the branch, or from an exported copy)."""
        self._posts, self.problems = read_lines(posts, POSTS_FILE)
        self._followers_text = followers
        self._interactions_text = interactions

    def blocked(self) -> tuple[set[str], list[LedgerProblem]]:
        """(articles a broken line names, broken lines that name no article).

        Neither may be posted on the ledger's word: a broken line may be the
        record of a post. A line that names no article stops every post.
        """
        named = {p.article for p in self.problems if p.article}
        return named, [p for p in self.problems if not p.article]

    @property
    def entries(self) -> list[Entry]:
        """Every post entry, oldest first."""
        return list(self._posts)

    def states(self) -> dict[tuple[str, str, str, str], PostState]:
        """The state of each post."""
        return states(self._posts)

    def followers(self) -> list[FollowerSnapshot]:
        """Every follower snapshot, oldest first."""
        return parse_followers(self._followers_text)

    def interactions(self) -> list[InteractionSnapshot]:
        """Every interaction snapshot, oldest first."""
        return parse_interactions(self._interactions_text)

    def append(
        self,
        entries: list[Entry] = (),
        message: str = "loa: cập nhật sổ ghi",
        snapshots: list[FollowerSnapshot] = (),
        interactions: list[InteractionSnapshot] = (),
    ) -> None:
        """Commit and push new lines on top of what was read; ``LedgerConflict`` if the branch moved."""
        # No secret reaches the branch, whatever a platform answered.
        entries = [mask_fields(e, ANSWER_FIELDS) for e in entries]
        message = mask(message)
        additions = {}
        if entries:
            additions[POSTS_FILE] = "".join(e.to_json() + "\n" for e in entries)
        if snapshots:
            additions[FOLLOWERS_FILE] = "".join(s.to_json() + "\n" for s in snapshots)
        if interactions:
            additions[INTERACTIONS_FILE] = mask("".join(s.to_json() + "\n" for s in interactions))
        if not additions:
            return
        self.store.append(additions, message)
        self.exists = True
        self._posts.extend(entries)
        self._followers_text += additions.get(FOLLOWERS_FILE, "")
        self._interactions_text += additions.get(INTERACTIONS_FILE, "")

    def close(self) -> None:
        """Release the scratch repository."""
        self.store.close()

    def __enter__(self) -> Ledger:
        """Use as a context manager: ``close`` at the end."""
        return self

    def __exit__(self, *_exc) -> None:
        """Release the scratch repository."""
        self.close()


COPY_ENV = "LOA_LEDGER_COPY"


@dataclass
class LedgerView:
    """What a build shows of the ledger: post states, follower and interaction snapshots, the raw entries."""

    states: dict
    followers: list[FollowerSnapshot]
    entries: list[Entry]
    problems: list[LedgerProblem]
    interactions: list[InteractionSnapshot] = field(default_factory=list)


def export(ledger: Ledger, folder: Path) -> int:
    """Write the ledger's files into ``folder`` for a build (``loa ledger export``); lines written."""
    folder.mkdir(parents=True, exist_ok=True)
    posts = "".join(e.to_json() + "\n" for e in ledger.entries)
    (folder / POSTS_FILE).write_text(posts, encoding="utf-8")
    (folder / FOLLOWERS_FILE).write_text(ledger._followers_text, encoding="utf-8")
    (folder / INTERACTIONS_FILE).write_text(ledger._interactions_text, encoding="utf-8")
    return len(ledger.entries)


_build_cache: dict[tuple, LedgerView | None] = {}


def read_for_build(settings: dict) -> LedgerView | None:
    """The ledger as a build shows it ("also on" links, the statistics page), read once per build.

    From the folder ``LOA_LEDGER_COPY`` names when it is set — what the deploy
    workflow does, so that the process that reads the content holds no token —
    else from the branch. None when there is no ledger or it cannot be read:
    a build never fails for it. Broken lines are named in one warning.
    """
    copy = os.environ.get(COPY_ENV, "").strip()
    key = (copy, *remote_from_env(), id(settings))  # once per build, not once per process
    if key in _build_cache:
        return _build_cache[key]
    log = logging.getLogger(__name__)
    view = None
    try:
        if copy:
            folder = Path(copy)
            if (folder / POSTS_FILE).exists():
                entries, problems = read_lines(_read_copy(folder / POSTS_FILE), POSTS_FILE)
                followers = parse_followers(_read_copy(folder / FOLLOWERS_FILE))
                interactions = parse_interactions(_read_copy(folder / INTERACTIONS_FILE))
                view = LedgerView(states(entries), followers, entries, problems, interactions)
        else:
            author = (settings.get("LOA_SYNDICATION") or {}).get("ledger_author")
            with Ledger(author=author) as ledger:
                if ledger.refresh():
                    view = LedgerView(
                        ledger.states(),
                        ledger.followers(),
                        ledger.entries,
                        ledger.problems,
                        ledger.interactions(),
                    )
    except (LedgerError, OSError) as exc:
        log.warning(
            "Không đọc được sổ ghi (%s): trang được dựng không có liên kết “Cũng có trên”.", exc
        )
    if view is not None and view.problems:
        log.warning(
            "Sổ ghi có %d dòng hỏng, bỏ qua khi dựng trang (%s) — “loa syndicate status” chỉ rõ từng dòng.",
            len(view.problems),
            "; ".join(str(p) for p in view.problems[:3]),
        )
    _build_cache[key] = view
    return view


def _read_copy(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except FileNotFoundError:
        return ""
