"""The body ``loa new`` writes, and the placeholder lines ``loa check`` refuses to publish."""

from __future__ import annotations

from loa.vietnamese import nfc

# Each line a writer must replace; ``loa check`` flags any of them left in an
# article (a warning while writing, an error for ``--strict`` and ``make publish``).
PLACEHOLDERS = (
    "Viết đoạn mở đầu ở đây: ai, làm gì, ở đâu, khi nào.",
    "## Tiêu đề nhỏ",
    "Nội dung chính. Xem hướng dẫn trình bày trong CONTRIBUTING.md.",
)

BODY = f"""{PLACEHOLDERS[0]}

{PLACEHOLDERS[1]}

{PLACEHOLDERS[2]}
"""


def placeholder_lines(text: str) -> list[int]:
    """The 0-based indexes of the lines of ``text`` that are placeholder lines of ``loa new``."""
    return [i for i, line in enumerate(text.split("\n")) if nfc(line.strip()) in PLACEHOLDERS]


def unfinished(text: str) -> bool:
    """Whether an article's text still holds a placeholder line (not written yet: no figure counts it)."""
    return bool(placeholder_lines(text))
