"""Unicode rules: NFC, invisible characters, BOM — what text pasted from Word or a phone brings."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from loa.findings import WARNING, Finding
from loa.vietnamese import find_invisible, nfc, strip_invisible

NAMES = {
    "\u200b": "dấu cách độ rộng 0 (U+200B)",
    "\u200c": "ký tự nối ẩn (U+200C)",
    "\u200d": "ký tự nối ẩn (U+200D)",
    "\u2060": "ký tự nối từ ẩn (U+2060)",
    "\ufeff": "dấu BOM (U+FEFF)",
    "\u00ad": "gạch nối mềm (U+00AD)",
    "\u200e": "dấu hướng chữ ẩn (U+200E)",
    "\u200f": "dấu hướng chữ ẩn (U+200F)",
    "\u061c": "dấu hướng chữ Ả Rập ẩn (U+061C)",
    **{c: f"ký tự đổi hướng chữ ẩn (U+{ord(c):04X})" for c in "\u202a\u202b\u202c\u202d\u202e"},
    **{c: f"ký tự cô lập hướng chữ ẩn (U+{ord(c):04X})" for c in "\u2066\u2067\u2068\u2069"},
}
MAX_PER_FILE = 10


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def check_text(raw: str, path: str, had_bom: bool = False) -> Iterator[Finding]:
    """Findings for NFD or mixed normalisation, invisible and control characters, a BOM."""
    fix = "chạy “loa check --fix” để sửa tự động"
    if had_bom:
        yield Finding(
            path,
            1,
            f"Tệp bắt đầu bằng dấu BOM — lưu lại dạng “UTF-8” (không BOM), hoặc {fix}.",
            "bom",
            WARNING,
            1,
        )
    if nfc(raw) != raw:
        lines = raw.split("\n")
        bad = [i for i, line in enumerate(lines) if nfc(line) != line]
        first = bad[0]
        # The first combining mark, else the first character NFC changes (a
        # compatibility ideograph, say): always some column, never a crash.
        column = 1 + next(
            (i for i, c in enumerate(lines[first]) if unicodedata.combining(c) or nfc(c) != c),
            0,
        )
        composed = any(
            nfc(line) == line
            and any(0x1EA0 <= ord(c) <= 0x1EF9 or c in "ăâêôơưđ" for c in line.lower())
            for line in lines
        )
        kind = (
            "lẫn lộn hai kiểu gõ dấu (dựng sẵn và tổ hợp)"
            if composed
            else "gõ dấu kiểu tổ hợp (NFD)"
        )
        yield Finding(
            path,
            first + 1,
            f"Văn bản {kind} ở {len(bad)} dòng — tìm kiếm và mạng xã hội sẽ đếm sai; {fix} hoặc gõ lại bằng bảng mã Unicode dựng sẵn.",
            "unicode-nfc",
            WARNING,
            column,
        )
    for count, (offset, char) in enumerate(find_invisible(raw.lstrip("\ufeff"))):
        if count == MAX_PER_FILE:
            break
        line, column = _position(raw.lstrip("\ufeff"), offset)
        name = NAMES.get(char, f"ký tự điều khiển U+{ord(char):04X}")
        yield Finding(
            path,
            line,
            f"Có {name} không nhìn thấy được — xoá ký tự này (thường do dán từ Word), hoặc {fix}.",
            "invisible",
            WARNING,
            column,
        )


def fix_text(raw: str) -> str:
    """The text with NFC, no BOM and no invisible or control characters; nothing else changes."""
    return strip_invisible(nfc(raw))
