"""``loa reposts``: list the sources' feeds, import an article as a draft to rewrite in our own words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from loa.errors import LoaError, UsageError
from loa.frontmatter import SUMMARY_MAX, TITLE_MAX, parse_document
from loa.frontmatter import decode as decode_file
from loa.reposts.extract import Original, extract
from loa.reposts.feeds import FeedItem, parse_feed
from loa.reposts.fetch import decode, fetch
from loa.units import Registry
from loa.units.sources import Sources
from loa.vietnamese import now, slugify, vi_date

SUMMARY_BODY = """Tóm tắt của bài gốc (VIẾT LẠI BẰNG LỜI CỦA ĐƠN VỊ trước khi gửi duyệt — không chép nguyên văn):

> {summary}

Đọc toàn văn tại [{outlet}]({url}).
"""
FULL_TEXT_BODY = """{paragraphs}

*Đăng lại theo thoả thuận: {agreement}. Bài gốc: [{outlet}]({url}).*
"""


@dataclass
class Imported:
    """What ``import`` wrote, and what the contributor must still do."""

    path: Path
    original: Original
    full_text: bool
    todo: list[str]


def reposted_urls(articles_dir: Path) -> set[str]:
    """``source_url`` of every article already in the repository (drafts included)."""
    urls = set()
    for path in articles_dir.rglob("*.md"):
        text, problem = decode_file(path.read_bytes(), str(path))
        if problem is None:
            url = parse_document(text, str(path)).fields.get("source_url")
            if url:
                urls.add(url.rstrip("/"))
    return urls


def list_items(sources: Sources, only: str | None = None) -> tuple[list[FeedItem], list[str]]:
    """Recent items of every feed (or one source's); problems are collected, not fatal."""
    chosen = [s for s in sources.sources if not only or s.slug == only]
    if only and not chosen:
        raise UsageError(
            f"Không có nguồn “{only}” trong {sources.path} — chọn một trong: {', '.join(s.slug for s in sources.sources)}."
        )
    items, problems = [], []
    for source in chosen:
        for url in source.feeds:
            try:
                data, charset = fetch(url, "nguồn tin", sources)
                items.extend(parse_feed(decode(data, charset), source.slug, url))
            except LoaError as exc:
                problems.append(str(exc))
    return items, problems


def import_article(
    url: str,
    unit: str,
    registry: Registry,
    sources: Sources,
    articles_dir: Path,
    author: str = "Ban Biên tập",
) -> Imported:
    """Fetch ``url`` (an allowlisted source) and write a draft repost in ``unit``'s folder."""
    if registry.get(unit) is None:
        raise UsageError(
            f"Đơn vị “{unit}” không có trong {registry.path} — chọn một trong: {', '.join(registry.slugs)}."
        )
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise UsageError(
            f"“{url}” không phải địa chỉ trang web — dán địa chỉ đầy đủ bắt đầu bằng https://."
        )
    rule = sources.rule_for(host)
    if rule is None:
        raise LoaError(
            f"“{host}” không thuộc danh sách nguồn chính thống ({sources.path}) — chỉ đăng lại bài của nguồn trong danh sách; đề nghị Ban Biên tập bổ sung nếu đây là nguồn chính thống."
        )
    source = sources.source_for(host)
    data, charset = fetch(url, "trang", sources)
    original = extract(decode(data, charset), url)
    if not original.title:
        raise LoaError(
            f"Không tìm thấy tiêu đề bài ở {url} — có thể đây không phải trang một bài báo."
        )
    outlet = source.name if source else (original.site_name or host)
    full_text = bool(source and source.terms == "full_text" and original.paragraphs)
    published = _parse_date(original.date)
    today = now().replace(second=0, microsecond=0)
    slug = slugify(original.title)[:80].rstrip("-") or "dang-lai"
    path = articles_dir / unit / f"{today:%Y-%m-%d}-{slug}.md"
    if path.exists():
        raise LoaError(f"Tệp {path} đã có — bài này có thể đã được nhập; mở tệp đó để sửa.")
    summary = (
        original.summary[:SUMMARY_MAX].rsplit(" ", 1)[0]
        if len(original.summary) > SUMMARY_MAX
        else original.summary
    )
    fields = {
        "title": original.title[:TITLE_MAX],
        "date": today.strftime("%Y-%m-%d %H:%M"),
        "author": author,
        "summary": summary or original.title,
        "tags": ["đăng lại"],
        "status": "draft",
        "source": outlet,
        "source_url": url,
    }
    if original.author:
        fields["source_author"] = original.author[:80]
    if published:
        fields["source_date"] = published.strftime("%Y-%m-%d")
    if full_text:
        fields["source_full_text"] = True
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000)
    image_note = (
        f"# Ảnh của bài gốc (chỉ dùng khi được phép, tải về content/images/{unit}/): {original.image}\n"
        if original.image
        else ""
    )
    if full_text:
        body = FULL_TEXT_BODY.format(
            paragraphs="\n\n".join(original.paragraphs),
            agreement=source.agreement,
            outlet=outlet,
            url=url,
        )
    else:
        body = SUMMARY_BODY.format(
            summary=original.summary or original.title, outlet=outlet, url=url
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}{image_note}---\n\n{body}", encoding="utf-8")
    todo = [
        "viết lại phần tóm tắt và nội dung bằng lời của đơn vị (không chép nguyên văn)"
        if not full_text
        else "kiểm tra toàn văn và thoả thuận đăng lại",
        "kiểm tra tiêu đề, tóm tắt và chủ đề",
        "xoá dòng “status: draft” khi bài sẵn sàng, rồi mở pull request",
    ]
    if original.image:
        todo.insert(
            1,
            "chỉ dùng ảnh của bài gốc nếu được phép; nếu dùng, tải ảnh về content/images/ và thêm image, image_alt",
        )
    return Imported(path, original, full_text, todo)


def _parse_date(text: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(text[:10], "%d/%m/%Y")
    except ValueError:
        return None


def describe_date(value: dt.datetime | None) -> str:
    """A date for the terminal, in Vietnamese."""
    return vi_date(value) if value else "không rõ ngày"
