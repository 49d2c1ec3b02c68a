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

from loa import clock

from tests.conftest import REPO, SiteMaker, article
from tests.fakes.facebook import FacebookFake
from tests.fakes.github import GitHubFake
from tests.fakes.instagram import InstagramFake
from tests.fakes.server import FakeServer
from tests.fakes.telegram import TelegramFake
from tests.fakes.tiktok import TikTokFake
from tests.fakes.x import XFake
from tests.fakes.zalo import ZaloFake

CANARY = "CANARY-7f3a9c-SECRET"
SITE = "https://vi-du.example.vn"
ALL = ("facebook", "zalo", "telegram", "x", "instagram", "tiktok")
OWNERS = (("cuc", 1), ("don-vi-a", 2), ("don-vi-b", 3))

UNITS = """\
department:
  slug: cuc
  name: Công đoàn Cục Thử nghiệm
  short_name: Công đoàn Cục
  description: Công đoàn cấp trên.
  admins: ["@vi-du/ban-thuong-vu"]
  channels:
{cuc}
units:
  - slug: don-vi-a
    name: Công đoàn cơ sở Đơn vị A
    short_name: CĐCS A
    description: Đơn vị A.
    admins: ["@nguoi-a"]
    channels:
{don-vi-a}
  - slug: don-vi-b
    name: Công đoàn cơ sở Đơn vị B
    short_name: CĐCS B
    description: Đơn vị B.
    admins: ["@nguoi-b"]
    channels:
{don-vi-b}
"""


def var(prefix: str, owner: str) -> str:
    """``TG_TOKEN_DON_VI_A``: the variable of one owner's credential."""
    return f"{prefix}_{owner.upper().replace('-', '_')}"


def account(platform: str, index: int) -> str:
    """The account id of owner ``index`` on ``platform`` (as the fakes know it)."""
    return {
        "telegram": f"-10010000000{index}",
        "facebook": f"10000000000{index}",
        "zalo": f"40000000000000000{index}",
        "x": f"tai_khoan_{index}",
        "instagram": f"1780000000000000{index}",
        "tiktok": f"tiktok.{index}",
    }[platform]


def channel_yaml(owner: str, index: int, platforms: tuple[str, ...], indent: int) -> str:
    """The channels block of one owner, each account with its own token variables."""
    blocks = {
        "telegram": f'telegram: {{chat_id: "{account("telegram", index)}", username: kenh_{index}, token_env: {var("TG_TOKEN", owner)}}}',
        "facebook": f'facebook: {{page_id: "{account("facebook", index)}", token_env: {var("FB_TOKEN", owner)}}}',
        "zalo": f'zalo: {{oa_id: "{account("zalo", index)}", token_env: {var("ZALO_TOKEN", owner)}, refresh_token_env: {var("ZALO_REFRESH", owner)}, app_id_env: ZALO_APP_ID, secret_key_env: ZALO_SECRET, broadcast: {"true" if index == 3 else "false"}}}',
        "x": f"x: {{username: {account('x', index)}, consumer_key_env: X_CONSUMER_KEY, consumer_secret_env: X_CONSUMER_SECRET, access_token_env: {var('X_TOKEN', owner)}, access_token_secret_env: {var('X_SECRET', owner)}}}",
        "instagram": f'instagram: {{ig_user_id: "{account("instagram", index)}", token_env: {var("IG_TOKEN", owner)}}}',
        "tiktok": f"tiktok: {{username: {account('tiktok', index)}, token_env: {var('TT_TOKEN', owner)}, privacy_level: SELF_ONLY}}",
    }
    return "\n".join(" " * indent + blocks[p] for p in platforms)


@dataclass
class Chain:
    """Site + ledger remote + fakes, and the real ``loa`` command between them."""

    root: Path
    platforms: tuple[str, ...] = ("telegram", "facebook")
    site: SiteMaker = field(init=False)
    outputs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.site = SiteMaker(self.root / "site")
        self.site.units(
            UNITS.format(
                **{
                    owner: channel_yaml(owner, i, self.platforms, 4 if owner == "cuc" else 6)
                    for owner, i in OWNERS
                }
            )
        )
        (self.site.root / "pelicanconf.py").write_text(
            f'SITEURL = "{SITE}"\n'
            'LOA_SYNDICATION = {"backoff_seconds": 0.05, "transient_retries": 1, "max_wait_seconds": 5, "poll_seconds": 0.05}\n',
            encoding="utf-8",
        )
        self.remote = self.root / "ledger.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(self.remote)], check=True)
        self.tokens: dict[str, str] = {
            "X_CONSUMER_KEY": "xck-consumer",
            "X_CONSUMER_SECRET": f"xcs-{CANARY}",
            "ZALO_APP_ID": "1234567890",
            "ZALO_SECRET": f"zs-{CANARY}",
        }
        for owner, _ in OWNERS:
            for prefix in (
                "TG_TOKEN",
                "FB_TOKEN",
                "ZALO_TOKEN",
                "ZALO_REFRESH",
                "X_TOKEN",
                "X_SECRET",
                "IG_TOKEN",
                "TT_TOKEN",
            ):
                # Opaque like real tokens: nothing in them is also a slug or an id.
                self.tokens[var(prefix, owner)] = (
                    f"{prefix.lower()}-{len(self.tokens):02d}x-{CANARY}"
                    if prefix != "TG_TOKEN"
                    else f"1234{len(self.tokens)}:{CANARY}-{len(self.tokens):02d}x"
                )
        owners = [(o, i) for o, i in OWNERS]
        apps = {
            "telegram": TelegramFake(
                {self.tokens[var("TG_TOKEN", o)] for o, _ in owners},
                {account("telegram", i): f"kenh_{i}" for _, i in owners},
            ),
            "facebook": FacebookFake(
                {account("facebook", i): self.tokens[var("FB_TOKEN", o)] for o, i in owners}
            ),
            "zalo": ZaloFake(
                {self.tokens[var("ZALO_TOKEN", o)]: account("zalo", i) for o, i in owners}
            ),
            "x": XFake(
                {
                    self.tokens[var("X_TOKEN", o)]: {
                        "username": account("x", i),
                        "consumer_key": "xck-consumer",
                        "consumer_secret": self.tokens["X_CONSUMER_SECRET"],
                        "token_secret": self.tokens[var("X_SECRET", o)],
                    }
                    for o, i in owners
                }
            ),
            "instagram": InstagramFake(
                {account("instagram", i): self.tokens[var("IG_TOKEN", o)] for o, i in owners}
            ),
            "tiktok": TikTokFake(
                {self.tokens[var("TT_TOKEN", o)]: account("tiktok", i) for o, i in owners},
                verified_prefix=f"{SITE}/",
            ),
        }
        zalo: ZaloFake = apps["zalo"]
        zalo.apps["1234567890"] = self.tokens["ZALO_SECRET"]
        for owner, i in owners:
            zalo.refresh_tokens[self.tokens[var("ZALO_REFRESH", owner)]] = account("zalo", i)
        self.fakes = {name: FakeServer(apps[name]).start() for name in self.platforms}
        self.github = FakeServer(GitHubFake("vi-du/loa", f"ghp-{CANARY}")).start()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("LOA_", "GITHUB_"))},
            **self.tokens,
            "LOA_LEDGER_REMOTE": str(self.remote),
            "LOA_HTTP_TIMEOUT": "3",
            "LOA_API_BASE_ZALO_OAUTH": self.fakes["zalo"].base_url if "zalo" in self.fakes else "",
            "LOA_API_BASE_GITHUB": self.github.base_url,
            "GITHUB_REPOSITORY": "vi-du/loa",
            "LOA_GITHUB_SECRETS_TOKEN": f"ghp-{CANARY}",
            "PYTHONPATH": str(REPO / "plugins"),
            "NO_COLOR": "1",
            **{f"LOA_API_BASE_{name.upper()}": fake.base_url for name, fake in self.fakes.items()},
        }

    def __getattr__(self, name: str):
        fakes = self.__dict__.get("fakes", {})
        if name in fakes:
            return fakes[name]
        raise AttributeError(name)

    # -- content ------------------------------------------------------------------

    def write_article(self, unit: str, slug: str, hours_ago: float, **fields) -> str:
        """Write an article dated ``hours_ago``; return its id."""
        date = (clock.now() - dt.timedelta(hours=hours_ago)).astimezone(dt.UTC)
        fields.setdefault("title", f"Bài {slug}")
        self.site.write(
            f"articles/{unit}/{date:%Y-%m-%d}-{slug}.md",
            article(date=date.strftime("%Y-%m-%dT%H:%M:%SZ"), **fields),
        )
        return f"/{unit}/{slug}/"

    def site_url(self, article_id: str) -> str:
        """The absolute address of an article id."""
        return SITE + article_id

    def build(self) -> None:
        """Build the site with production settings (the manifest included)."""
        self.site.build("publishconf.py", LOA_READ_LEDGER=False)

    def build_with_ledger(self) -> None:
        """Build with production settings, reading the ledger remote ("also on" links)."""
        saved = os.environ.get("LOA_LEDGER_REMOTE")
        os.environ["LOA_LEDGER_REMOTE"] = str(self.remote)
        try:
            self.site.build("publishconf.py", LOA_READ_LEDGER=True)
        finally:
            if saved is None:
                os.environ.pop("LOA_LEDGER_REMOTE", None)
            else:
                os.environ["LOA_LEDGER_REMOTE"] = saved

    # -- the command ----------------------------------------------------------------

    def environment(self, extra: dict | None = None) -> dict:
        """The command's environment: tokens, fakes, and the test's clock (``LOA_NOW``) now."""
        return {**self.env, clock.ENV: clock.now().isoformat(), **(extra or {})}

    def loa(
        self, *args: str, env: dict | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        """Run ``loa`` in the site folder; remember everything it printed."""
        result = subprocess.run(
            [sys.executable, "-m", "loa.cli", *args],
            cwd=self.site.root,
            env=self.environment(env),
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
            env=self.environment(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    # -- what happened ----------------------------------------------------------------

    def posts(self) -> list[tuple[str, str, str]]:
        """(platform, account, article link) of every post the fakes accepted."""

        def link_in(text: str) -> str:
            return next(
                (
                    w.strip("\"'<>")
                    for w in text.replace(">", " ").replace('"', " ").split()
                    if w.startswith(SITE + "/") and not w.startswith(SITE + "/social")
                ),
                "",
            )

        out = []
        for name, fake in self.fakes.items():
            for post in fake.app.posts:
                if name == "telegram":
                    out.append(
                        (
                            name,
                            post["chat_id"],
                            link_in(post.get("caption") or post.get("text") or ""),
                        )
                    )
                elif name == "facebook":
                    out.append((name, post["page"], post["link"]))
                elif name == "zalo":
                    out.append((name, post["oa"], link_in(post["body"][-1]["content"])))
                elif name == "x":
                    out.append((name, post["username"], link_in(post["text"])))
                elif name == "instagram":
                    out.append((name, post["user"], link_in(post["caption"])))
                elif name == "tiktok":
                    out.append((name, post["user"], link_in(post["description"])))
        return out

    def post_requests(self) -> int:
        """How many creating calls reached any fake."""
        creating = ("/send", "/feed", "/article/create", "/2/tweets", "/media", "/content/init/")
        return sum(
            1
            for fake in self.fakes.values()
            for r in fake.requests
            if r.method == "POST" and any(c in r.path for c in creating)
        )

    def requests(self) -> int:
        """Every request that reached any fake."""
        return sum(len(f.requests) for f in self.fakes.values())

    def ledger_text(self) -> str:
        """Every commit of the ledger remote, as text (for secrets)."""
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
        for fake in (*self.fakes.values(), self.github):
            fake.stop()
