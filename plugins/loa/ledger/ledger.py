"""The ledger: what was posted where, and follower counts, on a git branch of the site."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from loa.ledger.entries import Entry, PostState, parse_lines, states
from loa.ledger.git import Author, GitStore, LedgerError

POSTS_FILE = "posts.jsonl"
FOLLOWERS_FILE = "followers.jsonl"
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

    def refresh(self) -> bool:
        """Fetch the branch and read its files; True when the ledger exists."""
        self.exists = self.store.fetch()
        self._posts = parse_lines(self.store.read(POSTS_FILE)) if self.exists else []
        self._followers_text = self.store.read(FOLLOWERS_FILE) if self.exists else ""
        return self.exists

    @property
    def entries(self) -> list[Entry]:
        """Every post entry, oldest first."""
        return list(self._posts)

    def states(self) -> dict[tuple[str, str, str, str], PostState]:
        """The state of each post."""
        return states(self._posts)

    def followers(self) -> list[FollowerSnapshot]:
        """Every follower snapshot, oldest first."""
        out = []
        for line in self._followers_text.splitlines():
            try:
                out.append(FollowerSnapshot(**json.loads(line)))
            except (ValueError, TypeError):
                continue
        return out

    def append(
        self,
        entries: list[Entry] = (),
        message: str = "loa: cập nhật sổ ghi",
        snapshots: list[FollowerSnapshot] = (),
    ) -> None:
        """Commit and push new lines on top of what was read; ``LedgerConflict`` if the branch moved."""
        additions = {}
        if entries:
            additions[POSTS_FILE] = "".join(e.to_json() + "\n" for e in entries)
        if snapshots:
            additions[FOLLOWERS_FILE] = "".join(s.to_json() + "\n" for s in snapshots)
        if not additions:
            return
        self.store.append(additions, message)
        self.exists = True
        self._posts.extend(entries)
        self._followers_text += additions.get(FOLLOWERS_FILE, "")

    def close(self) -> None:
        """Release the scratch repository."""
        self.store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


_build_cache: dict[tuple[str, str], tuple[dict, list[FollowerSnapshot]] | None] = {}


def read_for_build(settings: dict) -> tuple[dict, list[FollowerSnapshot]] | None:
    """Post states and follower snapshots for a build, read once per process.

    Used by the plugins that show the ledger on the site ("also on" links, the
    statistics page). None when the ledger does not exist or cannot be read: a
    build never fails for it.
    """
    key = (*remote_from_env(), id(settings))  # once per build, not once per process
    if key not in _build_cache:
        author = (settings.get("LOA_SYNDICATION") or {}).get("ledger_author")
        try:
            with Ledger(author=author) as ledger:
                _build_cache[key] = (
                    (ledger.states(), ledger.followers()) if ledger.refresh() else None
                )
        except (LedgerError, OSError) as exc:
            logging.getLogger(__name__).warning(
                "Không đọc được sổ ghi (%s): trang được dựng không có liên kết “Cũng có trên”.", exc
            )
            _build_cache[key] = None
    return _build_cache[key]
