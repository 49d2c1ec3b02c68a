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


# The attacks of tests/security, as fragments to mix: whatever the mixture, an
# answer — findings or an article — and never a file dropped without an error.
HOSTILE_FRONT = [
    "tags: &a [x, x, x]",
    "image_alt: [*a, *a, *a]",
    "slug: &s [*s]",
    "tags: " + "[" * 60 + "]" * 60,
    'image: "../../etc/passwd"',
    'image: "{static}/../x.jpg"',
    'image: "~/x.jpg"',
    "image_alt: Ảnh",
    'tags: ["—", "!!!"]',
    'author: "???"',
    "summary: \u2066ẩn\u2069",
    "title: \u202etiêu đề",
]
HOSTILE_BODY = [
    "[x]({attach}../../../etc/passwd)",
    "[x]({static}/../secret)",
    "![x]({filename}../../../../x)",
    '<span class="visually-hidden">ẩn</span>',
    "Chữ {: .visually-hidden }",
    '<p style="display:none">ẩn</p>',
    "<a",
    "<!-- không đóng",
    "[a " * 200,
    "`a " * 200,
    "*" * 100,
    "> " * 30 + "x",
    "    " * 15 + "- x",
    "```",
    "~~~~",
    "<script>alert(1)</script>",
    '<iframe src="https://ke-xau.example/"></iframe>',
    "[x](javascript:alert(1))",
    "\u202e\u2066",
    "",
]


@FUZZ
@given(
    front=st.lists(st.sampled_from(HOSTILE_FRONT), max_size=4),
    body=st.lists(st.sampled_from(HOSTILE_BODY), max_size=8),
    separator=st.sampled_from(["\n", "\n\n", " "]),
)
def test_hostile_fragments_never_crash_or_vanish(tmp_path, front, body, separator):
    head = "title: Bài\ndate: 2026-11-20 08:00\nauthor: A\nsummary: Tóm tắt.\n"
    text = "---\n" + head + "\n".join(front) + "\n---\n\n" + separator.join(body) + "\n"
    findings = check_all(tmp_path, text.encode("utf-8"))
    path = tmp_path / "content" / "articles" / "don-vi-a" / "2026-11-20-thu.md"
    reader = LoaMarkdownReader(
        {"MARKDOWN": {"extensions": []}, "PATH": str(tmp_path / "content"), "PAGE_PATHS": ["pages"]}
    )
    _content, metadata = reader.read(str(path))
    if metadata.get("status") == "skip":
        assert any(f.is_error for f in metadata.get("loa_findings", [])), "never dropped in silence"
        assert any(f.is_error for f in findings), "loa check says so too"
