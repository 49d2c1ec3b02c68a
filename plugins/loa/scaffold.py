"""``loa new``: a new article at the right path with a valid front matter."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml

from loa.errors import LoaError, UsageError
from loa.frontmatter import SUMMARY_MAX, TITLE_MAX
from loa.frontmatter.template import BODY
from loa.units import Registry
from loa.vietnamese import nfc, now, slugify


@dataclass
class NewArticle:
    """What ``loa new`` needs to know."""

    unit: str
    title: str
    author: str
    summary: str | None = None
    date: dt.datetime | None = None


def article_path(articles_dir: Path, unit: str, title: str, date: dt.datetime) -> Path:
    """``content/articles/<unit>/<YYYY-MM-DD>-<slug>.md``."""
    return articles_dir / unit / f"{date:%Y-%m-%d}-{slugify(title)}.md"


def front_matter(article: NewArticle, date: dt.datetime) -> str:
    """The YAML block, quoted safely whatever the title contains."""
    fields = {
        "title": article.title,
        "date": date.strftime("%Y-%m-%d %H:%M"),
        "author": article.author,
        "summary": article.summary or article.title,
        "tags": [],
        # The article's identity for the channels: kept when the file or the title changes.
        "id": str(uuid.uuid4()),
    }
    text = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n"


def create(article: NewArticle, registry: Registry, articles_dir: Path) -> Path:
    """Write the new article; refuse an unknown unit or an existing file."""
    article.title = nfc(article.title.strip())
    article.author = nfc(article.author.strip())
    if article.summary:
        article.summary = nfc(article.summary.strip())
    if article.unit not in registry:
        raise UsageError(
            f"Đơn vị “{article.unit}” không có trong {registry.path} — chọn một trong: "
            f"{', '.join(registry.slugs)}."
        )
    if not article.title or not slugify(article.title):
        raise UsageError(
            'Tiêu đề đang trống — đặt tiêu đề có chữ, ví dụ --title "Hội nghị người lao động 2026".'
        )
    if len(article.title) > TITLE_MAX:
        raise UsageError(
            f"Tiêu đề dài {len(article.title)} ký tự, quá {TITLE_MAX} — rút gọn tiêu đề."
        )
    if not article.author:
        raise UsageError('Tên tác giả đang trống — thêm --author "Họ và tên".')
    if article.summary and len(article.summary) > SUMMARY_MAX:
        raise UsageError(f"Tóm tắt dài {len(article.summary)} ký tự, quá {SUMMARY_MAX} — rút gọn.")
    date = article.date or now().replace(second=0, microsecond=0)
    path = article_path(articles_dir, article.unit, article.title, date)
    if path.exists():
        raise LoaError(f"Tệp {path} đã có — đổi tiêu đề, hoặc mở tệp đó để sửa.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(front_matter(article, date) + "\n" + BODY, encoding="utf-8")
    return path
