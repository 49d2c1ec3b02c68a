"""Chatwoot's route gives the same figures as the native route on the same conversations."""

from __future__ import annotations

import datetime as dt

from loa.listening import cells

from tests.fakes.inbox import ChatwootFake
from tests.fakes.server import FakeServer
from tests.listening.harness import PAGE, UNITS, Listening, vn
from tests.listening.test_figures import got

NOW = vn(2027, 1, 2, 9, 0)
CHATWOOT_UNIT = """
  - slug: trung-tam
    name: Công đoàn cơ sở Trung tâm
    short_name: CĐCS Trung tâm
    description: Trung tâm.
    admins: ["@vd/tt"]
    listening:
      promise_hours: 4
      contacts: {email: congdoan.tt@example.org}
      source: chatwoot
      chatwoot: {url: "https://hotro.example.org", account_id: 3, inbox_ids: [11, 12], token_env: LOA_CHATWOOT_TOKEN}
"""


def test_same_conversations_same_figures(tmp_path):
    listening = Listening(tmp_path / "site")
    (listening.root / "content" / "units.yml").write_text(UNITS + CHATWOOT_UNIT, encoding="utf-8")
    chatwoot = ChatwootFake(3, "cw-admin-token")
    server = FakeServer(chatwoot).start()
    try:
        for i in range(40):  # two pages of conversations in each inbox and of events
            received = vn(2026, 12, 1 + i % 31, (5 * i) % 24, 10)
            wait = [12, 55, 61, 200, 300, 1400, 2000, None][i % 8]
            answers = (
                [received + dt.timedelta(minutes=wait), received + dt.timedelta(minutes=wait + 9)]
                if wait
                else []
            )
            msgs = [
                {
                    "id": f"a{i}",
                    "time": received,
                    "from_account": False,
                    "text": "hỏi",
                    "name": "X",
                    "user_id": f"u{i}",
                }
            ]
            msgs += [
                {
                    "id": f"r{i}{j}",
                    "time": t,
                    "from_account": True,
                    "text": "đáp",
                    "name": "",
                    "user_id": "",
                }
                for j, t in enumerate(answers)
            ]
            listening.graph.add_thread(PAGE, "messenger", f"t{i}", msgs)
            chatwoot.add(
                500 + i, 11 + i % 2, received, answers, f"Canary Chatwoot {i}", f"CANARY-CW-{i}"
            )
        result = listening.loa(
            "listen",
            now=NOW,
            LOA_API_BASE_CHATWOOT=server.base_url,
            LOA_CHATWOOT_TOKEN="cw-admin-token",
        )
        denied = listening.loa(
            "listen",
            now=NOW,
            LOA_API_BASE_CHATWOOT=server.base_url,
            LOA_CHATWOOT_TOKEN="agent-token",
        )
    finally:
        server.stop()
        listening.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    promises = {"van-phong": 4.0, "trung-tam": 4.0}
    by_unit = {(c.unit, c.month): c for c in cells(listening.records(), promises)}
    native, routed = by_unit[("van-phong", "2026-12")], by_unit[("trung-tam", "2026-12")]
    assert got(native) == got(routed)
    assert native.conversations == 40 and native.answered == 35
    written = "".join(
        [listening.ledger_text(), result.stdout, result.stderr, denied.stdout, denied.stderr,
         listening.summary.read_text(encoding="utf-8")]
    )  # fmt: skip
    for secret in ("CANARY-CW", "Canary Chatwoot", "+84900000000"):
        assert secret not in written, secret  # text, name, phone: never out of memory
    assert denied.returncode == 1 and "“Quản trị viên” (Administrator)" in denied.stdout
    assert "✓ Facebook" in denied.stdout  # only the Chatwoot account failed
