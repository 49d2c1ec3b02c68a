"""Pelican side of ``loa.syndication``: the manifest, and "also on" links from the ledger."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import signals

from loa import contentfs, pictures, platforms
from loa.ledger import POSTED, read_for_build, renamed, with_renames
from loa.syndication.manifest import absolute, identity, write_manifest
from loa.syndication.social import OUTPUT_DIR, SIZE, album_photo, social_image, unit_card

logger = logging.getLogger(__name__)

_articles: dict[int, list] = {}
# The earliest article held back for its date, per build (None: none is).
_held: dict[int, object] = {}


def add_social_images(generator) -> None:
    """Give every article ``social_image``: a JPEG every platform accepts (``article_generator_finalized``).

    The unit cards are drawn into the cache and copied at ``finalized`` (the
    output folder may be emptied before writing).
    """
    settings = generator.settings
    content = Path(settings["PATH"])
    cache = Path(settings.get("CACHE_PATH") or "cache") / "loa-social"
    output = Path(settings["OUTPUT_PATH"])
    registry = settings.get("LOA_UNITS")
    cards = {}
    if registry is not None:
        for index, unit in enumerate(registry.all()):
            card = cache / "cards" / f"{unit.slug}.jpg"
            if not card.exists():
                unit_card(
                    unit,
                    settings.get("SITESHORTNAME") or settings.get("SITENAME", ""),
                    card,
                    index,
                    settings.get("LOA_CARD_FONT"),
                )
            cards[unit.slug] = f"{OUTPUT_DIR}/{unit.slug}.jpg"
        _pending_cards[id(settings)] = (cache / "cards", output / OUTPUT_DIR)
        # Every page's link card: a unit's card on its pages, the department's elsewhere.
        siteurl = settings.get("SITEURL", "")
        generator.context["loa_cards"] = {
            slug: absolute(siteurl, rel) for slug, rel in cards.items()
        }
        generator.context["loa_site_card"] = absolute(siteurl, cards[registry.department.slug])
    for article in generator.articles:
        image = getattr(article, "image", None)
        made = None
        cover = contentfs.named_file(content, image) if image else None
        if cover is not None:
            made = social_image(cover, content, output, cache)
        unit = getattr(article, "unit", None)
        article.social_image = made or (cards.get(unit.slug) if unit else None)
        article.social_gallery = _social_gallery(article, content, output, cache)
        # Its size for og:image:width/height: a card or a converted cover is 1200×630.
        article.social_image_size = (
            contentfs.image_header(cover)[1]
            if made and cover is not None and not made.startswith(OUTPUT_DIR + "/")
            else SIZE
        )


def _social_gallery(article, content: Path, output: Path, cache: Path) -> list[dict]:
    """The album's photos as platform JPEGs, in order: site path, size, alt text, caption."""
    out = []
    photos = list(getattr(article, "gallery", None) or ())
    sources = [contentfs.named_file(content, photo.image) for photo in photos]
    results = pictures.each(
        lambda source: album_photo(source, output, cache) if source is not None else None, sources
    )
    for photo, made in zip(photos, results, strict=True):
        if made is not None:
            rel, (width, height) = made
            out.append(
                {
                    "path": rel,
                    "width": width,
                    "height": height,
                    "alt": photo.alt,
                    "caption": photo.caption,
                }
            )
    return out


_pending_cards: dict[int, tuple[Path, Path]] = {}


def copy_cards(pelican) -> None:
    """Copy the unit cards into the output (``finalized``)."""
    pending = _pending_cards.pop(id(pelican.settings), None)
    if pending is None:
        return
    source, target = pending
    target.mkdir(parents=True, exist_ok=True)
    for card in source.glob("*.jpg"):
        destination = target / card.name
        if not destination.exists() or os.path.getmtime(destination) < os.path.getmtime(card):
            destination.write_bytes(card.read_bytes())


def remember_articles(generator) -> None:
    """Keep the final list of published articles (``article_generator_finalized``)."""
    add_social_images(generator)
    _articles[id(generator.settings)] = list(generator.articles)
    held = [d.held_until for d in generator.drafts if getattr(d, "held_until", None)]
    _held[id(generator.settings)] = min(held) if held else None
    if generator.settings.get("LOA_READ_LEDGER"):
        add_also_on(generator.articles, generator.settings)


def add_also_on(articles, settings: dict) -> None:
    """Give each article the social posts the ledger recorded for it (``article.also_on``).

    Read from the ledger branch (``LOA_LEDGER_REMOTE``/``LOA_LEDGER_BRANCH``); a
    ledger that cannot be read leaves the links out and never fails the build.
    """
    view = read_for_build(settings)
    if view is None:
        return
    # An article whose address changed since it was posted keeps its links.
    renames = renamed([identity(a, settings) for a in articles], view.entries)
    states = with_renames(view.states, renames)
    by_article: dict[str, list[dict]] = {}
    registry = settings.get("LOA_UNITS")
    accounts = {
        (c.platform, str(c.account)): c.settings
        for unit in (registry.all() if registry is not None else [])
        for c in unit.channels
    }
    for key, state in states.items():
        if state.state == POSTED and state.posted and state.posted.remote_url and key[3] == "post":
            platform = key[1]
            record = platforms.get(platform)
            # The ledger's reader keeps only https addresses on the platform's own
            # hosts; checked again where it becomes an href (with the account's
            # settings: a federated platform's host is the account's).
            url = (
                record.own_url(state.posted.remote_url, accounts.get((platform, key[2]), {}))
                if record
                else ""
            )
            if not url:
                continue
            by_article.setdefault(key[0], []).append(
                {"platform": platform, "label": platforms.label(platform), "url": url}
            )
    order = {name: index for index, name in enumerate(platforms.names())}
    for article in articles:
        links = by_article.get("/" + article.url, [])
        article.also_on = sorted(links, key=lambda link: order.get(link["platform"], len(order)))


def write(pelican) -> None:
    """Write ``output/loa/manifest.json`` once the site is written (``finalized``)."""
    copy_cards(pelican)
    articles = _articles.pop(id(pelican.settings), None)
    if articles is None:
        return
    write_manifest(
        articles,
        pelican.settings,
        pelican.settings["OUTPUT_PATH"],
        next_article=_held.pop(id(pelican.settings), None),
    )


def register() -> None:
    """Connect the manifest writer.

    The articles are taken at ``article_generator_finalized`` (their URLs are
    final) and written at ``finalized``, when the build has succeeded: a failed
    build never leaves a manifest that syndication could act on.
    """
    signals.article_generator_finalized.connect(remember_articles)
    signals.finalized.connect(write)
