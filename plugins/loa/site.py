"""Where a site's content lives: its folders, its registry, its official sources, its settings.

A record every room that works on a checkout reads (``loa check``'s rules, the
posting runs, the reports, the command line), kept apart from all of them so
none imports another feature to find the site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from loa import platforms
from loa.errors import LoaError
from loa.units import Registry
from loa.units import load as load_registry
from loa.units.sources import Sources, load_sources


@dataclass
class Site:
    """Where a site's content lives (defaults follow ``pelicanconf.py``)."""

    root: Path = field(default_factory=Path.cwd)
    content: str = "content"
    articles: str = "articles"
    pages: str = "pages"
    units_file: str = "content/units.yml"
    sources_file: str = "content/sources.yml"
    settings_file: str | None = None

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
        platforms.load_for_site(self.root)
        path = self.root / self.units_file
        return load_registry(path, self.rel(path))

    def load_sources(self) -> Sources:
        """The official sources (link allowlist)."""
        path = self.root / self.sources_file
        return load_sources(path, self.rel(path))

    def settings(self) -> list[dict]:
        """Pelican settings of the site: production first, then development (those present)."""
        names = [self.settings_file] if self.settings_file else ["publishconf.py", "pelicanconf.py"]
        found = []
        for name in names:
            if (self.root / name).is_file():
                try:
                    # Only the values, without Pelican's checks (the theme need not exist here).
                    found.append(settings_from_file(self.root / name))
                except Exception as exc:  # a settings file is code: any error is the user's to fix
                    raise LoaError(
                        f"{name} không chạy được ({exc.__class__.__name__}: {exc}) — sửa tệp cấu hình này."
                    ) from None
        return found

    def _relative(self, path: Path, folder: Path) -> list[str] | None:
        # String arithmetic on absolute paths: resolve() costs a system call per
        # path component, which adds up over thousands of articles.
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(folder))
        if rel.startswith(".."):
            return None
        return rel.split(os.sep)

    def kind(self, path: Path) -> str:
        """``page`` or ``article``, by folder."""
        return "page" if self._relative(path, self.pages_dir) is not None else "article"

    def unit_folder(self, path: Path) -> str | None:
        """The first folder under content/articles/, or None."""
        parts = self._relative(path, self.articles_dir)
        return parts[0] if parts and len(parts) >= 2 else None


def settings_from_file(path: Path) -> dict:
    """A settings file's upper-case names, read as Pelican's ``get_settings_from_file`` reads them.

    The same steps as ``pelican.settings.load_source`` (the module registered
    under its file name, so ``publishconf.py`` can ``from pelicanconf import *``),
    without importing Pelican: the posting runs read the settings without it.
    """
    import importlib.util
    import sys

    name = path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return {key: getattr(module, key) for key in dir(module) if key.isupper()}
