"""Secrets kept out of every output: whole, URL-encoded, or any run of ``MIN_PIECE`` of their characters.

Low in the layers so that every writer uses it: the CLI's messages and run
summaries, and the ledger, which masks each entry before it is committed (a
platform may echo a token back in a *success* answer, as an id or a URL).
"""

from __future__ import annotations

from dataclasses import fields, replace
from urllib.parse import quote, quote_plus

MASK = "***"
# Any run of this many characters of a secret is masked too: the secret half
# of a Telegram token, a token cut or wrapped by a platform's message.
MIN_PIECE = 8
# Every secret this process has read (``remember``): what no output may show.
_KNOWN: set[str] = set()
_windows: set[str] = set()


def remember(value: str) -> None:
    """Add a secret value to what every output of this process masks."""
    if not value or len(value) < 4:
        return
    for variant in {value, quote(value, safe=""), quote_plus(value)}:
        if variant in _KNOWN:
            continue
        _KNOWN.add(variant)
        _windows.update(variant[i : i + MIN_PIECE] for i in range(len(variant) - MIN_PIECE + 1))


def mask(text: str) -> str:
    """``text`` with every secret this process read masked as ``***``, whole or in part.

    Whole values first (short ones too), then every stretch of text made of
    ``MIN_PIECE``-character pieces of a secret: linear in the text's length.
    """
    if not text or not _KNOWN:
        return text
    for value in sorted(_KNOWN, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    if len(text) < MIN_PIECE or not _windows:
        return text
    marked = bytearray(len(text))
    hit = False
    for i in range(len(text) - MIN_PIECE + 1):
        if text[i : i + MIN_PIECE] in _windows:
            marked[i : i + MIN_PIECE] = b"\x01" * MIN_PIECE
            hit = True
    if not hit:
        return text
    out, index = [], 0
    while index < len(text):
        if marked[index]:
            out.append(MASK)
            while index < len(text) and marked[index]:
                index += 1
        else:
            out.append(text[index])
            index += 1
    return "".join(out)


def mask_fields(record, names: tuple[str, ...] | None = None):
    """A dataclass record with its text fields (or only ``names``) masked.

    A ledger entry's key fields (article, channel, account…) are left alone: a
    token may contain an account's id, and a masked key would be another post.
    """
    changes = {}
    for f in fields(record):
        if names is not None and f.name not in names:
            continue
        value = getattr(record, f.name)
        if isinstance(value, str) and value:
            masked = mask(value)
            if masked != value:
                changes[f.name] = masked
    return replace(record, **changes) if changes else record


class MaskedStream:
    """A text stream that masks every secret the process has read before writing ."""

    def __init__(self, stream):
        """Wrap ``stream``."""
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` with every secret masked; return its length, as a stream does."""
        self._stream.write(mask(text))
        return len(text)

    def __getattr__(self, name: str):
        """Everything else is the wrapped stream's."""
        return getattr(self._stream, name)
