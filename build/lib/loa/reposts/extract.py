"""What a reposted article needs from the original page: Open Graph and JSON-LD first, then the HTML itself."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from loa.vietnamese import nfc


@dataclass
class Original:
    """The original article, as far as the page tells."""

    url: str
    title: str = ""
    author: str = ""
    date: str = ""
    summary: str = ""
    image: str = ""
    site_name: str = ""
    paragraphs: list[str] = field(default_factory=list)


def _clean(text) -> str:
    return nfc(" ".join(str(text or "").split()))


def _json_ld(soup: BeautifulSoup) -> dict:
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        items = (
            data
            if isinstance(data, list)
            else data.get("@graph", [data])
            if isinstance(data, dict)
            else []
        )
        for item in items:
            kind = item.get("@type") if isinstance(item, dict) else None
            kinds = kind if isinstance(kind, list) else [kind]
            if any(
                k in ("NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle")
                for k in kinds
            ):
                return item
    return {}


def _name(value) -> str:
    if isinstance(value, list):
        return ", ".join(filter(None, (_name(v) for v in value)))
    if isinstance(value, dict):
        return _clean(value.get("name"))
    return _clean(value)


def _image(value) -> str:
    if isinstance(value, list):
        return _image(value[0]) if value else ""
    if isinstance(value, dict):
        return str(value.get("url") or "")
    return str(value or "")


def extract(html: str, url: str) -> Original:
    """Title, author, date, summary, image and body paragraphs of a news page."""
    soup = BeautifulSoup(html, "html.parser")

    def meta(*names: str) -> str:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find(
                "meta", attrs={"name": name}
            )
            if tag and tag.get("content"):
                return _clean(tag["content"])
        return ""

    ld = _json_ld(soup)
    original = Original(url=url)
    original.title = (
        meta("og:title", "twitter:title")
        or _clean(ld.get("headline"))
        or _clean(soup.h1.get_text() if soup.h1 else "")
        or _clean(soup.title.get_text() if soup.title else "")
    )
    original.summary = meta("og:description", "description", "twitter:description") or _clean(
        ld.get("description")
    )
    original.image = meta("og:image", "twitter:image") or _image(ld.get("image"))
    original.date = meta("article:published_time", "pubdate", "date") or _clean(
        ld.get("datePublished")
    )
    original.author = meta("article:author", "author") or _name(ld.get("author"))
    original.site_name = meta("og:site_name") or _name(ld.get("publisher"))
    body = (
        soup.find("article")
        or soup.find(attrs={"itemprop": "articleBody"})
        or soup.find(class_=re.compile("(detail|content|body)", re.I))
        or soup.body
        or soup
    )
    if not original.date:
        time_tag = body.find("time") or soup.find("time")
        if time_tag:
            original.date = _clean(time_tag.get("datetime") or time_tag.get_text())
    original.paragraphs = [
        _clean(p.get_text()) for p in body.find_all("p") if len(_clean(p.get_text())) > 40
    ]
    if not original.summary and original.paragraphs:
        original.summary = original.paragraphs[0]
    if not original.image:
        img = body.find("img")
        if img and img.get("src"):
            original.image = img["src"]
    if original.image:
        original.image = urljoin(url, original.image)
    if original.author.startswith(("http://", "https://")):
        original.author = ""
    return original
