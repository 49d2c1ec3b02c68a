"""Privacy by construction: no member's words, name, phone or id ever leaves ``loa listen``'s memory.

Each network's fake is fed conversations and comments whose texts, names,
phone numbers and user ids are unique canaries; ``loa listen`` and ``loa
report`` run as processes; the ledger (every object of its history), stdout,
stderr, the CI summary and every file under the site are searched for them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from tests.listening.harness import CHANNEL, GROUP, IG, OA, PAGE, Listening, vn

NOW = vn(2026, 12, 10, 9, 0)


def canaries(network: str, n: int) -> dict:
    tag = f"{network.upper()}{n}"
    return {
        "text": f"CANARY-TEXT-{tag} tôi bị nợ lương, gọi 09{n}8765432",
        "name": f"Canary Nguyễn Thị {tag}",
        "phone": f"09{n}8765432",
        "user_id": f"9{n}{n}77{n}123{len(network)}",
    }


def feed(net: str, listening: Listening) -> list[str]:
    """Give ``net``'s fake two conversations and a comment full of canaries; return every secret string."""
    secrets = []
    for n in (1, 2):
        c = canaries(net, n)
        secrets += [c["text"], c["name"], c["phone"], c["user_id"]]
        start = NOW - dt.timedelta(days=n, hours=3)
        thread, mids = f"t_{c['user_id']}", [f"m_{net}_{n}_{i}_{c['user_id']}" for i in range(3)]
        secrets += [thread, *mids]
        msgs = [
            {
                "id": mids[0],
                "time": start,
                "from_account": False,
                "text": c["text"],
                "name": c["name"],
                "user_id": c["user_id"],
            },
            {
                "id": mids[1],
                "time": start + dt.timedelta(minutes=5),
                "from_account": False,
                "text": c["phone"],
                "name": c["name"],
                "user_id": c["user_id"],
            },
            {
                "id": mids[2],
                "time": start + dt.timedelta(minutes=40),
                "from_account": True,
                "text": "Chào bạn",
                "name": "",
                "user_id": "",
            },
        ]
        if net == "facebook":
            listening.graph.add_thread(PAGE, "messenger", thread, msgs)
        elif net == "instagram":
            listening.graph.add_thread(IG, "instagram", thread, msgs)
        elif net == "zalo":
            listening.zalo.add_chat(OA, c["user_id"], c["name"], msgs)
        else:
            user = int(c["user_id"])
            for i, m in enumerate(msgs):
                sender = (
                    {"id": 5550001, "first_name": "Admin"}
                    if m["from_account"]
                    else {"id": user, "first_name": c["name"], "username": f"u{c['user_id']}"}
                )
                listening.telegram.push(
                    "business_message",
                    {
                        "message_id": 10 + i,
                        "business_connection_id": "bc1",
                        "date": int(m["time"].timestamp()),
                        "chat": {"id": user, "type": "private", "first_name": c["name"]},
                        "from": sender,
                        "text": m["text"],
                        "contact": {
                            "phone_number": c["phone"],
                            "first_name": c["name"],
                            "user_id": user,
                        },
                    },
                )
    c = canaries(net, 3)
    secrets += [c["text"], c["name"], c["user_id"]]
    comment_id = f"{PAGE}_555_{c['user_id']}" if net == "facebook" else f"c{c['user_id']}"
    when = NOW - dt.timedelta(hours=30)
    if net == "facebook":
        listening.post(
            "facebook",
            PAGE,
            f"{PAGE}_555",
            "https://www.facebook.com/100000000000002/posts/555",
            NOW - dt.timedelta(days=3),
        )
        listening.graph.add_comment(
            PAGE,
            f"{PAGE}_555",
            {
                "id": comment_id,
                "time": when,
                "name": c["name"],
                "user_id": c["user_id"],
                "text": c["text"],
            },
        )
    elif net == "instagram":
        listening.post(
            "instagram",
            IG,
            "m555",
            "https://www.instagram.com/p/ABC555/",
            NOW - dt.timedelta(days=3),
        )
        listening.graph.add_comment(
            IG,
            "m555",
            {
                "id": comment_id,
                "time": when,
                "name": c["name"],
                "user_id": c["user_id"],
                "text": c["text"],
            },
            instagram=True,
        )
    elif net == "telegram":
        listening.telegram.admins[GROUP] = [5550001]
        listening.telegram.push(
            "message",
            {
                "message_id": 77,
                "date": int(when.timestamp()),
                "chat": {"id": int(GROUP), "type": "supergroup", "title": "Thảo luận"},
                "from": {"id": int(c["user_id"]), "first_name": c["name"]},
                "text": c["text"],
                "reply_to_message": {
                    "message_id": 70,
                    "is_automatic_forward": True,
                    "date": int(when.timestamp()) - 600,
                    "chat": {"id": int(GROUP), "type": "supergroup"},
                    "forward_origin": {
                        "type": "channel",
                        "chat": {"id": -100777, "type": "channel", "username": CHANNEL[1:]},
                        "message_id": 31,
                    },
                },
            },
        )
    if net in ("facebook", "instagram"):
        secrets.append(comment_id)
    return secrets


@pytest.mark.parametrize("net", ["facebook", "instagram", "zalo", "telegram"])
def test_no_member_string_reaches_ledger_output_logs_or_files(tmp_path, net):
    listening = Listening(tmp_path / "site")
    try:
        secrets = feed(net, listening)
        result = listening.loa("listen", now=NOW)
        report = listening.loa("report", "--format", "markdown", now=NOW)
        narrow = listening.loa("report", now=NOW, COLUMNS="60")
        data = listening.loa("report", "--format", "json", now=NOW)
        table = listening.loa("report", "--format", "csv", now=NOW)
    finally:
        listening.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    records = listening.records()
    conversations = [r for r in records if r.kind == "conversation" and r.channel == net]
    assert len(conversations) == 2, result.stdout  # both recorded (hashed), each answered once
    assert all(r.answered for r in conversations)
    if net != "zalo":
        assert [r for r in records if r.kind == "comment" and r.post.startswith("https://")], (
            result.stdout
        )
    places = {
        "ledger": listening.ledger_text(),
        "stdout": result.stdout + report.stdout + narrow.stdout + data.stdout + table.stdout,
        "stderr": result.stderr + report.stderr + data.stderr + table.stderr,
        "summary": listening.summary.read_text(encoding="utf-8"),
    }
    for path in (tmp_path / "site").rglob("*"):
        if path.is_file():
            places[str(path)] = path.read_text(encoding="utf-8", errors="replace")
    assert "Lắng nghe đoàn viên" in places["summary"]
    assert report.returncode == 0, report.stderr
    assert (
        "## Lắng nghe đoàn viên" in report.stdout
        and "| CĐCS Văn phòng | tháng 12/2026 | < 5 |" in report.stdout
    )
    # JSON and CSV carry the same suppressed cell: no number derived from fewer than 5.
    (month,) = json.loads(data.stdout)["listening"]["months"]
    assert (month["conversations"], month["fewer_than"], month["median_seconds"]) == (None, 5, None)
    assert month["shown"]["conversations"] == "< 5"
    (row,) = [r for r in csv.DictReader(io.StringIO(table.stdout)) if r["bảng"] == "lắng nghe"]
    assert (row["cuộc trò chuyện"], row["trung vị (giây)"]) == ("< 5", "")
    for secret in secrets:
        for where, text in places.items():
            assert secret not in text, f"{secret!r} found in {where}"
    assert "LOA_LISTEN_SALT" not in places["ledger"] and "alt-for-tests-only" not in "".join(
        places.values()
    )


def test_metadata_fields_only_are_asked_for(tmp_path):
    listening = Listening(tmp_path / "site")
    try:
        feed("facebook", listening)
        feed("instagram", listening)
        assert listening.loa("listen", now=NOW).returncode == 0
        asked = [r.query.get("fields", "") for r in listening.servers[0].requests]
    finally:
        listening.stop()
    assert asked and all(f for f in asked)
    for fields in asked:
        for word in ("message", "snippet", "name", "username", "text", "participants"):
            assert word not in fields.replace("messages", ""), fields


def test_without_a_salt_nothing_is_stored(tmp_path):
    listening = Listening(tmp_path / "site")
    try:
        feed("zalo", listening)
        result = listening.loa("listen", now=NOW, LOA_LISTEN_SALT="")
    finally:
        listening.stop()
    assert result.returncode == 1
    assert "LOA_LISTEN_SALT" in result.stderr
    assert listening.zalo.chats and not listening.servers[1].requests
    assert "listening-" not in listening.ledger_text()


def test_no_member_string_reaches_the_built_site(tmp_path, monkeypatch):
    from tests.conftest import SiteMaker

    maker = SiteMaker(tmp_path / "site")
    listening = Listening(tmp_path / "site")
    try:
        secrets = [
            s for net in ("facebook", "instagram", "zalo", "telegram") for s in feed(net, listening)
        ]
        assert listening.loa("listen", now=NOW).returncode == 0
        exported = listening.loa("ledger", "export", str(tmp_path / "so-ghi"), now=NOW)
    finally:
        listening.stop()
    assert exported.returncode == 0, exported.stdout + exported.stderr
    assert list((tmp_path / "so-ghi").glob("listening-*.jsonl"))
    monkeypatch.setenv("LOA_NOW", NOW.isoformat())
    monkeypatch.setenv("LOA_LEDGER_COPY", str(tmp_path / "so-ghi"))
    output = maker.build(LOA_READ_LEDGER=True)
    stats = (output / "thong-ke" / "index.html").read_text(encoding="utf-8")
    assert "Lắng nghe đoàn viên" in stats and "&lt; 5" in stats
    texts = [
        p.read_text(encoding="utf-8", errors="replace") for p in output.rglob("*") if p.is_file()
    ]
    for secret in secrets:
        assert not any(secret in t for t in texts), secret


def test_a_hostile_answer_is_bounded_and_never_followed(tmp_path):
    from tests.fakes.server import App, FakeServer, Reply

    listening = Listening(tmp_path / "site")
    elsewhere = FakeServer(App()).start()
    try:
        feed("zalo", listening)
        feed("facebook", listening)
        graph = listening.servers[0]
        graph.fail(
            Reply(302, {}, headers={"Location": f"{elsewhere.base_url}/steal"}),
            match="/conversations",
        )
        graph.fail(
            Reply(200, raw=b'{"data":[' + b'{"id":"x"},' * 500_000 + b"{}]}"), match="/comments"
        )
        result = listening.loa("listen", now=NOW)
    finally:
        elsewhere.stop()
        listening.stop()
    assert result.returncode == 1
    assert not elsewhere.requests  # the token never went anywhere else
    assert "HTTP 302" in result.stdout and "lớn quá 4 MB" in result.stdout
    assert "✓ Zalo" in result.stdout
