"""The deploy's ledger signing key for tests: an SSH key pair made on the spot, never a fixed one."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from loa.ledger import SIGNING_KEY_ENV, Trust


@dataclass(frozen=True)
class SigningKey:
    """One SSH key pair: the private text (what the deploy's secret holds) and the public line."""

    private: str
    public: str
    path: Path

    @classmethod
    def make(cls, folder: Path, name: str = "trien-khai") -> SigningKey:
        """A new ed25519 key in ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)],
            check=True,
            capture_output=True,
        )
        return cls(path.read_text(encoding="ascii"), path.with_suffix(".pub").read_text().strip(), path)

    def signers_line(self) -> str:
        """The key's line in an allowed-signers file."""
        return f'loa-ledger namespaces="git" {self.public}\n'

    def install(self, site_root: Path) -> Path:
        """Write ``.github/ledger-signers`` of a site with this key; its path."""
        path = site_root / ".github" / "ledger-signers"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Khoá ký sổ ghi của lần triển khai\n" + self.signers_line(), encoding="utf-8")
        return path

    def env(self) -> dict[str, str]:
        """The variable the deploy reads the key from."""
        return {SIGNING_KEY_ENV: self.private}


def trusted(monkeypatch, folder: Path) -> Trust:
    """A key in this test's environment and the Trust that accepts it (for in-process ledgers)."""
    key = SigningKey.make(folder / "khoa")
    monkeypatch.setenv(SIGNING_KEY_ENV, key.private)
    return Trust(key.install(folder / "trang"), folder / "da-kiem")
