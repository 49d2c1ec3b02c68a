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
