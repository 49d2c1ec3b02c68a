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


def with_album(message: Message, photos: list[dict], article: ManifestArticle) -> Message:
    """The message, noting which of the album's photos it carries (for the plan)."""
    from dataclasses import replace

    if not photos:
        return message
    return replace(message, photos=tuple(p["url"] for p in photos), album_size=len(article.gallery))
