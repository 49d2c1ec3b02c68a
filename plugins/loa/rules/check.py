"""``loa check``: the build's content rules, run on files without building the site."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from loa import contentfs
from loa.findings import DEFAULT_STRICT_RULES, ERROR, Finding
from loa.frontmatter import Document, decode, parse_document
from loa.rules.context import RuleContext, SiteIndex
from loa.rules.fields import check_social_text
from loa.rules.files import static_findings, symlink_findings
from loa.rules.html import check_html
from loa.rules.images import check_cover, check_gallery
from loa.rules.links import check_links
from loa.rules.placeholders import check_placeholders
from loa.rules.reposts import check_event_organiser, check_repost
from loa.rules.text import check_text, fix_text
from loa.rules.video import check_video
from loa.site import Site
from loa.units import Registry, RegistryError
from loa.units.sources import Sources

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass
class CheckResult:
    """What ``loa check`` found, and how many files it read."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    documents: list[Document] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Findings that fail the check."""
        return [f for f in self.findings if f.is_error]


# Rules run on every parsed document, in order; each returns findings.
DOCUMENT_RULES = (
    check_cover,
    check_gallery,
    check_video,
    check_links,
    check_html,
    check_social_text,
    check_placeholders,
    check_repost,
    check_event_organiser,
)
RULES: list = []  # more rules added by later features: rule(doc, ctx) -> findings


def collect(paths: Iterable[str | Path], site: Site) -> list[Path]:
    """The Markdown files named by ``paths`` (folders are walked), sorted; all content by default."""
    paths = list(paths) or [site.articles_dir, site.pages_dir]
    found: set[Path] = set()
    for given in map(Path, paths):
        path = given
        if not path.is_absolute():
            path = (site.root / path) if not path.exists() else path.absolute()
        if path.is_dir():
            # Symbolic links are never followed (each is reported as an error).
            for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
                dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
                found.update(
                    Path(dirpath, name)
                    for name in filenames
                    if os.path.splitext(name)[1] in MARKDOWN_SUFFIXES
                )
        elif path.exists():
            found.add(path)
        else:
            found.add(path)  # reported as missing below
    return sorted(found)


def read_document(path: Path, site: Site) -> tuple[Document | None, list[Finding], str | None]:
    """Decode and parse one file: (document, findings so far, raw text)."""
    shown = site.rel(path)
    if not path.exists():
        return (
            None,
            [
                Finding(
                    shown, None, "Không tìm thấy tệp — kiểm tra lại đường dẫn.", code="missing-file"
                )
            ],
            None,
        )
    if path.suffix not in MARKDOWN_SUFFIXES:
        return (
            None,
            [
                Finding(
                    shown,
                    None,
                    "Bài viết phải là tệp Markdown “.md” — đổi đuôi tệp thành .md.",
                    code="not-markdown",
                )
            ],
            None,
        )
    # Files found by walking content/ without following links are inside it
    # unless they are links themselves; a path given by name is checked fully.
    if not contentfs.inside_fast(site.content_dir, path):
        return (
            None,
            [
                Finding(
                    shown,
                    None,
                    "Tệp là liên kết tượng trưng (symlink) hoặc nằm ngoài thư mục content/ — "
                    "thay bằng tệp thật trong thư mục của đơn vị.",
                    code="symlink",
                )
            ],
            None,
        )
    try:
        raw_bytes = contentfs.read_limited(path, contentfs.MAX_ARTICLE_BYTES)
    except (contentfs.ContentProblem, OSError) as exc:
        return (
            None,
            [Finding(shown, None, f"Tệp {exc} — chia thành nhiều bài ngắn hơn.", "file-size")],
            None,
        )
    text, problem = decode(raw_bytes, shown)
    if problem is not None:
        return None, [problem], None
    doc = parse_document(text, shown, site.kind(path))
    doc.file = str(path.absolute())
    findings = list(check_text(text, shown, had_bom=raw_bytes.startswith(b"\xef\xbb\xbf")))
    return doc, findings + doc.findings, text


def check_document(doc: Document, ctx: RuleContext, site: Site | None = None) -> list[Finding]:
    """The editorial rules on a parsed document (shared by ``loa check`` and the build)."""
    findings: list[Finding] = []
    if doc.kind == "article" and ctx.registry is not None and site is not None:
        folder = site.unit_folder(site.root / doc.path)
        valid = ", ".join(ctx.registry.slugs)
        if folder is None:
            findings.append(
                Finding(
                    doc.path,
                    1,
                    f"Bài viết không nằm trong thư mục của một đơn vị — chuyển tệp vào content/articles/<đơn-vị>/ (các đơn vị: {valid}).",
                    code="unit-folder",
                )
            )
        elif folder not in ctx.registry:
            findings.append(
                Finding(
                    doc.path,
                    1,
                    f"Thư mục “{folder}” không phải đơn vị nào trong {ctx.registry.path} — chuyển bài vào thư mục của một đơn vị ({valid}) hoặc thêm đơn vị vào danh sách.",
                    code="unknown-unit",
                )
            )
    topic = doc.fields.get("topic") if doc.kind == "article" else None
    if topic and ctx.registry is not None and topic not in {t.slug for t in ctx.registry.topics}:
        known = ", ".join(t.slug for t in ctx.registry.topics) or "chưa có chủ đề nào"
        findings.append(
            Finding(
                doc.path,
                doc.line_of("topic"),
                f"Chủ đề hỏi đáp “{topic}” không có trong mục “topics” của {ctx.registry.path} — chọn một trong: {known}.",
                code="question-topic",
            )
        )
    if not doc.ok:
        return findings  # a document that did not parse has nothing more to check
    for rule in (*DOCUMENT_RULES, *RULES):
        findings.extend(rule(doc, ctx))
    return findings


def promote(findings: list[Finding], strict: frozenset[str]) -> list[Finding]:
    """Warnings whose code is in ``strict`` become errors (production strictness)."""
    return [
        Finding(f.path, f.line, f.message, f.code, ERROR, f.column) if f.code in strict else f
        for f in findings
    ]


def build_index(docs: list[Document], site: Site, registry: Registry | None) -> SiteIndex:
    """Every internal address of the site, from the parsed documents and the files."""
    index = SiteIndex(unit_slugs=frozenset(registry.slugs) if registry else frozenset())
    for slug in index.unit_slugs:
        index.paths.add(f"/{slug}/")
    for doc in docs:
        slug = doc.fields.get("slug")
        if not slug or doc.fields.get("status") == "draft":
            continue
        if doc.kind == "page":
            index.add_page(slug)
            continue
        folder = site.unit_folder(site.root / doc.path)
        if folder:
            index.add_article(folder, slug)
        index.add_taxonomy(doc.fields.get("tags") or (), doc.fields.get("authors") or ())
    index.add_static(site.content_dir, "images")
    return index


def _site_hosts(settings: list[dict]) -> frozenset[str]:
    """The site's own hosts: a link to them is an internal link."""
    from urllib.parse import urlsplit

    hosts = {urlsplit(s.get("SITEURL") or "").hostname or "" for s in settings}
    return frozenset(h for h in hosts if h)


def _duplicate_slugs(docs: list[Document], site: Site) -> list[Finding]:
    seen: dict[tuple[str, str], str] = {}
    findings = []
    for doc in docs:
        folder = site.unit_folder(site.root / doc.path)
        slug = doc.fields.get("slug")
        if folder is None or not slug:
            continue
        key = (folder, slug)
        if key in seen:
            findings.append(
                Finding(
                    doc.path,
                    1,
                    f"Bài viết có cùng đường dẫn /{folder}/{slug}/ với {seen[key]} — đổi tên tệp hoặc thêm “slug:” khác.",
                    code="duplicate-slug",
                )
            )
        else:
            seen[key] = doc.path
    return findings


def run_check(
    paths: Iterable[str | Path] = (),
    site: Site | None = None,
    strict: bool = False,
    fix: bool = False,
) -> CheckResult:
    """Check the registry and the given files (all content by default).

    Every article is parsed (links must resolve against the whole site), but
    findings are reported only for the files named. With ``fix``, files are
    first rewritten to NFC without invisible characters.
    """
    site = site or Site()
    result = CheckResult()
    registry = None
    try:
        registry = site.load_registry()
    except RegistryError as exc:
        result.findings.extend(exc.findings)
    try:
        sources = site.load_sources()
    except RegistryError as exc:
        result.findings.extend(exc.findings)
        sources = Sources(site.sources_file, (), (), ())
    settings = site.settings()
    named = collect(paths, site)
    if fix:
        for path in named:
            fix_file(path)
        strip_locations(site.content_dir)
    everything = collect((), site) if paths else named
    parsed: dict[Path, tuple[Document | None, list[Finding]]] = {}
    for path in sorted(set(everything) | set(named)):
        doc, findings, _raw = read_document(path, site)
        parsed[path] = (doc, findings)
    docs = [d for d, _ in parsed.values() if d is not None]
    ctx = RuleContext(
        content_dir=site.content_dir,
        registry=registry,
        sources=sources,
        index=build_index(docs, site, registry),
        site_hosts=_site_hosts(settings),
        strict=frozenset(
            (settings[0] if settings else {}).get("LOA_STRICT_RULES", DEFAULT_STRICT_RULES)
        )
        if strict
        else frozenset(),
    )
    for path in named:
        doc, findings = parsed[path]
        result.files += 1
        result.findings.extend(findings)
        if doc is not None:
            result.documents.append(doc)
            result.findings.extend(check_document(doc, ctx, site))
    if not paths:  # the whole site: its files too
        result.findings.extend(symlink_findings(site.content_dir, site.root))
        static = [str(p) for p in (settings[0] if settings else {}).get("STATIC_PATHS", ["images"])]
        result.findings.extend(static_findings(site.content_dir, static, site.root))
    articles = [d for d in docs if d.kind == "article"]
    named_paths = {site.rel(p) for p in named}
    result.findings.extend(f for f in _duplicate_slugs(articles, site) if f.path in named_paths)
    result.findings = promote(result.findings, ctx.strict)
    result.findings.sort(key=lambda f: (f.path, f.line or 0, f.column or 0))
    return result


def strip_locations(content_dir: Path) -> list[Path]:
    """Take the GPS location out of every picture under content/ (``loa check --fix``)."""
    from loa import pictures

    fixed = []
    for folder, dirs, files in os.walk(content_dir, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if (
                path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp")
                and not path.is_symlink()
                and pictures.strip_gps(path)
            ):
                fixed.append(path)
    return fixed


def fix_file(path: Path) -> bool:
    """Rewrite ``path`` in NFC without BOM or invisible characters; True when it changed."""
    if not path.is_file():
        return False
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    fixed = fix_text(text).encode("utf-8")
    if fixed == raw:
        return False
    path.write_bytes(fixed)
    return True
