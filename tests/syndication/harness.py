"""The whole syndication chain in a temporary folder: a site, a bare ledger remote, the fakes.

Runs the real ``loa`` command as a process, the way CI does, and keeps every
byte it printed so that tests can look for a leaked token.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import REPO, SiteMaker, article
from tests.fakes.facebook import FacebookFake
from tests.fakes.server import FakeServer
from tests.fakes.telegram import TelegramFake

CANARY = "CANARY-7f3a9c-SECRET"

UNITS = """\
department:
  slug: cuc
  name: Công đoàn Cục Thử nghiệm
  short_name: Công đoàn Cục
  description: Công đoàn cấp trên.
  admins: ["@vi-du/ban-thuong-vu"]
  channels:
{department_channels}
units:
  - slug: don-vi-a
    name: Công đoàn cơ sở Đơn vị A
    short_name: CĐCS A
    description: Đơn vị A.
    admins: ["@nguoi-a"]
    channels:
{a_channels}
  - slug: don-vi-b
    name: Công đoàn cơ sở Đơn vị B
    short_name: CĐCS B
    description: Đơn vị B.
    admins: ["@nguoi-b"]
    channels:
{b_channels}
"""


def channel_yaml(owner: str, index: int, platforms: tuple[str, ...], indent: int = 4) -> str:
    """The channels block of one owner, each account with its own token variable."""
    up = owner.upper().replace("-", "_")
    blocks = {
        "telegram": f'    telegram: {{chat_id: "-10010000000{index}", username: kenh_{index}, token_env: TG_TOKEN_{up}}}',
        "facebook": f'    facebook: {{page_id: "10000000000{index}", token_env: FB_TOKEN_{up}}}',
    }
    return "\n".join(" " * (indent - 4) + blocks[p] for p in platforms)


@dataclass
class Chain:
    """Site + ledger remote + fakes, and the real ``loa`` command between them."""

    root: Path
    platforms: tuple[str, ...] = ("telegram", "facebook")
    site: SiteMaker = field(init=False)
    remote: Path = field(init=False)
    env: dict = field(init=False)
    outputs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.site = SiteMaker(self.root / "site")
        owners = [("cuc", 1), ("don-vi-a", 2), ("don-vi-b", 3)]
        text = UNITS.format(
            department_channels=channel_yaml("cuc", 1, self.platforms),
            a_channels=channel_yaml("don-vi-a", 2, self.platforms, 6),
            b_channels=channel_yaml("don-vi-b", 3, self.platforms, 6),
        )
        self.site.units(text)
        (self.site.root / "pelicanconf.py").write_text(
            'SITEURL = "https://vi-du.example.vn"\n'
            'LOA_SYNDICATION = {"backoff_seconds": 0.05, "transient_retries": 1, "max_wait_seconds": 5, "poll_seconds": 0.05}\n',
            encoding="utf-8",
        )
        self.remote = self.root / "ledger.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(self.remote)], check=True)
        self.tokens = {}
        for owner, _ in owners:
            up = owner.upper().replace("-", "_")
            self.tokens[f"TG_TOKEN_{up}"] = f"12345{len(self.tokens)}:{CANARY}-tg-{owner}"
            self.tokens[f"FB_TOKEN_{up}"] = f"EAAB{CANARY}fb{owner}"
        self.telegram = FakeServer(
            TelegramFake(
                {v for k, v in self.tokens.items() if k.startswith("TG_")},
                {f"-10010000000{i}": f"kenh_{i}" for _, i in owners},
            )
        ).start()
        self.facebook = FakeServer(
            FacebookFake(
                {
                    f"10000000000{i}": self.tokens[f"FB_TOKEN_{o.upper().replace('-', '_')}"]
                    for o, i in owners
                }
            )
        ).start()
        self.fakes = {"telegram": self.telegram, "facebook": self.facebook}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("LOA_", "GITHUB_"))},
            **self.tokens,
            "LOA_LEDGER_REMOTE": str(self.remote),
            "LOA_API_BASE_TELEGRAM": self.telegram.base_url,
            "LOA_API_BASE_FACEBOOK": self.facebook.base_url,
            "LOA_HTTP_TIMEOUT": "3",
            "PYTHONPATH": str(REPO / "plugins"),
            "NO_COLOR": "1",
        }

    # -- content ------------------------------------------------------------------

    def write_article(self, unit: str, slug: str, hours_ago: float, **fields) -> str:
        """Write an article dated ``hours_ago``; return its id."""
        date = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)
        fields.setdefault("title", f"Bài {slug}")
        self.site.write(
            f"articles/{unit}/{date:%Y-%m-%d}-{slug}.md",
            article(date=date.strftime("%Y-%m-%dT%H:%M:%SZ"), **fields),
        )
        return f"/{unit}/{slug}/"

    def build(self) -> None:
        """Build the site with production settings (the manifest included)."""
        self.site.build("publishconf.py", LOA_ALSO_ON=False)

    # -- the command ----------------------------------------------------------------

    def loa(
        self, *args: str, env: dict | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        """Run ``loa`` in the site folder; remember everything it printed."""
        result = subprocess.run(
            [sys.executable, "-m", "loa.cli", *args],
            cwd=self.site.root,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        self.outputs += [result.stdout, result.stderr]
        return result

    def spawn(self, *args: str, env: dict | None = None) -> subprocess.Popen:
        """Start ``loa`` without waiting (for concurrency and crash tests)."""
        return subprocess.Popen(
            [sys.executable, "-m", "loa.cli", *args],
            cwd=self.site.root,
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    # -- what happened ----------------------------------------------------------------

    def posts(self) -> list[tuple[str, str, str]]:
        """(platform, account, article link) of every post the fakes accepted."""
        out = []
        for post in self.telegram.app.posts:
            text = post.get("caption") or post.get("text") or ""
            link = next((w for w in text.split() if w.startswith("https://vi-du.example.vn/")), "")
            out.append(("telegram", post["chat_id"], link))
        for post in self.facebook.app.posts:
            out.append(("facebook", post["page"], post["link"]))
        return out

    def post_requests(self) -> int:
        """How many posting calls reached any fake."""
        return len(self.telegram.calls("/send")) + len(self.facebook.calls("/feed", "POST"))

    def ledger_text(self) -> str:
        """Every object of the ledger remote, as text (for secrets)."""
        log = subprocess.run(
            ["git", "--git-dir", str(self.remote), "log", "--all", "-p", "--format=%an %ae %s"],
            capture_output=True,
            text=True,
            check=False,
        )
        return log.stdout

    def assert_no_canary(self) -> None:
        """The canary token appears nowhere: output, ledger, built site."""
        for text in self.outputs:
            assert CANARY not in text, text
        assert CANARY not in self.ledger_text()
        for path in self.site.output.rglob("*"):
            if path.is_file():
                assert CANARY.encode() not in path.read_bytes(), path

    def close(self) -> None:
        """Stop the fakes."""
        for fake in self.fakes.values():
            fake.stop()
