"""Members' private messages to the Telegram bot: relayed to the admins' group, answered, measured.

A bot never receives its own messages, and each update reaches one reader, so
``loa listen`` relays: it copies each private message into the unit's admin
group (``copyMessage``), an admin replies to the copy there, and the next run
copies the reply into the member's chat — the request is answered when the
member can read it. The fake is ``tests/fakes/inbox.TelegramInboxFake``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from loa.listening.records import iso

from tests.listening.harness import ADMINS, Listening, vn

ADMIN = {"id": 5550001, "is_bot": False, "first_name": "Admin"}


def member_writes(
    listening: Listening, user: int, number: int, when: dt.datetime, text: str, name: str
):
    """A member's private message to the bot, as Telegram sends it in a ``message`` update."""
    listening.telegram.push(
        "message",
        {
            "message_id": number,
            "date": int(when.timestamp()),
            "chat": {"id": user, "type": "private", "first_name": name, "username": f"u{user}"},
            "from": {
                "id": user,
                "is_bot": False,
                "first_name": name,
                "username": f"u{user}",
                "language_code": "vi",
            },
            "text": text,
        },
    )


def copies_to(listening: Listening, chat: str) -> list[dict]:
    return [c for c in listening.telegram.copies if c["to"] == chat]


def test_private_messages_are_relayed_answered_through_the_admins_group_and_timed(tmp_path):
    listening = Listening(tmp_path / "site")
    bot = listening.telegram
    bot.member_chats.add(ADMINS)  # the bot is a member of the admins' group
    a, b = 910000001, 910000002
    try:
        # New Year's Eve in Vietnam: A writes twice before any answer (one request), B once.
        member_writes(listening, a, 11, vn(2026, 12, 31, 22, 0), "lương tháng 12 chưa về", "A")
        member_writes(listening, a, 12, vn(2026, 12, 31, 22, 3), "còn thưởng Tết?", "A")
        member_writes(listening, b, 21, vn(2026, 12, 31, 23, 10), "xin mẫu đơn", "B")
        first = listening.loa("listen", "--only", "telegram", now=vn(2026, 12, 31, 23, 30))
        assert first.returncode == 0, first.stdout + first.stderr
        relayed = copies_to(listening, ADMINS)
        assert [(c["from"], c["message_id"]) for c in relayed] == [
            (str(a), 11),
            (str(a), 12),
            (str(b), 21),
        ]
        buttons = [
            bot.chats[ADMINS][c["new_id"]]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
            for c in relayed
        ]
        assert buttons == [
            f"loa1:{a}:11",
            f"loa1:{a}:11",
            f"loa1:{b}:21",
        ]  # A's second: same request
        assert not bot.updates  # confirmed: Telegram forgets them, Loa has relayed them
        assert not listening.servers[0].requests and not listening.servers[1].requests  # --only
        records = [r for r in listening.records() if r.kind == "conversation"]
        assert sorted((r.received, r.answered) for r in records) == [
            (iso(vn(2026, 12, 31, 22, 0)), ""),
            (iso(vn(2026, 12, 31, 23, 10)), ""),
        ]

        # After midnight an admin answers A by replying to the copy of A's second message.
        reply = bot.admin_reply(
            ADMINS, relayed[1]["new_id"], ADMIN, vn(2027, 1, 1, 0, 10), "Đã chuyển kế toán"
        )
        bot.blocked.add(str(b))
        bot.admin_reply(ADMINS, relayed[2]["new_id"], ADMIN, vn(2027, 1, 1, 0, 12), "Mẫu ở đây")
        second = listening.loa("listen", "--only", "telegram", now=vn(2027, 1, 1, 0, 30))
    finally:
        listening.stop()
    assert second.returncode == 0, second.stdout + second.stderr
    assert [(c["from"], c["message_id"]) for c in copies_to(listening, str(a))] == [(ADMINS, reply)]
    assert "1 câu trả lời trong nhóm quản trị chưa gửi được" in second.stdout  # B blocked the bot
    lines = [r for r in listening.records() if r.kind == "conversation"]
    # The completing line keeps the time A wrote: it lives in December's file, never alone.
    assert {r.received for r in lines} == {
        iso(vn(2026, 12, 31, 22, 0)),
        iso(vn(2026, 12, 31, 23, 10)),
    }
    answered = {r.received: r.answered for r in lines if r.answered}
    assert answered == {
        iso(vn(2026, 12, 31, 22, 0)): iso(vn(2027, 1, 1, 0, 30))
    }  # delivered: 2 h 30


def test_without_an_admin_group_nobody_reads_them_and_the_run_says_so(tmp_path):
    listening = Listening(tmp_path / "site")
    units = listening.root / "content" / "units.yml"
    units.write_text(
        "\n".join(
            line
            for line in units.read_text(encoding="utf-8").splitlines()
            if "telegram_admin_chat" not in line
        )
        + "\n",
        encoding="utf-8",
    )
    try:
        member_writes(listening, 920000001, 5, vn(2026, 12, 3, 9, 0), "hỏi", "C")
        result = listening.loa("listen", "--only", "telegram", now=vn(2026, 12, 3, 10, 0))
    finally:
        listening.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    assert not listening.telegram.copies
    assert "1 tin nhắn riêng gửi bot chưa chuyển được tới nhóm quản trị" in result.stdout
    assert [(r.received, r.answered) for r in listening.records()] == [
        (iso(vn(2026, 12, 3, 9, 0)), "")
    ]


def test_a_check_refuses_an_admin_chat_that_is_not_a_group_id(tmp_path):
    listening = Listening(tmp_path / "site")
    listening.stop()
    units = listening.root / "content" / "units.yml"
    units.write_text(
        units.read_text(encoding="utf-8").replace(
            f'telegram_admin_chat: "{ADMINS}"', "telegram_admin_chat: https://t.me/+abc"
        ),
        encoding="utf-8",
    )
    result = listening.loa("check", now=vn(2026, 12, 3, 10, 0))
    assert result.returncode == 1
    assert (
        "telegram_admin_chat" in result.stdout + result.stderr
        and "units.yml" in result.stdout + result.stderr
    )


def test_no_member_string_of_a_private_chat_reaches_anything_loa_writes(tmp_path):
    listening = Listening(tmp_path / "site")
    bot = listening.telegram
    bot.member_chats.add(ADMINS)
    secrets = []
    try:
        for n in (1, 2, 3, 4, 5, 6):
            user = 930000000 + n * 7
            text, name = (
                f"CANARY-PRIVATE-TEXT-{n} nợ BHXH, gọi 09{n}1234567",
                f"Canary Trần Văn P{n}",
            )
            secrets += [text, name, str(user), f"u{user}", f"09{n}1234567"]
            member_writes(listening, user, 100 + n, vn(2026, 12, 2, 8 + n, 0), text, name)
        first = listening.loa("listen", "--only", "telegram", now=vn(2026, 12, 2, 15, 0))
        for copy in copies_to(listening, ADMINS)[:5]:
            bot.admin_reply(ADMINS, copy["new_id"], ADMIN, vn(2026, 12, 2, 15, 20), "Đã nhận")
        second = listening.loa("listen", "--only", "telegram", now=vn(2026, 12, 2, 16, 0))
        daily = listening.loa("listen", now=vn(2026, 12, 3, 8, 0))
        outputs = [
            listening.loa("report", *args, now=vn(2026, 12, 3, 8, 0))
            for args in ((), ("--format", "markdown"), ("--format", "json"), ("--format", "csv"))
        ]
    finally:
        listening.stop()
    for result in (first, second, daily, *outputs):
        assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(outputs[2].stdout)["listening"]
    (row,) = data["months"]
    assert (row["conversations"], row["answered"], row["median_seconds"]) == (6, 5, 3600.0 * 5)
    assert any(r["bảng"] == "lắng nghe" for r in csv.DictReader(io.StringIO(outputs[3].stdout)))
    places = {
        "ledger": listening.ledger_text(),
        "stdout": "".join(r.stdout for r in (first, second, daily, *outputs)),
        "stderr": "".join(r.stderr for r in (first, second, daily, *outputs)),
        "summary": listening.summary.read_text(encoding="utf-8"),
    }
    for path in (tmp_path / "site").rglob("*"):
        if path.is_file():
            places[str(path)] = path.read_text(encoding="utf-8", errors="replace")
    for secret in secrets:
        for where, text in places.items():
            assert secret not in text, f"{secret!r} found in {where}"


def test_a_group_that_refuses_the_copy_holds_the_updates_for_the_next_hour(tmp_path):
    listening = Listening(tmp_path / "site")
    bot = listening.telegram  # the bot has not been added to the admins' group yet
    try:
        member_writes(listening, 940000001, 7, vn(2026, 12, 3, 9, 0), "hỏi", "D")
        refused = listening.loa("listen", "--only", "telegram", now=vn(2026, 12, 3, 9, 7))
        held = len(bot.updates)
        bot.member_chats.add(ADMINS)  # an admin adds the bot
        later = listening.loa("listen", "--only", "telegram", now=vn(2026, 12, 3, 10, 7))
    finally:
        listening.stop()
    assert refused.returncode == 0 and "không nhận tin bot chuyển tới" in refused.stdout
    assert held == 1  # not confirmed: Telegram still keeps it
    assert [(c["to"], c["message_id"]) for c in bot.copies] == [(ADMINS, 7)] and not bot.updates
    assert "Đã ghi 0 dòng mới" in later.stdout  # the request was recorded once, by the first run


def test_a_read_broken_on_a_later_page_delivers_nothing_then_delivers_once(tmp_path):
    from tests.fakes.server import Reply

    listening = Listening(tmp_path / "site")
    bot = listening.telegram
    bot.member_chats.add(ADMINS)
    x = 950000001
    try:
        member_writes(listening, x, 3, vn(2026, 12, 3, 8, 0), "hỏi", "X")
        assert (
            listening.loa("listen", "--only", "telegram", now=vn(2026, 12, 3, 8, 7)).returncode == 0
        )
        (copy,) = copies_to(listening, ADMINS)
        bot.admin_reply(ADMINS, copy["new_id"], ADMIN, vn(2026, 12, 3, 8, 30), "Trả lời")
        for n in range(100):  # two pages of 100
            member_writes(listening, 960000000 + n, 1, vn(2026, 12, 3, 8, 40), "hỏi", "Y")
        bad = Reply(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
        listening.servers[2].fail(bad, match="getUpdates", skip=1)
        broken = listening.loa("listen", "--only", "telegram", now=vn(2026, 12, 3, 9, 7))
        delivered_then = len(copies_to(listening, str(x)))
        again = listening.loa("listen", "--only", "telegram", now=vn(2026, 12, 3, 10, 7))
    finally:
        listening.stop()
    assert broken.returncode == 0, broken.stdout + broken.stderr
    assert (
        "1 câu trả lời trong nhóm quản trị chưa gửi tới đoàn viên ở lần chạy này" in broken.stdout
        and delivered_then == 0
    )
    assert again.returncode == 0 and len(copies_to(listening, str(x))) == 1 and not bot.updates
    (answered,) = [r for r in listening.records() if r.answered]
    assert (answered.received, answered.answered) == (
        iso(vn(2026, 12, 3, 8, 0)),
        iso(vn(2026, 12, 3, 10, 7)),
    )


def test_too_many_requests_waits_the_platforms_retry_after_and_relays(tmp_path):
    from tests.fakes.server import Reply

    listening = Listening(tmp_path / "site")
    listening.telegram.member_chats.add(ADMINS)
    flood = {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 0",
        "parameters": {"retry_after": 0},
    }
    try:
        member_writes(listening, 970000001, 2, vn(2026, 12, 3, 8, 0), "hỏi", "Z")
        listening.servers[2].fail(Reply(429, flood), match="copyMessage")
        result = listening.loa("listen", "--only", "telegram", now=vn(2026, 12, 3, 8, 7))
    finally:
        listening.stop()
    assert result.returncode == 0 and "⚠" not in result.stdout, result.stdout
    assert len(listening.servers[2].calls("copyMessage")) == 2
    assert [c["message_id"] for c in copies_to(listening, ADMINS)] == [2]
