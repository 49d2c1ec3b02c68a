"""The newsroom's configuration is made from units.yml and the reader's own field definitions."""

from __future__ import annotations

import unicodedata

import pytest
from loa.cms.config import build_config, preview_data
from loa.frontmatter import ARTICLE_FIELDS, PAGE_FIELDS, fields, parse_document
from loa.frontmatter.fields import EVENT_KEYS, ITEM_KEYS, VIDEO_KEYS
from loa.units.registry import parse as parse_registry

from tests.conftest import REPO

SETTINGS = {
    "LOA_CMS": {"repo": "union/site", "branch": "main"},
    "SITEURL": "https://tin.example.vn",
}
NEW_UNIT = """
  - slug: trung-tam-moi
    name: Công đoàn cơ sở Trung tâm Mới
    short_name: Trung tâm Mới
    description: Đơn vị thêm vào để thử.
    admins: ["@nguoi-quan-tri"]
    channels:
      telegram:
        chat_id: "@trungtammoi"
        token_env: LOA_TG_TOKEN
"""


def sample_registry(extra: str = ""):
    text = (REPO / "content" / "units.yml").read_text(encoding="utf-8")
    return parse_registry(text.rstrip() + "\n" + extra if extra else text)


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def fields_of(items: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in items}


def test_every_unit_has_its_collection_and_a_new_unit_adds_one():
    before = build_config(sample_registry(), SETTINGS)
    registry = sample_registry(NEW_UNIT)
    after = build_config(registry, SETTINGS)
    names = [c["name"] for c in after["collections"]]
    assert names == [*registry.slugs, "trang"]
    assert len(after["collections"]) == len(before["collections"]) + 1
    new = collection(after, "trung-tam-moi")
    assert new["label"] == "Trung tâm Mới"
    assert new["folder"] == "content/articles/trung-tam-moi"
    assert new["media_folder"] == "/content/images/trung-tam-moi"
    assert new["public_folder"] == "images/trung-tam-moi"
    # The article's own date (Vietnam time as written), not Decap's UTC {{year}}-{{month}}-{{day}}.
    assert new["slug"] == "{{fields.date | date('YYYY-MM-DD')}}-{{slug}}"
    # The channels offered are the unit's and the department's, nothing else.
    offered = [o["value"] for o in fields_of(new["fields"])["syndicate"]["options"]]
    expected = {c.platform for c in registry.channels_for(registry.get("trung-tam-moi"))}
    assert set(offered) == expected and "telegram" in offered
    # Each pull request goes to the configured repository, through the editorial workflow.
    assert (after["backend"]["name"], after["backend"]["repo"]) == ("github", "union/site")
    assert after["publish_mode"] == "editorial_workflow"
    assert after["locale"] == "vi"
    assert "local_backend" not in after  # only when a site asks for it


def test_every_field_the_reader_accepts_is_in_the_form():
    config = build_config(sample_registry(), SETTINGS, tags=["an sinh", "thể thao"])
    for unit in sample_registry().slugs:
        form = fields_of(collection(config, unit)["fields"])
        assert set(form) == {*ARTICLE_FIELDS, "body"}
        assert {f["name"] for f in form["event"]["fields"]} == set(EVENT_KEYS)
        assert {f["name"] for f in form["gallery"]["fields"]} == set(ITEM_KEYS)
        assert "an sinh, thể thao" in form["tags"]["hint"]
    pages = fields_of(collection(config, "trang")["fields"])
    assert set(pages) == {*PAGE_FIELDS, "body"}


def _limit_of(document_for, longest: int = 2000) -> int:
    """The longest value the reader accepts, found by asking it."""
    low, high = 1, longest
    while low < high:
        middle = (low + high + 1) // 2
        if document_for("ạ" * middle).ok:
            low = middle
        else:
            high = middle - 1
    return low


def _article(**values) -> str:
    front = {
        "title": "Tiêu đề",
        "date": "2026-11-26 08:00",
        "author": "Lê Hoa",
        "summary": "Tóm tắt.",
    }
    front.update(values)
    lines = "\n".join(f'{k}: "{v}"' for k, v in front.items())
    return f"---\n{lines}\n---\n\nNội dung.\n"


@pytest.mark.parametrize("name", ["title", "summary"])
def test_the_form_limits_are_the_readers(name):
    """The form's limit for each field is where the reader starts refusing — and its sentence."""
    config = build_config(sample_registry(), SETTINGS)
    field = fields_of(collection(config, "van-phong-cuc")["fields"])[name]
    limit = _limit_of(lambda text: parse_document(_article(**{name: text}), "a.md"))
    assert field["loa_max"] == limit
    # Counted as the reader counts: a decomposed "ạ" is one character after NFC.
    decomposed = unicodedata.normalize("NFD", "ạ") * limit
    assert parse_document(_article(**{name: decomposed}), "a.md").ok
    refused = parse_document(_article(**{name: "ạ" * (limit + 1)}), "a.md")
    message = field["loa_message"].format(length=limit + 1, limit=limit, photo="")
    assert [f.message for f in refused.findings if f.is_error] == [message]


def test_the_cover_without_description_says_what_loa_check_says():
    config = build_config(sample_registry(), SETTINGS)
    alt = fields_of(collection(config, "van-phong-cuc")["fields"])["image_alt"]
    document = parse_document(_article(image="images/van-phong-cuc/a.jpg"), "a.md")
    assert [f.message for f in document.findings if f.code == "image-alt"] == [alt["loa_message"]]
    assert alt["widget"] == "loa-alt"


def test_a_required_field_left_empty_says_what_loa_check_says():
    config = build_config(sample_registry(), SETTINGS)
    title = fields_of(collection(config, "van-phong-cuc")["fields"])["title"]
    text = "---\ndate: 2026-11-26 08:00\nauthor: Lê Hoa\nsummary: Tóm tắt.\n---\n\nNội dung.\n"
    document = parse_document(text, "a.md")
    assert [f.message for f in document.findings if f.code == "missing-field"] == [
        title["loa_missing"]
    ]


def test_the_album_and_caption_limits_are_the_readers():
    config = build_config(sample_registry(), SETTINGS)
    gallery = fields_of(collection(config, "van-phong-cuc")["fields"])["gallery"]
    caption = fields_of(gallery["fields"])["caption"]
    photo = "  - image: images/van-phong-cuc/a.jpg\n    alt: Ảnh\n    caption: {}\n"

    def with_caption(text: str):
        body = "gallery:\n" + photo.format(text)
        return parse_document(_article().replace("---\n\n", body + "---\n\n", 1), "a.md")

    assert caption["loa_max"] == _limit_of(with_caption)
    assert gallery["max"] == 50


def test_the_preview_knows_each_units_channels_and_each_platforms_limits():
    registry = sample_registry(NEW_UNIT)
    data = preview_data(registry, SETTINGS)
    assert data["site_url"] == "https://tin.example.vn"
    assert data["image_alt_missing"] == fields.IMAGE_ALT_MISSING
    new = data["units"]["trung-tam-moi"]["channels"]
    assert [c["platform"] for c in new] == [
        c.platform for c in registry.channels_for(registry.get("trung-tam-moi"))
    ]
    assert data["platforms"]["x"]["limits"]["text"] == 280
    assert data["platforms"]["zalo"]["limits"]["description"] == 300


HOSTILE_TAGS = [
    "[bấm vào đây](https://evil.example/dang-nhap)",
    "<https://evil.example>",
    "www.evil.example",
    "https://evil.example/x",
    "tin@evil.example",
    "**đậm** _nghiêng_ `mã`",
    "<img src=x onerror=alert(1)>",
    "![ảnh](https://evil.example/a.png)",
    "thể thao",
]


def test_a_tag_written_as_markdown_is_shown_as_written_in_the_tags_hint():
    """Decap renders hints as Markdown: a tag must stay text, never a link, an image or HTML."""
    from bs4 import BeautifulSoup
    from markdown_it import MarkdownIt

    config = build_config(sample_registry(), SETTINGS, tags=HOSTILE_TAGS)
    hint = {f["name"]: f for f in collection(config, "van-phong-cuc")["fields"]}["tags"]["hint"]
    # CommonMark with raw HTML allowed, as react-markdown would show it at its most permissive.
    rendered = MarkdownIt("commonmark", {"html": True}).render(hint)
    soup = BeautifulSoup(rendered, "html.parser")
    assert [tag.name for tag in soup.find_all(True)] == ["p"], rendered
    text = soup.get_text()
    assert all(tag in text for tag in HOSTILE_TAGS), text
    # GFM's bare autolinks start at "www.", "http(s)://" or an e-mail's "@": none is left whole.
    assert "www." not in hint and "://" not in hint and "tin@" not in hint


def test_the_video_block_is_the_readers_and_says_what_loa_check_says():
    """The form's ``video`` block has the reader's keys, labels and hints; what it refuses
    before saving is the sentence ``loa check`` writes for the same file."""
    config = build_config(sample_registry(), SETTINGS)
    video = fields_of(collection(config, "van-phong-cuc")["fields"])["video"]
    assert video["widget"] == "object" and video["label"] == fields.BY_NAME["video"].label
    children = fields_of(video["fields"])
    assert list(children) == list(VIDEO_KEYS)
    for child in fields.VIDEO_FIELDS:
        assert children[child.name]["label"] == child.label
    # Seconds with a fraction; `transcript: true` or the text, never the string "true".
    assert children["poster_time"] == {**children["poster_time"], "widget": "number", "value_type": "float"}
    assert children["transcript"]["widget"] == "loa-transcript"
    missing = preview_data(sample_registry(), SETTINGS)["video_missing"]

    def said(block: str) -> list[str]:
        text = _article().replace("---\n\n", "video:\n" + block + "---\n\n", 1)
        return [f.message for f in parse_document(text, "a.md").findings if f.is_error]

    assert said("  captions: videos/van-phong-cuc/a.vi.srt\n  transcript: true\n") == [missing["src"]]
    assert said("  src: videos/van-phong-cuc/a.mp4\n  transcript: true\n") == [missing["captions"]]
    assert said("  src: videos/van-phong-cuc/a.mp4\n  captions: videos/van-phong-cuc/a.vi.srt\n") == [
        missing["transcript"]
    ]
    ok = "  src: videos/van-phong-cuc/a.mp4\n  captions: videos/van-phong-cuc/a.vi.srt\n"
    assert said(ok + "  poster_time: 3.5\n  transcript: true\n") == []
