"""Shared pieces of social messages: which text, hashtags, fitting to a limit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loa.syndication.manifest import ManifestArticle

ELLIPSIS = "…"
MAX_HASHTAGS = 5


@dataclass(frozen=True)
class Message:
    """What one channel account will get for one article, exactly as sent."""

    channel: str
    account: str
    text: str  # the main text, as the platform shows it
    link: str
    image: str = ""
    title: str = ""
    fields: dict = field(
        default_factory=dict, hash=False, compare=False
    )  # the API call's own fields
    photos: tuple = ()  # an album's photo URLs this account gets, in order
    album_size: int = 0  # how many photos the album has
    video: str = ""  # what this account gets of the article's video, in one Vietnamese line


# The start of the one line said when a network gets no video (plan and CI summary).
VIDEO_FALLBACK = "Không đăng video"


def video_line(article: ManifestArticle, rendition: str) -> str:
    """``Video: …`` for the plan: which rendition goes, how long and heavy it is."""
    video = article.video or {}
    size = (video.get("sizes") or {}).get(rendition, 0)
    kind = {"burned": "1080×1920, phụ đề in sẵn", "social": "1080×1920, kèm tệp phụ đề SRT",
            "web": "720p, kèm phụ đề SRT"}.get(rendition, rendition)  # fmt: skip
    return f"bản {kind}, {float(video.get('duration') or 0):.0f} giây, {size / 1_000_000:.1f} MB".replace(
        ".", ","
    )


def video_fallback(network: str, why: str) -> str:
    """The one line said when ``network`` gets a link post instead of the video."""
    return f"{VIDEO_FALLBACK} lên {network}: {why} — đăng liên kết bài kèm ảnh."


def with_album(message: Message, photos: list[dict], article: ManifestArticle) -> Message:
    """The message, noting which of the album's photos it carries (for the plan)."""
    from dataclasses import replace

    if not photos:
        return message
    return replace(message, photos=tuple(p["url"] for p in photos), album_size=len(article.gallery))


def lead_text(article: ManifestArticle, channel: str) -> str:
    """The social text for ``channel``: its own ``social_text``, the shared one, else the summary."""
    social = article.social_text
    if isinstance(social, dict) and social.get(channel):
        return social[channel]
    if isinstance(social, str) and social:
        return social
    return article.summary


def hashtag(tag: str) -> str:
    """``#ThiĐuaKhenThưởng`` from "thi đua khen thưởng" (letters kept, words capitalised)."""
    words = re.findall(r"\w+", tag)
    return "#" + "".join(w[:1].upper() + w[1:] for w in words) if words else ""


def hashtags(article: ManifestArticle, limit: int = MAX_HASHTAGS) -> list[str]:
    """The article's tags as hashtags, at most ``limit``."""
    out = []
    for tag in article.tags:
        h = hashtag(tag)
        if h and h not in out:
            out.append(h)
    return out[:limit]


def attribution(article: ManifestArticle) -> str:
    """``Nguồn: …`` for an article reposted from an official source."""
    return f"Nguồn: {article.source}" if article.source else ""


def shorten(text: str, limit: int, measure=len) -> str:
    """``text`` cut on a word boundary so that ``measure`` of it (with "…") is within ``limit``."""
    if measure(text) <= limit:
        return text
    if limit <= 0:
        return ""
    words = text.split(" ")
    while words:
        words.pop()
        candidate = " ".join(words).rstrip(" ,;:.-–—") + ELLIPSIS
        if measure(candidate) <= limit:
            return candidate if words else ""
    return ""


def album(article: ManifestArticle, channel: str) -> list[dict]:
    """The album photos ``channel`` takes, in order (its record's ``album`` limit); [] for one photo.

    An album of one is a cover, not an album: the single-picture post is used.
    """
    from loa import platforms

    record = platforms.get(channel)
    photos = [p for p in article.gallery if isinstance(p, dict) and p.get("url")]
    if record is None or not record.can(platforms.ALBUM) or len(photos) < 2:
        return []
    return photos[: record.limits.get("album", len(photos))]


def join_blocks(*blocks: str) -> str:
    """Non-empty blocks separated by a blank line."""
    return "\n\n".join(b for b in blocks if b)
