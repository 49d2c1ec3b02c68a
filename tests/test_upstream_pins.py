"""Loa leans on a few private parts of Pelican, Python-Markdown and Python: each is pinned here.

When one of these tests fails, the upstream code changed (a dependency or Python
was upgraded): read the named function in the new version, re-check the Loa code
the message names, then update the hash. Never update the hash alone.
"""

from __future__ import annotations

import hashlib
import inspect
import sys

import pytest


def _digest(obj) -> str:
    return hashlib.sha256(inspect.getsource(obj).encode("utf-8")).hexdigest()[:16]


def _pins():
    from markdown.treeprocessors import InlineProcessor
    from pelican.paginator import Paginator
    from pelican.plugins.sitemap.sitemap import SitemapGenerator
    from pelican.writers import Writer

    return [
        (
            InlineProcessor._InlineProcessor__handleInline,
            "fe27babc114aed0a",
            "loa/frontmatter/inline.py GatedInlineProcessor overrides this private (name-mangled) "
            "method: check it still takes (data, patternIndex) and returns the processed text.",
        ),
        (
            InlineProcessor.run,
            "f6c93631f2871499",
            "loa/frontmatter/inline.py GatedInlineProcessor.run builds its trigger from "
            "self.inlinePatterns before calling this: check the patterns are still read there.",
        ),
        (
            Writer.write_file,
            "6a604ad67bbeec99",
            "loa/writer.py copies this method's pagination loop (paginators per key, "
            "previous/next pages, _values of save_as): port any change into ParallelWriter.write_file.",
        ),
        (
            Paginator.page,
            "9aa9fbbf6b4d5288",
            "loa/writer.py and loa/pagestore/fingerprints.py read Page objects (save_as, object_list): "
            "check their attributes.",
        ),
        (
            SitemapGenerator.queue_page,
            "9a18a1c5d4f27572",
            "loa/theme/sitemap.py replaces this content_written handler and appends "
            "(path, obj) to page_queue itself: check the queue's shape.",
        ),
    ]


@pytest.mark.parametrize("index", range(5))
def test_upstream_code_loa_relies_on_is_unchanged(index):
    function, expected, what = _pins()[index]
    got = _digest(function)
    assert got == expected, (
        f"{function.__qualname__} changed upstream ({got} ≠ {expected}). Re-check: {what}"
    )


def test_the_regular_expression_parser_inline_reads_is_the_one_it_was_written_for():
    """loa/frontmatter/inline.py walks ``re._parser``'s parse tree (a private module)."""
    from re import _constants as C
    from re import _parser

    assert sys.version_info[:2] == (3, 11), (
        "a new Python: re-check loa/frontmatter/inline.py against re._parser and re._constants"
    )
    tree = list(_parser.parse(r"(\*)([^\*]+)\1", 0))
    assert [op for op, _ in tree] == [C.SUBPATTERN, C.SUBPATTERN, C.GROUPREF]
    assert list(tree[0][1][3]) == [(C.LITERAL, ord("*"))]
    repeat = tree[1][1][3][0]
    assert repeat[0] is C.MAX_REPEAT and list(repeat[1][2]) == [(C.NOT_LITERAL, ord("*"))]


def test_jinja_marks_context_filters_the_way_pagestore_reads_them():
    """loa/pagestore/templates.py finds filters handed the whole context by ``jinja_pass_arg``
    (``jinja2.utils._PassArg``, private): such a filter makes every name count."""
    from jinja2 import pass_context
    from jinja2.utils import _PassArg

    @pass_context
    def reads_everything(context, value):
        return value

    assert reads_everything.jinja_pass_arg is _PassArg.context, (
        "Jinja changed how it marks context filters: re-check loa/pagestore/templates.py reads_context"
    )
