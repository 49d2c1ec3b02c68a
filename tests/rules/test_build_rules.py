"""The rules inside a real build: injected content never reaches readers; bad links stop the build."""

from __future__ import annotations

import logging
import shutil

import pytest
from bs4 import BeautifulSoup
from loa.errors import BuildStopped

from tests.conftest import REPO, article

XSS = """Đoạn đầu an toàn.

<script>alert('xss-1')</script>

<img src="/images/x.jpg" alt="a" onerror="alert('xss-2')">

[Bấm vào đây](javascript:alert('xss-3'))

<a href="javascript:alert('xss-4')">liên kết</a>

<svg onload="alert('xss-5')"><circle r="1"/></svg>

<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLTYnKTwvc2NyaXB0Pg==">dữ liệu</a>

<iframe src="https://evil.example.com/xss-7"></iframe>

<div style="display:none">xss-8 chữ ẩn</div>

<IMG SRC=JaVaScRiPt:alert('xss-9')>

<a href=" javascript:alert('xss-10')">có dấu cách</a>

<object data="https://evil.example.com/xss-11.swf"></object>

<math><mtext><script>alert('xss-12')</script></mtext></math>

<p onclick="alert('xss-13')">đoạn văn</p>

![ảnh](javascript:alert('xss-14'))

<a href="vbscript:msgbox('xss-15')">vb</a>

<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video được phép"></iframe>
"""


@pytest.fixture
def rules_site(site):
    shutil.copy(REPO / "content" / "sources.yml", site.content / "sources.yml")
    return site


def test_xss_payloads_never_reach_the_output(rules_site):
    rules_site.write("articles/don-vi-a/2026-11-20-xss.md", article(body=XSS))
    out = rules_site.build(LOA_STOP_ON_ERRORS=False)
    html = (out / "don-vi-a" / "xss" / "index.html").read_text(encoding="utf-8")
    tree = BeautifulSoup(html, "html.parser").select_one("div.body")
    body = str(tree)
    for tag in tree.find_all(True):
        assert tag.name not in ("script", "svg", "object", "math", "style", "embed"), tag
        for name, raw in tag.attrs.items():
            value = " ".join(raw) if isinstance(raw, list) else raw
            assert not name.startswith("on") and name != "style", tag
            assert not value.strip().lower().startswith(("javascript", "vbscript", "data:")), tag
            assert "evil.example.com" not in value, tag
    for n in range(1, 16):
        if n == 8:
            continue  # the hidden text itself stays, visible: only the hiding goes
        assert f"xss-{n}'" not in body and f"xss-{n})" not in body, n
    assert "Đoạn đầu an toàn." in body
    assert "chữ ẩn" in body
    assert 'src="https://www.youtube-nocookie.com/embed/abc"' in body, "allowlisted embeds stay"


def test_xss_article_stops_a_normal_build(rules_site, loa_log):
    rules_site.write("articles/don-vi-a/2026-11-20-xss.md", article(body=XSS))
    with pytest.raises(BuildStopped):
        rules_site.build()
    log = loa_log()
    for line in (10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38):
        assert f"2026-11-20-xss.md:{line}:" in log, line


def test_link_outside_the_allowlist_stops_the_build_with_its_line(rules_site, loa_log):
    rules_site.write(
        "articles/don-vi-a/2026-11-20-a.md",
        article(body="Dòng một.\n\nXem [tin](https://tin-don.example.com/x)."),
    )
    with pytest.raises(BuildStopped):
        rules_site.build()
    assert "2026-11-20-a.md:10:" in loa_log()
    assert "tin-don.example.com" in loa_log()


def test_link_to_a_missing_article_stops_the_build(rules_site, loa_log):
    rules_site.write(
        "articles/don-vi-a/2026-11-20-a.md", article(body="Xem [bài](/don-vi-b/khong-co/).")
    )
    rules_site.write("articles/don-vi-b/2026-11-20-co.md", article(title="Có"))
    with pytest.raises(BuildStopped):
        rules_site.build()
    assert "bài viết không tồn tại" in loa_log()


def test_links_between_articles_and_to_images_resolve(rules_site):
    rules_site.write("articles/don-vi-b/2026-11-20-co.md", article(title="Có"))
    import io

    from PIL import Image

    picture = io.BytesIO()  # a real JPEG: three magic bytes alone are a truncated file, refused
    Image.new("RGB", (40, 30), (200, 30, 30)).save(picture, "JPEG")
    rules_site.write("images/don-vi-a/anh.jpg", picture.getvalue())
    rules_site.write(
        "articles/don-vi-a/2026-11-20-a.md",
        article(
            body="[bài](/don-vi-b/co/), [tương đối](../../don-vi-b/co/), [trang đơn vị](/don-vi-b/),"
            " [ảnh](/images/don-vi-a/anh.jpg), [tệp]({filename}../don-vi-b/2026-11-20-co.md),"
            " [chủ đề](/chu-de/), [Chính phủ](https://chinhphu.vn/a), [tỉnh](https://danang.gov.vn/)"
        ),
    )
    out = rules_site.build("publishconf.py")
    html = (out / "don-vi-a" / "a" / "index.html").read_text(encoding="utf-8")
    assert "https://vi-du.example.vn/don-vi-b/co/" in html, "the {filename} link was resolved"
    preview = rules_site.build()  # relative URLs: the link works on any address
    html = (preview / "don-vi-a" / "a" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../don-vi-b/co/"' in html


def test_warnings_pass_in_preview_and_stop_production(rules_site, loa_log):
    rules_site.write(
        "articles/don-vi-a/2026-11-20-a.md", article(body="Xem [Chính phủ](http://chinhphu.vn/a).")
    )
    rules_site.build()
    assert "http://" in loa_log()
    with pytest.raises(BuildStopped):
        rules_site.build("publishconf.py")


def test_a_warning_still_there_is_shown_again_at_the_next_preview_build(rules_site, caplog):
    """``make devserver`` builds at every save in one process: each build shows its warnings."""
    rules_site.write(
        "articles/don-vi-a/2026-11-20-a.md", article(body="Xem [Chính phủ](http://chinhphu.vn/a).")
    )
    rules_site.write("articles/don-vi-b/2026-11-20-b.md", article(title="Bài khác"))
    settings = {"LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True}
    caplog.set_level(logging.WARNING)
    seen = []
    for title in ("Bài khác", "Bài khác, sửa lần hai"):
        caplog.clear()
        rules_site.write("articles/don-vi-b/2026-11-20-b.md", article(title=title))
        rules_site.build(**settings)
        seen.append(
            [
                r.getMessage()
                for r in caplog.records
                if "“chinhphu.vn” dùng http://" in r.getMessage()
            ]
        )
    assert len(seen[0]) == 1 and "2026-11-20-a.md:" in seen[0][0]
    assert seen[1] == seen[0]


def test_invisible_characters_never_reach_the_page(rules_site):
    rules_site.write(
        "articles/don-vi-a/2026-11-20-a.md",
        article(title="Công\u200b đoàn", body="Đoàn\u200b viên\ufeff tham gia."),
    )
    out = rules_site.build()
    html = (out / "don-vi-a" / "a" / "index.html").read_text(encoding="utf-8")
    assert "\u200b" not in html and "\ufeff" not in html
    assert "Đoàn viên tham gia." in html


def test_broken_sources_file_stops_the_build(rules_site, loa_log):
    rules_site.write(
        "sources.yml", "sources:\n  - slug: a\n    name: A\n    domains: [https://a.vn]\n"
    )
    rules_site.write("articles/don-vi-a/2026-11-20-a.md", article())
    with pytest.raises(BuildStopped):
        rules_site.build()
    assert "sources.yml:4" in loa_log()


def test_an_embed_host_taken_off_the_allowlist_goes_even_from_cached_text(rules_site):
    """The reader sanitises (its result is cached); a changed allowlist sanitises again."""
    rules_site.write("articles/don-vi-a/2026-11-20-xss.md", article(body=XSS))
    settings = {"LOA_STOP_ON_ERRORS": False, "LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True}
    out = rules_site.build(**settings)
    page = out / "don-vi-a" / "xss" / "index.html"
    assert "youtube-nocookie.com/embed/abc" in page.read_text(encoding="utf-8")
    sources = rules_site.content / "sources.yml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace("  - www.youtube-nocookie.com\n", ""),
        encoding="utf-8",
    )
    rules_site.build(**settings)
    assert "youtube-nocookie.com/embed/abc" not in page.read_text(encoding="utf-8")
    assert "Đoạn đầu an toàn." in page.read_text(encoding="utf-8")
