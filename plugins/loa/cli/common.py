"""What every command shares: the site, questions, the CI summary and outputs, masked streams."""

from __future__ import annotations

import os
from pathlib import Path


def _site(args):
    from loa.rules import Site

    root = Path(args.root).resolve()
    return Site(root=root, units_file=args.units or "content/units.yml")


def _ask(prompt: str) -> str:
    try:
        return input(prompt).strip()
    except EOFError:
        return ""


def _summary(markdown: str) -> None:
    """Append to the GitHub Actions run summary when there is one (secrets masked)."""
    from loa.masking import mask

    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(mask(markdown) + "\n")


class MaskedStream:
    """A text stream that masks every secret the process has read before writing (``loa.masking``)."""

    def __init__(self, stream):
        """Wrap ``stream``."""
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` with every secret masked; return its length, as a stream does."""
        from loa.masking import mask

        self._stream.write(mask(text))
        return len(text)

    def __getattr__(self, name: str):
        """Everything else is the wrapped stream's."""
        return getattr(self._stream, name)


def _output(name: str, value: str) -> None:
    """A step output for the workflow (``GITHUB_OUTPUT``), when there is one."""
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{name}={value}\n")
