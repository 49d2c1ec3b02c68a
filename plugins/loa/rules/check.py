"""``loa check``: the build's content rules, run on files without building the site."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from loa.findings import Finding
from loa.frontmatter import Document, decode, parse_document
from loa.units import Registry, RegistryError
from loa.units import load as load_registry

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass
class Site:
    """Where a site's content lives (defaults follow ``pelicanconf.py``)."""

    root: Path = field(default_factory=Path.cwd)
    content: str = "content"
    articles: str = "articles"
    pages: str = "pages"
    units_file: str = "content/units.yml"

    @property
    def content_dir(self) -> Path:
        """The content folder."""
        return self.root / self.content

    @property
    def articles_dir(self) -> Path:
        """The folder of unit folders."""
        return self.content_dir / self.articles

    @property
    def pages_dir(self) -> Path:
        """The folder of static pages."""
        return self.content_dir / self.pages

    def rel(self, path: Path) -> str:
        """``path`` as shown to people: relative to the site root when inside it."""
        try:
            return os.path.relpath(path, self.root) if path.is_absolute() else str(path)
        except ValueError:
            return str(path)

    def load_registry(self) -> Registry:
        """The site's units registry; messages name it relative to the site."""
        path = self.root / self.units_file
        return load_registry(path, self.rel(path))

    def kind(self, path: Path) -> str:
        """ "page" or "article" by folder."""
        try:
            path.resolve().relative_to(self.pages_dir.resolve())
        except ValueError:
            return "article"
        return "page"

    def unit_folder(self, path: Path) -> str | None:
        """The first folder under content/articles/, or None."""
        try:
            rel = path.resolve().relative_to(self.articles_dir.resolve())
        except ValueError:
            return None
        return rel.parts[0] if len(rel.parts) >= 2 else None


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


# Extra rules (``loa.rules`` and later features) register here: each receives a
# parsed document, the site and the registry, and returns findings.
Rule = Callable[[Document, Site, Registry | None], Iterable[Finding]]
RULES: list[Rule] = []


def collect(paths: Iterable[str | Path], site: Site) -> list[Path]:
    """The Markdown files named by ``paths`` (folders are walked), sorted; all content by default."""
    paths = list(paths) or [site.articles_dir, site.pages_dir]
    found: set[Path] = set()
    for given in map(Path, paths):
        path = given
        if not path.is_absolute():
            path = (site.root / path) if not path.exists() else path.absolute()
        if path.is_dir():
            found.update(
                p for p in path.rglob("*") if p.suffix in MARKDOWN_SUFFIXES and p.is_file()
            )
        elif path.exists():
            found.add(path)
        else:
            found.add(path)  # reported as missing below
    return sorted(found)


def check_file(
    path: Path, site: Site, registry: Registry | None
) -> tuple[Document | None, list[Finding]]:
    """Parse and check one file; never raises for anything a file can contain."""
    shown = site.rel(path)
    if not path.exists():
        return None, [
            Finding(
                shown, None, "Không tìm thấy tệp — kiểm tra lại đường dẫn.", code="missing-file"
            )
        ]
    if path.suffix not in MARKDOWN_SUFFIXES:
        return None, [
            Finding(
                shown,
                None,
                "Bài viết phải là tệp Markdown “.md” — đổi đuôi tệp thành .md.",
                code="not-markdown",
            )
        ]
    text, problem = decode(path.read_bytes(), shown)
    if problem is not None:
        return None, [problem]
    kind = site.kind(path)
    doc = parse_document(text, shown, kind)
    findings = list(doc.findings)
    if kind == "article" and registry is not None:
        folder = site.unit_folder(path)
        valid = ", ".join(registry.slugs)
        if folder is None:
            findings.append(
                Finding(
                    shown,
                    1,
                    f"Bài viết không nằm trong thư mục của một đơn vị — chuyển tệp vào content/articles/<đơn-vị>/ (các đơn vị: {valid}).",
                    code="unit-folder",
                )
            )
        elif folder not in registry:
            findings.append(
                Finding(
                    shown,
                    1,
                    f"Thư mục “{folder}” không phải đơn vị nào trong {registry.path} — chuyển bài vào thư mục của một đơn vị ({valid}) hoặc thêm đơn vị vào danh sách.",
                    code="unknown-unit",
                )
            )
    for rule in RULES:
        findings.extend(rule(doc, site, registry))
    return doc, findings


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


def run_check(paths: Iterable[str | Path] = (), site: Site | None = None) -> CheckResult:
    """Check the registry and the given files (all content by default)."""
    site = site or Site()
    result = CheckResult()
    registry = None
    try:
        registry = site.load_registry()
    except RegistryError as exc:
        result.findings.extend(exc.findings)
    files = collect(paths, site)
    for path in files:
        doc, findings = check_file(path, site, registry)
        result.files += 1
        result.findings.extend(findings)
        if doc is not None:
            result.documents.append(doc)
    # Slugs collide across the whole unit, not only among the files named.
    every_article = [d for d in result.documents if site.kind(site.root / d.path) == "article"]
    if paths:
        named = {d.path for d in every_article}
        others = [
            p for p in collect((), site) if site.rel(p) not in named and site.kind(p) == "article"
        ]
        for path in others:
            text, problem = decode(path.read_bytes(), site.rel(path))
            if problem is None:
                every_article.append(parse_document(text, site.rel(path)))
        dupes = [f for f in _duplicate_slugs(every_article, site) if f.path in named]
    else:
        dupes = _duplicate_slugs(every_article, site)
    result.findings.extend(dupes)
    result.findings.sort(key=lambda f: (f.path, f.line or 0, f.column or 0))
    return result
