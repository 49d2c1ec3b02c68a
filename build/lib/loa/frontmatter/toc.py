"""Heading ids without the table of contents: the toc extension's ids, at a fraction of the cost.

Loa uses Python-Markdown's toc extension for one thing: an ``id`` on every
heading, so a section can be linked to. The extension also builds a table of
contents for each document (a tree, serialised, then run through every
postprocessor), which the theme never shows: a tenth of the time of
converting an article. ``ids_only`` swaps in a pass that sets the same ids
(the extension's own code) and skips the table; a document holding the
``[TOC]`` marker still gets the full pass, table included. The HTML is the
extension's (``tests/frontmatter/test_inline.py`` compares them).
"""

from __future__ import annotations

import html

from markdown import Markdown
from markdown.extensions.toc import (
    TocTreeprocessor,
    remove_fnrefs,
    render_inner_html,
    strip_tags,
    unique,
)


class IdsOnlyTocTreeprocessor(TocTreeprocessor):
    """``TocTreeprocessor`` that leaves ``md.toc`` empty unless the document asks for it."""

    def run(self, doc) -> None:
        """Fill ``md.toc`` only when the document holds the marker."""
        if self.marker and any(
            isinstance(el.tag, str) and el.text and el.text.strip() == self.marker and len(el) == 0
            for el in doc.iter()
        ):
            super().run(doc)
            return
        # TocTreeprocessor.run (Python-Markdown 3.11), without the table.
        used_ids = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        id_counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
                if "id" not in el.attrib:
                    el.attrib["id"] = unique(
                        self.slugify(html.unescape(name), self.sep), used_ids, id_counters
                    )
                el.attrib.pop("data-toc-label", None)
                if self.use_anchors:
                    self.add_anchor(el, el.attrib["id"])
                if self.use_permalinks not in [False, None]:
                    self.add_permalink(el, el.attrib["id"])
        self.md.toc_tokens = []
        self.md.toc = ""


def ids_only(md: Markdown) -> Markdown:
    """Give ``md``'s toc extension, if loaded, the pass above; returns ``md``."""
    for processor in md.treeprocessors:
        if type(processor) is TocTreeprocessor:
            processor.__class__ = IdsOnlyTocTreeprocessor
    return md
