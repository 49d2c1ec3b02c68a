"""The article contract: required fields, types, YAML errors with line numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from loa.frontmatter import parse_document, slug_from_filename

from tests.conftest import article

PATH = "content/articles/don-vi-a/2026-11-20-hoi-nghi.md"


def errors(text: str, kind: str = "article"):
    return [f for f in parse_document(text, PATH, kind).findings if f.is_error]


def test_valid_article_is_typed():
    doc = parse_document(article(tags="[công đoàn, Đà Nẵng]"), PATH)
    assert doc.ok, doc.findings
    assert doc.fields["title"] == "Hội nghị người lao động năm 2026"
    assert doc.fields["date"] == dt.datetime(2026, 11, 20, 8, 0, tzinfo=doc.fields["date"].tzinfo)
    assert str(doc.fields["date"].tzinfo) == "Asia/Ho_Chi_Minh"
    assert doc.fields["authors"] == ["Nguyễn Văn An"]
    assert doc.fields["tags"] == ["công đoàn", "Đà Nẵng"]
    assert doc.fields["slug"] == "hoi-nghi"
    assert doc.body_line == 8


@pytest.mark.parametrize("field", ["title", "date", "author", "summary"])
def test_missing_required_field(field):
    found = errors(article(**{field: None}))
    assert len(found) == 1
    assert f"“{field}”" in found[0].message
    assert found[0].line == 1
    assert found[0].path == PATH


def test_missing_summary_message_is_the_contract_sentence():
    (finding,) = errors(article(summary=None))
    assert (
        finding.message == "Thiếu trường “summary” (tóm tắt) — thêm một câu tóm tắt dưới 300 ký tự."
    )


@pytest.mark.parametrize(
    ("broken_line", "line"),
    [
        ("title: Hội nghị: những điều cần biết", 2),
        ('summary: "chưa đóng ngoặc', 5),
        ("tags: [a, b", 6),
        ("\tauthor: Tab", 4),
    ],
)
def test_yaml_errors_name_the_line(broken_line, line):
    text = article()
    key = broken_line.strip().split(":")[0]
    lines = text.split("\n")
    index = (
        next(i for i, ln in enumerate(lines) if ln.startswith(key + ":")) if key != "tags" else 5
    )
    if key == "tags":
        lines.insert(index, broken_line)
    else:
        lines[index] = broken_line
    found = errors("\n".join(lines))
    assert found, "a YAML error is reported"
    assert found[0].code == "yaml"
    assert found[0].line == line, found[0]


def test_duplicate_key_is_an_error_with_both_lines():
    text = article().replace("author: Nguyễn Văn An", "author: Nguyễn Văn An\ntitle: Tiêu đề khác")
    (finding,) = errors(text)
    assert finding.line == 5
    assert "dòng 2" in finding.message


def test_no_front_matter():
    (finding,) = errors("# Chỉ có nội dung\n")
    assert finding.code == "front-matter"


def test_unclosed_front_matter():
    (finding,) = errors("---\ntitle: A\n")
    assert "kết thúc" in finding.message


def test_unknown_field_suggests_the_real_one():
    found = errors(article(summary=None, sumary="Tóm tắt"))
    unknown = next(f for f in found if f.code == "unknown-field")
    assert "“summary”" in unknown.message
    assert unknown.line == 5


@pytest.mark.parametrize("value", ["26/11/2026", "hôm nay", "2026-13-01"])
def test_unreadable_date(value):
    (finding,) = errors(article(date=f'"{value}"'))
    assert finding.code == "date" and finding.line == 3


@pytest.mark.parametrize(
    ("value", "utc_hour"),
    [
        ("2026-11-20 08:00", 1),
        ("2026-11-20T08:00:00+07:00", 1),
        ("2026-11-20T08:00:00Z", 8),
        ("2026-11-20", 17),
    ],
)
def test_dates_carry_vietnam_time(value, utc_hour):
    doc = parse_document(article(date=value), PATH)
    assert doc.ok
    assert doc.fields["date"].tzinfo is not None
    assert doc.fields["date"].astimezone(dt.UTC).hour == utc_hour


def test_summary_too_long():
    (finding,) = errors(article(summary="a" * 301))
    assert finding.code == "summary-length"


def test_syndicate_names_only_known_channels():
    (finding,) = errors(article(syndicate="[facebok, zalo]"))
    assert "“facebook”" in finding.message
    doc = parse_document(article(syndicate="false"), PATH)
    assert doc.fields["syndicate"] is False


def test_co_authors_are_kept_in_order():
    doc = parse_document(article(author=None, authors="[Phạm Thu Trang, Đỗ Văn Hùng]"), PATH)
    assert doc.fields["authors"] == ["Phạm Thu Trang", "Đỗ Văn Hùng"]


def test_reserved_article_slug():
    (finding,) = errors(article(slug="page"))
    assert finding.code == "slug"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("2026-11-20-hoi-nghi.md", "hoi-nghi"),
        ("2026-11-20-Hội nghị Đà Nẵng.md", "hoi-nghi-da-nang"),
        ("gioi-thieu.md", "gioi-thieu"),
    ],
)
def test_slug_from_filename(name, slug):
    assert slug_from_filename(f"content/articles/a/{name}") == slug


def test_page_needs_only_a_title():
    assert not errors("---\ntitle: Giới thiệu\n---\nNội dung\n", kind="page")
    assert errors("---\nsummary: x\n---\n", kind="page")
