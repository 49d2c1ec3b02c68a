"""Front-matter rules that need the registry: social texts that fit each channel's limit."""

from __future__ import annotations

from collections.abc import Iterator

from loa import platforms
from loa.findings import Finding
from loa.frontmatter import Document
from loa.rules.context import RuleContext


def unit_channels(doc: Document, ctx: RuleContext) -> list[str]:
    """The platforms the article's unit posts to (every platform when there is no registry)."""
    if ctx.registry is None:
        return list(platforms.names())
    parts = doc.path.replace("\\", "/").split("/")
    unit = None
    if "articles" in parts and len(parts) > parts.index("articles") + 2:
        unit = ctx.registry.get(parts[parts.index("articles") + 1])
    if unit is None:
        return list(platforms.names())
    return sorted({c.platform for c in ctx.registry.channels_for(unit)})


def check_social_text(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Each channel's text, with the link added, must fit that channel."""
    value = doc.fields.get("social_text")
    if not value:
        return
    syndicate = doc.fields.get("syndicate")
    if syndicate is False:
        return
    channels = unit_channels(doc, ctx)
    if isinstance(syndicate, list):
        channels = [c for c in channels if c in syndicate]
    texts = (
        dict.fromkeys(channels, value)
        if isinstance(value, str)
        else {c: t for c, t in value.items() if c in channels}
    )
    line = doc.line_of("social_text")
    for channel, text in texts.items():
        record = platforms.get(channel)
        if record is None:
            continue  # an unknown channel is named by the front-matter check
        for check in record.text_checks:
            problem = check(text)
            if problem:
                yield Finding(doc.path, line, problem, "social-text")
        size, limit = record.text.measure(text), record.text.maximum
        if size > limit:
            yield Finding(
                doc.path,
                line,
                f"Lời dẫn cho {channel} dài {size} {record.text.unit}, quá giới hạn {limit} — rút gọn “social_text”.",
                "social-text",
            )
