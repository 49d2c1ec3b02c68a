"""A site, a ledger and the inbox fakes, wired for ``loa listen`` run as a process."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from loa import clock
from loa.ledger import POSTED, SIGNING_KEY_ENV, Entry, Ledger, Trust

from tests.conftest import REPO
from tests.fakes.inbox import GraphInboxFake, TelegramInboxFake, ZaloInboxFake
from tests.fakes.server import FakeServer
from tests.ledgerkeys import SigningKey

PAGE, IG, OA, CHANNEL, GROUP, ADMINS = (
    "100000000000002",
    "17800000000000002",
    "4000000000000000002",
    "@loa_kenh_vd",
    "-1001000000099",
    "-1001000000098",
)
TOKENS = {
    "LOA_FB_TOKEN_VP": "fb-token-vp-123",
    "LOA_ZALO_TOKEN_VP": "zalo-token-vp-123",
    "LOA_TG_TOKEN": "4242:tg-token-abc",
}
SALT = "s" * 16 + "alt-for-tests-only-0123456789"

UNITS = f"""
department:
  slug: cong-doan-cuc
  name: Công đoàn Cục
  short_name: Công đoàn Cục
  description: Cục.
  admins: ["@vd/btv"]
units:
  - slug: van-phong
    name: Công đoàn cơ sở Văn phòng
    short_name: CĐCS Văn phòng
    description: Văn phòng.
    admins: ["@vd/vp"]
    channels:
      facebook: {{page_id: "{PAGE}", token_env: LOA_FB_TOKEN_VP}}
      instagram: {{ig_user_id: "{IG}", username: vp.vidu, token_env: LOA_FB_TOKEN_VP}}
      zalo: {{oa_id: "{OA}", token_env: LOA_ZALO_TOKEN_VP}}
      telegram: {{chat_id: "{CHANNEL}", username: loa_kenh_vd, token_env: LOA_TG_TOKEN}}
    listening:
      promise_hours: 4
      telegram_group: "{GROUP}"
      telegram_admin_chat: "{ADMINS}"
      contacts:
        messenger: https://m.me/{PAGE}
        zalo: https://zalo.me/{OA}
        telegram: https://t.me/vp_hoi_dap
        email: congdoan.vp@example.org
"""


class Listening:
    """The site folder, the bare ledger repository, the three fakes."""

    def __init__(self, root: Path):
        self.root = root
        (root / "content" / "articles").mkdir(parents=True, exist_ok=True)
        (root / "content" / "pages").mkdir(exist_ok=True)
        (root / "content" / "units.yml").write_text(UNITS, encoding="utf-8")
        # The deploy's signing key: public half in the site, private half in the environment.
        self.key = SigningKey.make(root.parent / "khoa")
        self.key.install(root)
        self.ledger = root.parent / "ledger.git"
        subprocess.run(["git", "init", "-q", "--bare", str(self.ledger)], check=True)
        self.graph = GraphInboxFake(
            {PAGE: TOKENS["LOA_FB_TOKEN_VP"], IG: TOKENS["LOA_FB_TOKEN_VP"]}
        )
        self.zalo = ZaloInboxFake({OA: TOKENS["LOA_ZALO_TOKEN_VP"]})
        self.telegram = TelegramInboxFake(TOKENS["LOA_TG_TOKEN"])
        self.servers = [FakeServer(app).start() for app in (self.graph, self.zalo, self.telegram)]
        self.summary = root.parent / "step-summary.md"

    def stop(self) -> None:
        """Stop the fakes."""
        for server in self.servers:
            server.stop()

    def open_ledger(self) -> Ledger:
        """The ledger in this process, trusting the site's key (its own remembered tip)."""
        trust = Trust(self.root / ".github" / "ledger-signers", self.root.parent / "da-kiem")
        return Ledger(remote=str(self.ledger), branch="loa-ledger", trust=trust)

    def signed(self, at: dt.datetime):
        """The signing key in this process's environment, and the clock at ``at``, while it writes."""
        import contextlib

        @contextlib.contextmanager
        def scope():
            old = {k: os.environ.get(k) for k in (SIGNING_KEY_ENV, clock.ENV)}
            os.environ[SIGNING_KEY_ENV] = self.key.private
            os.environ[clock.ENV] = at.isoformat()
            try:
                yield
            finally:
                for k, v in old.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v

        return scope()

    def post(self, channel: str, account: str, remote_id: str, url: str, when: dt.datetime) -> None:
        """Record one of Loa's posts in the ledger (comments are read under these)."""
        with self.signed(when), self.open_ledger() as ledger:
            ledger.refresh()
            ledger.append(
                [
                    Entry(
                        "/van-phong/bai/",
                        channel,
                        account,
                        POSTED,
                        time=when.astimezone(dt.UTC).isoformat(timespec="seconds"),
                        remote_id=remote_id,
                        remote_url=url,
                    )
                ]
            )

    def env(self, now: dt.datetime, **extra) -> dict:
        """The environment of a ``loa`` process: fakes, ledger, salt, tokens, clock."""
        env = {
            **os.environ,
            "NO_COLOR": "1",
            "PYTHONPATH": str(REPO / "plugins"),
            "LOA_NOW": now.isoformat(),
            "LOA_LEDGER_REMOTE": str(self.ledger),
            "LOA_LEDGER_BRANCH": "loa-ledger",
            "LOA_LISTEN_SALT": SALT,
            "LOA_API_BASE_FACEBOOK": self.servers[0].base_url,
            "LOA_API_BASE_INSTAGRAM": self.servers[0].base_url,
            "LOA_API_BASE_ZALO": self.servers[1].base_url,
            "LOA_API_BASE_TELEGRAM": self.servers[2].base_url,
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "LOA_LEDGER_STATE": str(self.root.parent / "da-kiem-cli"),
            **self.key.env(),
            **TOKENS,
        }
        env.update(extra)
        return env

    def loa(self, *args: str, now: dt.datetime, **extra) -> subprocess.CompletedProcess:
        """Run ``loa`` in the site."""
        self.now = now
        return subprocess.run(
            [sys.executable, "-m", "loa.cli", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env=self.env(now, **extra),
            check=False,
            timeout=120,
        )

    def ledger_text(self) -> str:
        """Every object of the ledger repository, decompressed (all history, every file)."""
        found = subprocess.run(
            ["git", "--git-dir", str(self.ledger), "cat-file", "--batch-all-objects", "--batch"],
            capture_output=True,
            check=True,
        )
        return found.stdout.decode("utf-8", "replace")

    def records(self) -> list:
        """The listening records on the ledger branch now."""
        from loa.listening import parse_records

        # Read at the instant the commands ran: their signed commits are not "in the future".
        old = os.environ.get(clock.ENV)
        os.environ[clock.ENV] = getattr(self, "now", clock.now()).isoformat()
        try:
            with self.open_ledger() as ledger:
                ledger.refresh()
                return parse_records(ledger.listening.values())
        finally:
            if old is None:
                os.environ.pop(clock.ENV, None)
            else:
                os.environ[clock.ENV] = old


def vn(*args) -> dt.datetime:
    """A Vietnam-time instant."""
    return dt.datetime(*args, tzinfo=clock.TIMEZONE)
