"""Only the deploy writes the ledger: signed commits, a branch that only grows, a remembered tip.

The trust model (README, "Sổ ghi là bằng chứng"; the internals in docs/ledger.md):

- **Who may write.** Every ledger commit is signed with the deploy's SSH key
  (git's ``gpg.format=ssh``). Its private half lives only in the ``syndication``
  environment (``LOA_LEDGER_SIGNING_KEY``); its public half is in the repository
  (``.github/ledger-signers``, git's allowed-signers format), so changing it is a
  reviewed pull request like any code.
- **Only growing.** Each commit has one parent, and each file's old bytes are a
  prefix of its new bytes: lines are appended, never edited, removed or reordered.
- **No rollback.** A history made only of the deploy's own signed commits could
  still be *rolled back* (the branch force-pushed to an older tip, which forgets
  posts). So the last verified tip is remembered outside the branch: in a folder
  (``LOA_LEDGER_STATE``; the deploy keeps it in the Actions cache of ``main``,
  which other branches cannot write) with a copy of the files it verified. The
  next read must contain that tip. When the folder is lost the whole chain is
  verified from its first commit (or from ``ledger_trusted_root``, a commit named
  in pelicanconf.py, for a ledger that predates signing or was repaired by hand).

Anything else is refused with one sentence naming the commit and what to do.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from loa import clock
from loa.ledger.git import GitStore, LedgerError
from loa.masking import remember

SIGNING_KEY_ENV = "LOA_LEDGER_SIGNING_KEY"
STATE_ENV = "LOA_LEDGER_STATE"
DEFAULT_SIGNERS = ".github/ledger-signers"
DEFAULT_STATE = ".loa/ledger-verified"
# A runner's clock may be a little ahead of the one that signed.
CLOCK_SKEW_SECONDS = 300
README_PART = "README, mục “Sổ ghi là bằng chứng”"
KEY_TYPES = re.compile(r"^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-\S+|sk-\S+)$")


class LedgerRefused(LedgerError):
    """The ledger's history is not the deploy's, or it did not only grow: nothing is trusted from it."""


@dataclass(frozen=True)
class Signers:
    """The allowed-signers file: which public keys may sign ledger commits."""

    path: Path
    fingerprints: frozenset[str]

    @classmethod
    def load(cls, path: Path) -> Signers:
        """Read ``path`` (git's allowed-signers format); ``LedgerRefused`` when it holds no key."""
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        found = set()
        for line in text.splitlines():
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            for index, word in enumerate(words[:-1]):
                if KEY_TYPES.match(word):
                    try:
                        blob = base64.b64decode(words[index + 1], validate=True)
                    except ValueError:
                        break
                    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
                    found.add(f"SHA256:{digest}")
                    break
        if not found:
            raise LedgerRefused(
                f"Chưa có khoá ký sổ ghi: {path.name} ({path}) không có khoá công khai nào — "
                f"tạo khoá ký cho lần triển khai và ghi nửa công khai vào tệp này theo {README_PART}; "
                "tới lúc đó không đăng gì."
            )
        return cls(path, frozenset(found))


@dataclass(frozen=True)
class Trust:
    """How one site trusts its ledger: the signers file, the remembered tip, an optional trusted root."""

    signers: Path
    state: Path | None = None
    trusted_root: str = ""


def trust_for_site(root: Path, syndication: dict | None = None) -> Trust:
    """The site's trust settings: ``ledger_signers`` and ``ledger_trusted_root`` of ``LOA_SYNDICATION``."""
    settings = syndication or {}
    signers = root / str(settings.get("ledger_signers") or DEFAULT_SIGNERS)
    state = os.environ.get(STATE_ENV, "").strip()
    return Trust(
        signers,
        Path(state) if state else root / DEFAULT_STATE,
        str(settings.get("ledger_trusted_root") or "").strip(),
    )


# -- signing ----------------------------------------------------------------------------


@contextmanager
def signing_key_file():
    """The deploy's private key (``LOA_LEDGER_SIGNING_KEY``) in a 0600 file, removed afterwards.

    Raises ``LedgerError`` when the variable is empty: Loa never writes an
    unsigned ledger commit, which every later read would refuse.
    """
    value = os.environ.get(SIGNING_KEY_ENV, "")
    if not value.strip():
        raise LedgerError(
            f"Thiếu khoá ký sổ ghi ({SIGNING_KEY_ENV}) — chỉ lần triển khai (môi trường “syndication”) "
            f"được ghi sổ; xem {README_PART}."
        )
    remember(value.strip())
    folder = tempfile.mkdtemp(prefix="loa-sign-")
    path = Path(folder) / "key"
    try:
        # Created 0600 from the start: never readable by another user, not even briefly.
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(value.strip().replace("\r\n", "\n") + "\n")
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def ssh_transport(store: GitStore, known_hosts: Path):
    """Reach an SSH remote with the deploy key (a GitHub deploy key: the identity the ruleset lets write).

    GitHub Actions' own token cannot be a ruleset's bypass actor; a deploy key
    can (``actor_type: DeployKey``, GitHub's REST API description). The same
    key signs the commits. The host is checked against ``known_hosts`` (in the
    repository), never trusted on first use. Without an SSH remote or a key,
    nothing changes.
    """
    if not store.over_ssh or not os.environ.get(SIGNING_KEY_ENV, "").strip():
        yield
        return
    with signing_key_file() as key:
        store.ssh_command = (
            f"ssh -i '{key}' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes "
            f"-o UserKnownHostsFile='{known_hosts.resolve()}'"
        )
        try:
            yield
        finally:
            store.ssh_command = ""


# -- the remembered tip -------------------------------------------------------------------


class Memory:
    """The last verified tip and the files it held, in a folder outside the branch."""

    def __init__(self, folder: Path | None):
        """``folder`` None: remember nothing beyond this process."""
        self.folder = folder

    def tip(self) -> str | None:
        """The remembered tip, or None."""
        if self.folder is None:
            return None
        try:
            text = (self.folder / "tip").read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            return None
        return text if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", text) else None

    def texts(self) -> dict[str, str]:
        """The files as they were at the remembered tip."""
        out: dict[str, str] = {}
        if self.folder is None or self.tip() is None:
            return out
        for path in self.folder.glob("*.jsonl"):
            out[path.name] = path.read_bytes().decode("utf-8", errors="replace")
        return out

    def root(self) -> str:
        """The trusted root in effect when the tip was remembered ("" for none)."""
        if self.folder is None:
            return ""
        try:
            text = (self.folder / "root").read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            return ""
        return text if re.fullmatch(r"[0-9a-f]{4,64}", text) else ""

    def keep(self, tip: str, texts: dict[str, str], root: str = "") -> None:
        """Remember ``tip``, its files and the trusted root (the tip last: a torn write keeps the old tip)."""
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, text in texts.items():
                _atomic_write(self.folder / name, text)
            _atomic_write(self.folder / "root", root + "\n")
            _atomic_write(self.folder / "tip", tip + "\n")
        except OSError:
            pass  # remembering is a second line of defence; reading still verified the chain


def _atomic_write(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# -- verifying ------------------------------------------------------------------------------


def _short(commit: str) -> str:
    return commit[:12]


def _refuse(branch: str, commit: str, what: str, known: str | None) -> LedgerRefused:
    back = (
        f"đưa nhánh về commit đã kiểm chứng cuối cùng {_short(known)} "
        f"(git push --force origin {known}:refs/heads/{branch})"
        if known
        else "đưa nhánh về commit cuối cùng do lần triển khai ký"
    )
    return LedgerRefused(
        f"Sổ ghi bị từ chối: commit {_short(commit)} trên nhánh “{branch}” {what} — không đăng gì, "
        f"trang giữ số liệu đã kiểm chứng; người quản trị hãy {back}, hoặc sửa có duyệt "
        f"theo {README_PART}."
    )


def verify(
    store: GitStore, head: str, trust: Trust, known: str | None, known_root: str = ""
) -> None:
    """Check every commit from ``known`` (or the trusted root, or the first commit) to ``head``.

    ``known_root``: the trusted root in effect when ``known`` was verified.

    Raises ``LedgerRefused`` naming the first commit that fails.
    """
    signers = Signers.load(trust.signers)
    branch = store.branch
    root = trust.trusted_root
    if root:
        if not store.is_ancestor(root, head):
            raise _refuse(
                branch,
                head,
                f"không chứa commit gốc tin cậy {_short(root)} (ledger_trusted_root)",
                known,
            )
        if known and known_root != root:
            # Remembered under another trusted root: the reviewed repair that set
            # this one replaces it. (Under the same root the remembered tip must
            # stay in the history, so a rollback is still refused.)
            known = None
    if known:
        if known == head:
            return
        if not store.is_ancestor(known, head):
            raise _refuse(
                branch,
                head,
                f"không còn chứa commit đã kiểm chứng {_short(known)}: nhánh đã bị ghi đè (force-push) hoặc quay lui",
                known,
            )
    start = known or root or None
    latest = int(clock.now().timestamp()) + CLOCK_SKEW_SECONDS
    for commit, mark, fingerprint, when, parents in store.history(head, start, signers.path):
        if len(parents) > 1:
            raise _refuse(branch, commit, "là commit gộp (merge) — sổ ghi chỉ nối thẳng", known)
        if mark != "G" or fingerprint not in signers.fingerprints:
            what = (
                "không có chữ ký"
                if mark == "N"
                else f"không được ký bằng khoá triển khai trong {trust.signers.name}"
            )
            raise _refuse(branch, commit, what, known)
        if when > latest:
            raise _refuse(branch, commit, "ghi ngày trong tương lai", known)
        problem = store.growth_problem(parents[0], commit) if parents else None
        if problem:
            raise _refuse(branch, commit, problem, known)
