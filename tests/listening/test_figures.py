"""The figures, exact against the fakes on a generated month (Vietnam time, year end included)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import statistics

from loa.listening import cells
from loa.listening.figures import Cell

from tests.listening.harness import OA, PAGE, Listening, vn

NOW = vn(2027, 1, 2, 9, 0)  # the year's end lies inside the window
HOURS = [9, 14, 22, 2, 7, 18, 12, 23]  # business hours, evenings, nights
WAITS = [
    10,
    50,
    59,
    61,
    180,
    239,
    241,
    600,
    1439,
    1441,
    3000,
    None,
]  # minutes; None: never answered


def generate(listening: Listening) -> list[tuple[dt.datetime, int | None]]:
    """Messenger threads across December 2026 and New Year's night; (received, wait in minutes)."""
    made = []
    for i in range(62):
        day = 1 + i % 31
        received = vn(2026, 12, day, HOURS[i % len(HOURS)], 7 * (i % 8))
        wait = WAITS[i % len(WAITS)]
        msgs = [
            {
                "id": f"a{i}",
                "time": received,
                "from_account": False,
                "text": "hỏi",
                "name": "X",
                "user_id": f"u{i}",
            },
            # the member writes again before any answer: still one request
            {
                "id": f"b{i}",
                "time": received + dt.timedelta(minutes=2),
                "from_account": False,
                "text": "?",
                "name": "X",
                "user_id": f"u{i}",
            },
        ]
        if wait is not None:
            answer = received + dt.timedelta(minutes=wait)
            msgs.append(
                {
                    "id": f"c{i}",
                    "time": answer,
                    "from_account": True,
                    "text": "đáp",
                    "name": "",
                    "user_id": "",
                }
            )
            # answered twice: counted once, from the first answer
            msgs.append(
                {
                    "id": f"d{i}",
                    "time": answer + dt.timedelta(minutes=7),
                    "from_account": True,
                    "text": "thêm",
                    "name": "",
                    "user_id": "",
                }
            )
        listening.graph.add_thread(PAGE, "messenger", f"t{i}", msgs)
        made.append((received, wait))
    for j, (hour, minute, wait) in enumerate([(0, 30, 20), (1, 15, None), (8, 0, 45)]):
        received = vn(
            2027, 1, 1, hour, minute
        )  # New Year's night: January in Vietnam, still December in UTC
        msgs = [
            {
                "id": f"n{j}",
                "time": received,
                "from_account": False,
                "text": "hỏi",
                "name": "Y",
                "user_id": f"n{j}",
            }
        ]
        if wait:
            msgs.append(
                {
                    "id": f"m{j}",
                    "time": received + dt.timedelta(minutes=wait),
                    "from_account": True,
                    "text": "đáp",
                    "name": "",
                    "user_id": "",
                }
            )
        listening.graph.add_thread(PAGE, "messenger", f"ny{j}", msgs)
        made.append((received, wait))
    return made


def got(c: Cell) -> tuple:
    return (
        c.conversations,
        c.answered,
        c.within_hour,
        c.within_promise,
        c.within_day,
        c.median_seconds,
    )


def expected(made, month: str, promise_hours: float) -> tuple:
    items = [(r, w) for r, w in made if r.strftime("%Y-%m") == month]
    waits = [w * 60 for _, w in items if w is not None]
    return (
        len(items),
        len(waits),
        sum(w <= 3600 for w in waits),
        sum(w <= promise_hours * 3600 for w in waits),
        sum(w <= 86400 for w in waits),
        statistics.median(waits),
    )


def test_month_figures_are_exact_and_new_year_is_january_in_vietnam(tmp_path):
    listening = Listening(tmp_path / "site")
    try:
        made = generate(listening)
        first = listening.loa("listen", now=NOW)
        again = listening.loa("listen", now=NOW)
        pages = [r for r in listening.servers[0].requests if r.path.endswith("/conversations")]
        period = ("--since", "2026-12-01", "--until", "2027-01-31")
        data = listening.loa("report", "--format", "json", *period, now=NOW)
        sheet = listening.loa("report", "--format", "csv", *period, now=NOW)
    finally:
        listening.stop()
    assert first.returncode == 0, first.stdout + first.stderr
    assert len(pages) >= 4  # 65 threads, 50 a page: both runs followed the cursor
    assert "Đã ghi 0 dòng mới" in again.stdout  # a second run adds nothing
    found = {c.month: c for c in cells(listening.records(), {"van-phong": 4.0})}
    december, january = found["2026-12"], found["2027-01"]
    assert got(december) == expected(made, "2026-12", 4)
    assert got(january) == expected(made, "2027-01", 4) == (3, 2, 2, 2, 2, 32.5 * 60)
    assert january.shown()["conversations"] == "< 5" and january.shown()["median"] == "—"
    assert "< 5 cuộc trò chuyện" in first.stdout  # January, the current month, is a small cell
    # loa report's JSON and CSV: the same cells, exact, the small one suppressed.
    months = {m["month"]: m for m in json.loads(data.stdout)["listening"]["months"]}
    n, answered, hour, promise, day, median = expected(made, "2026-12", 4)
    assert {k: months["2026-12"][k] for k in ("conversations", "answered", "median_seconds")} == {
        "conversations": n, "answered": answered, "median_seconds": median,
    }  # fmt: skip
    assert (
        months["2026-12"]["within_hour_percent"],
        months["2026-12"]["within_promise_percent"],
        months["2026-12"]["within_day_percent"],
    ) == (round(100 * hour / n), round(100 * promise / n), round(100 * day / n))
    assert (
        months["2026-12"]["shown"] == december.shown() and months["2026-12"]["promise_hours"] == 4
    )
    assert (
        months["2027-01"]["conversations"] is None and months["2027-01"]["shown"] == january.shown()
    )
    rows = {
        r["tháng"]: r for r in csv.DictReader(io.StringIO(sheet.stdout)) if r["bảng"] == "lắng nghe"
    }
    assert (rows["2026-12"]["cuộc trò chuyện"], rows["2026-12"]["trung vị"]) == (
        str(n), december.shown()["median"],
    )  # fmt: skip
    assert rows["2026-12"]["trung vị (giây)"] == str(round(median))
    assert rows["2027-01"]["cuộc trò chuyện"] == "< 5" and rows["2027-01"]["trung vị (giây)"] == ""


def test_small_cells_show_less_than_five_and_nothing_derived():
    small = Cell("u", "2026-12", 4, 4, 4, 4, 4, 60.0, 4)
    assert small.shown() == {
        "conversations": "< 5", "answered": "—", "within_hour": "—",
        "within_promise": "—", "within_day": "—", "median": "—",
    }  # fmt: skip
    five = Cell("u", "2026-12", 5, 4, 2, 3, 4, 5400.0, 4)
    assert five.shown()["conversations"] == "5"
    assert five.shown()["within_hour"] == "40 %"
    assert five.shown()["median"] == "1 giờ 30 phút"


def test_a_token_without_permission_names_it_in_vietnamese_and_fails_only_that_account(tmp_path):
    listening = Listening(tmp_path / "site")
    try:
        listening.graph.add_thread(PAGE, "messenger", "t1", [
            {"id": "a", "time": NOW - dt.timedelta(hours=5), "from_account": False, "text": "x", "name": "X", "user_id": "u1"},
        ])  # fmt: skip
        listening.zalo.add_chat(OA, "z1", "Z", [
            {"id": f"z{i}", "time": NOW - dt.timedelta(hours=30 - i), "from_account": i % 2 == 1, "text": "x"} for i in range(12)
        ])  # fmt: skip
        listening.graph.lacking["fb-token-vp-123"] = "instagram_manage_messages"
        result = listening.loa(
            "listen",
            now=NOW,
            LOA_LISTEN_ADMIN_CHAT="-100555",
            LOA_LISTEN_ADMIN_TOKEN="4242:tg-token-abc",
        )
        zalo_pages = [r for r in listening.servers[1].requests if r.path.endswith("/conversation")]
    finally:
        listening.stop()
    assert result.returncode == 1
    assert "thiếu quyền “instagram_manage_messages”" in result.stdout
    assert "✓ Facebook" in result.stdout and "✓ Zalo" in result.stdout
    records = listening.records()
    assert {r.channel for r in records} == {"facebook", "zalo"}
    assert (
        sum(r.channel == "zalo" for r in records) == 6
    )  # 12 messages, 10 a page: 6 answered requests
    assert len(zalo_pages) == 2
    # the unanswered Messenger conversation is 5 hours old: past the 4-hour promise
    assert "⚠ CĐCS Văn phòng: 1 cuộc trò chuyện đang chờ" in result.stdout
    assert "quá hẹn 4 giờ" in listening.summary.read_text(encoding="utf-8")
    # the optional private admin chat gets the same counts and the native inboxes' addresses
    (sent,) = listening.telegram.sent
    assert sent["chat_id"] == "-100555" and "quá hẹn 4 giờ" in sent["text"]
    assert f"https://business.facebook.com/latest/inbox/all?asset_id={PAGE}" in sent["text"]
    assert "Đã gửi số liệu vào nhóm quản trị." in result.stdout


def test_a_telegram_comment_answered_on_a_later_day_is_completed_not_doubled(tmp_path):
    from tests.listening.harness import CHANNEL, GROUP

    listening = Listening(tmp_path / "site")
    asked = NOW - dt.timedelta(hours=20)

    def reply(message_id: int, parent: dict, sender: dict, when: dt.datetime, **extra) -> dict:
        return {"message_id": message_id, "date": int(when.timestamp()), "chat": {"id": int(GROUP), "type": "supergroup"},
                "from": sender, "text": "…", "reply_to_message": parent, **extra}  # fmt: skip

    forward = {"message_id": 70, "is_automatic_forward": True, "date": int(asked.timestamp()) - 60,
               "forward_origin": {"type": "channel", "chat": {"id": -100777, "type": "channel", "username": CHANNEL[1:]}, "message_id": 31}}  # fmt: skip
    member = {"id": 777001, "first_name": "M"}
    try:
        listening.telegram.admins[GROUP] = [5550001]
        listening.telegram.push("message", reply(80, forward, member, asked))
        first = listening.loa("listen", now=NOW)
        # the next day: an admin answers comment 80; a reply to a comment never recorded is ignored
        listening.telegram.push(
            "message",
            reply(
                90,
                {"message_id": 80},
                {"id": 5550001, "first_name": "A"},
                NOW + dt.timedelta(hours=2),
            ),
        )
        listening.telegram.push(
            "message",
            reply(
                91,
                {"message_id": 12345},
                {"id": 5550001, "first_name": "A"},
                NOW + dt.timedelta(hours=2),
            ),
        )
        second = listening.loa("listen", now=NOW + dt.timedelta(days=1))
    finally:
        listening.stop()
    assert first.returncode == 0 and second.returncode == 0, second.stdout + second.stderr
    assert f"1 bình luận chưa trả lời dưới https://t.me/{CHANNEL[1:]}/31" in first.stdout
    records = listening.records()
    comments = [r for r in records if r.kind == "comment"]
    assert (
        len({r.key for r in comments}) == 1
    )  # the answer completed the comment; the stray one is dropped
    from loa.listening import merge

    (merged,) = merge(comments).values()
    assert merged.answered_at - merged.received_at == dt.timedelta(hours=22)
    assert "bình luận chưa trả lời" not in second.stdout
