"""Search: a Pagefind index with folded text, so "da nang" finds "Đà Nẵng"."""

from loa.search.plugin import document, plain_text, register

__all__ = ["document", "plain_text", "register"]
