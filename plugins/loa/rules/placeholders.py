"""What ``loa new`` leaves for the writer to replace: its placeholder lines, a summary that is the title."""

from __future__ import annotations

import re
from collections.abc import Iterator

from loa.findings import WARNING, Finding
from loa.frontmatter import Document
from loa.frontmatter.template import placeholder_lines
from loa.rules.context import RuleContext
from loa.vietnamese import nfc

_PUNCTUATION = re.compile(r"[\W_]+")


def _same_words(a: str, b: str) -> bool:
    """Equal once case, spacing and punctuation are set aside ("Hội nghị." == "hội nghị")."""
    return (
        _PUNCTUATION.sub(" ", nfc(a).casefold()).strip()
        == _PUNCTUATION.sub(" ", nfc(b).casefold()).strip()
    )


def check_placeholders(doc: Document, _ctx: RuleContext) -> Iterator[Finding]:
    """The placeholder lines of ``loa new`` and a summary identical to the title."""
    lines = doc.body.split("\n")
    for index in placeholder_lines(doc.body):
        text = nfc(lines[index].strip())
        shown = text if len(text) <= 40 else text[:40].rsplit(" ", 1)[0] + "…"
        yield Finding(
            doc.path,
            doc.body_line + index,
            f"Dòng “{shown}” là chữ mẫu của “loa new” — thay bằng nội dung của bài "
            "(hoặc xoá dòng này) trước khi gửi.",
            "placeholder",
            WARNING,
        )
    title, summary = doc.fields.get("title"), doc.fields.get("summary")
    if (
        isinstance(title, str)
        and isinstance(summary, str)
        and summary
        and _same_words(title, summary)
    ):
        yield Finding(
            doc.path,
            doc.line_of("summary"),
            "Tóm tắt đang giống hệt tiêu đề — viết một hai câu nói bài có gì (trang chủ và "
            "mạng xã hội hiển thị câu này dưới tiêu đề).",
            "summary-title",
            WARNING,
        )
