"""The ledger's storage: JSON Lines files on a git branch, written with plumbing only.

No work tree and no checkout: blobs, a tree and a commit are made with
``hash-object``, ``mktree`` and ``commit-tree`` and pushed without force, so a
concurrent writer makes the push fail instead of being overwritten. Commits use
the ledger's own identity, never the machine's git configuration.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from loa.errors import LoaError

LOCAL_REF = "refs/loa/ledger"
# Listening to members (loa.listening): a file per month of salted hashes and
# times. Retention removes a whole month's file — the one change besides
# appending that a ledger commit may make (``growth_problem``).
LISTENING_FILE = re.compile(r"listening-\d{4}-\d{2}\.jsonl")


class LedgerError(LoaError):
    """The ledger's remote could not be read or written."""


class LedgerConflict(LedgerError):
    """Someone else pushed first: re-read the ledger and plan again."""


def _mask_url(text: str) -> str:
    # https://user:token@host/... → https://***@host/...
    return re.sub(r"(\w+://)[^/@\s]+@", r"\1***@", text)


@dataclass
class Author:
    """The identity ledger commits are made with."""

    name: str = "Loa"
    email: str = "loa@users.noreply.github.com"

    @classmethod
    def parse(cls, text: str) -> Author:
        """``Name <email>`` → Author."""
        match = re.match(r"^\s*(.*?)\s*<([^>]+)>\s*$", text or "")
        return cls(match.group(1) or "Loa", match.group(2)) if match else cls()


class GitStore:
    """Files on one branch of one remote, read and appended to with git plumbing."""

    def __init__(
        self, remote: str, branch: str, author: Author | None = None, repo: Path | None = None
    ):
        """Point at the ledger's remote and branch, committing as ``author``."""
        self.remote = remote
        self.branch = branch
        self.author = author or Author()
        self._tmp = None
        if repo is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="loa-ledger-")
            repo = Path(self._tmp.name)
            self._git("init", "--quiet", "--bare", str(repo), cwd=None)
        self.repo = repo
        self.head: str | None = None

    _dates = ""
    ssh_command = ""  # set while the deploy key is on disk (``loa.ledger.trust.ssh_transport``)

    @property
    def over_ssh(self) -> bool:
        """True when the remote is reached over SSH (``git@host:owner/repo.git``, ``ssh://``)."""
        return self.remote.startswith("ssh://") or bool(re.match(r"^[\w.-]+@[\w.-]+:", self.remote))

    def _env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(
            GIT_TERMINAL_PROMPT="0",
            GIT_AUTHOR_NAME=self.author.name,
            GIT_AUTHOR_EMAIL=self.author.email,
            GIT_COMMITTER_NAME=self.author.name,
            GIT_COMMITTER_EMAIL=self.author.email,
            GIT_CONFIG_NOSYSTEM="1",
        )
        if self._dates:
            env.update(GIT_AUTHOR_DATE=self._dates, GIT_COMMITTER_DATE=self._dates)
        if self.ssh_command:
            env["GIT_SSH_COMMAND"] = self.ssh_command
        return env

    def _git(
        self,
        *args: str,
        cwd: Path | str | None = "repo",
        stdin: str | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess:
        where = self.repo if cwd == "repo" else cwd
        git_dir = ["--git-dir", str(self.repo)] if cwd == "repo" and self._tmp is not None else []
        result = subprocess.run(
            ["git", *git_dir, *args],
            cwd=where,
            input=stdin,
            capture_output=True,
            text=True,
            env=self._env(),
            check=False,
            timeout=120,
        )
        if check and result.returncode != 0:
            raise LedgerError(
                f"git {args[0]} thất bại: {_mask_url(result.stderr.strip() or result.stdout.strip())}"
            )
        return result

    def fetch(self) -> bool:
        """Fetch the branch; False when it does not exist yet."""
        result = self._git(
            "fetch",
            "--quiet",
            "--no-tags",
            self.remote,
            f"+refs/heads/{self.branch}:{LOCAL_REF}",
            check=False,
        )
        if result.returncode != 0:
            message = result.stderr.lower()
            if "couldn't find remote ref" in message or "could not find remote ref" in message:
                self.head = None
                return False
            raise LedgerError(
                f"không đọc được sổ ghi từ “{_mask_url(self.remote)}” nhánh “{self.branch}” — kiểm tra quyền truy cập "
                f"(LOA_LEDGER_REMOTE, LOA_LEDGER_BRANCH): {_mask_url(result.stderr.strip())}"
            )
        self.head = self._git("rev-parse", LOCAL_REF).stdout.strip()
        return True

    def _bytes(self, *args: str) -> subprocess.CompletedProcess:
        """A git command whose output is bytes (a blob may hold anything)."""
        git_dir = ["--git-dir", str(self.repo)] if self._tmp is not None else []
        return subprocess.run(
            ["git", *git_dir, *args],
            cwd=self.repo,
            capture_output=True,
            env=self._env(),
            check=False,
            timeout=120,
        )

    def read(self, name: str) -> str:
        """The text of file ``name`` on the fetched branch ("" when absent).

        Decoded with replacement: a byte that is not UTF-8 makes its line a
        broken line (reported), never a crash of the run or the build.
        """
        if self.head is None:
            return ""
        result = self._bytes("cat-file", "blob", f"{self.head}:{name}")
        return result.stdout.decode("utf-8", errors="replace") if result.returncode == 0 else ""

    def is_ancestor(self, old: str, new: str) -> bool:
        """True when commit ``old`` is ``new`` or one of its ancestors (False when ``old`` is unknown here)."""
        if not re.fullmatch(r"[0-9a-f]{4,64}", old or ""):
            return False
        return self._git("merge-base", "--is-ancestor", old, new, check=False).returncode == 0

    def history(self, head: str, start: str | None, signers: Path) -> list[tuple]:
        """(commit, signature mark, key fingerprint, commit time, parents) from ``start`` (excluded) to ``head``, oldest first.

        The signature is checked by git against the allowed-signers file
        (``%G?`` is ``G`` only for a good signature by a key listed there;
        https://git-scm.com/docs/git-log#Documentation/git-log.txt-emGem).
        """
        span = f"{start}..{head}" if start else head
        result = self._git(
            "-c",
            "gpg.format=ssh",
            "-c",
            "gpg.ssh.program=ssh-keygen",
            "-c",
            f"gpg.ssh.allowedSignersFile={signers.resolve()}",
            "log",
            "--reverse",
            "--format=%H%x09%G?%x09%GF%x09%ct%x09%P",
            span,
            "--",
        )
        out = []
        for line in result.stdout.splitlines():
            parts = line.split("\t")
            if len(parts) != 5:
                continue
            commit, mark, fingerprint, when, parents = parts
            out.append((commit, mark, fingerprint, int(when or 0), parents.split()))
        return out

    def growth_problem(self, parent: str, commit: str) -> str | None:
        """What ``commit`` did other than append to files of ``parent`` (None: it only appended)."""
        changes = self._git("diff-tree", "-r", "--no-renames", "--raw", parent, commit).stdout
        for line in changes.splitlines():
            meta, _, path = line.partition("\t")
            fields = meta.split()
            if len(fields) < 5:
                continue
            old_blob, new_blob, status = fields[2], fields[3], fields[4]
            if status == "A" or (status == "D" and LISTENING_FILE.fullmatch(path)):
                continue
            if status != "M":
                return f"xoá hoặc đổi loại tệp {path[:80]}"
            old = self._bytes("cat-file", "blob", old_blob).stdout
            new = self._bytes("cat-file", "blob", new_blob).stdout
            if not new.startswith(old):
                return (
                    f"sửa, xoá hoặc đổi chỗ dòng đã có trong {path[:80]} (sổ ghi chỉ được ghi thêm)"
                )
        return None

    def names(self) -> list[str]:
        """The files on the fetched branch."""
        if self.head is None:
            return []
        listing = self._git("ls-tree", self.head).stdout.splitlines()
        return [line.split("\t", 1)[1] for line in listing if "\t" in line]

    def append(
        self,
        additions: dict[str, str],
        message: str,
        key: Path | None = None,
        when: str = "",
        remove: tuple = (),
    ) -> str:
        """Append text to files and push one commit on top of the fetched head.

        ``key``: the private SSH key file the commit is signed with (git's
        ``gpg.format=ssh``: https://git-scm.com/docs/git-config#Documentation/git-config.txt-gpgformat).
        ``when``: the commit's time (the one clock), ISO 8601.
        Raises ``LedgerConflict`` when the branch moved (another run pushed).
        """
        entries: dict[str, str] = {}
        if self.head is not None:
            for line in self._git("ls-tree", self.head).stdout.splitlines():
                meta, name = line.split("\t", 1)
                entries[name] = meta
        for name in remove:  # retention: only listening files (``growth_problem``)
            if LISTENING_FILE.fullmatch(name):
                entries.pop(name, None)
        for name, text in additions.items():
            content = self.read(name) + text
            blob = self._git("hash-object", "-w", "--stdin", stdin=content).stdout.strip()
            entries[name] = f"100644 blob {blob}"
        tree_input = "".join(f"{meta}\t{name}\n" for name, meta in sorted(entries.items()))
        tree = self._git("mktree", stdin=tree_input).stdout.strip()
        parents = ["-p", self.head] if self.head else []
        signing = (
            [
                "-c",
                "gpg.format=ssh",
                "-c",
                "gpg.ssh.program=ssh-keygen",
                "-c",
                f"user.signingkey={key}",
            ]
            if key
            else []
        )
        self._dates = when
        try:
            made = self._git(
                *signing, "commit-tree", *(["-S"] if key else []), tree, *parents, "-m", message
            )
        finally:
            self._dates = ""
        commit = made.stdout.strip()
        push = self._git(
            "push",
            "--quiet",
            "--porcelain",
            self.remote,
            f"{commit}:refs/heads/{self.branch}",
            check=False,
        )
        if push.returncode != 0:
            text = (push.stdout + push.stderr).lower()
            if (
                "rejected" in text
                or "fetch first" in text
                or "non-fast-forward" in text
                or "stale info" in text
            ):
                raise LedgerConflict("nhánh sổ ghi vừa được một lần chạy khác cập nhật")
            raise LedgerError(
                f"không ghi được sổ ghi lên “{_mask_url(self.remote)}”: {_mask_url(push.stderr.strip())}"
            )
        self._git("update-ref", LOCAL_REF, commit)
        self.head = commit
        return commit

    def close(self) -> None:
        """Remove the temporary repository."""
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
