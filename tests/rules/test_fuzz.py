"""Whatever a file contains, ``loa check`` and the reader answer with findings, never a traceback."""

from __future__ import annotations

import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loa.frontmatter import LoaMarkdownReader
from loa.rules import RuleContext, Site, build_index, check_document, read_document
from loa.units import parse

from tests.conftest import UNITS_YML

REGISTRY = parse(UNITS_YML)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.dates().map(str),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(string.ascii_letters, max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
front_matter = st.dictionaries(
    st.sampled_from(
        [
            "title",
            "date",
            "author",
            "authors",
            "summary",
            "tags",
            "image",
            "image_alt",
            "status",
            "syndicate",
            "social_text",
            "slug",
            "khac",
        ]
    ),
    yaml_values,
    max_size=10,
)


def check_all(tmp_path, data: bytes):
    site = Site(root=tmp_path)
    path = tmp_path / "content" / "articles" / "don-vi-a" / "2026-11-20-thu.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    doc, findings, _ = read_document(path, site)
    if doc is not None:
        ctx = RuleContext(
            content_dir=site.content_dir,
            registry=REGISTRY,
            index=build_index([doc], site, REGISTRY),
        )
        findings += check_document(doc, ctx, site)
    for finding in findings:
        assert finding.path == "content/articles/don-vi-a/2026-11-20-thu.md"
        assert finding.message
    reader = LoaMarkdownReader(
        {"MARKDOWN": {"extensions": []}, "PATH": str(tmp_path / "content"), "PAGE_PATHS": ["pages"]}
    )
    reader.read(str(path))
    return findings


@FUZZ
@given(fields=front_matter, body=st.text(max_size=300))
def test_random_front_matter(tmp_path, fields, body):
    text = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + body
    check_all(tmp_path, text.encode("utf-8"))


@FUZZ
@given(text=st.text(max_size=500))
def test_random_unicode(tmp_path, text):
    check_all(tmp_path, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.binary(max_size=500))
def test_random_bytes(tmp_path, data):
    check_all(tmp_path, data)


@FUZZ
@given(
    lines=st.lists(
        st.sampled_from(
            [
                "---",
                "title: a: b",
                "date: [",
                "  - x",
                "\t",
                "author: 'x",
                "summary: >",
                "...",
                "tags: {",
                "# x",
                "<script>",
                "[a](",
                "`",
            ]
        ),
        max_size=12,
    )
)
def test_random_line_soup(tmp_path, lines):
    check_all(tmp_path, "\n".join(lines).encode("utf-8"))
