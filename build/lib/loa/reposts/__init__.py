"""Reposting articles of official sources, attributed, as drafts that go through review."""

from loa.reposts.extract import Original, extract
from loa.reposts.feeds import FeedItem, parse_feed
from loa.reposts.fetch import decode, fetch
from loa.reposts.importer import Imported, describe_date, import_article, list_items, reposted_urls

__all__ = [
    "FeedItem",
    "Imported",
    "Original",
    "decode",
    "describe_date",
    "extract",
    "fetch",
    "import_article",
    "list_items",
    "parse_feed",
    "reposted_urls",
]
