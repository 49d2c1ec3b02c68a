"""Pure pieces of syndication: states from entries, messages, error classes, masking."""

from __future__ import annotations

import pytest
from loa.ledger import Entry, states
from loa.platforms.counting import telegram_length
from loa.syndication.channels.facebook import classify_graph_error
from loa.syndication.channels.telegram import Telegram
from loa.syndication.http import Http, PostError
from loa.syndication.manifest import ManifestArticle
from loa.syndication.messages import hashtag, shorten
from loa.syndication.secrets import Secrets
from loa.units import Channel

from tests.fakes.telegram import parses, visible_length

KEY = ("/a/b/", "telegram", "@x", "post")


def entries(*names: str) -> list[Entry]:
    return [Entry("/a/b/", "telegram", "@x", name, attempt=i + 1) for i, name in enumerate(names)]


@pytest.mark.parametrize(
    ("history", "state", "done"),
    [
        (("claimed",), "unknown", False),
        (("claimed", "posted"), "posted", True),
        (("claimed", "failed"), "failed", False),
        (("claimed", "failed", "claimed"), "unknown", False),
        (("claimed", "posted", "claimed", "failed"), "posted", True),
        (("bootstrapped", "claimed"), "bootstrapped", True),
        (("claimed", "duplicate"), "duplicate", True),
    ],
)
def test_state_of_a_post_from_its_entries(history, state, done):
    result = states(entries(*history))[KEY]
    assert result.state == state
    assert result.done is done


def test_attempts_are_counted():
    assert states(entries("claimed", "failed", "claimed", "failed"))[KEY].attempts == 4


def article(**kw) -> ManifestArticle:
    values = {
        "id": "/a/b/",
        "url": "https://vi-du.vn/a/b/",
        "title": "Tiêu đề",
        "summary": "Tóm tắt.",
        "unit": "a",
        "date": "2026-11-20T08:00:00+07:00",
    }
    values.update(kw)
    return ManifestArticle(**values)


def telegram() -> Telegram:
    return Telegram(
        Channel("telegram", "@x", {"chat_id": "@x", "token_env": "T"}, "a"),
        Http(Secrets({})),
        Secrets({}),
    )


@pytest.mark.parametrize("words", [10, 150, 400, 2000])
def test_telegram_caption_always_fits_and_keeps_the_link(words):
    long = " ".join(["người lao động"] * words)
    message = telegram().render(
        article(summary=long, image="https://vi-du.vn/a.jpg", tags=("thi đua",))
    )
    assert message.fields["method"] == "sendPhoto"
    assert telegram_length(message.text) <= 1024
    assert visible_length(message.text) <= 1024
    assert "https://vi-du.vn/a/b/" in message.text
    assert "#ThiĐua" in message.text
    assert parses(message.text)


def test_telegram_text_without_image_fits_4096():
    message = telegram().render(article(summary="chữ " * 3000))
    assert message.fields["method"] == "sendMessage"
    assert telegram_length(message.text) <= 4096
    assert message.fields["link_preview_options"]["url"] == "https://vi-du.vn/a/b/"


def test_telegram_escapes_html_and_names_the_source():
    message = telegram().render(article(title="A < B & C", summary="x > y", source="Báo Lao Động"))
    assert "<b>A &lt; B &amp; C</b>" in message.text
    assert "x &gt; y" in message.text
    assert "Nguồn: Báo Lao Động" in message.text
    assert parses(message.text)


def test_social_text_per_channel_wins():
    message = telegram().render(
        article(social_text={"telegram": "Riêng cho Telegram", "x": "Cho X"})
    )
    assert "Riêng cho Telegram" in message.text and "Tóm tắt." not in message.text


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("thi đua khen thưởng", "#ThiĐuaKhenThưởng"),
        ("Đà Nẵng", "#ĐàNẵng"),
        ("24/7", "#247"),
        ("!!!", ""),
    ],
)
def test_hashtags(tag, expected):
    assert hashtag(tag) == expected


def test_shorten_cuts_on_a_word_boundary():
    assert shorten("một hai ba bốn năm", 12) == "một hai ba…"
    assert shorten("ngắn", 10) == "ngắn"


@pytest.mark.parametrize(
    ("error", "status", "expected"),
    [
        ({"code": 190, "type": "OAuthException", "error_subcode": 463}, 400, "auth"),
        ({"code": 102}, 400, "auth"),
        ({"code": 10}, 403, "permission"),
        ({"code": 200}, 403, "permission"),
        ({"code": 4, "is_transient": True}, 403, "rate_limited"),
        ({"code": 17}, 400, "rate_limited"),
        ({"code": 32}, 400, "rate_limited"),
        ({"code": 613}, 400, "rate_limited"),
        ({"code": 368}, 400, "rate_limited"),
        ({"code": 506, "type": "OAuthException"}, 400, "duplicate"),
        ({"code": 1, "type": "OAuthException"}, 500, "transient"),
        ({"code": 2}, 503, "transient"),
        ({"code": 100, "type": "OAuthException"}, 400, "content"),
        ({"code": 1609005}, 400, "content"),
        ({"type": "OAuthException"}, 400, "auth"),
    ],
)
def test_graph_errors_are_classified_by_code(error, status, expected):
    assert classify_graph_error(error, status, "FB_TOKEN", "Facebook").error_class == expected


def test_auth_error_names_the_variable():
    error = classify_graph_error({"code": 190}, 400, "LOA_FB_TOKEN_CUC", "Facebook trang 1")
    assert "LOA_FB_TOKEN_CUC" in error.message


def test_secrets_are_masked_in_any_form():
    secrets = Secrets({"T": "123:abc/def+g"})
    value = secrets.get("T")
    text = f"GET https://api/bot{value}/x?t=123%3Aabc%2Fdef%2Bg and 123%3Aabc%2Fdef%2Bg"
    assert "abc" not in secrets.mask(text)


def test_missing_variable_is_named():
    with pytest.raises(Exception, match="BIEN_THIEU"):
        Secrets({}).get("BIEN_THIEU")


def test_post_error_carries_class_and_wait():
    error = PostError("rate_limited", "chờ", retry_after=3)
    assert error.retry_after == 3 and str(error) == "chờ"
