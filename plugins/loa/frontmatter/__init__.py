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


def register() -> None:
    """Connect to Pelican's signals: Pelican is imported only when a build registers the plugin."""
    from loa.frontmatter.plugin import register as connect

    connect()


_READER_NAMES = ("HTML_HOOKS", "READ_HOOKS", "LoaMarkdownReader", "decode", "document_kind")


def __getattr__(name: str):
    """The Markdown reader's names, imported (with Pelican and Markdown) on first use.

    The posting runs read the article contract without building a site: they never
    load the reader, so their install needs neither Pelican nor Markdown.
    """
    if name in _READER_NAMES:
        from loa.frontmatter import reader

        return getattr(reader, name)
    raise AttributeError(f"module 'loa.frontmatter' has no attribute {name!r}")
