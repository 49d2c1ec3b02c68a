"""/quan-tri/ is built with the site, self-contained, and kept out of everything readers and robots see."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from loa.cms.plugin import DEFAULT_BUNDLE

needs_bundle = pytest.mark.skipif(
    not (DEFAULT_BUNDLE / "decap-cms.js").exists(),
    reason="Thiếu Decap CMS: chạy “npm ci” (make test tự chạy khi có npm).",
)


def policy(html: str) -> dict[str, list[str]]:
    content = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    return {
        part.split()[0]: part.split()[1:] for part in content.replace("&#x27;", "'").split("; ")
    }


@needs_bundle
def test_the_newsroom_is_built_self_hosted_and_hidden(sample_site):
    output = sample_site.build("publishconf.py", LOA_READ_LEDGER=False)
    page = (output / "quan-tri" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    rules = policy(page)
    assert rules["connect-src"] == ["'self'", "blob:", "data:", "https://api.github.com"]
    assert rules["script-src"][0] == "'self'" and not any(
        "//" in source for source in rules["script-src"]
    )
    assert rules["default-src"] == ["'self'"] and rules["object-src"] == ["'none'"]
    # Every script and stylesheet comes from the site itself.
    for src in re.findall(r'(?:src|href)="([^"]+)"', page):
        prefix = "https://vi-du.example.vn/quan-tri/"
        assert src.startswith(prefix) and (output / "quan-tri" / src[len(prefix) :]).is_file(), src
    # Its own icon: no request for a /favicon.ico the site does not have.
    assert '<link rel="icon" href="https://vi-du.example.vn/quan-tri/favicon.svg"' in page
    vendor = output / "quan-tri" / "vendor"
    assert (vendor / "decap-cms.js").is_file()
    assert not list(vendor.glob("*.map"))
    # Every chunk the bundle may load is there.
    copied = {p.name for p in vendor.iterdir()}
    shipped = {
        p.name
        for p in DEFAULT_BUNDLE.iterdir()
        if p.name.endswith(".decap-cms.js") or p.name.endswith(".wasm")
    }
    assert shipped <= copied
    # Out of the sitemap, the feeds, the menus and the search.
    assert "quan-tri" not in (output / "sitemap.xml").read_text(encoding="utf-8")
    for feed in (output / "feeds").glob("*.xml"):
        assert "quan-tri" not in feed.read_text(encoding="utf-8"), feed
    for other in output.rglob("*.html"):
        if "quan-tri" not in other.parts:
            assert "quan-tri" not in other.read_text(encoding="utf-8"), other
    urls = [
        json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd") :])["url"]
        for f in (output / "pagefind" / "fragment").glob("*.pf_fragment")
    ]
    assert urls and not [url for url in urls if "quan-tri" in url]
    # The repository the pull requests go to comes from the settings.
    payload = json.loads((output / "quan-tri" / "loa-config.json").read_text(encoding="utf-8"))
    assert payload["config"]["backend"]["repo"] == "loa-example/loa"


@needs_bundle
def test_a_local_git_backend_is_added_to_the_pages_connect_sources(sample_site):
    output = sample_site.build(
        LOA_CMS={"repo": "union/site", "local_backend": "http://127.0.0.1:8081/api/v1"}
    )
    rules = policy((output / "quan-tri" / "index.html").read_text(encoding="utf-8"))
    assert rules["connect-src"][-1] == "http://127.0.0.1:8081"


def test_without_the_bundle_the_site_builds_and_says_how_to_get_it(sample_site, tmp_path, caplog):
    output = sample_site.build(LOA_CMS={"repo": "union/site", "bundle": str(tmp_path / "khong-co")})
    assert not (output / "quan-tri").exists()
    assert (output / "index.html").exists()
    assert "make install" in caplog.text and "quan-tri" in caplog.text


def test_a_site_without_the_setting_has_no_newsroom(sample_site):
    output = sample_site.build(LOA_CMS=None)
    assert not (output / "quan-tri").exists()
