"""The Markdown shortcuts (``loa.frontmatter.inline``, ``loa.frontmatter.toc``) change speed only: the HTML is Python-Markdown's."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loa.frontmatter.inline import GatedInlineProcessor, gate_inline, necessary_strings, trigger_for
from loa.frontmatter.toc import ids_only

ROOT = Path(__file__).resolve().parents[2]


def _config() -> dict:
    namespace: dict = {}
    exec((ROOT / "pelicanconf.py").read_text(encoding="utf-8"), namespace)
    config = dict(namespace["MARKDOWN"])
    # As Pelican's reader does: every configured extension is loaded.
    config["extensions"] = list(config["extension_configs"])
    return config


def _pair(config: dict | None = None):
    config = dict(config or _config())
    return markdown.Markdown(**config), ids_only(gate_inline(markdown.Markdown(**config)))


def _same(plain, gated, text: str) -> None:
    assert gated.reset().convert(text) == plain.reset().convert(text), text


# Pieces that make Markdown and smarty do something, mixed with Vietnamese prose.
PIECES = [
    "Công đoàn", "người lao động", "Hà Nội", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__",
    "`", "``", "\\", "[", "]", "(", ")", "![", "[^1]", "[^1]: chú thích\n", "<", ">", "<<", ">>",
    "&", "&amp;", "&#8211;", "'", '"', "'s", "'90s", "--", "---", "...", "....", ":", "://",
    "https://vi.example.vn/a_b", "<https://vi.example.vn>", "<ai@example.vn>", "<b>", "</b>",
    "*[HTML]: HyperText\n", "HTML", "# ", "## ", "- ", "1. ", "> ", "    ", "```\n", "~~~\n",
    "|", "| a | b |\n|---|---|\n", "{: #x }", "Term\n: định nghĩa\n", "\u00a0", "—", "“", "ư",
    "[TOC]", "\n[TOC]\n\n", "# Mục 1\n", "## Mục 1\n", '{: data-toc-label="Nhãn" }',
]  # fmt: skip
documents = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_markdown_converts_exactly_as_without_the_shortcut(text):
    _same(*_PAIR, text)


_PAIR = _pair()


def test_every_markdown_file_in_the_project_converts_exactly_as_without_the_shortcut():
    listed = subprocess.run(
        ["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    files = [ROOT / name for name in listed]
    assert len(files) > 40
    for path in files:
        _same(*_PAIR, path.read_text(encoding="utf-8", errors="replace"))


def test_both_inline_passes_are_gated_and_prose_skips_them():
    _plain, gated = _PAIR
    processors = [p for p in gated.treeprocessors if isinstance(p, GatedInlineProcessor)]
    assert len(processors) == 2  # Python-Markdown's inline pass and smarty's
    gated.reset().convert("Đoàn viên *tham gia* hội thao -- “vui” ...")
    main, smarty = (p._trigger for p in processors)
    assert main is not None and smarty is not None
    prose = "Công đoàn Cục tổ chức hội thao, 120 đoàn viên tham gia."
    assert not main.search(prose) and not smarty.search(prose)
    for text in ("a *b*", "[x](y)", "a  \nb", "<b>", "&amp;", "`c`", "a\\*"):
        assert main.search(text), text
    for text in ("'a'", '"a"', "a -- b", "a...", "a---b"):
        assert smarty.search(text), text


def test_what_must_be_in_a_match():
    assert necessary_strings(re.compile(r"(?<!\.)\.{3}(?!\.)")) == {"..."}
    assert necessary_strings(re.compile(r"  \n")) == {"  \n"}
    assert necessary_strings(re.compile(r"\*|_")) == {"*", "_"}
    assert necessary_strings(re.compile(r"(^|\s)(\*|_)(\s|$)")) == {"*", "_"}
    # Unknowable: the shortcut is off rather than wrong.
    assert necessary_strings(re.compile(r"[^a]")) is None
    assert necessary_strings(re.compile(r"abc", re.IGNORECASE)) is None
    assert necessary_strings(re.compile(r"x?")) is None


def test_a_pattern_it_cannot_analyse_turns_the_shortcut_off():
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    class Loud(markdown.extensions.Extension):
        def extendMarkdown(self, md):
            md.inlinePatterns.register(
                SimpleTagInlineProcessor(r"()([^\W\d_]{9,})()", "b"), "loud", 1
            )

    config = _config()
    config = {**config, "extensions": [*config.get("extensions", []), Loud()]}
    plain, gated = _pair(config)
    text = "Công đoàn Nghiêngnghiêng học"
    _same(plain, gated, text)
    assert "<b>" in gated.reset().convert(text)
    assert trigger_for(gated.inlinePatterns) is None
