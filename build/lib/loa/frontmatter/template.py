"""The body ``loa new`` writes, and the placeholder lines ``loa check`` refuses to publish."""

from __future__ import annotations

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
