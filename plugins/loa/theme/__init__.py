"""What the reader theme needs, computed once per build: reading time, related articles, covers, share links, JSON-LD."""

from loa.theme.images import dimensions, variants
from loa.theme.reading import reading_minutes, related_articles, words

__all__ = [
    "dimensions",
    "json_ld",
    "reading_minutes",
    "register",
    "related_articles",
    "share_links",
    "variants",
    "words",
]


def register() -> None:
    """Connect to Pelican's signals: Pelican is imported only when a build registers the plugin."""
    from loa.theme.plugin import register as connect

    connect()


def __getattr__(name: str):
    """The build's helpers (``json_ld``, ``share_links``), imported with Pelican on first use."""
    if name in ('json_ld', 'share_links'):
        from loa.theme import plugin

        return getattr(plugin, name)
    raise AttributeError(f"module 'loa.theme' has no attribute {name!r}")
