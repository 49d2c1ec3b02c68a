"""A rebuild keeps the pages whose inputs did not change, and the site is the one a clean build makes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from loa import writer

from tests.conftest import REPO, SiteMaker, article, site_files

NO_SEARCH = {"LOA_SEARCH": False}


def _kept() -> tuple[int, int]:
    """(pages kept, pages) of the last build."""
    return writer.totals["kept"], writer.totals["pages"]


def _clean_build(maker: SiteMaker, tmp_path: Path, **settings) -> dict[str, bytes]:
    """The same content built from nothing: another output, another cache."""
    output, cache = tmp_path / "clean-output", tmp_path / "clean-cache"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    maker.build(OUTPUT_PATH=str(output), CACHE_PATH=str(cache), **NO_SEARCH, **settings)
    return site_files(output)


def _rebuild(maker: SiteMaker, **settings) -> tuple[dict[str, bytes], tuple[int, int]]:
    output = maker.build(**NO_SEARCH, **settings)
    return site_files(output), _kept()


@pytest.fixture
def built(sample_site):
    sample_site.build(**NO_SEARCH)
    assert _kept()[0] == 0  # nothing to keep the first time
    return sample_site


def test_an_unchanged_site_is_kept_whole_and_stays_the_same(built, tmp_path):
    files, (kept, total) = _rebuild(built)
    assert total > 60
    # Statistics pages carry the minute they were made; everything else is kept.
    assert kept >= total - 12
    assert files == _clean_build(built, tmp_path)
    assert not (built.root / "output.loa-previous").exists()


def test_an_edited_title_shows_everywhere_it_is_listed(built, tmp_path):
    path = built.content / "articles" / "cong-doan-cuc"
    source = sorted(path.glob("*.md"))[0]
    text = source.read_text(encoding="utf-8")
    old_title = re.search(r"^title: (.+)$", text, re.M)[1]
    source.write_text(text.replace(old_title, "Tiêu đề đã sửa lại hẳn"), encoding="utf-8")

    files, (kept, total) = _rebuild(built)
    assert 0 < kept < total
    clean = _clean_build(built, tmp_path)
    assert files == clean
    # The new title is on the article, on the pages that list it and on the
    # articles that show it as related, all of which were rendered again.
    showing = [name for name, data in files.items() if "Tiêu đề đã sửa lại hẳn".encode() in data]
    assert len([n for n in showing if n.endswith("index.html")]) >= 3
    assert not [n for n, d in files.items() if old_title.encode() in d and n.endswith(".html")]


def test_a_deleted_article_leaves_nothing_behind(built, tmp_path):
    source = sorted((built.content / "articles").rglob("*.md"))[0]
    before = site_files(built.output)
    source.unlink()
    files, (kept, _total) = _rebuild(built)
    assert kept > 0
    assert files == _clean_build(built, tmp_path)
    assert len(files) < len(before)


def test_a_new_article_renders_only_what_shows_it(built, tmp_path):
    built.write(
        "articles/van-phong-cuc/2026-11-25-bai-moi.md",
        article(title="Bài mới về hội thao", date="2026-11-25 08:00", tags="[hội thao]"),
    )
    files, (kept, total) = _rebuild(built)
    assert kept > total / 2
    assert files == _clean_build(built, tmp_path)
    assert "van-phong-cuc/bai-moi/index.html" in files


def test_a_template_or_setting_change_renders_every_page_again(built, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    footer = theme / "templates" / "partials" / "footer.html"
    footer.write_text(
        footer.read_text(encoding="utf-8").replace("Cơ quan chủ quản", "Đơn vị chủ quản"),
        encoding="utf-8",
    )
    files, (kept, total) = _rebuild(built, THEME=str(theme))
    assert kept == 0 and total > 60
    assert b"\xc4\x90\xc6\xa1n v\xe1\xbb\x8b ch\xe1\xbb\xa7 qu\xe1\xba\xa3n" in files["index.html"]
    assert files == _clean_build(built, tmp_path, THEME=str(theme))

    files, (kept, total) = _rebuild(built, THEME=str(theme), SITESUBTITLE="Khẩu hiệu mới")
    assert kept == 0
    assert "Khẩu hiệu mới".encode() in files["index.html"]


def test_a_page_changed_by_hand_in_the_output_is_rendered_again(built):
    page = built.output / "index.html"
    original = page.read_text(encoding="utf-8")
    page.write_text(original.replace("</body>", "<!-- sửa tay --></body>"), encoding="utf-8")
    files, (kept, total) = _rebuild(built)
    assert b"s\xe1\xbb\xada tay" not in files["index.html"]
    assert files["index.html"].decode() == original
    assert kept < total


def test_the_retained_folders_stay_and_keeping_can_be_turned_off(built, tmp_path):
    (built.output / ".git").mkdir()
    (built.output / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (built.output / "la.txt").write_text("không do bản dựng tạo ra", encoding="utf-8")
    files, _counts = _rebuild(built)
    assert (built.output / ".git" / "HEAD").read_text(encoding="utf-8").startswith("ref:")
    assert "la.txt" not in files  # the output is what the build makes, as with Pelican
    _files, (kept, total) = _rebuild(built, LOA_KEEP_PAGES=False)
    assert kept == 0 and total > 60
    assert (built.output / ".git" / "HEAD").exists()


def test_pages_rendered_in_small_batches_make_the_same_site(sample_site, tmp_path, monkeypatch):
    # One process renders everything (as on two cores while search indexes):
    # pages are then rendered a batch at a time as Pelican asks for them.
    monkeypatch.setattr(writer, "BATCH", 5)
    sample_site.build(LOA_WORKERS=1, **NO_SEARCH)
    first = site_files(sample_site.output)
    assert first == _clean_build(sample_site, tmp_path, LOA_WORKERS=2, LOA_PARALLEL_MIN_FILES=1)
    source = sorted((sample_site.content / "articles" / "cong-doan-cuc").glob("*.md"))[0]
    text = source.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, re.M)[1]
    source.write_text(text.replace(title, "Tiêu đề mới theo từng đợt"), encoding="utf-8")
    files, (kept, total) = _rebuild(sample_site, LOA_WORKERS=1)
    assert 0 < kept < total
    assert files == _clean_build(sample_site, tmp_path)


def test_partials_rendered_once_per_build_are_the_ones_each_page_would_include(
    sample_site, tmp_path, monkeypatch
):
    from loa.theme import plugin
    from pelican import signals

    seen = []

    def look(path, context):
        seen.append(context.get("loa_footer"))

    signals.content_written.connect(look)
    absolute = {"RELATIVE_URLS": False}  # production: with relative URLs each page has its own
    try:
        once = site_files(sample_site.build(**NO_SEARCH, **absolute))
    finally:
        signals.content_written.disconnect(look)
    assert seen and all("site-footer" in footer for footer in seen)  # rendered once, given to all
    monkeypatch.setattr(plugin, "FIXED_PARTIALS", {})
    assert once == _clean_build(
        sample_site, tmp_path, **absolute
    )  # each page including them itself
