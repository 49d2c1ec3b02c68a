"""Pelican side of ``loa.theme``: what the templates need, computed once per build.

Reading time, related articles of the same unit, responsive cover variants,
share links, Open Graph image and JSON-LD — all put on the articles here, so
the templates never loop over the whole site.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

from markupsafe import Markup
from pelican import signals

from loa import contentfs, pictures, platforms
from loa.theme.images import dimensions, variants
from loa.theme.reading import reading_minutes, related_articles
from loa.vietnamese import SHORT_DATE, vi_date

logger = logging.getLogger(__name__)


def script_json(data: dict) -> Markup:
    """JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` escaped as JSON allows."""
    text = (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return Markup(text)


def share_links(url: str, title: str) -> list[dict]:
    """Plain share links (no third-party script), one per platform record that has a share address.

    Zalo and "copy the link" use the page's own script.
    """
    return [
        {"name": record.label, "href": record.share(url, title)}
        for record in platforms.records()
        if record.share_url
    ]


def publisher(settings: dict) -> dict:
    """The site's organisation: name, address and logo (the site's card) for search engines."""
    siteurl = settings.get("SITEURL", "")
    org = settings.get("ORGANISATION") or {}
    data = {
        "@type": "Organization",
        "name": org.get("name") or settings.get("SITENAME"),
        "url": f"{siteurl}/",
    }
    card = settings.get("LOA_SITE_CARD")
    if card:
        data["logo"] = {"@type": "ImageObject", "url": card, "width": 1200, "height": 630}
    return data


def json_ld(article, settings: dict) -> Markup:
    """A ``NewsArticle`` for search engines (escaped for a ``<script>`` element)."""
    siteurl = settings.get("SITEURL", "")
    unit = getattr(article, "unit", None)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": getattr(article, "summary_text", "") or "",
        "datePublished": article.date.isoformat(),
        "dateModified": (getattr(article, "modified", None) or article.date).isoformat(),
        "inLanguage": "vi",
        "mainEntityOfPage": f"{siteurl}/{article.url}",
        "url": f"{siteurl}/{article.url}",
        "author": [
            {"@type": "Person", "name": a.name, "url": f"{siteurl}/{a.url}"}
            for a in getattr(article, "authors", [])
        ],
        "publisher": publisher(settings),
        "articleSection": unit.name if unit else article.category.name,
        "keywords": [t.name for t in getattr(article, "tags", []) or []],
    }
    if getattr(article, "og_image", None):
        data["image"] = [article.og_image]
    return script_json(data)


def json_ld_filter(article, siteurl: str, organisation, sitename: str, card: str = "") -> Markup:
    """``{{ article|json_ld(SITEURL, ORGANISATION, SITENAME, loa_site_card) }}``: made as the page is written.

    Not kept on the article: at 10,000 articles the scripts held 18 MB of the
    build's memory until its end, for one use each. The settings it reads are
    passed by name, so the page's fingerprint (``loa.pagestore``) counts them.
    """
    return json_ld(
        article,
        {
            "SITEURL": siteurl,
            "ORGANISATION": organisation,
            "SITENAME": sitename,
            "LOA_SITE_CARD": card,
        },
    )


def organizer(article, event, settings: dict) -> dict:
    """The unit that organises an event (its page is its address), else the site's organisation."""
    siteurl = settings.get("SITEURL", "")
    registry = settings.get("LOA_UNITS")
    unit = (registry.get(event.organiser) if registry and event.organiser else None) or getattr(
        article, "unit", None
    )
    if unit is None:
        return {key: value for key, value in publisher(settings).items() if key != "logo"}
    return {"@type": "Organization", "name": unit.name, "url": f"{siteurl}/{unit.slug}/"}


def event_json_ld(article, event, settings: dict) -> Markup:
    """A schema.org ``Event`` for the article's event."""
    siteurl = settings.get("SITEURL", "")
    fmt = (lambda d: d.date().isoformat()) if event.all_day else (lambda d: d.isoformat())
    end = event.end - dt.timedelta(days=1) if event.all_day else event.end
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": article.title,
        "description": getattr(article, "summary_text", "") or "",
        "startDate": fmt(event.start),
        "endDate": fmt(end),
        "eventStatus": "https://schema.org/EventScheduled",
        "url": f"{siteurl}/{article.url}",
        "organizer": organizer(article, event, settings),
    }
    if event.location and event.online:
        data["eventAttendanceMode"] = "https://schema.org/MixedEventAttendanceMode"
    elif event.online:
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
    else:
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
    places = []
    if event.location:
        places.append(
            {
                "@type": "Place",
                "name": event.location,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": event.location,
                    "addressCountry": "VN",
                },
            }
        )
    if event.online:
        places.append({"@type": "VirtualLocation", "url": event.online})
    data["location"] = places[0] if len(places) == 1 else places
    if getattr(article, "og_image", None):
        data["image"] = [article.og_image]
    return script_json(data)


def album(article, content: Path, cache: Path, output: Path) -> list[dict]:
    """The album's photos for the page: WebP widths, size, the largest view, alt and caption."""
    photos = []
    found = []
    for number, photo in enumerate(getattr(article, "gallery", None) or (), 1):
        source = contentfs.named_file(content, photo.image)
        if source is not None and source.is_file():
            found.append((number, photo, source))
    made = pictures.each(lambda item: variants(item[2], cache, output), found)
    for (number, photo, source), sources in zip(found, made, strict=True):
        photos.append(
            {
                "id": f"anh-{number}",
                "number": number,
                "image": photo.image,
                "sources": sources,
                "size": dimensions(source),
                "full": sources[-1][0] if sources else photo.image,
                "alt": photo.alt,
                "caption": photo.caption,
            }
        )
    return photos


def _vi_day(text: str | None) -> str:
    if not text:
        return ""
    try:
        return vi_date(dt.date.fromisoformat(str(text)[:10]), SHORT_DATE)
    except ValueError:
        return str(text)


def enrich(generator) -> None:
    """Everything the article template needs (``article_generator_finalized``)."""
    settings = generator.settings
    siteurl = settings.get("SITEURL", "")
    content = Path(settings["PATH"])
    output = Path(settings["OUTPUT_PATH"])
    cache = Path(settings.get("CACHE_PATH") or "cache") / "loa-images"
    articles = list(generator.articles) + list(generator.drafts)
    related = related_articles(list(generator.articles))
    for article in articles:
        article.reading_minutes = reading_minutes(article._content)
        article.related = related.get(id(article), [])
        article.share_links = share_links(f"{siteurl}/{article.url}", article.title)
        image = getattr(article, "image", None)
        article.cover_sources = []
        article.cover_size = None
        source = contentfs.named_file(content, image) if image else None
        if source is not None:
            article.cover_sources = variants(source, cache, output)
            article.cover_size = dimensions(source)
        article.album = album(article, content, cache, output)
        social = getattr(article, "social_image", None) or ""
        article.og_image = f"{siteurl}/{social}" if social else ""
        # A full-text repost points search engines at the original (its publisher's page).
        article.canonical_source = bool(
            getattr(article, "source_full_text", False) and getattr(article, "source_url", None)
        )
        source_date = getattr(article, "source_date", None)
        article.source_date_text = _vi_day(source_date)
        event = getattr(article, "event", None)
        article.event_json_ld = (
            event_json_ld(article, event, settings) if event is not None else None
        )
        article.event_last_day = (
            (event.end - dt.timedelta(days=1)) if event is not None and event.all_day else None
        )


# Partials that read settings only: rendered once per build, not on each of the
# site's pages (footer, search box, security policy: 0.06 ms a page, 0.9 s at
# 10,000 articles). base.html includes the partial itself when the value is
# missing, and with RELATIVE_URLS, where SITEURL differs from page to page.
FIXED_PARTIALS = {
    "loa_csp": "partials/csp.html",
    "loa_search_box": "partials/search_box.html",
    "loa_footer": "partials/footer.html",
}


def render_fixed_partials(generators) -> None:
    """Render ``FIXED_PARTIALS`` into the context (``all_generators_finalized``)."""
    generator = next((g for g in generators if hasattr(g, "env")), None)
    if generator is None:
        return
    context = generator.context
    for name in FIXED_PARTIALS:
        context.pop(name, None)
    if generator.settings.get("RELATIVE_URLS"):
        return
    for name, template in FIXED_PARTIALS.items():
        context[name] = Markup(generator.env.get_template(template).render(context))


def add_filters(pelican) -> None:
    """The theme's own Jinja filters (``initialized``)."""
    pelican.settings.setdefault("JINJA_FILTERS", {}).setdefault("json_ld", json_ld_filter)


def register() -> None:
    """Connect after the syndication plugin has chosen each article's social image.

    The theme's pages are written by ``loa.writer`` and listed by ``loa.taxonomy``,
    which the ``loa.build`` plugin connects (listed before this one in ``PLUGINS``).
    """
    from loa.theme import sitemap

    signals.initialized.connect(add_filters)
    signals.initialized.connect(sitemap.take_over)
    signals.all_generators_finalized.connect(render_fixed_partials)
    signals.article_generator_finalized.connect(enrich)
