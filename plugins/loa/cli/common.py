"""What every command shares: the site, questions, the CI summary and outputs."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from loa.errors import LoaError
from loa.ledger import Ledger, trust_for_site
from loa.ledger.counted import registry_accounts
from loa.masking import mask
from loa.site import Site


def site_of(args):
    """The site the command works on: ``--root`` and ``--units`` (else content/units.yml)."""
    root = Path(args.root).resolve()
    return Site(root=root, units_file=args.units or "content/units.yml")


def open_ledger(site, author: str | None = None) -> Ledger:
    """The site's ledger, trusted as its settings say (signers file, trusted root, remembered tip)."""
    settings = site.settings()
    syndication = (settings[0] if settings else {}).get("LOA_SYNDICATION") or {}
    ledger = Ledger(
        author=author or syndication.get("ledger_author"),
        repo=site.root if (site.root / ".git").exists() else None,
        trust=trust_for_site(site.root, syndication),
    )
    # A broken registry is reported by the command that needs it.
    with contextlib.suppress(LoaError):
        ledger.accounts = registry_accounts(site.load_registry())
    return ledger


def ask(prompt: str) -> str:
    """A line typed at ``prompt``, stripped; empty when there is no terminal to type on."""
    try:
        return input(prompt).strip()
    except EOFError:
        return ""


def write_summary(markdown: str) -> None:
    """Append to the GitHub Actions run summary when there is one (secrets masked)."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(mask(markdown) + "\n")


def set_output(name: str, value: str) -> None:
    """A step output for the workflow (``GITHUB_OUTPUT``), when there is one."""
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{name}={value}\n")
