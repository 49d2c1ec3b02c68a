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
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pelican import signals

from loa.vietnamese import fold

logger = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")
FOLDED_WEIGHT = "0.5"
BATCH = 500

_pending: dict[int, list[dict]] = {}


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment or "")).split())


def document(record: dict) -> str:
    """The HTML Pagefind indexes for one article."""
    title, body = record["title"], record["text"]
    folded = fold(f"{title} {body}")
    words = _WORD.findall(folded)
    # Adjacent pairs joined ("Đà Nẵng" → "danang"): a two-word query also asks for
    # its pair (theme/static/js/search.js), which only pages with those two words
    # side by side have, so "Đà Nẵng" beats "đàm … năng" (Pagefind matches prefixes).
    pairs = " ".join(a + b for a, b in itertools.pairwise(words))
    meta = "".join(
        f'<meta data-pagefind-meta="{key}:{html.escape(value, quote=True)}">'
        for key, value in record["meta"].items()
        if value
    )
    return (
        f'<html lang="vi"><head>{meta}</head><body data-pagefind-body>'
        f'<span data-pagefind-filter="Đơn vị">{html.escape(record["unit"])}</span>'
        f"<h1>{html.escape(title)}</h1><div>{html.escape(body)}</div>"
        f'<div data-pagefind-weight="{FOLDED_WEIGHT}">{html.escape(folded)}</div>'
        f'<div data-pagefind-weight="{FOLDED_WEIGHT}">{html.escape(pairs)}</div>'
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
    _pending[id(generator.settings)] = records


async def _index(records: list[dict], output: Path) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(force_language="vi", output_path=str(output / "pagefind"))
    async with PagefindIndex(config=config) as index:
        for start in range(0, len(records), BATCH):
            batch = records[start : start + BATCH]
            await asyncio.gather(
                *(
                    index.add_html_file(content=document(r), url=r["url"], source_path=None)
                    for r in batch
                )
            )
    return len(records)


def build_index(pelican) -> None:
    """Write ``output/pagefind/`` once the site is written (``finalized``)."""
    records = _pending.pop(id(pelican.settings), None)
    if records is None:
        return
    started = time.perf_counter()
    try:
        # A thread of its own: the caller may already run an event loop (a test
        # driving a browser, a notebook), and asyncio.run needs a fresh one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            count = pool.submit(
                asyncio.run, _index(records, Path(pelican.settings["OUTPUT_PATH"]))
            ).result()
    except Exception as exc:  # the search bundle must never cost the site its build
        logger.error(
            "loa: search index not written (Pagefind failed: %s) — tìm kiếm sẽ không hoạt động.",
            exc,
        )
        return
    logger.info(
        "loa: search index of %d articles written in %.1f s", count, time.perf_counter() - started
    )


def register() -> None:
    """Collect at ``article_generator_finalized``, index at ``finalized`` (whole-site output)."""
    signals.article_generator_finalized.connect(collect)
    signals.finalized.connect(build_index)
