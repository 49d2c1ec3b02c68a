"""YAML front matter: the article contract, read in NFC, checked with file and line."""

from loa.frontmatter.event import Event, parse_event
from loa.frontmatter.parse import (
    ARTICLE_FIELDS,
    PAGE_FIELDS,
    SUMMARY_MAX,
    TITLE_MAX,
    Document,
    parse_date,
    parse_document,
    slug_from_filename,
    split_front_matter,
)
from loa.lazy import lazy

__all__ = [
    "ARTICLE_FIELDS",
    "HTML_HOOKS",
    "PAGE_FIELDS",
    "READ_HOOKS",
    "SUMMARY_MAX",
    "TITLE_MAX",
    "Document",
    "Event",
    "LoaMarkdownReader",
    "decode",
    "document_kind",
    "parse_date",
    "parse_document",
    "parse_event",
    "register",
    "slug_from_filename",
    "split_front_matter",
]


# The Markdown reader's names, imported (with Pelican and Markdown) on first use: the
# posting runs read the article contract without building a site.
_READER_NAMES = ("HTML_HOOKS", "READ_HOOKS", "LoaMarkdownReader", "decode", "document_kind")

register, __getattr__ = lazy(__name__, "reader", _READER_NAMES)
