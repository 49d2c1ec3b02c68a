"""The one "did you mean" of Loa: the closest allowed word to a mistyped one."""

from __future__ import annotations

import difflib


def closest(word, choices, cutoff: float = 0.6) -> str | None:
    """The choice most like ``word`` (difflib's ratio ≥ ``cutoff``), or None."""
    found = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=cutoff)
    return found[0] if found else None
