"""Pelican side of ``loa.rules``: the same rules as ``loa check``, run by the build.

Per-file rules run as each file is read (their findings and the file's links are
kept in Pelican's reader cache with the article); links are judged once every
article is known, against today's allowlist and today's site.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals
from pelican.contents import Article

from loa.findings import (
    build_findings,
    plain_build_log,
    reset_build,
    start_build,
    stop_on_errors,
)
from loa.frontmatter import HTML_HOOKS, READ_HOOKS, Document
from loa.rules.check import DOCUMENT_RULES, RULES, promote
from loa.rules.context import RuleContext, SiteIndex
from loa.rules.files import static_problem_finding, symlink_findings
from loa.rules.html import sanitize
from loa.rules.links import LinkAt, check_links, collect_links, judge_links
from loa.rules.text import check_text
from loa.units import RegistryError
from loa.units.sources import EMPTY, load_sources

logger = logging.getLogger(__name__)

LINKS_KEY = "loa_links"
CLEAN_KEY = "loa_clean"  # metadata: the embed hosts the reader's sanitising allowed


def _context(settings: dict, index: SiteIndex | None = None) -> RuleContext:
    hosts = frozenset(h for h in [urlsplit(settings.get("SITEURL") or "").hostname or ""] if h)
    return RuleContext(
        content_dir=Path(settings["PATH"]),
        registry=settings.get("LOA_UNITS"),
        sources=settings.get("LOA_SOURCES") or EMPTY,
        index=index,
        site_hosts=hosts,
        strict=frozenset(settings.get("LOA_STRICT_RULES") or ()),
    )


def load_allowlist(pelican) -> None:
    """Load ``sources.yml`` (``initialized``); a broken file stops the build like a broken registry."""
    settings = pelican.settings
    path = settings.get("LOA_SOURCES_FILE") or os.path.join(settings["PATH"], "sources.yml")
    try:
        settings["LOA_SOURCES"] = load_sources(path, os.path.relpath(path))
    except RegistryError as exc:
        for finding in exc.findings:
            build_findings.add(finding)
        settings["LOA_SOURCES"] = EMPTY


def read_checks(doc: Document, text: str, had_bom: bool, settings: dict):
    """The per-file rules, run by the reader: (findings, metadata with the file's links)."""
    ctx = _context(settings)
    findings = list(check_text(text, doc.path, had_bom))
    if doc.ok:
        for rule in (*DOCUMENT_RULES, *RULES):
            if rule is check_links:
                continue  # judged later, against the whole site
            findings.extend(rule(doc, ctx))
    links = [tuple(vars(link).values()) for link in collect_links(doc)] if doc.ok else []
    return promote(findings, ctx.strict), {LINKS_KEY: links}


def _embeds_key(embeds) -> str:
    """Which embed hosts a sanitised text allowed (stored with it in the reader cache)."""
    return "|".join(sorted(h.lower() for h in embeds))


def sanitize_read(html: str, settings: dict) -> tuple[str, dict]:
    """Sanitise the HTML as the reader makes it (an ``HTML_HOOKS`` hook, run on every core)."""
    embeds = (settings.get("LOA_SOURCES") or EMPTY).embeds
    return sanitize(html, embeds), {CLEAN_KEY: _embeds_key(embeds)}


def clean_html(content) -> None:
    """Every article and page leaves sanitised with nh3 (``content_object_init``).

    The reader already did it, unless the embed allowlist changed since the
    text was cached (or the content came from another reader): then here.
    """
    html = getattr(content, "_content", None)
    if html:
        embeds = (content.settings.get("LOA_SOURCES") or EMPTY).embeds
        if getattr(content, CLEAN_KEY, None) != _embeds_key(embeds):
            content._content = sanitize(html, embeds)


def _index(generators, settings: dict) -> SiteIndex:
    registry = settings.get("LOA_UNITS")
    index = SiteIndex(unit_slugs=frozenset(registry.slugs) if registry else frozenset())
    index.paths.update(f"/{slug}/" for slug in index.unit_slugs)
    for generator in generators:
        for article in getattr(generator, "articles", ()):
            index.paths.add("/" + article.url)
        for page in (*getattr(generator, "pages", ()), *getattr(generator, "hidden_pages", ())):
            index.paths.add("/" + page.url)
        # tags stay a dict, authors become a list of pairs: accept both shapes
        for name in ("tags", "authors"):
            value = getattr(generator, name, None) or ()
            for item in value.keys() if isinstance(value, dict) else (pair[0] for pair in value):
                index.paths.add("/" + item.url)
    index.add_static(Path(settings["PATH"]), "images")
    return index


def check_site_links(generators) -> None:
    """Judge every article's links against the allowlist and the site (``all_generators_finalized``)."""
    settings = generators[0].settings
    ctx = _context(settings, _index(generators, settings))
    for generator in generators:
        items = (
            *getattr(generator, "articles", ()),
            *getattr(generator, "drafts", ()),
            *getattr(generator, "pages", ()),
            *getattr(generator, "hidden_pages", ()),
        )
        for content in items:
            links = getattr(content, LINKS_KEY, None)
            if not links:
                continue
            doc = Document(
                path=os.path.relpath(content.source_path),
                kind="article" if isinstance(content, Article) else "page",
                fields={"slug": content.slug},
                file=content.source_path,
            )
            for finding in promote(
                list(judge_links([LinkAt(*link) for link in links], doc, ctx)), ctx.strict
            ):
                build_findings.add(finding)


def refuse_symlinks(pelican) -> None:
    """Every symbolic link under content/ is an error, at the start of each build (``get_generators``)."""
    for finding in symlink_findings(pelican.settings["PATH"]):
        build_findings.add(finding)


def filter_static(generator) -> None:
    """Keep only static files that may be published (``static_generator_finalized``).

    Pelican copies every file under STATIC_PATHS and every file an article
    links with ``{static}`` or ``{attach}`` — wherever that path leads. Each
    file outside content/, behind a symlink, of a type not on the allowlist or
    whose first bytes do not match its extension is taken out before anything
    is copied, and is an error that stops the build.
    """
    content_dir = generator.settings["PATH"]
    kept = []
    for static in generator.staticfiles:
        finding = static_problem_finding(content_dir, static.source_path)
        if finding is None:
            kept.append(static)
            continue
        build_findings.add(finding)
        generator.context["static_content"].pop(static.get_relative_source_path(), None)
    generator.staticfiles[:] = kept


def register() -> None:
    """Connect the rules; the stop check (``get_writer``) runs after the link check."""
    plain_build_log()
    if read_checks not in READ_HOOKS:
        READ_HOOKS.append(read_checks)
    if sanitize_read not in HTML_HOOKS:
        HTML_HOOKS.append(sanitize_read)
    signals.initialized.connect(load_allowlist)
    signals.content_object_init.connect(clean_html)
    signals.all_generators_finalized.connect(check_site_links)
    signals.get_generators.connect(refuse_symlinks)
    signals.static_generator_finalized.connect(filter_static)
    signals.get_writer.connect(stop_on_errors)
    signals.get_generators.connect(start_build)
    signals.finalized.connect(reset_build)
