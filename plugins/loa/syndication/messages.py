"""Shared pieces of social messages: which text, hashtags, fitting to a limit."""

from __future__ import annotations

from dataclasses import dataclass, field

# The composer's pieces live with the platform records (the newsroom's config is made
# from them too); named here for the adapters.
from loa.platforms.compose import (  # noqa: F401
    ELLIPSIS,
    MAX_HASHTAGS,
    album,
    attribution,
    hashtag,
    hashtags,
    join_blocks,
    lead_text,
    shorten,
)
from loa.syndication.manifest import ManifestArticle


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
