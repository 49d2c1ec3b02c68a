"""Search: a Pagefind index with folded text, so "da nang" finds "Đà Nẵng"."""

from loa.lazy import lazy
from loa.search.shard import document, plain_text

__all__ = ["document", "plain_text", "register"]

register = lazy(__name__)[0]
