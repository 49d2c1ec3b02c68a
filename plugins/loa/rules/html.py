"""Raw HTML in Markdown: sanitised with nh3 at build time; ``loa check`` says what would go."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import nh3

from loa.findings import ERROR, WARNING, Finding
from loa.frontmatter import Document
from loa.rules.context import RuleContext
from loa.rules.links import mask_code, paragraphs

TAGS = set(nh3.ALLOWED_TAGS) | {
    "iframe",
    "figure",
    "figcaption",
    "picture",
    "source",
    "video",
    "audio",
    "track",
}
TAGS -= {"map", "area"}
ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "srcset", "sizes"},
    "iframe": {
        "src",
        "title",
        "width",
        "height",
        "allow",
        "allowfullscreen",
        "loading",
        "referrerpolicy",
    },
    "source": {"src", "srcset", "type", "media", "sizes"},
    # A player that waits for the reader: no autoplay, no loop, no muted start;
    # ``preload`` only "none" or "metadata" (kept by ``keep``); captions may be on
    # by default (``track default``), spec/video-and-listening.md A11.
    "video": {"src", "controls", "poster", "width", "height", "preload", "playsinline"},
    "audio": {"src", "controls", "preload"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "td": {"colspan", "rowspan", "headers", "align"},
    "th": {"colspan", "rowspan", "headers", "scope", "align"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
CLEAN_CONTENT = {"script", "style", "template", "noscript", "object", "embed", "svg", "math"}

_DANGEROUS_TAGS = re.compile(
    r"<\s*(script|style|svg|math|object|embed|form|input|button|textarea|link|meta|base|frame|frameset|template)\b",
    re.IGNORECASE,
)
_IFRAME = re.compile(r"<\s*iframe\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_EVENT = re.compile(r"<[a-z][^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE | re.DOTALL)
_STYLE = re.compile(r"<[a-z][^>]*?\sstyle\s*=\s*([\"'])(.*?)\1", re.IGNORECASE | re.DOTALL)
# The theme's classes that take text off the screen, and their usual cousins:
# contributors' HTML and Markdown attribute lists may not use them.
HIDING_CLASSES = frozenset({"visually-hidden", "skip", "sr-only", "hidden", "d-none", "invisible"})
_CLASS = re.compile(r"<[a-z][^>]*?\sclass\s*=\s*([\"'])(.*?)\1", re.IGNORECASE | re.DOTALL)
_ATTR_LIST = re.compile(r"\{:?[^}\n]*?\.([\w-]+)[^}\n]*\}")
_HIDING = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])"
    r"|(?:height|width|max-height)\s*:\s*0(?![.\d]*[1-9])|text-indent\s*:\s*-\d{3,}|left\s*:\s*-\d{3,}|clip\s*:\s*rect\(\s*0",
    re.IGNORECASE,
)


def sanitize(html: str, embed_hosts=()) -> str:
    """The HTML of an article with only safe tags, attributes and URL schemes left.

    Iframes keep their ``src`` only when it points at an allowlisted embed host.
    """
    hosts = {h.lower() for h in embed_hosts}

    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute == "class":
            kept = " ".join(c for c in value.split() if c.lower() not in HIDING_CLASSES)
            return kept or None
        if attribute == "preload" and value.strip().lower() not in ("none", "metadata"):
            return "none"  # "auto" would download the clip before the reader asks for it
        if element == "iframe" and attribute == "src":
            parts = urlsplit(value)
            if parts.scheme != "https" or (parts.hostname or "").lower() not in hosts:
                return None
        return value

    clean = nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=CLEAN_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=keep,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return scrollable_tables(clean) if "<table" in clean else clean


_TABLE_OPEN = re.compile(r"<table\b")
_WRAPPED = re.compile(r'<div class="table-scroll"[^>]*><table\b')


def scrollable_tables(html: str) -> str:
    """Each table in a region that scrolls sideways on a phone and can be reached by keyboard.

    A wide table must not widen the page (WCAG 1.4.10); the region that holds
    it must be focusable to be scrolled without a mouse (axe's
    ``scrollable-region-focusable``). Applied to sanitised HTML only.
    """
    # Cleaned again (the embed allowlist changed): unwrap what an earlier pass wrapped.
    html = _WRAPPED.sub("<table", html).replace("</table></div>", "</table>")
    opened = _TABLE_OPEN.sub(
        '<div class="table-scroll" role="region" tabindex="0" aria-label="Bảng (cuộn ngang được)"><table',
        html,
    )
    return opened.replace("</table>", "</table></div>")


def check_html(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """What the build's sanitiser would remove from the raw HTML of a Markdown body.

    Each pattern runs on one paragraph at a time: none scans across a blank
    line, and the body's limits bound what a paragraph can cost.
    """
    body = mask_code(doc.body)
    if "<" not in body and "{" not in body:
        return
    for base, paragraph in paragraphs(body):
        yield from _check_paragraph(doc, ctx, base, paragraph)


def _check_paragraph(doc: Document, ctx: RuleContext, base: int, body: str) -> Iterator[Finding]:
    def at(offset: int, message: str, code: str, severity: str = ERROR) -> Finding:
        line, column = doc.body_position(base + offset)
        return Finding(doc.path, line, message, code, severity, column)

    if "{" in body:
        for match in _ATTR_LIST.finditer(body):
            if match.group(1).lower() in HIDING_CLASSES:
                yield at(
                    match.start(1),
                    f"Lớp “.{match.group(1)}” làm ẩn chữ — nội dung ẩn không được phép; bỏ lớp này.",
                    "html-hidden",
                )
    if "<" not in body:
        return
    for match in _DANGEROUS_TAGS.finditer(body):
        tag = match.group(1).lower()
        yield at(
            match.start(),
            f"Thẻ <{tag}> không được phép trong bài và sẽ bị xoá khi dựng trang — bỏ đoạn mã này.",
            "html-tag",
        )
    for match in _IFRAME.finditer(body):
        host = (urlsplit(match.group(1)).hostname or "").lower()
        if urlsplit(match.group(1)).scheme != "https" or not ctx.sources.embed_allowed(host):
            yield at(
                match.start(),
                f"Khung nhúng từ “{host or match.group(1)}” không được phép và sẽ bị xoá — chỉ nhúng video từ {', '.join(ctx.sources.embeds) or 'các trang được phép'} qua https.",
                "html-iframe",
            )
    for match in _EVENT.finditer(body):
        yield at(
            match.start(1),
            f"Thuộc tính “{match.group(1)}” chạy mã lệnh và sẽ bị xoá — bỏ thuộc tính này.",
            "html-event",
        )
    for match in _CLASS.finditer(body):
        hiding = [c for c in match.group(2).split() if c.lower() in HIDING_CLASSES]
        if hiding:
            yield at(
                match.start(2),
                f"Lớp “{hiding[0]}” làm ẩn chữ — nội dung ẩn không được phép; bỏ lớp này.",
                "html-hidden",
            )
    for match in _STYLE.finditer(body):
        style = match.group(2)
        if _HIDING.search(style):
            yield at(
                match.start(2),
                f"Thuộc tính style “{style.strip()}” làm ẩn chữ — nội dung ẩn không được phép; bỏ thuộc tính này.",
                "html-hidden",
            )
        else:
            yield at(
                match.start(2),
                "Thuộc tính style sẽ bị bỏ khi dựng trang — trình bày bằng Markdown thay vì style.",
                "html-style",
                WARNING,
            )
