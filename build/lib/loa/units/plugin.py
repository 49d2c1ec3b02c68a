"""Pelican side of ``loa.units``: the registry at build start, the unit on every article."""

from __future__ import annotations

import logging
import os

from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import Category

from loa import platforms
from loa.errors import LoaError
from loa.findings import (
    Finding,
    build_findings,
    plain_build_log,
    reset_build,
    start_build,
    stop_build,
    stop_on_errors,
)
from loa.units.registry import Registry, RegistryError, Unit
from loa.units.registry import load as load_registry

logger = logging.getLogger(__name__)

_state: dict = {"path": None, "mtime": None, "categories": {}}


def registry_path(settings: dict) -> str:
    """Where the registry lives: ``LOA_UNITS_FILE``, else ``<PATH>/units.yml``."""
    return settings.get("LOA_UNITS_FILE") or os.path.join(settings["PATH"], "units.yml")


def _load_into(settings: dict) -> Registry:
    path = registry_path(settings)
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        mtime = None
    if (
        settings.get("LOA_UNITS") is not None
        and _state["path"] == path
        and _state["mtime"] == mtime
    ):
        return settings["LOA_UNITS"]
    try:
        platforms.load_extensions(
            settings.get("LOA_PLATFORMS"), os.getcwd(), "pelicanconf.py, LOA_PLATFORMS"
        )
    except LoaError as exc:
        stop_build(f"Dừng dựng trang: {exc}")
    try:
        registry = load_registry(path)
    except RegistryError as exc:
        for finding in exc.findings:
            logger.error("%s", finding)
        stop_build(
            f"Dừng dựng trang: {os.path.relpath(path)} có {len(exc.findings)} lỗi (xem ở trên) — "
            f"sửa tệp danh sách đơn vị rồi dựng lại."
        )
    settings["LOA_UNITS"] = registry
    _state.update(path=path, mtime=mtime, categories={})
    return registry


def load_units(pelican) -> None:
    """Load and validate the registry before anything is read (``initialized``).

    Also refuses to build when a ``loa.*`` plugin listed in PLUGINS failed to
    load: Pelican only logs that, and a site without its manifest or its rules
    must never be published.
    """
    loaded = {getattr(module, "__name__", "") for module in getattr(pelican, "plugins", [])}
    missing = [
        name
        for name in pelican.settings.get("PLUGINS") or []
        if isinstance(name, str) and name.startswith("loa.") and name not in loaded
    ]
    if missing:
        stop_build(
            f"Dừng dựng trang: không nạp được plugin {', '.join(missing)} (xem lỗi ở trên) — sửa lỗi trong mã rồi dựng lại."
        )
    _load_into(pelican.settings)


def refresh_units(generator) -> None:
    """Reload the registry if it changed (``article_generator_init``; autoreload runs again)."""
    _load_into(generator.settings)


def unit_category(unit: Unit, settings: dict) -> Category:
    """The Pelican category of a unit: named for readers, slugged as its folder."""
    category = _state["categories"].get(unit.slug)
    if category is None:
        category = Category(unit.name, settings)
        category.slug = unit.slug
        category.unit = unit
        _state["categories"][unit.slug] = category
    return category


def _articles_dir(settings: dict) -> str:
    paths = settings.get("ARTICLE_PATHS") or [""]
    return os.path.join(settings["PATH"], paths[0])


def unit_of_path(source_path: str, settings: dict) -> str | None:
    """The unit folder of an article file, or None when it is not in a folder."""
    rel = os.path.relpath(source_path, _articles_dir(settings))
    parts = rel.replace(os.sep, "/").split("/")
    if len(parts) < 2 or parts[0] in ("..", "."):
        return None
    return parts[0]


def attach_unit(content) -> None:
    """Put the unit record on each article and make its category the unit (``content_object_init``)."""
    if not isinstance(content, Article):
        return
    settings = content.settings
    registry: Registry | None = settings.get("LOA_UNITS")
    if registry is None:
        return
    source = os.path.relpath(content.source_path)
    folder = unit_of_path(content.source_path, settings)
    valid = ", ".join(registry.slugs)
    if folder is None:
        build_findings.add(
            Finding(
                source,
                1,
                f"bài viết không nằm trong thư mục của một đơn vị — chuyển tệp vào "
                f"content/articles/<đơn-vị>/ (các đơn vị: {valid}).",
                code="unit-folder",
            )
        )
        return
    unit = registry.get(folder)
    if unit is None:
        build_findings.add(
            Finding(
                source,
                1,
                f"thư mục “{folder}” không phải đơn vị nào trong {os.path.relpath(registry.path)} — "
                f"chuyển bài vào thư mục của một đơn vị ({valid}) hoặc thêm đơn vị vào danh sách.",
                code="unknown-unit",
            )
        )
        return
    content.unit = unit
    content.category = unit_category(unit, settings)


def check_page_slugs(generator) -> None:
    """A page whose slug is a unit's folder would overwrite that unit's page."""
    registry: Registry | None = generator.settings.get("LOA_UNITS")
    if registry is None:
        return
    for page in (*generator.pages, *generator.hidden_pages, *generator.draft_pages):
        if page.slug in registry:
            build_findings.add(
                Finding(
                    os.path.relpath(page.source_path),
                    1,
                    f"trang có slug “{page.slug}” trùng với thư mục của đơn vị cùng tên — "
                    f"đặt “slug:” khác cho trang này.",
                    code="page-slug",
                )
            )


def every_unit_listed(generator) -> None:
    """Give every unit a page and feeds, even before its first article (``article_generator_pretaxonomy``).

    Also stops two articles of one unit from sharing a slug, which would make
    one silently overwrite the other.
    """
    registry: Registry | None = generator.settings.get("LOA_UNITS")
    if registry is None:
        return
    for unit in registry.all():
        generator.categories[unit_category(unit, generator.settings)]
    seen: dict[tuple[str, str], str] = {}
    for article in (*generator.articles, *generator.drafts):
        unit = getattr(article, "unit", None)
        if unit is None:
            continue
        key = (unit.slug, article.slug)
        source = os.path.relpath(article.source_path)
        if key in seen:
            build_findings.add(
                Finding(
                    source,
                    1,
                    f"bài viết có cùng đường dẫn /{unit.slug}/{article.slug}/ với {seen[key]} — "
                    f"đổi tên tệp hoặc thêm “slug:” khác cho một trong hai bài.",
                    code="duplicate-slug",
                )
            )
        else:
            seen[key] = source


# Where Pelican's article and page generators keep what they read.
_CONTENT_LISTS = (
    "articles",
    "drafts",
    "hidden_articles",
    "pages",
    "hidden_pages",
    "draft_pages",
    "translations",
    "drafts_translations",
    "hidden_translations",
    "draft_translations",
)


def freeze_addresses(generator) -> None:
    """Compute each article's and page's URL once.

    Pelican formats the URL setting again on every access of ``url`` — some 28
    times per article in a build (lists, feeds, related articles, the
    sitemap), and once per page of the site for each page in the menu. By
    ``article_generator_pretaxonomy`` and ``page_generator_finalized`` the
    unit, slug and status (a future date has made an article a draft) are
    final, so the value is kept. ``save_as`` is left alone: an
    ``override_save_as`` would also make Pelican let the content overwrite
    other pages (``override_output``).
    """
    for name in _CONTENT_LISTS:
        for content in getattr(generator, name, ()):
            content.override_url = content.url


def unit_context(generator) -> None:
    """Give templates the registry and each unit's articles (``article_generator_finalized``)."""
    registry: Registry | None = generator.settings.get("LOA_UNITS")
    if registry is None:
        return
    by_unit: dict[str, list] = {u.slug: [] for u in registry.all()}
    for article in generator.articles:
        unit = getattr(article, "unit", None)
        if unit is not None:
            by_unit[unit.slug].append(article)
    generator.context["units"] = registry.all()
    generator.context["articles_by_unit"] = by_unit
    generator.context["unit_categories"] = {
        u.slug: unit_category(u, generator.settings) for u in registry.all()
    }


def register() -> None:
    """Connect the units handlers.

    The registry loads at ``initialized`` so a broken ``units.yml`` stops the
    build before any article is read; the stop check runs at ``get_writer``,
    after every article was read and checked and before any page is written.
    """
    plain_build_log()
    signals.initialized.connect(load_units)
    signals.article_generator_init.connect(refresh_units)
    signals.content_object_init.connect(attach_unit)
    signals.article_generator_pretaxonomy.connect(every_unit_listed)
    signals.article_generator_pretaxonomy.connect(freeze_addresses)
    signals.article_generator_finalized.connect(unit_context)
    signals.page_generator_finalized.connect(check_page_slugs)
    signals.page_generator_finalized.connect(freeze_addresses)
    signals.get_writer.connect(stop_on_errors)
    signals.get_generators.connect(start_build)
    signals.finalized.connect(reset_build)
