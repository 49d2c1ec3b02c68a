"""Front-matter rules that need the registry: social texts that fit each channel's limit."""

from __future__ import annotations

from collections.abc import Iterator

from loa.findings import Finding
from loa.frontmatter import Document
from loa.rules.context import RuleContext
from loa.units import CHANNEL_NAMES
from loa.units.limits import (
    LIMITS,
    X_MAX,
    X_URL_LENGTH,
    hashtags,
    telegram_length,
    utf16_length,
    x_weighted_length,
)

# Room left for the article's link after the social text: X counts any URL as
# 23; elsewhere the full address is counted, about 100 characters.
LINK_ROOM = 100


def _unit_channels(doc: Document, ctx: RuleContext) -> list[str]:
    if ctx.registry is None:
        return list(CHANNEL_NAMES)
    parts = doc.path.replace("\\", "/").split("/")
    unit = None
    if "articles" in parts and len(parts) > parts.index("articles") + 2:
        unit = ctx.registry.get(parts[parts.index("articles") + 1])
    if unit is None:
        return list(CHANNEL_NAMES)
    return sorted({c.platform for c in ctx.registry.channels_for(unit)})


def check_social_text(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Each channel's text, with the link added, must fit that channel."""
    value = doc.fields.get("social_text")
    if not value:
        return
    syndicate = doc.fields.get("syndicate")
    if syndicate is False:
        return
    channels = _unit_channels(doc, ctx)
    if isinstance(syndicate, list):
        channels = [c for c in channels if c in syndicate]
    texts = (
        dict.fromkeys(channels, value)
        if isinstance(value, str)
        else {c: t for c, t in value.items() if c in channels}
    )
    line = doc.line_of("social_text")
    for channel, text in texts.items():
        if channel == "x":
            size, limit = x_weighted_length(text) + 1 + X_URL_LENGTH, X_MAX
            unit = (
                "điểm theo cách đếm của X (chữ có dấu thanh như “ệ”, “ộ” tính 2, liên kết tính 23)"
            )
        elif channel == "telegram":
            size, limit = telegram_length(text) + LINK_ROOM, LIMITS["telegram"]["caption"]
            unit = "ký tự kể cả liên kết"
        elif channel == "tiktok":
            size, limit = utf16_length(text), LIMITS["tiktok"]["description"]
            unit = "ký tự"
        elif channel == "instagram":
            size, limit = len(text) + LINK_ROOM, LIMITS["instagram"]["caption"]
            unit = "ký tự kể cả liên kết"
            if len(hashtags(text)) > LIMITS["instagram"]["hashtags"]:
                yield Finding(
                    doc.path,
                    line,
                    f"Lời dẫn cho Instagram có {len(hashtags(text))} hashtag, quá 5 — bớt hashtag.",
                    "social-text",
                )
        elif channel == "zalo":
            size, limit = len(text), LIMITS["zalo"]["description"]
            unit = "ký tự (phần mô tả bài trên Zalo)"
        else:
            size, limit = len(text) + LINK_ROOM, LIMITS["facebook"]["message"]
            unit = "ký tự"
        if size > limit:
            yield Finding(
                doc.path,
                line,
                f"Lời dẫn cho {channel} dài {size} {unit}, quá giới hạn {limit} — rút gọn “social_text”.",
                "social-text",
            )
