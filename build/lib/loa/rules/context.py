"""What the rules know about the whole site: units, sources, and every address that exists."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from loa.units import Registry
from loa.units.sources import EMPTY, Sources
from loa.vietnamese import slugify

# Site-wide pages that always exist (or will, with later features).
FIXED_PATHS = frozenset(
    {
        "/",
        "/don-vi/",
        "/chu-de/",
        "/tac-gia/",
        "/luu-tru/",
        "/tim-kiem/",
        "/thong-ke/",
        "/su-kien/",
        "/sitemap.xml",
        "/robots.txt",
    }
)
FIXED_PREFIXES = ("/feeds/", "/theme/", "/pagefind/")


@dataclass
class SiteIndex:
    """Every internal address the build will write, normalised to ``/a/b/``."""

    paths: set[str] = field(default_factory=set)
    unit_slugs: frozenset[str] = frozenset()

    def add_article(self, unit: str, slug: str) -> None:
        """Record an article's address."""
        self.paths.add(f"/{unit}/{slug}/")

    def add_page(self, slug: str) -> None:
        """Record a page's address."""
        self.paths.add(f"/{slug}/")

    def add_taxonomy(self, tags=(), authors=()) -> None:
        """Record tag and author pages."""
        self.paths.update(f"/chu-de/{slugify(t)}/" for t in tags)
        self.paths.update(f"/tac-gia/{slugify(a)}/" for a in authors)

    def add_static(self, content_dir: Path, folder: str = "images") -> None:
        """Record every file under ``content/<folder>/``."""
        root = content_dir / folder
        if root.is_dir():
            self.paths.update(
                "/" + p.relative_to(content_dir).as_posix() for p in root.rglob("*") if p.is_file()
            )

    def has(self, path: str) -> bool:
        """True when ``path`` (already without query and fragment) exists on the site."""
        if path in self.paths or path in FIXED_PATHS or path.startswith(FIXED_PREFIXES):
            return True
        if path.endswith("/index.html"):
            return self.has(path[: -len("index.html")])
        return (
            not path.endswith("/")
            and "." not in path.rsplit("/", 1)[-1]
            and (path + "/") in self.paths
        )

    def is_article_path(self, path: str) -> bool:
        """True when ``path`` is shaped like ``/<unit>/<slug>/``."""
        parts = [p for p in path.split("/") if p]
        return len(parts) == 2 and parts[0] in self.unit_slugs and parts[1] != "page"


@dataclass
class RuleContext:
    """Everything a rule may consult besides the document itself."""

    content_dir: Path
    registry: Registry | None = None
    sources: Sources = EMPTY
    index: SiteIndex | None = None
    site_hosts: frozenset[str] = frozenset()
    strict: frozenset[str] = frozenset()
