"""Limits on what an article's Markdown may ask of the converter.

Python-Markdown is recursive in nested lists, quotes and emphasis, and
quadratic in a paragraph full of unclosed "[", "<" or "`" (each one scans the
rest of the paragraph for its end): a few kilobytes can take minutes or a
gigabyte. No article needs any of that, so the shapes are measured here, in
one linear pass, before the body is converted; what goes over a limit is one
error naming the line and the fix, and the file is not converted at all.
"""

from __future__ import annotations

import re

from loa.findings import ERROR, WARNING, Finding

MAX_FRONT_MATTER = 64_000  # characters; a gallery of 35 photos with captions is ~20,000
MAX_LIST_INDENT = 40  # columns before a list marker: ten levels of nesting
MAX_QUOTE_DEPTH = 10
MAX_MARKER_RUN = 64  # "*" or "_" in a row, outside a horizontal rule
# Σ over paragraphs of (number of "[", "<", "`") × (paragraph length): the work
# the inline patterns do, about 6 million units a second. A long paragraph
# with a dozen links costs ~50,000.
MAX_PARAGRAPH_COST = 2_000_000
MAX_INLINE_COST = 20_000_000
# A "<" that opens an HTML tag (or comment) never closed in its paragraph makes
# Python-Markdown's HTML parser read to the end of the article, once per such
# "<": about a second per megabyte each. A few are a typo; more are an attack.
MAX_UNCLOSED_TAGS = 3

_FENCE = re.compile(r"^(`{3,}|~{3,})")
_LIST = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_QUOTE = re.compile(r"^(?:[ \t]*>)+")
_RUN = re.compile(rf"\*{{{MAX_MARKER_RUN + 1},}}|_{{{MAX_MARKER_RUN + 1},}}")
_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$")
_TICKS = re.compile(r"`+")
_TAG_START = re.compile(r"<(?:[A-Za-z]|/[A-Za-z]|!|\?)")


def _width(space: str) -> int:
    return len(space.expandtabs(4))


def fences(lines: list[str]) -> tuple[list[tuple[int, int]], list[int]]:
    """Fenced code blocks as Python-Markdown sees them: ([(first line, closing line)], unclosed).

    A block opens with a line starting (at column 0) with three or more "`" or
    "~" and closes at the next line made of exactly that fence (spaces after it
    allowed). One pass over the lines and one over each fence's closers.
    """
    closers: dict[str, list[int]] = {}
    openings: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        if line[:3] in ("```", "~~~"):
            match = _FENCE.match(line)
            fence = match.group(1)
            openings.append((index, fence))
            if not line[len(fence) :].strip(" "):
                closers.setdefault(fence, []).append(index)
    blocks, unclosed, taken = [], [], dict.fromkeys(closers, 0)
    covered = -1
    for index, fence in openings:
        if index <= covered:
            continue
        positions = closers.get(fence, ())
        at = taken.get(fence, 0)
        while at < len(positions) and positions[at] <= index:
            at += 1
        taken[fence] = at
        if at < len(positions):
            blocks.append((index, positions[at]))
            covered = positions[at]
            taken[fence] = at + 1
        else:
            unclosed.append(index)
    return blocks, unclosed


def code_spans(text: str) -> list[tuple[int, int]]:
    """Inline code spans in one paragraph: (start, end) offsets, a backtick run to the next of its length."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for number, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(number)
    pointer = dict.fromkeys(by_length, 0)
    spans, number = [], 0
    while number < len(runs):
        start, end = runs[number]
        length = end - start
        same = by_length[length]
        at = pointer[length]
        while at < len(same) and same[at] <= number:
            at += 1
        pointer[length] = at
        escaped = start > 0 and text[start - 1] == "\\"
        if at < len(same) and not escaped:
            closing = same[at]
            spans.append((start, runs[closing][1]))
            number = closing + 1
        else:
            number += 1
    return spans


def code_regions(body: str) -> list[tuple[int, int]]:
    """Offsets of every fenced block and inline code span of ``body`` (linear time)."""
    lines = body.split("\n")
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    blocks, _ = fences(lines)
    regions = [(starts[a], starts[b] + len(lines[b])) for a, b in blocks]
    in_block = bytearray(len(lines))
    for a, b in blocks:
        in_block[a : b + 1] = b"\x01" * (b - a + 1)
    first = None
    for index in range(len(lines) + 1):
        blank = index == len(lines) or in_block[index] or not lines[index].strip()
        if blank:
            if first is not None:
                end = starts[index - 1] + len(lines[index - 1])
                paragraph = body[starts[first] : end]
                if "`" in paragraph:
                    regions += [
                        (starts[first] + a, starts[first] + b) for a, b in code_spans(paragraph)
                    ]
                first = None
        elif first is None:
            first = index
    return sorted(regions)


def _unclosed_tags(paragraph_lines, last_gt: int, last_comment_end: int) -> list[int]:
    """Lines of a paragraph's "<" that open a tag with no ">" after it in the paragraph.

    ``paragraph_lines`` are (index, text, offset in the body) of the paragraph's
    lines holding a "<"; ``last_gt`` is the body offset of its last ">"; a
    comment ("<!--") is closed by any later "-->".
    """
    out = []
    for index, text, offset in paragraph_lines:
        for match in _TAG_START.finditer(text):
            where = offset + match.start()
            if text.startswith("<!--", match.start()):
                if last_comment_end < where:
                    out.append(index)
            elif where > last_gt:
                out.append(index)
    return out


_DEEP_LINE = re.compile(r"^[ \t]{11,}", re.MULTILINE)  # 11 tabs are 44 columns
_DEEP_QUOTE = re.compile(rf"^(?:[ \t]*>){{{MAX_QUOTE_DEPTH + 1},}}", re.MULTILINE)


def _plain(body: str) -> bool:
    """True when no limit can be reached: C-speed scans that spare most articles the line loop."""
    if "<" in body or "```" in body or "~~~" in body:
        return False
    marks = body.count("[") + body.count("`")
    if marks * len(body) > MAX_PARAGRAPH_COST:
        return False
    if "*" * (MAX_MARKER_RUN + 1) in body or "_" * (MAX_MARKER_RUN + 1) in body:
        return False
    return not _DEEP_LINE.search(body) and not (">" in body and _DEEP_QUOTE.search(body))


def body_findings(path: str, body: str, body_line: int) -> list[Finding]:
    """Errors for Markdown shaped to exhaust the converter (first of each kind)."""
    if _plain(body):
        return []
    found: dict[str, Finding] = {}

    def add(kind: str, line: int, message: str) -> None:
        found.setdefault(kind, Finding(path, body_line + line, message, "too-complex", ERROR))

    lines = body.split("\n")
    blocks, unclosed = fences(lines)
    for index in unclosed[:1]:
        fence = _FENCE.match(lines[index]).group(1)
        found["fence"] = Finding(
            path,
            body_line + index,
            f"Khối mã mở bằng “{fence}” không có dòng “{fence}” đóng — thêm một dòng chỉ có "
            f"“{fence}” ở cuối khối mã.",
            "fence",
            ERROR,
        )
    in_block = bytearray(len(lines) + 1)
    for a, b in blocks:
        in_block[a : b + 1] = b"\x01" * (b - a + 1)
    start, length, marks, total = 0, 0, 0, 0
    unclosed: list[int] = []  # line indexes of "<" that open a tag never closed in its paragraph
    last_comment_end = body.rfind("-->")
    offset = 0
    paragraph_lines: list[tuple[int, str, int]] = []
    paragraph_gt = -1
    for index, line in enumerate([*lines, ""]):
        line_offset = offset
        offset += len(line) + 1
        if in_block[index] or not line.strip():
            if paragraph_lines:
                unclosed += _unclosed_tags(paragraph_lines, paragraph_gt, last_comment_end)
                paragraph_lines = []
            paragraph_gt = -1
            if length:
                cost = marks * length
                total += cost
                if cost > MAX_PARAGRAPH_COST:
                    add(
                        "paragraph",
                        start,
                        f"Đoạn văn từ dòng {body_line + start} có {marks} dấu “[”, “<” hoặc “`” "
                        f"trong {length} ký tự — quá nặng để dựng trang; chia thành các đoạn "
                        "ngắn hơn hoặc bớt các dấu này.",
                    )
            length = marks = 0
            continue
        if not length:
            start = index
        if "<" in line:
            paragraph_lines.append((index, line, line_offset))
        if ">" in line:
            paragraph_gt = line_offset + line.rfind(">")
        length += len(line) + 1
        marks += line.count("[") + line.count("<") + line.count("`")
        item = _LIST.match(line)
        if item and _width(item.group(1)) > MAX_LIST_INDENT:
            add(
                "list",
                index,
                f"Danh sách lồng quá sâu (thụt lề {_width(item.group(1))} cột, tối đa "
                f"{MAX_LIST_INDENT}) — bớt số cấp danh sách.",
            )
        if ">" in line:
            quote = _QUOTE.match(line)
            if quote and quote.group(0).count(">") > MAX_QUOTE_DEPTH:
                add(
                    "quote",
                    index,
                    f"Trích dẫn lồng {quote.group(0).count('>')} cấp, tối đa {MAX_QUOTE_DEPTH} "
                    "— bớt dấu “>” ở đầu dòng.",
                )
        long_run = "*" * (MAX_MARKER_RUN + 1) in line or "_" * (MAX_MARKER_RUN + 1) in line
        if long_run and not _RULE.match(line):
            run = _RUN.search(line)
            add(
                "run",
                index,
                f"Dãy {len(run.group(0))} dấu “{run.group(0)[0]}” liền nhau — không phải "
                "định dạng hợp lệ; xoá bớt (in đậm chỉ cần “**chữ**”).",
            )
    _after_paragraphs(found, add, path, body_line, unclosed, total)
    return list(found.values())


def _after_paragraphs(
    found: dict, add, path: str, body_line: int, unclosed: list, total: int
) -> None:
    """What only the whole body tells: unclosed tags (a warning, or an error past the limit), total cost."""
    if unclosed:
        fix = "viết “&lt;” nếu muốn hiện dấu “<”, hoặc đóng thẻ bằng “>”"
        if len(unclosed) > MAX_UNCLOSED_TAGS:
            add(
                "unclosed",
                unclosed[0],
                f"Có {len(unclosed)} thẻ HTML mở bằng “<” không đóng (đầu tiên ở dòng "
                f"{body_line + unclosed[0]}) — quá nặng để dựng trang; {fix}.",
            )
        else:
            found["unclosed"] = Finding(
                path,
                body_line + unclosed[0],
                f"Dấu “<” ở dòng {body_line + unclosed[0]} mở một thẻ HTML không đóng — {fix}.",
                "html-unclosed",
                WARNING,
            )
    if total > MAX_INLINE_COST and "paragraph" not in found:
        add(
            "paragraph",
            0,
            "Bài có quá nhiều dấu “[”, “<” hoặc “`” trong các đoạn văn dài — quá nặng để dựng "
            "trang; chia các đoạn dài thành đoạn ngắn hơn.",
        )
