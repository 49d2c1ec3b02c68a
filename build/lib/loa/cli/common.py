"""What every command shares: the site, questions, the CI summary and outputs."""

from __future__ import annotations

import os
from pathlib import Path

from loa.masking import mask
from loa.rules import Site


def _site(args):
    root = Path(args.root).resolve()
    return Site(root=root, units_file=args.units or "content/units.yml")


def _ask(prompt: str) -> str:
    try:
        return input(prompt).strip()
    except EOFError:
        return ""


def _summary(markdown: str) -> None:
    """Append to the GitHub Actions run summary when there is one (secrets masked)."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(mask(markdown) + "\n")


def _output(name: str, value: str) -> None:
    """A step output for the workflow (``GITHUB_OUTPUT``), when there is one."""
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{name}={value}\n")
