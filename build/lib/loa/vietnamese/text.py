"""Unicode hygiene for Vietnamese text: NFC everywhere, invisible characters, folding."""

from __future__ import annotations

import re
import unicodedata

# Characters a contributor cannot see but that break search, slugs and counting:
# zero-width space/joiners, word joiner, BOM, soft hyphen, bidi controls —
# marks, embeddings and overrides, the isolates (U+2066–U+2069) and the Arabic
# letter mark (U+061C), which can make text read differently from what it is.
INVISIBLE = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\u061c"
)
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
# C0/C1 control characters other than tab, newline and carriage return.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def nfc(text: str) -> str:
    """The NFC form of ``text`` (how Loa stores and compares all text)."""
    return unicodedata.normalize("NFC", text)


def nfc_deep(value):
    """NFC-normalise every string inside nested lists, dicts and tuples."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc_deep(v) for v in value]
    if isinstance(value, tuple):
        return tuple(nfc_deep(v) for v in value)
    if isinstance(value, dict):
        return {nfc_deep(k): nfc_deep(v) for k, v in value.items()}
    return value


def strip_invisible(text: str) -> str:
    """Remove zero-width characters, BOMs and control characters."""
    return _CONTROL_RE.sub("", _INVISIBLE_RE.sub("", text))


def find_invisible(text: str) -> list[tuple[int, str]]:
    """Offsets and characters of invisible or control characters in ``text``."""
    hits = [(m.start(), m.group()) for m in _INVISIBLE_RE.finditer(text)]
    hits += [(m.start(), m.group()) for m in _CONTROL_RE.finditer(text)]
    return sorted(hits)


def fold(text: str) -> str:
    """Lower-case ``text`` without tone marks or diacritics ("Đà Nẵng" → "da nang").

    Used for search: a reader who types without diacritics must still find the
    article. ``đ`` has no decomposition, so it is mapped explicitly.
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", text.translate(_WITHOUT_MARKS)).lower()


class _MarkStripper(dict):
    """A ``str.translate`` table that drops combining marks, filled as characters are met."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_WITHOUT_MARKS = _MarkStripper()
