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

    def read(self, name: str) -> str:
        """The text of file ``name`` on the fetched branch ("" when absent)."""
        if self.head is None:
            return ""
        result = self._git("cat-file", "blob", f"{self.head}:{name}", check=False)
        return result.stdout if result.returncode == 0 else ""

    def append(self, additions: dict[str, str], message: str) -> str:
        """Append text to files and push one commit on top of the fetched head.

        Raises ``LedgerConflict`` when the branch moved (another run pushed).
        """
        entries: dict[str, str] = {}
        if self.head is not None:
            for line in self._git("ls-tree", self.head).stdout.splitlines():
                meta, name = line.split("\t", 1)
                entries[name] = meta
        for name, text in additions.items():
            content = self.read(name) + text
            blob = self._git("hash-object", "-w", "--stdin", stdin=content).stdout.strip()
            entries[name] = f"100644 blob {blob}"
        tree_input = "".join(f"{meta}\t{name}\n" for name, meta in sorted(entries.items()))
        tree = self._git("mktree", stdin=tree_input).stdout.strip()
        parents = ["-p", self.head] if self.head else []
        commit = self._git("commit-tree", tree, *parents, "-m", message).stdout.strip()
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
