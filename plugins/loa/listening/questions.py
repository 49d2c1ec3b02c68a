"""*Hỏi đáp* articles: a member's question (made anonymous), the answer, a policy topic.

An article whose front matter has ``question:`` and ``topic:`` (one of
``topics`` in ``units.yml``) is a *hỏi đáp*; its body is the answer. The site
gets ``/hoi-dap/`` (every topic) and ``/hoi-dap/<topic>/`` (its questions), and
each such article a schema.org ``FAQPage``
(https://schema.org/FAQPage, https://developers.google.com/search/docs/appearance/structured-data/faqpage).
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup

PATH = "hoi-dap"


def is_question(article) -> bool:
    """A hỏi đáp article."""
    return bool(getattr(article, "question", None) and getattr(article, "topic", None))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html or "")).strip()


def faq_json_ld(article, siteurl: str = "") -> Markup:
    """``{{ article|faq_json_ld(SITEURL) }}``: a ``FAQPage`` with one question and its accepted answer."""
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": f"{siteurl}/{article.url}",
        "inLanguage": "vi",
        "mainEntity": [
            {
                "@type": "Question",
                "name": article.question,
                "acceptedAnswer": {"@type": "Answer", "text": _text(article.content)[:5000]},
            }
        ],
    }
    text = json.dumps(data, ensure_ascii=False)
    # Inside <script>: no "</script>", no "<!--" can close or open anything.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def topics_view(articles, registry) -> list[dict]:
    """Each topic of the registry with its hỏi đáp articles, newest first."""
    by_topic: dict[str, list] = {}
    for article in articles:
        if is_question(article):
            by_topic.setdefault(article.topic, []).append(article)
    return [
        {
            "slug": topic.slug,
            "name": topic.name,
            "url": f"{PATH}/{topic.slug}/",
            "articles": sorted(by_topic.get(topic.slug, []), key=lambda a: a.date, reverse=True),
        }
        for topic in registry.topics
    ]


def write_pages(generator, writer, registry) -> None:
    """``hoi-dap/index.html`` and one page per topic."""
    topics = topics_view(generator.articles, registry)
    if not topics:
        return
    template = generator.get_template("hoi_dap")
    relative = generator.settings.get("RELATIVE_URLS", False)
    writer.write_file(
        f"{PATH}/index.html",
        template,
        generator.context,
        relative_urls=relative,
        topics=topics,
        topic=None,
        page_name=PATH,
        url=f"{PATH}/",
    )
    for topic in topics:
        writer.write_file(
            f"{topic['url']}index.html",
            template,
            generator.context,
            relative_urls=relative,
            topics=topics,
            topic=topic,
            page_name=PATH,
            url=topic["url"],
        )
