"""The syndication manifest: every published article as the social channels need it.

Written by the build (``output/loa/manifest.json``), read by ``loa syndicate``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from loa import clock
from loa.errors import LoaError

logger = logging.getLogger(__name__)

MANIFEST_PATH = "loa/manifest.json"
VERSION = 1


@dataclass(frozen=True)
class ManifestArticle:
    """One published article: what every channel message is made from."""

    id: str  # the URL path, "/<unit>/<slug>/": the article's identity in the ledger
    url: str
    title: str
    summary: str
    unit: str
    date: str
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    image: str = ""  # absolute URL of the cover, "" without one
    image_alt: str = ""
    social_image: str = ""  # absolute URL of a JPEG every platform accepts (cover or unit card)
    syndicate: bool | list[str] | None = None
    social_text: str | dict | None = None
    source: str = ""
    source_url: str = ""
    html: str = ""  # the article's body, for channels that carry it (Zalo)
    event: dict | None = None
    source_path: str = ""  # the Markdown file, relative to the content folder
    uid: str = ""  # the front matter's ``id``: the same article whatever its file and title
    # The album, in order: {"url" (absolute JPEG), "width", "height", "alt", "caption"}.
    gallery: tuple = ()
    # The video (loa.video.plugin): "url", "poster", "vtt" (absolute), "duration",
    # "width", "height", and "files"/"sizes" of the social renditions (social,
    # burned, thumb, srt), relative to the folder of the build's output; "burned_url"
    # (absolute) when the burned-in copy is also on the site, for Threads to download.
    video: dict | None = None
    extra: dict = field(default_factory=dict)

    @property
    def published(self) -> dt.datetime:
        """The article's date, timezone-aware."""
        return dt.datetime.fromisoformat(self.date)

    @classmethod
    def from_dict(cls, data: dict) -> ManifestArticle:
        """Build from JSON, tolerating keys a newer build added."""
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in data.items() if k in known}
        values["tags"] = tuple(values.get("tags") or ())
        values["authors"] = tuple(values.get("authors") or ())
        video = values.get("video")
        values["video"] = (
            video if isinstance(video, dict) and isinstance(video.get("files"), dict) else None
        )
        values["gallery"] = tuple(
            g for g in (values.get("gallery") or ()) if isinstance(g, dict) and g.get("url")
        )
        return cls(**values)


@dataclass
class Manifest:
    """The manifest of one build."""

    site: str
    generated: str
    articles: list[ManifestArticle]
    # The earliest article held back for its date (a later build publishes it).
    next_article: dt.datetime | None = None

    def identities(self) -> list[tuple[str, str, str, str]]:
        """(id, Markdown file, date, title) of every article (``loa.ledger.renamed``)."""
        return [(a.id, a.source_path, a.date, a.title, a.uid) for a in self.articles]

    def get(self, article_id: str) -> ManifestArticle | None:
        """The article with this id (``/unit/slug/``, ``unit/slug`` also accepted)."""
        wanted = "/" + article_id.strip("/") + "/"
        return next((a for a in self.articles if a.id == wanted), None)


def absolute(siteurl: str, path: str) -> str:
    """``path`` on the site as an absolute URL."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{siteurl.rstrip('/')}/{path.lstrip('/')}"


def identity(article, settings: dict) -> tuple[str, str, str, str, str]:
    """(id, Markdown file, date, title, front-matter id) of a Pelican article: how the ledger knows it if its address changes."""
    return (
        "/" + article.url,
        os.path.relpath(article.source_path, settings["PATH"]).replace(os.sep, "/"),
        article.date.isoformat(),
        article.title,
        getattr(article, "loa_id", "") or "",
    )


def article_entry(article, settings: dict) -> ManifestArticle:
    """The manifest entry of a Pelican article."""
    siteurl = settings.get("SITEURL", "")
    image = getattr(article, "image", None) or ""
    social = getattr(article, "social_image", None) or ""
    unit = getattr(article, "unit", None)
    return ManifestArticle(
        id="/" + article.url,
        url=absolute(siteurl, article.url),
        title=article.title,
        summary=getattr(article, "summary_text", "") or "",
        unit=unit.slug if unit else article.category.slug,
        date=article.date.isoformat(),
        tags=tuple(t.name for t in getattr(article, "tags", ()) or ()),
        authors=tuple(a.name for a in getattr(article, "authors", ()) or ()),
        image=absolute(siteurl, image) if image else "",
        image_alt=getattr(article, "image_alt", "") or "",
        social_image=absolute(siteurl, social) if social else "",
        syndicate=getattr(article, "syndicate", None),
        social_text=getattr(article, "social_text", None),
        source=getattr(article, "source", "") or "",
        source_url=getattr(article, "source_url", "") or "",
        html=article.content,
        event=article.event.to_dict() if getattr(article, "event", None) is not None else None,
        source_path=os.path.relpath(article.source_path, settings["PATH"]).replace(os.sep, "/"),
        uid=getattr(article, "loa_id", "") or "",
        gallery=tuple(
            {
                "url": absolute(siteurl, photo["path"]),
                "width": photo["width"],
                "height": photo["height"],
                "alt": photo["alt"],
                "caption": photo["caption"],
            }
            for photo in getattr(article, "social_gallery", None) or ()
        ),
        video=_video(getattr(article, "video_media", None)),
    )


def _video(media: dict | None) -> dict | None:
    """The manifest's part of ``article.video_media`` (an encoded, local clip only)."""
    if not media or media.get("remote") or not media.get("files"):
        return None
    keys = ("src", "poster", "vtt", "duration", "width", "height", "files", "sizes", "burned_url")
    out = {k: media[k] for k in keys if k in media}
    out["url"] = out.pop("src")
    return out


def write_manifest(articles, settings: dict, output_path: str, next_article=None) -> Path:
    """Write ``output/loa/manifest.json`` for the published articles, newest first.

    ``next_article`` is the time of the earliest article held back for its date:
    a build after that time publishes it (the hourly deploy waits for it).
    """
    entries = [
        article_entry(a, settings)
        for a in articles
        if getattr(a, "status", "published") == "published"
    ]
    path = Path(output_path) / MANIFEST_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    head = {
        "version": VERSION,
        "site": settings.get("SITEURL", ""),
        "generated": clock.utc_iso(),
        "next_article": next_article.isoformat() if next_article else "",
    }
    names = [f.name for f in fields(ManifestArticle)]
    tmp = path.with_suffix(".tmp")
    # One article per line, written as it is encoded: as one string, 10,000
    # articles' HTML would take ~100 MB at the build's memory peak, and
    # json.dump's indented encoder is pure Python (~1 s at 10,000 articles).
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "articles": [')
        for number, entry in enumerate(entries):
            handle.write(",\n" if number else "\n")
            handle.write(json.dumps({n: getattr(entry, n) for n in names}, ensure_ascii=False))
        handle.write("\n]}\n")
    os.replace(tmp, path)
    logger.info("loa: manifest of %d articles written to %s", len(entries), path)
    return path


def read_manifest(path: str | Path) -> Manifest:
    """Read a manifest; a missing or broken file is a plain error with the fix."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LoaError(f"Không có {path} — dựng trang trước (make publish) rồi chạy lại.") from None
    except ValueError as exc:
        raise LoaError(f"{path} hỏng ({exc}) — dựng lại trang (make publish).") from None
    return Manifest(
        site=data.get("site", ""),
        generated=data.get("generated", ""),
        articles=[ManifestArticle.from_dict(a) for a in data.get("articles", [])],
        next_article=_time_or_none(data.get("next_article")),
    )


def _time_or_none(value) -> dt.datetime | None:
    """An ISO time from the manifest, or None (absent, empty or not a time)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return clock.parse(value)
    except clock.ClockError:
        return None
