"""Secrets kept out of every output: whole, URL-encoded, upper/lower-cased, reversed, base64 or hex, or any run of ``MIN_PIECE`` of their characters.

Low in the layers so that every writer uses it: the CLI's messages and run
summaries, and the ledger, which masks each entry before it is committed (a
platform may echo a token back in a *success* answer, as an id or a URL).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import fields, replace
from urllib.parse import quote, quote_plus

MASK = "***"
# Any run of this many characters of a secret is masked too: the secret half
# of a Telegram token, a token cut or wrapped by a platform's message.
MIN_PIECE = 8
# Every secret this process has read (``remember``), in every form below, case
# folded: what no output may show.
_KNOWN: set[str] = set()
_windows: set[str] = set()


def _fold(text: str) -> str:
    """Lower case, one character for one (so positions in the folded text are the text's)."""
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _base64_forms(value: bytes) -> set[str]:
    """The stretch of base64 that encodes ``value`` whatever precedes it (3 alignments, 2 alphabets).

    ``Authorization: Basic base64(user:secret)`` echoed back holds the secret at
    an offset: the characters that also encode a neighbour byte are left out.
    """
    out = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + value).decode().rstrip("=")
        head = -(-8 * offset // 6)  # characters that carry prefix bits
        tail = (len(value) + offset) % 3 and 1  # the last one may carry the next byte's bits
        core = encoded[head : len(encoded) - tail - 1] if tail else encoded[head:]
        if len(core) >= MIN_PIECE:
            out.update({core, core.replace("+", "-").replace("/", "_")})
    return out


def _forms(value: str) -> set[str]:
    """The secret as outputs may show it: as is, URL-encoded, reversed, base64, hex."""
    raw = value.encode("utf-8")
    forms = {value, quote(value, safe=""), quote_plus(value), binascii.hexlify(raw).decode()}
    forms |= {form[::-1] for form in forms}
    forms |= _base64_forms(raw)
    return {_fold(form) for form in forms if len(form) >= 4}


def remember(value: str) -> None:
    """Add a secret value to what every output of this process masks (in any case)."""
    if not value or len(value) < 4:
        return
    for variant in _forms(value):
        _KNOWN.add(variant)
    # Pieces keep their case: a folded 8-character piece (a variable's name in a
    # token, say) would mask ordinary upper-case words.
    for variant in {value, quote(value, safe=""), quote_plus(value), value[::-1]}:
        if len(variant) >= MIN_PIECE:
            _windows.update(
                variant[i : i + MIN_PIECE] for i in range(len(variant) - MIN_PIECE + 1)
            )


def mask(text: str) -> str:
    """``text`` with every secret this process read masked as ``***``, whole or in part.

    Compared case-folded, so an upper-cased or lower-cased secret is masked too.
    Whole values first (short ones too), then every stretch of text made of
    ``MIN_PIECE``-character pieces of a secret: linear in the text's length.
    """
    if not text or not _KNOWN:
        return text
    folded = _fold(text)
    marked = bytearray(len(text))
    hit = False
    for value in _KNOWN:
        start = folded.find(value)
        while start != -1:
            marked[start : start + len(value)] = b"\x01" * len(value)
            hit = True
            start = folded.find(value, start + 1)
    if len(text) >= MIN_PIECE and _windows:
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
