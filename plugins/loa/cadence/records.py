"""Where cadence records come from: the content files (``loa report``) or a build."""

from __future__ import annotations

import os
from pathlib import Path

from loa.cadence.stats import Record
from loa.frontmatter import decode, parse_document
from loa.frontmatter.template import unfinished

MAX_SOURCE_BYTES = 2_000_000  # an article's file read again for its placeholder lines


def from_files(articles_dir: Path, unit_slugs) -> list[Record]:
    """Every published, parseable article under ``articles_dir`` (drafts and broken files are left out)."""
    units = set(unit_slugs)
    out = []
    for path in sorted(articles_dir.rglob("*.md")):
        rel = path.relative_to(articles_dir).parts
        if len(rel) < 2 or rel[0] not in units:
            continue
        text, problem = decode(path.read_bytes(), str(path))
        if problem is not None:
            continue
        doc = parse_document(text, os.fspath(path))
        if not doc.ok or not doc.fields.get("date"):
            continue
        out.append(
            Record(
                f"/{rel[0]}/{doc.fields['slug']}/",
                rel[0],
                doc.fields["date"],
                tuple(doc.fields.get("authors") or ()),
                doc.fields.get("title") or "",
                draft=doc.fields.get("status") == "draft",
                unfinished=unfinished(doc.body),
            )
        )
    return out


def _source_unfinished(article) -> bool:
    """Whether the article's file still holds a placeholder line of ``loa new``."""
    path = getattr(article, "source_path", None)
    if not path:
        return False
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES)
    except OSError:
        return False
    return unfinished(data.decode("utf-8", "replace"))


def from_articles(articles) -> list[Record]:
    """Records of Pelican's published articles."""
    out = []
    for article in articles:
        unit = getattr(article, "unit", None)
        out.append(
            Record(
                "/" + article.url,
                unit.slug if unit else article.category.slug,
                article.date,
                tuple(a.name for a in getattr(article, "authors", ())),
                article.title,
                draft=getattr(article, "status", "published") == "draft",
                unfinished=_source_unfinished(article),
            )
        )
    return out
