"""Link rules: official sources only, https, and internal links that resolve."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from loa import contentfs, pictures
from loa.findings import ERROR, WARNING, Finding
from loa.frontmatter import Document
from loa.frontmatter.limits import code_regions
from loa.rules.context import RuleContext

# (kind, a string the pattern cannot match without, pattern): the string is
# looked for first, since most paragraphs hold no link. Each pattern runs on
# one paragraph at a time, so no scan crosses a blank line, and the body's
# limits (``loa.frontmatter.limits``) bound what a paragraph may ask of them.
_PATTERNS = (
    (
        "image",
        "![",
        re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)"),
    ),
    ("link", "](", re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?(?P<url>[^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")),
    ("link", "]:", re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(?P<url>\S+?)>?(?:\s|$)", re.MULTILINE)),
    (
        "link",
        "<",
        re.compile(r"<(?P<url>(?:https?|ftp|javascript|data|mailto):[^>\s]+)>", re.IGNORECASE),
    ),
)
_ATTRIBUTE = re.compile(r"\b(?:href|src)\s*=\s*", re.IGNORECASE)
_BARE_VALUE = re.compile(r"[^\s\"'>]+")
_TAG_NAME = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9]*)")
UNSAFE_SCHEMES = ("javascript", "vbscript", "data", "file")
SAFE_SCHEMES = ("mailto", "tel")
PELICAN_PREFIXES = (
    "{filename}",
    "{static}",
    "{attach}",
    "{index}",
    "{category}",
    "{tag}",
    "{author}",
)


@dataclass(frozen=True)
class Link:
    """A link target found in the Markdown source, with where it is."""

    url: str
    kind: str
    offset: int
    alt: str | None = None


def mask_code(text: str) -> str:
    """``text`` with code blocks and code spans blanked out (offsets and lines kept); linear time."""
    if "`" not in text and "~~~" not in text:
        return text
    regions = code_regions(text)
    if not regions:
        return text
    parts, last = [], 0
    for start, end in regions:
        if start < last:
            continue
        parts += [text[last:start], _BLANK.sub(" ", text[start:end])]
        last = end
    parts.append(text[last:])
    return "".join(parts)


_BLANK = re.compile(r"[^\n]")


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each run of non-blank lines."""
    out, start, offset = [], None, 0
    for line in text.split("\n"):
        if line.strip():
            if start is None:
                start = offset
        elif start is not None:
            out.append((start, text[start : offset - 1]))
            start = None
        offset += len(line) + 1
    if start is not None:
        out.append((start, text[start:]))
    return out


def _tag_attributes(text: str) -> Iterator[tuple[str, int, str]]:
    """(url, offset, tag name) of each ``href``/``src`` inside a raw HTML tag; linear time.

    A tag runs from "<" and a letter to the next ">" (a "<" inside it starts no
    tag, as in HTML); a quoted value ends at the next quote of its kind, found
    once per kind of quote however many values are left open.
    """
    closing = {'"': -2, "'": -2}
    gt = -2
    index = text.find("<")
    while index != -1:
        if index + 1 < len(text) and (text[index + 1].isalpha() or text[index + 1] == " "):
            if gt < index:
                gt = text.find(">", index)
            if gt == -1:
                return
            name = _TAG_NAME.match(text, index)
            tag = name.group(1).lower() if name else ""
            for match in _ATTRIBUTE.finditer(text, index, gt):
                position = match.end()
                if position < gt and text[position] in "\"'":
                    quote = text[position]
                    if closing[quote] != -1 and closing[quote] <= position:
                        closing[quote] = text.find(quote, position + 1)
                    end = closing[quote]
                    if end == -1 or end > gt:
                        continue  # a value left open: no address
                    yield text[position + 1 : end], position + 1, tag
                else:
                    bare = _BARE_VALUE.match(text, position, gt)
                    if bare:
                        yield bare.group(0), position, tag
            index = text.find("<", gt + 1)
        else:
            index = text.find("<", index + 1)


def extract_links(body: str) -> list[Link]:
    """Every link, image and raw-HTML ``href``/``src`` target in a Markdown body (linear time)."""
    masked = mask_code(body)
    found: dict[int, Link] = {}
    active = [entry for entry in _PATTERNS if entry[1] in masked]
    tags = "<" in masked and "=" in masked
    if not active and not tags:
        return []
    for base, paragraph in paragraphs(masked):
        for kind, needed, pattern in active:
            if needed not in paragraph:
                continue
            for match in pattern.finditer(paragraph):
                offset = base + match.start("url")
                if offset not in found:
                    alt = match.groupdict().get("alt")
                    found[offset] = Link(match.group("url").strip(), kind, offset, alt)
        if tags and "<" in paragraph and "=" in paragraph:
            for url, position, tag in _tag_attributes(paragraph):
                offset = base + position
                if offset not in found:
                    # an iframe is judged by the HTML rule against the embed hosts
                    kind = "embed" if tag == "iframe" else "html"
                    found[offset] = Link(url.strip(), kind, offset)
    return sorted(found.values(), key=lambda link: link.offset)


def _internal_path(url: str, doc: Document, ctx: RuleContext) -> str | None:
    """The site path a relative or site-absolute URL points to (None when it cannot be told)."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if not path:
        return None  # "#anchor" or "?query" on the same page
    if path.startswith("/"):
        return posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
    # relative to the article's own address /<unit>/<slug>/
    base = _own_path(doc)
    if base is None:
        return None
    joined = posixpath.normpath(posixpath.join(base, path))
    return joined + ("/" if path.endswith("/") else "")


def _own_path(doc: Document) -> str | None:
    slug = doc.fields.get("slug")
    if not slug:
        return None
    if doc.kind == "page":
        return f"/{slug}/"
    parts = doc.path.replace("\\", "/").split("/")
    if "articles" in parts:
        index = parts.index("articles")
        if len(parts) > index + 2:
            return f"/{parts[index + 1]}/{slug}/"
    return None


def _check_pelican_link(url: str, doc: Document, ctx: RuleContext) -> str | None:
    """Resolve ``{filename}``/``{static}`` links against the content folder; the problem or None."""
    prefix = next(p for p in PELICAN_PREFIXES if url.startswith(p))
    target = unquote(urlsplit(url[len(prefix) :]).path)
    if prefix not in ("{filename}", "{static}", "{attach}"):
        return None
    if target.startswith("/"):
        relative = target.lstrip("/")
    else:
        folder = Path(doc.file or ctx.content_dir.parent / doc.path).parent
        relative = posixpath.join(
            os.path.relpath(folder, ctx.content_dir).replace(os.sep, "/"), target
        )
    try:
        resolved = contentfs.resolve_inside(ctx.content_dir, relative)
    except contentfs.ContentProblem as exc:
        return f"Liên kết “{url}”: {exc} — chỉ liên kết tới tệp trong thư mục content/."
    if not resolved.exists():
        return f"Liên kết “{url}” trỏ tới tệp không tồn tại — sửa đường dẫn (tính từ thư mục content/)."
    if prefix != "{filename}" and resolved.suffix.lower() not in (".md", ".markdown"):
        problem = pictures.static_problem(resolved)
        if problem:
            return f"Liên kết “{url}”: tệp {problem}."
    return None


@dataclass(frozen=True)
class LinkAt:
    """A link with its line and column in the file (what the build caches per article)."""

    url: str
    kind: str
    line: int
    column: int | None
    alt: str | None = None


def collect_links(doc: Document) -> list[LinkAt]:
    """Every link of a document, body and ``source_url``, with file positions."""
    links = [
        LinkAt(link.url, link.kind, *doc.body_position(link.offset), link.alt)
        for link in extract_links(doc.body)
    ]
    if doc.fields.get("source_url"):
        links.append(LinkAt(doc.fields["source_url"], "source", doc.line_of("source_url"), None))
    for url in doc.fields.get("legal_basis") or ():
        links.append(LinkAt(url, "source", doc.line_of("legal_basis"), None))
    event = doc.fields.get("event")
    if event is not None:
        for url in (event.online, event.registration):
            if url:
                links.append(LinkAt(url, "source", doc.line_of("event"), None))
    return links


def judge_links(links: list[LinkAt], doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Findings for links already collected (the build judges cached links against today's site)."""
    for link in links:
        for severity, code, message in _judge(link, doc, ctx):
            yield Finding(doc.path, link.line, message, code, severity, link.column)


def check_links(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Findings for every link in the body and for ``source_url``."""
    return judge_links(collect_links(doc), doc, ctx)


def _judge(link: LinkAt, doc: Document, ctx: RuleContext):
    url = link.url
    if link.kind == "embed":
        return
    if link.kind == "image" and not (link.alt or "").strip():
        # An error, as the guide says: always describe a picture (readers who cannot see it).
        yield (
            ERROR,
            "image-alt",
            "Ảnh trong bài thiếu mô tả — viết mô tả giữa hai dấu ngoặc vuông: "
            f"![Mô tả ảnh]({link.url or 'đường-dẫn'}) (người không xem được ảnh sẽ nghe mô tả này).",
        )
    if not url:
        yield (
            ERROR,
            "link-empty",
            "Liên kết rỗng — điền địa chỉ vào giữa hai dấu ngoặc tròn, hoặc bỏ liên kết.",
        )
        return
    if url.startswith(PELICAN_PREFIXES):
        problem = _check_pelican_link(url, doc, ctx)
        if problem:
            yield ERROR, "link-internal", problem
        return
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in UNSAFE_SCHEMES:
        yield (
            ERROR,
            "link-unsafe",
            f"Liên kết kiểu “{scheme}:” không an toàn và sẽ bị xoá khi dựng trang — thay bằng địa chỉ https:// của trang chính thống.",
        )
        return
    if scheme in SAFE_SCHEMES or url.startswith("#"):
        return
    if scheme in ("http", "https") or url.startswith("//"):
        host = (parts.hostname or "").lower()
        if host in ctx.site_hosts:
            yield from _judge_internal(parts.path or "/", url, doc, ctx)
            return
        rule = ctx.sources.rule_for(host)
        if rule is None:
            yield (
                ERROR,
                "link-domain",
                (
                    f"Liên kết tới “{host}” không thuộc danh sách nguồn chính thống ({ctx.sources.path or 'content/sources.yml'}) — "
                    f"thay bằng liên kết tới trang chính thức, hoặc đề nghị Ban Biên tập bổ sung tên miền."
                ),
            )
        elif scheme == "http" and rule.https:
            yield (
                WARNING,
                "link-http",
                f"Liên kết tới “{host}” dùng http:// — đổi thành https:// để an toàn cho người đọc.",
            )
        return
    if scheme:
        yield (
            ERROR,
            "link-unsafe",
            f"Liên kết kiểu “{scheme}:” không được hỗ trợ — dùng địa chỉ https://.",
        )
        return
    yield from _judge_internal(url, url, doc, ctx)


def _judge_internal(path_or_url: str, shown: str, doc: Document, ctx: RuleContext):
    if ctx.index is None:
        return
    path = _internal_path(path_or_url, doc, ctx)
    if path is None or ctx.index.has(path):
        return
    if ctx.index.is_article_path(path.rstrip("/") + "/"):
        yield (
            ERROR,
            "link-missing-article",
            f"Liên kết “{shown}” trỏ tới bài viết không tồn tại — kiểm tra tên đơn vị và đường dẫn bài (ví dụ /van-phong-cuc/ten-bai/).",
        )
    elif path.startswith("/images/"):
        yield (
            ERROR,
            "link-missing-image",
            f"Ảnh “{shown}” không có trong content{path} — tải ảnh vào đúng thư mục hoặc sửa đường dẫn.",
        )
    else:
        yield (
            ERROR,
            "link-internal",
            f"Liên kết nội bộ “{shown}” không tồn tại trên trang — sửa đường dẫn.",
        )
