"""Reposting from official sources, against a local server standing in for them (as an HTTP proxy)."""

from __future__ import annotations

import json
import os
import unicodedata

import pytest
from loa.frontmatter import parse_document

from tests.cli.test_cli import loa as run_loa
from tests.conftest import article
from tests.fakes.server import App, FakeServer, Reply

SOURCES = """\
sources:
  - slug: bao-thu
    name: Báo Thử Nghiệm
    domains: [bao-thu.vn]
    feeds: ["http://bao-thu.vn/rss/tin-moi.rss"]
    terms: summary
    https: false
  - slug: an-toan
    name: Cổng thông tin An Toàn
    domains: [an-toan.gov.vn]
    terms: summary
  - slug: tap-chi-thu
    name: Tạp chí Thử
    domains: [tap-chi-thu.vn]
    feeds: ["http://tap-chi-thu.vn/atom.xml"]
    terms: full_text
    agreement: "Thoả thuận số 12/TT ngày 01/10/2026"
    https: false
"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Báo Thử Nghiệm</title>
<item><title>Hội nghị người lao động ngành tài nguyên</title><link>http://bao-thu.vn/bai/hoi-nghi.html</link><pubDate>Tue, 24 Nov 2026 08:00:00 +0700</pubDate></item>
<item><title>Chính sách mới về bảo hiểm xã hội</title><link>http://bao-thu.vn/bai/chi-json-ld.html</link><pubDate>Mon, 23 Nov 2026 09:00:00 +0700</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Tạp chí Thử</title>
<entry><title>Đoàn viên Đà Nẵng hiến máu</title><link href="http://tap-chi-thu.vn/bai/hien-mau.html"/><published>2026-11-22T07:00:00+07:00</published></entry>
</feed>"""

PARAGRAPH = "Sáng 24/11, hơn 200 đoàn viên công đoàn ngành tài nguyên và môi trường đã dự hội nghị người lao động, đóng góp nhiều ý kiến."

OG_PAGE = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Hội nghị người lao động | Báo Thử Nghiệm</title>
<meta property="og:title" content="Hội nghị người lao động ngành tài nguyên">
<meta property="og:description" content="Hơn 200 đoàn viên dự hội nghị người lao động năm 2026.">
<meta property="og:image" content="/anh/hoi-nghi.jpg">
<meta property="og:site_name" content="Báo Thử Nghiệm">
<meta property="article:published_time" content="2026-11-24T08:00:00+07:00">
<meta name="author" content="Lê Văn Phóng Viên">
</head><body><article><h1>Hội nghị người lao động</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH} Đoạn hai.</p></article></body></html>"""

JSON_LD_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Chính sách mới về bảo hiểm xã hội","description":"Từ 01/7/2025, Luật Bảo hiểm xã hội 2024 có hiệu lực với nhiều điểm mới.","datePublished":"2026-11-23T09:00:00+07:00","author":{"@type":"Person","name":"Trần Thị Tác Giả"},"image":["http://bao-thu.vn/anh/bhxh.jpg"]}</script>
</head><body><div class="detail"><p>Nội dung bài về bảo hiểm xã hội, đủ dài để được coi là một đoạn văn của bài báo.</p></div></body></html>"""

LEGACY_TEXT = "Đoàn viên Đà Nẵng hiến máu cứu người — nghĩa cử cao đẹp của người lao động"

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 stores it: shaped vowels precomposed, tone marks combining."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in TONES)
        shape = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(shape + tones)
    return "".join(out).encode("cp1258")


LEGACY_PAGE = (
    b'<!doctype html><html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"><title>'
    + cp1258(LEGACY_TEXT)
    + b'</title><meta name="description" content="'
    + cp1258("Hơn 100 đoàn viên tham gia ngày hội hiến máu tình nguyện.")
    + b'"></head><body><article><h1>'
    + cp1258(LEGACY_TEXT)
    + b"</h1><p>"
    + cp1258(
        "Ngày hội hiến máu do công đoàn tổ chức đã thu được hơn 100 đơn vị máu, góp phần cứu người bệnh."
    )
    + b"</p></article></body></html>"
)


class Sources(App):
    """Pages of the test sources, by host and path."""

    def __init__(self):
        super().__init__()
        self.pages = {
            ("bao-thu.vn", "/rss/tin-moi.rss"): Reply(200, raw=RSS.encode()),
            ("bao-thu.vn", "/bai/hoi-nghi.html"): Reply(
                200, raw=OG_PAGE.encode(), headers={"Content-Type": "text/html; charset=utf-8"}
            ),
            ("bao-thu.vn", "/bai/chi-json-ld.html"): Reply(200, raw=JSON_LD_PAGE.encode()),
            ("bao-thu.vn", "/bai/ma-cu.html"): Reply(200, raw=LEGACY_PAGE),
            ("bao-thu.vn", "/bai/cham.html"): Reply(200, raw=b"<html></html>", delay=600),
            ("tap-chi-thu.vn", "/atom.xml"): Reply(200, raw=ATOM.encode()),
            ("tap-chi-thu.vn", "/bai/hien-mau.html"): Reply(
                200,
                raw=OG_PAGE.replace(
                    "Hội nghị người lao động ngành tài nguyên", "Đoàn viên Đà Nẵng hiến máu"
                ).encode(),
            ),
        }
        self.route("*", r".*", self.serve)

    def serve(self, request, _match):
        host = request.headers.get("host", "").split(":")[0]
        return self.pages.get((host, request.path), Reply(404, raw=b"<h1>Not found</h1>"))


def moved(location: str) -> Reply:
    return Reply(302, raw=b"", headers={"Location": location})


@pytest.fixture
def repost_site(site):
    site.write("sources.yml", SOURCES)
    server = FakeServer(Sources()).start()
    site.server = server
    env = {
        "HTTP_PROXY": server.base_url,
        "http_proxy": server.base_url,
        "NO_PROXY": "",
        "no_proxy": "",
        "LOA_HTTP_TIMEOUT": "1",
    }
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield site
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    server.stop()


def loa(*args, site):
    return run_loa(*args, cwd=site.root)


def import_into_unit_a(site, url: str):
    """``loa reposts import URL --unit don-vi-a`` in the test site."""
    return loa("reposts", "import", url, "--unit", "don-vi-a", site=site)


def drafts(site) -> list:
    return (
        sorted((site.content / "articles" / "don-vi-a").glob("*.md"))
        if (site.content / "articles" / "don-vi-a").exists()
        else []
    )


def test_list_shows_the_items_of_every_feed_and_marks_what_was_reposted(repost_site):
    repost_site.write(
        "articles/don-vi-b/2026-11-25-da-dang.md",
        article(source="Báo Thử Nghiệm", source_url="http://bao-thu.vn/bai/hoi-nghi.html"),
    )
    result = loa("reposts", "list", site=repost_site)
    assert result.returncode == 0, result.stderr
    assert (
        "Hội nghị người lao động ngành tài nguyên" in result.stdout
        and "Đoàn viên Đà Nẵng hiến máu" in result.stdout
    )
    line = next(ln for ln in result.stdout.splitlines() if "Hội nghị người lao động" in ln)
    assert line.startswith("✓ đã đăng lại")
    assert "Thứ Ba, 24/11/2026" in line
    only = loa("reposts", "list", "tap-chi-thu", site=repost_site)
    assert "Hội nghị" not in only.stdout and "hiến máu" in only.stdout


@pytest.mark.clock
def test_import_writes_a_draft_that_loa_check_accepts(repost_site):
    result = import_into_unit_a(repost_site, "http://bao-thu.vn/bai/hoi-nghi.html")
    assert result.returncode == 0, result.stderr
    (path,) = drafts(repost_site)
    assert (
        str(path.relative_to(repost_site.root)) in result.stdout and "Việc còn lại" in result.stdout
    )
    doc = parse_document(path.read_text(encoding="utf-8"), str(path))
    assert doc.ok, doc.findings
    f = doc.fields
    assert f["title"] == "Hội nghị người lao động ngành tài nguyên"
    assert (
        f["status"] == "draft"
        and f["source"] == "Báo Thử Nghiệm"
        and f["source_url"] == "http://bao-thu.vn/bai/hoi-nghi.html"
    )
    assert f["source_author"] == "Lê Văn Phóng Viên" and f["source_date"] == "2026-11-24"
    assert "VIẾT LẠI BẰNG LỜI CỦA ĐƠN VỊ" in doc.body and PARAGRAPH not in doc.body, (
        "a summary source never gets its full text copied"
    )
    check = loa("check", site=repost_site)
    assert check.returncode == 0, check.stdout


def test_full_text_only_where_the_agreement_allows_and_rendered_with_attribution_and_canonical(
    repost_site,
):
    assert (
        import_into_unit_a(repost_site, "http://tap-chi-thu.vn/bai/hien-mau.html").returncode == 0
    )
    (path,) = drafts(repost_site)
    text = path.read_text(encoding="utf-8")
    assert PARAGRAPH in text and "Thoả thuận số 12/TT" in text and "source_full_text: true" in text
    assert loa("check", site=repost_site).returncode == 0
    path.write_text(text.replace("status: draft\n", ""), encoding="utf-8")
    out = repost_site.build()
    slug = path.stem[11:]
    page = (out / "don-vi-a" / slug / "index.html").read_text(encoding="utf-8")
    assert 'class="source">Nguồn: <a href="http://tap-chi-thu.vn/bai/hien-mau.html"' in page
    assert "Lê Văn Phóng Viên" in page and "24/11/2026" in page
    assert '<link rel="canonical" href="http://tap-chi-thu.vn/bai/hien-mau.html">' in page
    manifest = json.loads((out / "loa" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["articles"][0]["source"] == "Tạp chí Thử", "social posts name the source"


def test_full_text_from_a_summary_source_is_flagged(repost_site):
    repost_site.write(
        "articles/don-vi-a/2026-11-25-chep.md",
        article(
            source="Báo Thử Nghiệm",
            source_url="http://bao-thu.vn/bai/hoi-nghi.html",
            source_full_text="true",
        ),
    )
    result = loa("check", site=repost_site)
    assert result.returncode == 1
    assert "chỉ cho đăng tóm tắt" in result.stdout


def test_page_in_a_legacy_encoding_comes_out_as_correct_vietnamese(repost_site):
    result = import_into_unit_a(repost_site, "http://bao-thu.vn/bai/ma-cu.html")
    assert result.returncode == 0, result.stderr
    (path,) = drafts(repost_site)
    text = path.read_text(encoding="utf-8")
    assert LEGACY_TEXT in text
    assert unicodedata.normalize("NFC", text) == text


def test_page_with_only_json_ld(repost_site):
    assert import_into_unit_a(repost_site, "http://bao-thu.vn/bai/chi-json-ld.html").returncode == 0
    (path,) = drafts(repost_site)
    doc = parse_document(path.read_text(encoding="utf-8"), str(path))
    assert doc.fields["title"] == "Chính sách mới về bảo hiểm xã hội"
    assert (
        doc.fields["source_author"] == "Trần Thị Tác Giả"
        and doc.fields["source_date"] == "2026-11-23"
    )
    assert doc.fields["summary"].startswith("Từ 01/7/2025")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://tin-don.example.com/bai/x.html", "không thuộc danh sách nguồn chính thống"),
        ("http://bao-thu.vn/bai/khong-co.html", "máy chủ trả lỗi 404"),
        ("http://bao-thu.vn/bai/cham.html", "Hết thời gian chờ"),
        ("ftp://bao-thu.vn/x", "không phải địa chỉ trang web"),
    ],
)
def test_refusals_and_failures_are_one_sentence_and_write_nothing(repost_site, url, message):
    result = import_into_unit_a(repost_site, url)
    assert result.returncode in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert drafts(repost_site) == []


# An allowed page that redirects elsewhere: every hop is checked before it is asked.
HOSTILE_REDIRECTS = {
    "nội bộ (IP)": ("http://127.0.0.1:{port}/noi-bo", "mạng nội bộ"),
    "máy chủ siêu dữ liệu": ("http://169.254.169.254/latest/meta-data/", "mạng nội bộ"),
    "IPv6 loopback": ("http://[::1]:{port}/noi-bo", "mạng nội bộ"),
    "IPv4 trong IPv6": ("http://[::ffff:127.0.0.1]:{port}/noi-bo", "mạng nội bộ"),
    "số thập phân": ("http://2130706433/noi-bo", "không thuộc danh sách nguồn chính thống"),
    "ngoài danh sách": ("http://ke-xau.example/noi-bo", "không thuộc danh sách nguồn chính thống"),
    "tên na ná": (
        "http://bao-thu.vn.ke-xau.example/bai",
        "không thuộc danh sách nguồn chính thống",
    ),
    "tệp trên máy": ("file:///etc/passwd", "chỉ tải địa chỉ http(s)://"),
    "http tới nguồn chỉ https": ("http://an-toan.gov.vn/bai", "chỉ được tải qua https://"),
}


@pytest.mark.parametrize("name", list(HOSTILE_REDIRECTS))
def test_a_redirect_off_the_allowlist_is_never_followed(repost_site, name):
    target, message = HOSTILE_REDIRECTS[name]
    port = repost_site.server.base_url.rsplit(":", 1)[1]
    app = repost_site.server.app
    app.pages[("bao-thu.vn", "/chuyen")] = moved(target.format(port=port))
    app.pages[("127.0.0.1", "/noi-bo")] = Reply(200, raw=OG_PAGE.encode())
    result = import_into_unit_a(repost_site, "http://bao-thu.vn/chuyen")
    assert result.returncode == 1, result.stdout
    assert message in result.stderr and "Traceback" not in result.stderr
    assert drafts(repost_site) == []
    asked = [r.path for r in repost_site.server.requests]
    assert "/noi-bo" not in asked and "/bai" not in asked, asked


def test_redirects_within_the_allowlist_are_followed_and_loops_are_not(repost_site):
    app = repost_site.server.app
    app.pages[("bao-thu.vn", "/cu/hoi-nghi")] = moved("/bai/hoi-nghi.html")
    assert import_into_unit_a(repost_site, "http://bao-thu.vn/cu/hoi-nghi").returncode == 0
    assert len(drafts(repost_site)) == 1
    for n in range(10):
        app.pages[("bao-thu.vn", f"/vong/{n}")] = moved(f"/vong/{n + 1}")
    looped = import_into_unit_a(repost_site, "http://bao-thu.vn/vong/0")
    assert looped.returncode == 1 and "chuyển hướng quá 5 lần" in looped.stderr
    assert len([r for r in repost_site.server.requests if r.path.startswith("/vong/")]) == 6


def test_a_feed_that_redirects_off_the_allowlist_is_reported_not_followed(repost_site):
    app = repost_site.server.app
    app.pages[("bao-thu.vn", "/rss/tin-moi.rss")] = moved("http://ke-xau.example/rss")
    listed = loa("reposts", "list", "bao-thu", site=repost_site)
    assert "không thuộc danh sách nguồn chính thống" in listed.stderr
    assert all("ke-xau" not in r.headers.get("host", "") for r in repost_site.server.requests)


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.0.0.5", "192.168.1.1", "169.254.169.254", "::1", "fd00::1"]
)
def test_an_allowed_name_that_resolves_inside_is_refused(monkeypatch, address):
    import socket

    from loa.errors import LoaError
    from loa.reposts.fetch import check_address
    from loa.units.sources import parse as parse_sources

    for name in (
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(family, socket.SOCK_STREAM, 6, "", (address, 80))]
    )
    sources = parse_sources(SOURCES, "sources.yml")
    with pytest.raises(LoaError, match="mạng nội bộ"):
        check_address("http://bao-thu.vn/bai/x.html", sources, "trang")
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("8.8.8.8", 80))],
    )
    check_address("http://bao-thu.vn/bai/x.html", sources, "trang")  # a public address: asked
