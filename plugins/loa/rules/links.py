"""Link rules: official sources only, https, and internal links that resolve."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from loa.findings import ERROR, WARNING, Finding
from loa.frontmatter import Document
from loa.rules.context import RuleContext

_FENCE = re.compile(r"^( {0,3})(```+|~~~+).*?^\1\2[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.DOTALL)
# (kind, a string the pattern cannot match without, pattern): the string is
# looked for first, since most articles hold no raw HTML and few links, and
# each scan costs a pass over the text.
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
    (
        "html",
        "=",
        re.compile(
            r"\b(?:href|src)\s*=\s*(?P<q>[\"'])(?P<url>.*?)(?P=q)", re.IGNORECASE | re.DOTALL
        ),
    ),
    ("html", "=", re.compile(r"\b(?:href|src)\s*=\s*(?P<url>[^\s\"'>]+)", re.IGNORECASE)),
)
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
    """``text`` with code blocks and code spans blanked out (offsets and lines kept)."""

    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    if "```" in text or "~~~" in text:
        text = _FENCE.sub(blank, text)
    if "`" in text:
        text = _INLINE_CODE.sub(blank, text)
    return text


def extract_links(body: str) -> list[Link]:
    """Every link, image and raw-HTML ``href``/``src`` target in a Markdown body."""
    masked = mask_code(body)
    found: dict[int, Link] = {}
    for kind, needed, pattern in _PATTERNS:
        if needed not in masked:
            continue
        for match in pattern.finditer(masked):
            offset = match.start("url")
            if offset in found:
                continue
            alt = match.groupdict().get("alt")
            link_kind = kind
            if kind == "html":
                tag = re.match(r"<\s*([a-zA-Z]+)", masked[masked.rfind("<", 0, offset) :])
                if tag and tag.group(1).lower() == "iframe":
                    link_kind = "embed"  # judged by the HTML rule against the embed hosts
            found[offset] = Link(match.group("url").strip(), link_kind, offset, alt)
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
        resolved = ctx.content_dir / target.lstrip("/")
    else:
        resolved = Path(doc.file or ctx.content_dir.parent / doc.path).parent / target
    if not resolved.exists():
        return f"Liên kết “{url}” trỏ tới tệp không tồn tại — sửa đường dẫn (tính từ thư mục content/)."
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
        yield (
            WARNING,
            "image-alt",
            "Ảnh trong bài thiếu mô tả — viết mô tả giữa hai dấu ngoặc vuông: ![Mô tả ảnh](đường-dẫn).",
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
