"""Search: a Pagefind index with folded text, so "da nang" finds "Đà Nẵng"."""

from loa.search.shard import document, plain_text

__all__ = ["document", "plain_text", "register"]


def register() -> None:
    """Connect to Pelican's signals: Pelican is imported only when a build registers the plugin."""
    from loa.search.plugin import register as connect

    connect()
