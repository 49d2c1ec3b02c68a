"""Hỏi đáp articles: question + topic, legal basis on the allow-list, a page per topic, FAQPage data."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from tests.conftest import REPO, UNITS_YML, article

TOPICS = UNITS_YML.replace(
    "units:\n",
    "topics:\n  - {slug: tien-luong, name: Tiền lương và phụ cấp}\n  - {slug: bao-hiem, name: Bảo hiểm xã hội}\nunits:\n",
)
SOURCES = "sources:\n  - slug: chinh-phu\n    name: Chính phủ\n    domains: [chinhphu.vn]\n    terms: summary\n"
QUESTION = "Tôi làm thêm giờ vào ngày nghỉ hằng tuần thì được trả lương thế nào? </script><b>x</b>"


def _question(**extra) -> str:
    fields = {
        "question": json.dumps(QUESTION, ensure_ascii=False),
        "topic": "tien-luong",
        "legal_basis": "[https://vanban.chinhphu.vn/?docid=212345]",
        **extra,
    }
    return article(
        title="Làm thêm giờ ngày nghỉ được trả lương thế nào?",
        body="Theo Bộ luật Lao động, ít nhất bằng 200% tiền lương giờ làm việc bình thường.",
        **fields,
    )


def _check(root) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loa.cli", "check"],
        cwd=root, capture_output=True, text=True, check=False,
        env={"PYTHONPATH": str(REPO / "plugins"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_question_page_topic_pages_and_faq_structured_data(site):
    site.units(TOPICS)
    site.write("sources.yml", SOURCES)
    site.write("articles/don-vi-a/2026-11-20-lam-them-gio.md", _question())
    site.write("articles/don-vi-a/2026-11-21-tin-thuong.md", article(title="Tin thường"))
    assert _check(site.root).returncode == 0, _check(site.root).stdout
    site.build()
    page = site.read("don-vi-a/lam-them-gio/index.html")
    assert "Câu hỏi" in page and "Tiền lương và phụ cấp" in page
    assert "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in page  # the question is text, never markup
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    faq = [json.loads(b) for b in blocks if "FAQPage" in b]
    assert len(faq) == 1
    assert faq[0]["mainEntity"][0]["name"] == QUESTION
    assert "200%" in faq[0]["mainEntity"][0]["acceptedAnswer"]["text"]
    assert 'href="https://vanban.chinhphu.vn/?docid=212345"' in page
    topic = site.read("hoi-dap/tien-luong/index.html")
    assert "Hỏi đáp: Tiền lương và phụ cấp" in topic and "làm thêm giờ" in topic.lower()
    assert "Tin thường" not in topic
    index = site.read("hoi-dap/index.html")
    assert "Bảo hiểm xã hội</a> (0 câu hỏi)" in index and "(1 câu hỏi)" in index
    assert "FAQPage" not in site.read("don-vi-a/tin-thuong/index.html")


def test_check_names_unknown_topic_missing_pair_and_legal_basis_off_the_allow_list(site):
    site.units(TOPICS)
    site.write("sources.yml", SOURCES)
    site.write("articles/don-vi-a/2026-11-20-a.md", _question(topic="luong-bong"))
    site.write("articles/don-vi-a/2026-11-21-b.md", _question(topic=""))
    site.write(
        "articles/don-vi-a/2026-11-22-c.md",
        _question(legal_basis="[https://tin-don.example.com/luat]"),
    )
    result = _check(site.root)
    assert result.returncode == 1
    assert "Chủ đề hỏi đáp “luong-bong” không có trong mục “topics”" in result.stdout
    assert "tien-luong, bao-hiem" in result.stdout
    assert "cần cả “question” (câu hỏi) và “topic”" in result.stdout
    assert "“tin-don.example.com” không thuộc danh sách nguồn chính thống" in result.stdout


def test_the_question_is_searched_with_its_answer():
    from types import SimpleNamespace

    from loa.search.documents import inputs

    unit = SimpleNamespace(short_name="CĐCS A")
    answer = SimpleNamespace(
        url="a/b/", title="T", _content="<p>Trả lời.</p>", unit=unit, locale_date=""
    )
    asked = SimpleNamespace(**vars(answer), question="Làm thêm giờ <b>ngày nghỉ</b>?")
    assert "Làm thêm giờ &lt;b&gt;ngày nghỉ&lt;/b&gt;?" in inputs(asked)[2]
    assert inputs(answer)[2] == "<p>Trả lời.</p>"


def test_the_newsroom_form_has_the_question_fields():
    from loa.cms.config import article_fields

    form = {f["name"]: f for f in article_fields((), ())}
    assert form["question"]["widget"] == "loa-text" and form["question"]["loa_max"] == 1000
    assert form["topic"]["widget"] == "loa-string" and "topics" in form["topic"]["hint"]
    assert form["legal_basis"]["widget"] == "list"
