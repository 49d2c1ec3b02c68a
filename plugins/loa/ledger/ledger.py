"""The ledger: what was posted where, and follower counts, on a git branch of the site."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from loa import clock
from loa.ledger.counted import counted_followers, counted_interactions, registry_accounts
from loa.ledger.entries import ANSWER_FIELDS, Entry, LedgerProblem, PostState, read_lines, states
from loa.ledger.git import LISTENING_FILE, Author, GitStore, LedgerError
from loa.ledger.interactions import InteractionSnapshot, parse_interactions
from loa.ledger.shapes import dumps, lines, post_url
from loa.ledger.trust import (
    LedgerRefused,
    Memory,
    Trust,
    signing_key_file,
    ssh_transport,
    trust_for_site,
    verify,
)
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
        return dumps(self.__dict__)

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
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count < 10**12:
            raise ValueError("trường “followers” sai")
        try:
            dt.datetime.fromisoformat(values["time"])
        except ValueError:
            raise ValueError("trường “time” không phải thời điểm") from None
        return cls(values["channel"], values["account"], values["unit"], count, values["time"])


def parse_followers(text: str) -> list[FollowerSnapshot]:
    """The snapshots of ``followers.jsonl``; a broken line is left out (a count is never worth stopping for)."""
    out = []
    for line in lines(text):
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
        trust: Trust | None = None,
    ):
        """Point at the ledger branch (``LOA_LEDGER_REMOTE``/``LOA_LEDGER_BRANCH`` by default).

        ``trust``: the signers file and the remembered tip (``trust_for_site``);
        by default those of the site in the current folder.
        """
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
        self.listening: dict[str, str] = {}  # listening-YYYY-MM.jsonl → text (loa.listening)
        self.problems: list[LedgerProblem] = []
        self.trust = trust or trust_for_site(Path.cwd())
        self.memory = Memory(self.trust.state)
        self.verified: str | None = None  # the tip this process verified last
        # (platform, account) → unit of the registry's accounts: their follower counts count.
        self.accounts: dict[tuple[str, str], str] = {}

    def refresh(self) -> bool:
        """Fetch the branch, verify its history (``loa.ledger.trust``), read its files.

        True when the ledger exists. ``LedgerRefused`` when the history is not
        the deploy's signed, only-growing one: nothing of it is read.
        """
        with ssh_transport(self.store, self.trust.signers.with_name("known_hosts")):
            exists = self.store.fetch()
        known = self.verified or self.memory.tip()
        if not exists:
            if known:
                raise LedgerRefused(
                    f"Sổ ghi bị từ chối: nhánh “{self.branch}” không còn (đã bị xoá) dù commit "
                    f"{known[:12]} đã được kiểm chứng — không đăng gì; người quản trị hãy đẩy lại commit đó "
                    f"(git push origin {known}:refs/heads/{self.branch}), xem README, mục “Sổ ghi là bằng chứng”."
                )
            self.exists = False
            self.read_texts("", "", "")
            return False
        known_root = self.trust.trusted_root if self.verified else self.memory.root()
        verify(self.store, self.store.head, self.trust, known, known_root)
        texts = {
            name: self.store.read(name) for name in (POSTS_FILE, FOLLOWERS_FILE, INTERACTIONS_FILE)
        }
        self.exists = True
        self.read_texts(texts[POSTS_FILE], texts[FOLLOWERS_FILE], texts[INTERACTIONS_FILE])
        self.listening = {
            name: self.store.read(name)
            for name in self.store.names()
            if LISTENING_FILE.fullmatch(name)
        }
        self._remember(self.store.head, {**texts, **self.listening})
        return True

    def _remember(self, tip: str, texts: dict[str, str]) -> None:
        self.verified = tip
        self.memory.keep(tip, texts, self.trust.trusted_root)

    def last_verified(self) -> dict[str, str]:
        """The files at the last verified tip (what a build shows when the branch is refused)."""
        return self.memory.texts()

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
        """Every follower snapshot worth counting (``loa.ledger.shapes``), oldest first."""
        return counted_followers(parse_followers(self._followers_text), self._posts, self.accounts)

    def interactions(self) -> list[InteractionSnapshot]:
        """Every interaction snapshot of a post the ledger recorded, oldest first."""
        return counted_interactions(parse_interactions(self._interactions_text), self.states())

    def append(
        self,
        entries: list[Entry] = (),
        message: str = "loa: cập nhật sổ ghi",
        snapshots: list[FollowerSnapshot] = (),
        interactions: list[InteractionSnapshot] = (),
        listening: dict[str, str] | None = None,
        drop: tuple = (),
    ) -> None:
        """Commit and push new lines on top of what was read; ``LedgerConflict`` if the branch moved.

        ``listening`` appends lines to listening files; ``drop`` removes whole
        listening files (retention) — nothing else is ever removed.
        """
        # No secret reaches the branch, whatever a platform answered; a post's
        # address is kept only when it is https on the platform's own hosts.
        entries = [
            replace(mask_fields(e, ANSWER_FIELDS), remote_url=post_url(e.channel, e.remote_url))
            for e in entries
        ]
        message = mask(message)
        additions = {}
        if entries:
            additions[POSTS_FILE] = "".join(e.to_json() + "\n" for e in entries)
        if snapshots:
            additions[FOLLOWERS_FILE] = "".join(s.to_json() + "\n" for s in snapshots)
        if interactions:
            additions[INTERACTIONS_FILE] = mask("".join(s.to_json() + "\n" for s in interactions))
        listening = {n: t for n, t in (listening or {}).items() if LISTENING_FILE.fullmatch(n) and t}
        additions.update(listening)
        drop = tuple(n for n in drop if LISTENING_FILE.fullmatch(n))
        if not additions and not drop:
            return
        with (
            ssh_transport(self.store, self.trust.signers.with_name("known_hosts")),
            signing_key_file() as key,
        ):
            commit = self.store.append(
                additions, message, key=key, when=clock.now().isoformat(), remove=drop
            )
        self.exists = True
        self._posts.extend(entries)
        self._followers_text += additions.get(FOLLOWERS_FILE, "")
        self._interactions_text += additions.get(INTERACTIONS_FILE, "")
        for name in drop:
            self.listening.pop(name, None)
        for name, text in listening.items():
            self.listening[name] = self.listening.get(name, "") + text
        self._remember(
            commit,
            {
                **{
                    name: self.store.read(name)
                    for name in (POSTS_FILE, FOLLOWERS_FILE, INTERACTIONS_FILE)
                },
                **self.listening,
            },
        )

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
    listening: dict[str, str] = field(default_factory=dict)  # listening-YYYY-MM.jsonl → text


def export(ledger: Ledger, folder: Path) -> int:
    """Write the ledger's files into ``folder`` for a build (``loa ledger export``); lines written."""
    return write_copy(
        folder,
        {
            POSTS_FILE: "".join(e.to_json() + "\n" for e in ledger.entries),
            FOLLOWERS_FILE: ledger._followers_text,
            INTERACTIONS_FILE: ledger._interactions_text,
            **ledger.listening,
        },
    )


def write_copy(folder: Path, texts: dict[str, str]) -> int:
    """Write the three files (missing ones empty) into ``folder``; the number of post lines."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in (POSTS_FILE, FOLLOWERS_FILE, INTERACTIONS_FILE):
        (folder / name).write_text(texts.get(name, ""), encoding="utf-8")
    for name, text in texts.items():
        if LISTENING_FILE.fullmatch(name):
            (folder / name).write_text(text, encoding="utf-8")
    return sum(1 for line in texts.get(POSTS_FILE, "").splitlines() if line.strip())


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
                post_states = states(entries)
                followers = counted_followers(
                    parse_followers(_read_copy(folder / FOLLOWERS_FILE)),
                    entries,
                    registry_accounts(settings.get("LOA_UNITS")),
                )
                interactions = counted_interactions(
                    parse_interactions(_read_copy(folder / INTERACTIONS_FILE)), post_states
                )
                view = LedgerView(post_states, followers, entries, problems, interactions)
                view.listening = {
                    path.name: _read_copy(path)
                    for path in sorted(folder.glob("listening-*.jsonl"))
                    if LISTENING_FILE.fullmatch(path.name) and not path.is_symlink()
                }
        else:
            view = _read_branch(settings, log)
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


def _read_branch(settings: dict, log: logging.Logger) -> LedgerView | None:
    """The branch, verified; when it is refused, the last verified copy with the sentence why."""
    syndication = settings.get("LOA_SYNDICATION") or {}
    root = Path(settings.get("PATH") or "content").resolve().parent
    with Ledger(
        author=syndication.get("ledger_author"), trust=trust_for_site(root, syndication)
    ) as ledger:
        try:
            if not ledger.refresh():
                return None
        except LedgerRefused as exc:
            log.warning("%s", exc)
            texts = ledger.last_verified()
            ledger.read_texts(
                texts.get(POSTS_FILE, ""),
                texts.get(FOLLOWERS_FILE, ""),
                texts.get(INTERACTIONS_FILE, ""),
            )
            ledger.listening = {n: t for n, t in texts.items() if LISTENING_FILE.fullmatch(n)}
        return LedgerView(
            ledger.states(),
            ledger.followers(),
            ledger.entries,
            ledger.problems,
            ledger.interactions(),
            dict(ledger.listening),
        )


def _read_copy(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""
