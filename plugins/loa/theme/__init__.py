"""What the reader theme needs, computed once per build: reading time, related articles, covers, share links, JSON-LD."""

from loa.lazy import lazy
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

register, __getattr__ = lazy(__name__, "plugin", ("json_ld", "share_links"))
