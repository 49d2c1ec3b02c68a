"""A network Loa does not know, added by a site with one module (record + adapter) and a fake.

Nothing in Loa changes: the module is named in the site's ``pelicanconf.py``
(``LOA_PLATFORMS``), and it appears in ``loa check``'s channel choices, the
plan, the status table, the channel and share links of the built site and the
command line; it posts once, reads followers and interactions like the others.
The network here speaks Mastodon's API (shared/spec/social-apis.md §7.1).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import textwrap

import pytest
from loa import platforms
from loa.syndication.channels import ADAPTERS

from tests.fakes.server import App, Reply
from tests.syndication.harness import FAKES, OWNERS, SITE, Chain, FakeChannel, register_fake, var

MODULE = "kenh_mastodon"

# What a site writes: one file next to pelicanconf.py.
SOURCE = textwrap.dedent(
    '''
    """Mastodon for Loa: POST /api/v1/statuses (docs.joinmastodon.org/methods/statuses/)."""

    from loa import platforms
    from loa.syndication.channels.base import Adapter, PostRef, Receipt, counts, each_post
    from loa.syndication.http import AUTH, CONTENT, RATE_LIMITED, TRANSIENT, PostError
    from loa.syndication.messages import Message, join_blocks, lead_text, shorten

    RECORD = platforms.register(
        platforms.Platform(
            name="mastodon",
            label="Mastodon",
            account_key="account",
            required=("account", "instance", "token_env"),
            profile_url="https://{instance}/@{account}",
            share_url="https://toot.kytta.dev/?text={title}%20{url}",
            text=platforms.TextLimit("status", 500, unit="ký tự kể cả liên kết", link_room=24),
            limits={"status": 500},
            capabilities=frozenset({platforms.LINK, platforms.FOLLOWERS, platforms.INTERACTIONS}),
            api_base="https://mastodon.social",
        )
    )


    class Mastodon(Adapter):
        platform = "mastodon"

        def _headers(self):
            return {"Authorization": f"Bearer {self.secrets.get(self.account.get('token_env'))}"}

        def render(self, article):
            lead = shorten(lead_text(article, "mastodon"), 500 - len(article.title) - len(article.url) - 4)
            text = join_blocks(article.title, lead, article.url)
            return Message("mastodon", self.account.account, text, article.url, "", article.title, {"status": text})

        def _check(self, reply):
            if reply.status == 401:
                raise PostError(AUTH, f"token Mastodon hết hạn — lưu token mới vào {self.account.get('token_env')}")
            if reply.status == 429:
                raise PostError(RATE_LIMITED, "Mastodon giới hạn tần suất", retry_after=300)
            if reply.status >= 500 or not isinstance(reply.data, dict):
                raise PostError(TRANSIENT, f"Mastodon lỗi máy chủ {reply.status}")
            if reply.status >= 400:
                raise PostError(CONTENT, f"Mastodon từ chối: {reply.data.get('error')}")
            return reply.data

        def post(self, message):
            data = self._check(self.http.request("POST", f"{self.base}/api/v1/statuses", json=message.fields, headers=self._headers()))
            return Receipt(str(data["id"]), str(data.get("url") or ""))

        def followers(self):
            data = self._check(self.http.request("GET", f"{self.base}/api/v1/accounts/verify_credentials", headers=self._headers()))
            return int(data["followers_count"])

        def insights(self, posts):
            def one(post):
                data = self._check(self.http.request("GET", f"{self.base}/api/v1/statuses/{post.remote_id}", headers=self._headers()))
                return counts(reactions=data.get("favourites_count"), comments=data.get("replies_count"), shares=data.get("reblogs_count"))
            return each_post(posts, one)
    '''
)


class MastodonFake(App):
    """Statuses, the account, one token per account."""

    def __init__(self, tokens: dict[str, str]):
        super().__init__()
        self.tokens = tokens  # token -> account
        self.expired: set[str] = set()
        self.posts: list[dict] = []
        self.route("POST", r"/api/v1/statuses", self.create)
        self.route("GET", r"/api/v1/statuses/(?P<id>\d+)", self.status)
        self.route("GET", r"/api/v1/accounts/verify_credentials", self.me)

    def _account(self, request):
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        return None if token in self.expired else self.tokens.get(token)

    def create(self, request, _match) -> Reply:
        account = self._account(request)
        if account is None:
            return Reply(401, {"error": "The access token is invalid"})
        text = (request.json or {}).get("status", "")
        if not text or len(text) > 500:
            return Reply(422, {"error": "Validation failed: Text character limit of 500 exceeded"})
        post_id = str(110000000000000000 + len(self.posts))
        self.posts.append({"id": post_id, "account": account, "status": text})
        return Reply(200, {"id": post_id, "url": f"https://mastodon.example/@{account}/{post_id}"})

    def status(self, request, match) -> Reply:
        if self._account(request) is None:
            return Reply(401, {"error": "The access token is invalid"})
        if not any(p["id"] == match["id"] for p in self.posts):
            return Reply(404, {"error": "Record not found"})
        c = self.engagement(match["id"])
        return Reply(
            200,
            {
                "id": match["id"],
                "favourites_count": c["likes"],
                "replies_count": c["comments"],
                "reblogs_count": c["shares"],
            },
        )

    def me(self, request, _match) -> Reply:
        account = self._account(request)
        if account is None:
            return Reply(401, {"error": "The access token is invalid"})
        return Reply(200, {"id": "1", "username": account, "followers_count": 42})


def _link(post: dict) -> tuple[str, str]:
    words = [w for w in post["status"].split() if w.startswith(SITE + "/")]
    return post["account"], words[0] if words else ""


@pytest.fixture
def mastodon(tmp_path):
    """The site's module imported here too (the harness writes units.yml from its record)."""
    folder = tmp_path / "ext"
    folder.mkdir()
    (folder / f"{MODULE}.py").write_text(SOURCE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(MODULE, folder / f"{MODULE}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE] = module
    spec.loader.exec_module(module)
    register_fake(
        FakeChannel(
            "mastodon",
            account=lambda i: f"congdoan{i}",
            settings=lambda i: {"account": f"congdoan{i}", "instance": "mastodon.example"},
            prefixes={"token_env": "MD_TOKEN"},
            app=lambda chain: MastodonFake(
                {chain.tokens[var("MD_TOKEN", o)]: f"congdoan{i}" for o, i in OWNERS}
            ),
            link_of=_link,
            creating=("/api/v1/statuses",),
        )
    )
    chain = Chain(
        tmp_path / "chain",
        platforms=("telegram", "mastodon"),
        settings=f'LOA_PLATFORMS = ["{MODULE}"]\n',
    )
    (chain.site.root / f"{MODULE}.py").write_text(SOURCE, encoding="utf-8")
    yield chain
    chain.close()
    FAKES.pop("mastodon", None)
    ADAPTERS.pop("mastodon", None)
    platforms.unregister("mastodon")
    platforms._loaded.discard(MODULE)
    sys.modules.pop(MODULE, None)


def test_a_platform_defined_only_here_goes_through_the_whole_chain(mastodon):
    chain = mastodon
    # loa check: the new channel is one of the choices, and its limit is the record's
    chain.write_article(
        "don-vi-a",
        "go-nham",
        hours_ago=30,
        syndicate="[mastodn]",
        status="draft",
    )
    checked = chain.loa("check", "--format", "json")
    findings = json.loads(checked.stdout)["findings"]
    unknown = [f for f in findings if f["code"] == "unknown-channel"]
    assert unknown and "có phải “mastodon”?" in unknown[0]["message"]
    assert "mastodon" in unknown[0]["message"].split("các kênh:")[1]
    for path in (chain.site.content / "articles/don-vi-a").iterdir():
        path.unlink()
    chain.write_article(
        "don-vi-a", "qua-dai", hours_ago=30, social_text='"' + "chữ " * 130 + '"', status="draft"
    )
    long = json.loads(chain.loa("check", "--format", "json").stdout)["findings"]
    assert any(
        f["code"] == "social-text" and "mastodon" in f["message"] and "500" in f["message"]
        for f in long
    ), long
    for path in (chain.site.content / "articles/don-vi-a").iterdir():
        path.unlink()

    # the command line knows it
    help_text = chain.loa("syndicate", "retry", "--help").stdout
    assert "mastodon" in help_text

    # plan, post once, rerun nothing, status
    chain.write_article("don-vi-b", "cu", hours_ago=40)
    chain.build()
    assert chain.loa("syndicate", "publish", "--bootstrap").returncode == 0
    article = chain.write_article("don-vi-b", "kenh-moi", hours_ago=1)
    chain.build()
    plan = chain.loa("syndicate", "plan")
    assert plan.returncode == 0, plan.stderr
    # Accounts named as the newsroom names them: platform and the unit that owns the account.
    from loa.units import parse

    registry = parse((chain.site.content / "units.yml").read_text(encoding="utf-8"))
    owners = [registry.get("don-vi-b").short_name, registry.department.short_name]
    for owner in owners:
        assert f"Mastodon — {owner}" in plan.stdout, plan.stdout
    first = chain.loa("syndicate", "publish")
    assert first.returncode == 0, first.stdout + first.stderr
    posted = [p for p in chain.posts() if p[0] == "mastodon"]
    assert sorted(posted) == sorted(
        [
            ("mastodon", "congdoan3", chain.site_url(article)),
            ("mastodon", "congdoan1", chain.site_url(article)),
        ]
    )
    before = chain.requests()
    assert chain.loa("syndicate", "publish").returncode == 0
    assert chain.requests() == before
    status = chain.loa("syndicate", "status")
    assert re.search(r"/don-vi-b/kenh-moi/\s+Mastodon\s+congdoan3\s+đã đăng", status.stdout)
    rows = json.loads(chain.loa("syndicate", "status", "--format", "json").stdout)
    assert {r["state"] for r in rows if r["channel"] == "mastodon" and r["article"] == article} == {
        "posted"
    }

    # followers and interactions through the adapter
    followers = chain.loa("syndicate", "followers")
    assert followers.returncode == 0 and "Mastodon congdoan1: 42 người theo dõi" in followers.stdout
    insights = chain.loa("syndicate", "insights")
    assert insights.returncode == 0, insights.stderr
    fake = chain.mastodon.app
    expected = {
        p["id"]: fake.engagement(p["id"])["likes"]
        + fake.engagement(p["id"])["comments"]
        + fake.engagement(p["id"])["shares"]
        for p in fake.posts
    }
    lines = [
        json.loads(line[1:])
        for line in chain.ledger_text().splitlines()
        if line.startswith('+{"article"') and '"metrics"' in line
    ]
    got = {
        s["remote_id"]: sum(s["metrics"].get(k, 0) for k in ("reactions", "comments", "shares"))
        for s in lines
        if s["channel"] == "mastodon"
    }
    assert got == expected

    # the built site: the unit's channel link and the article's share link come from the record
    chain.build_with_ledger()
    unit_page = chain.site.read("don-vi-b/index.html")
    assert 'href="https://mastodon.example/@congdoan3"' in unit_page
    page = chain.site.read(f"{article.strip('/')}/index.html")
    assert "https://toot.kytta.dev/?text=" in page
    assert "https://mastodon.example/@congdoan3/" in page  # "also on"
    chain.assert_no_canary()


def test_a_channel_with_a_record_but_no_adapter_is_a_clear_configuration_error(mastodon):
    chain = mastodon
    ADAPTERS.pop("mastodon")  # as if the site's module had only the record
    source = SOURCE.split("class Mastodon(Adapter):")[0]
    (chain.site.root / f"{MODULE}.py").write_text(source, encoding="utf-8")
    chain.write_article("don-vi-a", "cu", hours_ago=40)
    chain.build()
    assert chain.loa("syndicate", "publish", "--bootstrap").returncode == 0
    chain.write_article("don-vi-a", "khong-bo-dang", hours_ago=1)
    chain.build()
    for command in (("syndicate", "plan"), ("syndicate", "publish"), ("syndicate", "followers")):
        result = chain.loa(*command)
        text = result.stdout + result.stderr
        assert "Traceback" not in text and "lỗi không lường trước" not in text, text
        assert "chưa có bộ đăng bài cho nền tảng này" in text, (command, text)
    # the other channels still post
    assert {p[0] for p in chain.posts()} == {"telegram"}
