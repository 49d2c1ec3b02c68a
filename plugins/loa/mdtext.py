"""Text from articles written into Markdown (a pull-request comment, a CI summary, a report).

A title is a contributor's text: written as is into Markdown it could mention
a team (``@org/team``), link an issue, add an image or a link, or break a table.
``escape`` makes it plain text that GitHub renders as written.
"""

from __future__ import annotations

import re

# CommonMark lets any ASCII punctuation be escaped with a backslash.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
# GitHub links "@name" and "#123" in text nodes, after Markdown: a word joiner breaks them.
_REFERENCES = re.compile(r"([@#])(?=[\w-])")


def escape(text: str) -> str:
    """``text`` as literal Markdown text on one line: no formatting, link, mention or HTML."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _PUNCTUATION.sub(r"\\\1", text)
    return _REFERENCES.sub("\\1\u2060", text)


# What can end or break a Markdown link destination or a table cell, percent-encoded.
_DESTINATION = re.compile(r"[\s()<>\[\]\\|`\"'\x00-\x1f\x7f]")


def destination(url: str) -> str:
    """``url`` as a Markdown link destination that nothing in it can close early.

    A ``)`` in an address from a platform (or the ledger) would otherwise end
    the link and let the rest be read as Markdown: another link, an image, a
    table column. Every such character is percent-encoded, which leaves the
    address the same for a browser.
    """
    return _DESTINATION.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode()), str(url))
