"""The whole syndication chain in a temporary folder: a site, a bare ledger remote, the fakes.

Runs the real ``loa`` command as a process, the way CI does, and keeps every
byte it printed so that tests can look for a leaked token.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loa import clock, platforms

from tests.conftest import REPO, SiteMaker, article
from tests.fakes.facebook import FacebookFake
from tests.fakes.github import GitHubFake
from tests.fakes.instagram import InstagramFake
from tests.fakes.server import App, FakeServer
from tests.fakes.telegram import TelegramFake
from tests.fakes.threads import ThreadsFake
from tests.fakes.tiktok import TikTokFake
from tests.fakes.x import XFake
from tests.fakes.zalo import ZaloFake
from tests.ledgerkeys import SigningKey

CANARY = "CANARY-7f3a9c-SECRET"
SITE = "https://vi-du.example.vn"
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


def _owner_link(text: str) -> str:
    return next(
        (
            w.strip("\"'<>")
            for w in text.replace(">", " ").replace('"', " ").split()
            if w.startswith(SITE + "/") and not w.startswith(SITE + "/social")
        ),
        "",
    )


@dataclass(frozen=True)
class FakeChannel:
    """How the harness gives a platform accounts, credentials and a fake server.

    The keys written into units.yml come from the platform's record
    (``loa.platforms``): every ``*_env`` key it requires gets a variable per
    owner (``prefixes``) or one shared variable (``shared``); ``settings``
    gives the rest. A platform defined only in a test registers one of these.
    """

    name: str
    account: Callable[[int], str]
    settings: Callable[[int], dict]  # the keys that are not variables, by owner index
    prefixes: dict  # record key ("token_env") -> variable prefix ("TG_TOKEN")
    app: Callable[[Chain], App]  # the fake, given the chain (its tokens)
    link_of: Callable[[dict], tuple[str, str]]  # a post the fake took -> (account, article link)
    creating: tuple[str, ...]  # path parts of the calls that create a post
    shared: dict = field(default_factory=dict)  # record key -> one variable for all owners
    token: Callable[[str, int], str] | None = None  # a variable's value, by prefix and number

    def channel(self, owner: str, index: int) -> dict:
        """The account's keys in units.yml, checked against the platform's record."""
        record = platforms.get(self.name)
        values = dict(self.settings(index))
        values.update({key: var(prefix, owner) for key, prefix in self.prefixes.items()})
        values.update(self.shared)
        missing = [k for k in record.required if k not in values]
        unknown = [k for k in values if k not in record.keys]
        assert not missing and not unknown, (self.name, missing, unknown)
        return values


FAKES: dict[str, FakeChannel] = {}


def register_fake(fake: FakeChannel) -> FakeChannel:
    """Make a platform's fake available to ``Chain(platforms=(…))``."""
    FAKES[fake.name] = fake
    return fake


def account(platform: str, index: int) -> str:
    """The account id of owner ``index`` on ``platform`` (as the fakes know it)."""
    return FAKES[platform].account(index)


def _yaml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(str(value), ensure_ascii=False)


def channel_yaml(owner: str, index: int, names: tuple[str, ...], indent: int) -> str:
    """The channels block of one owner, each account with its own token variables."""
    lines = []
    for name in names:
        values = FAKES[name].channel(owner, index)
        inner = ", ".join(f"{k}: {_yaml_value(v)}" for k, v in values.items())
        lines.append(" " * indent + f"{name}: {{{inner}}}")
    return "\n".join(lines)


def _tokens_of(chain: Chain, name: str) -> dict[str, tuple[str, int]]:
    """{token value: (owner, index)} of one platform's per-owner ``token_env`` variables."""
    prefix = FAKES[name].prefixes["token_env"]
    return {chain.tokens[var(prefix, o)]: (o, i) for o, i in OWNERS}


def _telegram(chain: Chain) -> App:
    return TelegramFake(
        set(_tokens_of(chain, "telegram")), {account("telegram", i): f"kenh_{i}" for _, i in OWNERS}
    )


def _zalo(chain: Chain) -> App:
    fake = ZaloFake({t: account("zalo", i) for t, (_, i) in _tokens_of(chain, "zalo").items()})
    fake.apps["1234567890"] = chain.tokens["ZALO_SECRET"]
    for owner, i in OWNERS:
        fake.refresh_tokens[chain.tokens[var("ZALO_REFRESH", owner)]] = account("zalo", i)
    return fake


def _x(chain: Chain) -> App:
    return XFake(
        {
            chain.tokens[var("X_TOKEN", o)]: {
                "username": account("x", i),
                "consumer_key": chain.tokens["X_CONSUMER_KEY"],
                "consumer_secret": chain.tokens["X_CONSUMER_SECRET"],
                "token_secret": chain.tokens[var("X_SECRET", o)],
            }
            for o, i in OWNERS
        }
    )


def _by_account(fake_class, name: str):
    def make(chain: Chain) -> App:
        return fake_class({account(name, i): t for t, (_, i) in _tokens_of(chain, name).items()})

    return make


for _fake in (
    FakeChannel(
        "telegram",
        account=lambda i: f"-10010000000{i}",
        settings=lambda i: {"chat_id": f"-10010000000{i}", "username": f"kenh_{i}"},
        prefixes={"token_env": "TG_TOKEN"},
        app=_telegram,
        link_of=lambda p: (p["chat_id"], _owner_link(p.get("caption") or p.get("text") or "")),
        creating=("/send",),
        token=lambda _prefix, n: f"1234{n}:{CANARY}-{n:02d}x",
    ),
    FakeChannel(
        "facebook",
        account=lambda i: f"10000000000{i}",
        settings=lambda i: {"page_id": f"10000000000{i}"},
        prefixes={"token_env": "FB_TOKEN"},
        app=_by_account(FacebookFake, "facebook"),
        link_of=lambda p: (p["page"], p["link"]),
        creating=("/feed",),
    ),
    FakeChannel(
        "zalo",
        account=lambda i: f"40000000000000000{i}",
        settings=lambda i: {"oa_id": f"40000000000000000{i}", "broadcast": i == 3},
        prefixes={"token_env": "ZALO_TOKEN", "refresh_token_env": "ZALO_REFRESH"},
        shared={"app_id_env": "ZALO_APP_ID", "secret_key_env": "ZALO_SECRET"},
        app=_zalo,
        link_of=lambda p: (p["oa"], _owner_link(p["body"][-1]["content"])),
        creating=("/article/create",),
    ),
    FakeChannel(
        "x",
        account=lambda i: f"tai_khoan_{i}",
        settings=lambda i: {"username": f"tai_khoan_{i}"},
        prefixes={"access_token_env": "X_TOKEN", "access_token_secret_env": "X_SECRET"},
        shared={"consumer_key_env": "X_CONSUMER_KEY", "consumer_secret_env": "X_CONSUMER_SECRET"},
        app=_x,
        link_of=lambda p: (p["username"], _owner_link(p["text"])),
        creating=("/2/tweets",),
    ),
    FakeChannel(
        "instagram",
        account=lambda i: f"1780000000000000{i}",
        settings=lambda i: {"ig_user_id": f"1780000000000000{i}"},
        prefixes={"token_env": "IG_TOKEN"},
        app=_by_account(InstagramFake, "instagram"),
        link_of=lambda p: (p["user"], _owner_link(p["caption"])),
        creating=("/media",),
    ),
    FakeChannel(
        "tiktok",
        account=lambda i: f"tiktok.{i}",
        settings=lambda i: {"username": f"tiktok.{i}", "privacy_level": "SELF_ONLY"},
        prefixes={"token_env": "TT_TOKEN"},
        app=lambda chain: TikTokFake(
            {t: account("tiktok", i) for t, (_, i) in _tokens_of(chain, "tiktok").items()},
            verified_prefix=f"{SITE}/",
        ),
        link_of=lambda p: (p["user"], _owner_link(p["description"])),
        creating=("/content/init/",),
    ),
    FakeChannel(
        "threads",
        account=lambda i: f"2590000000000000{i}",
        settings=lambda i: {"threads_user_id": f"2590000000000000{i}", "username": f"congdoan.{i}"},
        prefixes={"token_env": "TH_TOKEN"},
        app=lambda chain: ThreadsFake(
            {account("threads", i): t for t, (_, i) in _tokens_of(chain, "threads").items()},
            {account("threads", i): f"congdoan.{i}" for _, i in OWNERS},
        ),
        link_of=lambda p: (p["user"], _owner_link(p["text"])),
        creating=("/threads",),
    ),
):
    register_fake(_fake)

# The platforms Loa posts to out of the box, each with its fake.
ALL = tuple(name for name in platforms.names() if name in FAKES)


@dataclass
class Chain:
    """Site + ledger remote + fakes, and the real ``loa`` command between them."""

    root: Path
    platforms: tuple[str, ...] = ("telegram", "facebook")
    site: SiteMaker = field(init=False)
    outputs: list[str] = field(default_factory=list)
    settings: str = ""  # more lines for the site's pelicanconf.py

    def __post_init__(self) -> None:
        self.site = SiteMaker(self.root / "site")
        (self.site.root / "pelicanconf.py").write_text(
            f'SITEURL = "{SITE}"\n'
            'LOA_SYNDICATION = {"backoff_seconds": 0.05, "transient_retries": 1, "max_wait_seconds": 5, "poll_seconds": 0.05}\n'
            + self.settings,
            encoding="utf-8",
        )
        self.site.units(
            UNITS.format(
                **{
                    owner: channel_yaml(owner, i, self.platforms, 4 if owner == "cuc" else 6)
                    for owner, i in OWNERS
                }
            )
        )
        # The deploy's signing key: its public half in the site (reviewed like
        # code), its private half only in the command's environment.
        self.key = SigningKey.make(self.root / "khoa")
        self.key.install(self.site.root)
        self.remote = self.root / "ledger.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(self.remote)], check=True)
        self.tokens: dict[str, str] = {
            "X_CONSUMER_KEY": "xck-consumer",
            "X_CONSUMER_SECRET": f"xcs-{CANARY}",
            "ZALO_APP_ID": "1234567890",
            "ZALO_SECRET": f"zs-{CANARY}",
        }
        for fake in FAKES.values():
            for owner, _ in OWNERS:
                for prefix in fake.prefixes.values():
                    n = len(self.tokens)
                    # Opaque like real tokens: nothing in them is also a slug or an id.
                    self.tokens[var(prefix, owner)] = (
                        fake.token(prefix, n)
                        if fake.token
                        else f"{prefix.lower()}-{n:02d}x-{CANARY}"
                    )
        self.fakes = {name: FakeServer(FAKES[name].app(self)).start() for name in self.platforms}
        self.github = FakeServer(GitHubFake("vi-du/loa", f"ghp-{CANARY}")).start()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("LOA_", "GITHUB_"))},
            **self.tokens,
            "LOA_LEDGER_REMOTE": str(self.remote),
            "LOA_HTTP_TIMEOUT": "30",  # the default: a busy machine answers late, not never
            "LOA_API_BASE_ZALO_OAUTH": self.fakes["zalo"].base_url if "zalo" in self.fakes else "",
            "LOA_API_BASE_GITHUB": self.github.base_url,
            "GITHUB_REPOSITORY": "vi-du/loa",
            "LOA_GITHUB_SECRETS_TOKEN": f"ghp-{CANARY}",
            "PYTHONPATH": os.pathsep.join([str(REPO / "plugins"), str(REPO)]),
            "NO_COLOR": "1",
            **self.key.env(),
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
        self, *args: str, env: dict | None = None, timeout: float = 600
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
        return [
            (name, *FAKES[name].link_of(post))
            for name, fake in self.fakes.items()
            for post in fake.app.posts
        ]

    def post_requests(self) -> int:
        """How many creating calls reached any fake."""
        return sum(
            1
            for name, fake in self.fakes.items()
            for r in fake.requests
            if r.method == "POST" and any(c in r.path for c in FAKES[name].creating)
        )

    def requests(self) -> int:
        """Every request that reached any fake."""
        return sum(len(f.requests) for f in self.fakes.values())

    def ledger(self):
        """The chain's ledger, read in this process and trusted as the site says (no remembered tip)."""
        from loa.ledger import Ledger, Trust

        return Ledger(str(self.remote), trust=Trust(self.site.root / ".github" / "ledger-signers"))

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
        secret_line = self.key.private.splitlines()[1]
        for text in self.outputs:
            assert CANARY not in text, text
            assert secret_line not in text, "the ledger's signing key was printed"
        assert CANARY not in self.ledger_text()
        for path in self.site.output.rglob("*"):
            if path.is_file():
                assert CANARY.encode() not in path.read_bytes(), path

    def close(self) -> None:
        """Stop the fakes."""
        for fake in (*self.fakes.values(), self.github):
            fake.stop()
