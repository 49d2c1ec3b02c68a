"""Every platform turned hostile, for publish, followers and insights, through the real ``loa``.

Each fake still does its work (a post it accepts is on the platform), but its
answers are changed on the way out: strings with a lone surrogate or a line
separator, numbers turned into objects, permalink fields with ``javascript:``
or a look-alike host, a gzip bomb, a body over the cap, a slow drip. What must
hold for every platform and every variant:

- no traceback; the daily readings (followers, insights) exit 0;
- a post the platform accepted with a readable answer is recorded ``posted``
  (never "chưa rõ"), with an id and an address that are safe to keep;
- only https addresses on the platform's own hosts reach the ledger;
- nothing but plain counts reaches followers.jsonl and interactions.jsonl.
"""

from __future__ import annotations

import functools
import gzip
import json
from urllib.parse import urlsplit

import pytest
from loa.ledger import POSTED, Ledger

from tests.fakes.server import Reply
from tests.syndication.harness import ALL, Chain, account

HOSTS = {
    "facebook": ("facebook.com",),
    "zalo": ("zalo.me",),
    "telegram": ("t.me",),
    "x": ("x.com", "twitter.com"),
    "instagram": ("instagram.com",),
    "tiktok": ("tiktok.com",),
    "threads": ("threads.com", "threads.net"),
}
CAP = 64 * 1024


@functools.cache
def bomb() -> bytes:
    return gzip.compress(b" " * (64 * 1024 * 1024), compresslevel=9)


def _walk(value, change, key=""):
    if isinstance(value, dict):
        return {k: _walk(v, change, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, change, key) for v in value]
    return change(key, value)


def _is_link(key: str) -> bool:
    return any(word in key.lower() for word in ("url", "link", "permalink"))


def _is_id(key: str) -> bool:
    """Ids, names and addresses: what a receipt is made of (status codes stay intact)."""
    key = key.lower()
    return key in ("id", "username", "name", "title") or key.endswith("_id") or _is_link(key)


CHANGES = {
    "surrogate": lambda k, v: v + "\ud800" if isinstance(v, str) and _is_id(k) else v,
    "separator": lambda k, v: v + "\u2028x" if isinstance(v, str) and _is_id(k) else v,
    "types": lambda k, v: {"value": v} if isinstance(v, int) and not isinstance(v, bool) else v,
    "javascript": lambda k, v: "javascript:alert(document.domain)//" if _is_link(k) else v,
    "lookalike": lambda k, v: "https://www.facebook.com.evil.example/p/1" if _is_link(k) else v,
}
UNREADABLE = ("bomb", "huge", "drip")


def hostile(kind: str):
    def mutate(real: Reply) -> Reply:
        if kind == "bomb":
            return Reply(real.status, raw=bomb(), headers={"Content-Encoding": "gzip"})
        if kind == "huge":
            return Reply(real.status, raw=b'{"data": "' + b"a" * (4 * CAP) + b'"}')
        body = real.raw if real.raw is not None else json.dumps(real.body).encode()
        if kind == "drip":
            return Reply(real.status, headers=real.headers, raw=body, drip=40)
        if real.raw is not None:
            return real
        changed = _walk(real.body, CHANGES[kind])
        return Reply(real.status, headers=real.headers, raw=json.dumps(changed).encode())

    return Reply(mutate=mutate)


def _turn(chain: Chain, kind: str) -> None:
    for fake in chain.fakes.values():
        fake.fail(hostile(kind), times=10_000)


def _calm(chain: Chain) -> None:
    for fake in chain.fakes.values():
        fake.clear()


ENV = {"LOA_HTTP_DEADLINE": "1.5", "LOA_HTTP_MAX_BYTES": str(CAP)}


@pytest.fixture
def every(tmp_path):
    chain = Chain(tmp_path, platforms=ALL)
    chain.tiktok.app.unaudited = False
    chain.site.units(
        chain.site.content.joinpath("units.yml")
        .read_text(encoding="utf-8")
        .replace('privacy_level: "SELF_ONLY"', 'privacy_level: "PUBLIC_TO_EVERYONE"')
    )
    chain.facebook.app.insights_for = {account("facebook", 1)}
    yield chain
    chain.close()


def _ledger(chain: Chain) -> Ledger:
    ledger = chain.ledger()
    ledger.refresh()
    return ledger


def _safe(text: str) -> bool:
    text.encode("utf-8")  # a lone surrogate raises here
    return not any(c in text for c in "\u2028\u2029\n\r\x00")


def _check_ledger(chain: Chain) -> None:
    with _ledger(chain) as ledger:
        for (_article, platform, _acct, _kind), state in ledger.states().items():
            posted = state.posted
            if posted is None:
                continue
            assert _safe(posted.remote_id), posted
            url = posted.remote_url
            assert _safe(url), posted
            if url:
                parts = urlsplit(url)
                host = parts.hostname or ""
                assert parts.scheme == "https", url
                assert any(host == h or host.endswith("." + h) for h in HOSTS[platform]), url
        for snap in ledger.followers():
            assert isinstance(snap.followers, int) and not isinstance(snap.followers, bool), snap
        for snap in ledger.interactions():
            for value in snap.metrics.values():
                assert isinstance(value, int) and not isinstance(value, bool), snap


@pytest.mark.parametrize("kind", [*CHANGES, *UNREADABLE])
def test_every_platform_hostile(every, kind):
    every.write_article("don-vi-b", "cu", hours_ago=40)
    every.build()
    assert every.loa("syndicate", "publish", "--bootstrap").returncode == 0
    every.write_article("don-vi-a", "truoc", hours_ago=2)
    every.build()
    assert every.loa("syndicate", "publish").returncode == 0

    _turn(every, kind)
    for command in ("followers", "insights"):
        result = every.loa("syndicate", command, env=ENV)
        out = result.stdout + result.stderr
        assert result.returncode == 0, (command, out)
        assert "Traceback" not in out and "không lường trước" not in out, (command, out)

    article = every.write_article("don-vi-a", "sau", hours_ago=1)
    every.build()
    result = every.loa("syndicate", "publish", env=ENV)
    out = result.stdout + result.stderr
    assert "Traceback" not in out, out
    _calm(every)

    accepted: dict[str, int] = {}
    for platform, _owner, link in every.posts():
        if link == every.site_url(article):
            accepted[platform] = accepted.get(platform, 0) + 1
    with _ledger(every) as ledger:
        recorded: dict[str, int] = {}
        for (art, platform, _acct, kind_), state in ledger.states().items():
            if art == article and kind_ == "post" and state.state == POSTED:
                recorded[platform] = recorded.get(platform, 0) + 1
    if kind not in UNREADABLE:
        assert recorded == accepted, (
            "every post the platform accepted is recorded as posted",
            accepted,
            recorded,
            out,
        )
    else:
        for platform, n in recorded.items():
            assert n <= accepted.get(platform, 0)
    _check_ledger(every)
    every.assert_no_canary()


def test_one_odd_count_drops_that_count_not_the_account(every):
    """A platform's answer with one metric of the wrong type keeps the others."""
    every.write_article("don-vi-b", "cu", hours_ago=40)
    every.build()
    assert every.loa("syndicate", "publish", "--bootstrap").returncode == 0
    every.write_article("don-vi-a", "bai", hours_ago=2)
    every.build()
    assert every.loa("syndicate", "publish").returncode == 0
    assert every.loa("syndicate", "insights").returncode == 0
    with _ledger(every) as ledger:
        before = {(*s.key, s.remote_id): s.metrics for s in ledger.interactions() if s.available}

    def one_odd(real: Reply) -> Reply:
        done = []

        def change(key, value):
            odd = key in ("like_count", "likes", "total_count", "reactions", "value", "digg_count")
            if odd and isinstance(value, int) and not done:
                done.append(key)
                return {"nested": value}
            return value

        if real.raw is not None:
            return real
        return Reply(
            real.status, headers=real.headers, raw=json.dumps(_walk(real.body, change)).encode()
        )

    for fake in every.fakes.values():
        fake.fail(Reply(mutate=one_odd), times=10_000)
    result = every.loa("syndicate", "insights")
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr
    _calm(every)
    with _ledger(every) as ledger:
        after: dict = {}
        for s in ledger.interactions():
            if s.available:
                after[(*s.key, s.remote_id)] = s.metrics
    assert before
    for key, metrics in before.items():
        assert key in after, ("the account kept its reading", key)
        if len(metrics) > 1:
            assert after[key], ("the other counts are kept", key, after[key])
    _check_ledger(every)


def test_followers_of_an_odd_type_never_crash_the_reading(every):
    """``int()`` of an object used to crash ``loa syndicate followers`` for every account."""
    _turn(every, "types")
    result = every.loa("syndicate", "followers")
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Traceback" not in out and "không lường trước" not in out, out
    assert "giữ số liệu lần trước" in out
    _calm(every)
    _check_ledger(every)
