"""Repost rules: a full text only from a source whose written agreement allows it."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from loa.findings import Finding
from loa.frontmatter import Document
from loa.rules.context import RuleContext


def check_repost(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """``source_full_text: true`` needs a source with ``terms: full_text``."""
    if not doc.fields.get("source_full_text"):
        return
    host = (urlsplit(doc.fields.get("source_url") or "").hostname or "").lower()
    source = ctx.sources.source_for(host) if host else None
    if source is None or source.terms != "full_text":
        name = source.name if source else (host or "nguồn này")
        yield Finding(
            doc.path,
            doc.line_of("source_full_text"),
            f"Bài đăng lại toàn văn nhưng {name} chỉ cho đăng tóm tắt (terms: summary trong sources.yml) — "
            f"viết lại thành bản tóm tắt bằng lời của đơn vị và bỏ “source_full_text”, hoặc ghi thoả thuận đăng toàn văn vào sources.yml.",
            "repost-full-text",
        )


def check_event_organiser(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """An event's organiser, when named, must be a unit of the registry."""
    event = doc.fields.get("event")
    if event is None or not event.organiser or ctx.registry is None:
        return
    if event.organiser not in ctx.registry:
        yield Finding(
            doc.path,
            doc.line_of("event"),
            f"Đơn vị tổ chức “{event.organiser}” không có trong danh sách đơn vị — ghi slug của một đơn vị ({', '.join(ctx.registry.slugs)}) hoặc bỏ “organiser”.",
            "event",
        )
