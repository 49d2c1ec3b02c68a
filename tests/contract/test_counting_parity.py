"""One counter per platform: the newsroom's JavaScript counts what ``loa check`` counts.

The newsroom's counters (``plugins/loa/cms/static/loa-plan.js``) run in Node here, no
browser needed, on the same texts as ``loa.platforms.counting``. Where the browser's
Unicode data is newer than Python's (Python 3.11: Unicode 14.0; Node 20: 15.1+), Python
wins — ``loa check`` is what refuses an article — and the JavaScript sets aside what
Python does not know yet: two tables, recomputed here over every code point, so a newer
Node that needs a longer table fails this test by name.

And the Telegram edge the issue names: an emoji-heavy caption of 1,024 UTF-16 units
passes and one of 1,025 is refused by ``loa check``, the newsroom's counter and the fake.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata

import pytest
from loa import platforms
from loa.platforms import LINK_ROOM
from loa.platforms.compose import browser_data
from loa.platforms.counting import (
    telegram_length,
    threads_length,
    utf16_length,
    x_weighted_length,
)
from loa.syndication.channels.telegram import Telegram
from loa.syndication.http import Http, PostError
from loa.syndication.messages import Message
from loa.syndication.secrets import Secrets
from loa.units import Channel

from tests.conftest import REPO
from tests.fakes.server import FakeServer
from tests.fakes.telegram import TelegramFake
from tests.syndication.harness import Chain

PLAN_JS = REPO / "plugins" / "loa" / "cms" / "static" / "loa-plan.js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is installed by .ci/run")

COUNTERS = {
    "telegramLength": telegram_length,
    "xWeightedLength": x_weighted_length,
    "threadsLength": threads_length,
    "utf16Length": utf16_length,
}

CORPUS = [
    "Công đoàn cơ sở",
    "Cong\u0300 đoa\u0300n người lao đô\u0323ng",  # Vietnamese typed decomposed (NFD)
    "Chúc mừng 👷‍♀️👩🏽‍🔧 🇻🇳 1️⃣ ❤️ ✊🏿",  # ZWJ sequences, skin tones, a flag, a keycap
    "<b>Tiêu đề &amp; ảnh</b>\n\nĐọc tại https://vi-du.example.vn/a/b/ #CôngĐoàn",
    "𝐂𝐨̂𝐧𝐠 đ𝐨𝐚̀𝐧 — “trích dẫn” … ©®™",
    "汉字 かな 한국어 ٱلْعَرَبِيَّة",
    # where Python's Unicode (14.0) and the browser's differ:
    "\u2427\u2b96\u31e4\U0001cc00\U0001cd00 ký hiệu mới",  # So only in newer Unicode
    "\U0001fa54\U0001fadc\U0001f6dc emoji 15",  # emoji newer than Python's data
    "\U00016d67\U00016d67 \U00016d63\U00016d67\U00016d67 \U000105d2\u0307",  # compose in new Unicode
    "\U00016d68 \U00016121\U0001611f \U000105c9",  # composites Python does not know, typed
]


def node(script: str, data) -> object:
    """Run ``script`` in Node with loa-plan.js loaded as ``P`` and ``data`` as ``input``."""
    code = (
        f"require({json.dumps(str(PLAN_JS))}); const P = globalThis.LoaPlan;"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        f"process.stdout.write(JSON.stringify((() => {{ {script} }})()));"
    )
    result = subprocess.run(
        [NODE, "-e", code],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout)


def js_counts(texts: list[str]) -> list[dict]:
    names = json.dumps(list(COUNTERS))
    return node(
        f"return input.map(t => Object.fromEntries({names}.map(n => [n, P[n](t)])));", texts
    )


def test_the_newsroom_counts_what_loa_check_counts():
    for text, counted in zip(CORPUS, js_counts(CORPUS), strict=True):
        for name, python in COUNTERS.items():
            assert counted[name] == python(text), (name, text, counted[name], python(text))


def _ranges(codes: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for code in sorted(codes):
        if out and out[-1][1] == code - 1:
            out[-1][1] = code
        else:
            out.append([code, code])
    return out


def _js_table(name: str) -> str:
    source = PLAN_JS.read_text(encoding="utf-8")
    return re.search(rf"var {name} = \[(.*?)\];", source, re.S)[1]


def test_the_tables_of_what_python_does_not_know_are_complete_for_this_node():
    scan = node(
        "const so = [], composites = [];"
        "for (let c = 0; c <= 0x10ffff; c++) {"
        "  if (c >= 0xd800 && c <= 0xdfff) continue;"
        "  const ch = String.fromCodePoint(c);"
        "  if (/\\p{So}/u.test(ch)) so.push(c);"
        "  if (!(c >= 0xac00 && c <= 0xd7a3) && ch.normalize('NFD') !== ch) composites.push(c);"
        "}"
        "return {so, composites};",
        None,
    )
    python_so = {
        c
        for c in range(0x110000)
        if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) == "So"
    }
    assert not python_so - set(scan["so"]), "Python knows symbols this Node does not"
    newer_so = _ranges(sorted(set(scan["so"]) - python_so))
    written = [
        [int(a, 16), int(b, 16)]
        for a, b in re.findall(r"\[(0x\w+), (0x\w+)\]", _js_table("SO_AFTER_PYTHON"))
    ]
    assert newer_so == written, (
        f"SO_AFTER_PYTHON should be {[[hex(a), hex(b)] for a, b in newer_so]}"
    )
    newer_composites = [c for c in scan["composites"] if not unicodedata.decomposition(chr(c))]
    written = [int(c, 16) for c in re.findall(r"0x\w+", _js_table("COMPOSITES_AFTER_PYTHON"))]
    assert newer_composites == written, [hex(c) for c in newer_composites]


# -- the Telegram edge: 1,024 passes, 1,025 is refused everywhere --------------------------------


def emoji_caption(units: int, joined: bool = True) -> str:
    """An emoji-heavy HTML caption of exactly ``units`` UTF-16 units after entity parsing.

    ``joined``: with ZWJ sequences and variation selectors (front matter warns of those).
    """
    head = "<b>Chúc mừng</b> "
    text = head + ("👷🏽‍♀️ Công đoàn 🎉 " if joined else "👷🏽 Công đoàn 🎉 ") * 40
    while telegram_length(text) < units:
        text += "🎉" if units - telegram_length(text) >= 2 else "!"
    while telegram_length(text) > units:
        text = text[:-1]
    assert telegram_length(text) == units
    return text


def test_an_emoji_caption_of_1024_units_passes_and_1025_is_refused_by_the_counter_and_the_fake(
    monkeypatch,
):
    fits, over = emoji_caption(1024), emoji_caption(1025)
    assert len(over) < 1024  # code points: what Loa counted before, and passed
    assert [c["telegramLength"] for c in js_counts([fits, over])] == [1024, 1025]

    app = TelegramFake({"1:tok"}, {"@kenh": "kenh"})
    server = FakeServer(app).start()
    try:
        monkeypatch.setenv("LOA_API_BASE_TELEGRAM", server.base_url)
        secrets = Secrets({"TG": "1:tok"})
        account = Telegram(
            Channel("telegram", "@kenh", {"chat_id": "@kenh", "token_env": "TG"}),
            Http(secrets),
            secrets,
        )

        def send(caption: str):
            fields = {
                "method": "sendPhoto",
                "chat_id": "@kenh",
                "photo": "https://vi-du.vn/a.jpg",
                "caption": caption,
                "parse_mode": "HTML",
            }
            return account.post(Message("telegram", "@kenh", caption, "", "", "", fields))

        assert send(fits).remote_id
        with pytest.raises(PostError, match="caption is too long"):
            send(over)
    finally:
        server.stop()


def test_loa_check_counts_a_telegram_social_text_in_utf16_units(tmp_path):
    chain = Chain(tmp_path, platforms=("telegram",))
    try:
        room = 1024 - LINK_ROOM
        for slug, units in (("vua-du", room), ("qua-mot", room + 1)):
            text = emoji_caption(units, joined=False).replace("<b>", "").replace("</b>", "")
            chain.write_article(
                "don-vi-a",
                slug,
                hours_ago=1,
                social_text=json.dumps({"telegram": text}, ensure_ascii=False),
            )
        result = chain.loa("check")
        assert result.returncode == 1
        assert (
            f"qua-mot.md\n  dòng 6: lỗi: Lời dẫn cho telegram dài {room + 1 + LINK_ROOM} đơn vị UTF-16"
            in result.stdout
        ), result.stdout
        assert "vua-du" not in result.stdout and "1 lỗi, 0 cảnh báo" in result.stdout
    finally:
        chain.close()


def test_what_the_newsroom_would_send_fits_by_its_own_count():
    """The newsroom's Telegram render of an emoji-heavy article counts ≤ 1,024 in both languages."""
    article = {
        "title": "Ngày hội 🎉",
        "summary": "🎉👷🏽‍♀️ " * 400,
        "url": "https://vi-du.example.vn/a/b/",
        "image": "https://vi-du.example.vn/a.jpg",
        "tags": [],
    }
    record = platforms.get("telegram")
    config = {
        "limits": dict(record.limits),
        "compose": browser_data(record),
    }  # as loa-config.json has it
    rendered = node(
        "return P.render('telegram', input.a, input.record);", {"a": article, "record": config}
    )
    assert rendered["count"] <= 1024
    assert rendered["count"] == telegram_length(rendered["text"])
