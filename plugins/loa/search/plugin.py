"""Search with Pagefind: article bodies only, a unit filter, a folded copy of the text and its word pairs.

Pagefind folds tone marks but not "đ", so "dong nai" would miss "Đồng Nai". Each
article is indexed from a small HTML document made here: its title and body as
written, then (with a lower weight, so that exact matches rank first) the same
text folded — "Đồng Nai" becomes "dong nai". The index is built from these
documents, not from the written pages, which keeps memory low on large sites.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import logging
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pelican import signals

from loa.vietnamese import fold

logger = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")
FOLDED_WEIGHT = "0.5"
# Articles per Pagefind process: Pagefind holds a whole index in memory while it
# builds it (about 1 GB for 2,000 articles with their folded words and pairs).
SHARD_SIZE = 600

_pending: dict[int, tuple] = {}


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment or "")).split())


def folded_extras(title: str, body: str) -> tuple[str, str]:
    """What Pagefind cannot fold itself, and the word pairs two-word queries ask for.

    Pagefind already folds tone marks ("Nẵng" is found by "nang") but not "đ", so
    only words with "đ" get a folded copy ("Đà" → "da"). Pairs are kept only
    where one of the two folded words holds a "d": the same test the search page
    applies before asking for a pair (theme/static/js/search.js).
    """
    words = _WORD.findall(fold(f"{title} {body}"))
    originals = _WORD.findall(f"{title} {body}".lower())
    folded = " ".join(sorted({w for w, o in zip(words, originals, strict=False) if "đ" in o}))
    pairs = " ".join(a + b for a, b in itertools.pairwise(words) if "d" in a or "d" in b)
    return folded, pairs


def document(record: dict) -> str:
    """The HTML Pagefind indexes for one article."""
    title, body = record["title"], record["text"]
    folded, pairs = folded_extras(title, body)
    meta = "".join(
        f'<meta data-pagefind-meta="{key}:{html.escape(value, quote=True)}">'
        for key, value in record["meta"].items()
        if value
    )
    return (
        f'<html lang="vi"><head>{meta}</head><body data-pagefind-body>'
        f'<span data-pagefind-filter="Đơn vị">{html.escape(record["unit"])}</span>'
        f"<h1>{html.escape(title)}</h1><div>{html.escape(body)}</div>"
        f'<div data-pagefind-weight="{FOLDED_WEIGHT}">{html.escape(folded)} {html.escape(pairs)}</div>'
        "</body></html>"
    )


def collect(generator) -> None:
    """Keep what the index needs of each published article (``article_generator_finalized``)."""
    if not generator.settings.get("LOA_SEARCH", True):
        return
    records = []
    for article in generator.articles:
        unit = getattr(article, "unit", None)
        records.append(
            {
                "url": "/" + article.url,
                "title": article.title,
                "text": plain_text(article._content),
                "unit": unit.short_name if unit else article.category.name,
                "meta": {
                    "title": article.title,
                    "đăng ngày": getattr(article, "locale_date", ""),
                    "image": f"/{article.social_image}"
                    if getattr(article, "social_image", None)
                    else "",
                },
            }
        )
    shard = int(generator.settings.get("LOA_SEARCH_SHARD_SIZE", SHARD_SIZE))
    generator.context["search_bundles"] = [
        f"pagefind-{n}" for n in range(2, 1 + max(1, -(-len(records) // shard)))
    ]
    # Indexed at ``finalized``, after the pages: running Pagefind alongside the
    # writing was measured slower on two cores (bench/build.py), not faster.
    _pending[id(generator.settings)] = (records, shard)


async def _index_shard(records: list[dict], bundle: Path) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    # The documents go to a scratch folder that Pagefind indexes in one request:
    # sending them one by one over the service's pipe costs ~0.1 s each.
    with tempfile.TemporaryDirectory(prefix="loa-search-") as scratch:
        root = Path(scratch)
        for record in records:
            target = root / record["url"].strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(document(record), encoding="utf-8")
        config = IndexConfig(force_language="vi", output_path=str(bundle))
        # Leaving the context writes the bundle to ``output_path``.
        async with PagefindIndex(config=config) as index:
            result = await index.add_directory(path=str(root))
    return int(result.get("page_count", len(records)))


def _index(records: list[dict], output: Path, shard_size: int) -> tuple[int, list[str]]:
    """Index in shards, one Pagefind process each, so memory stays flat as the site grows.

    The first shard is ``/pagefind/``; the others (``/pagefind-2/`` …) are merged
    by the search page (Pagefind's ``mergeIndex``). Returns the page count and the
    extra bundles.
    """
    extras, count = [], 0
    for number, start in enumerate(range(0, max(1, len(records)), shard_size), 1):
        name = "pagefind" if number == 1 else f"pagefind-{number}"
        count += asyncio.run(_index_shard(records[start : start + shard_size], output / name))
        if number > 1:
            extras.append(name)
    return count, extras


def build_index(pelican) -> None:
    """Write the search bundles once the site is written (``finalized``)."""
    pending = _pending.pop(id(pelican.settings), None)
    if pending is None:
        return
    records, shard = pending
    started = time.perf_counter()
    try:
        # A thread of its own: the caller may already run an event loop (a test
        # driving a browser, a notebook), and asyncio.run needs a fresh one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            count, extras = pool.submit(
                _index, records, Path(pelican.settings["OUTPUT_PATH"]), shard
            ).result()
    except Exception as exc:  # the search bundle must never cost the site its build
        logger.error(
            "loa: search index not written (Pagefind failed: %s) — tìm kiếm sẽ không hoạt động.",
            exc,
        )
        return
    logger.info(
        "loa: search index of %d articles (%d bundles) written in %.1f s",
        count,
        1 + len(extras),
        time.perf_counter() - started,
    )


def register() -> None:
    """Collect at ``article_generator_finalized``, index at ``finalized`` (whole-site output)."""
    signals.article_generator_finalized.connect(collect)
    signals.finalized.connect(build_index)
