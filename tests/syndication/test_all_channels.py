"""The engine's scenarios with every built-in channel (seven) on the department and two units."""

from __future__ import annotations

import json
import signal
import time
from collections import Counter

import pytest

from tests.fakes.server import Reply
from tests.fakes.telegram import too_many_requests
from tests.fakes.tiktok import envelope
from tests.syndication.harness import ALL, SITE, Chain, account, var

ACCOUNTS = 2 * len(ALL)  # each platform on the unit and on the department


@pytest.fixture
def six(tmp_path):
    chain = Chain(tmp_path, platforms=ALL)
    yield chain
    chain.close()


def start(chain: Chain) -> None:
    for n in range(4):
        chain.write_article(["don-vi-a", "don-vi-b"][n % 2], f"cu-{n}", hours_ago=20 * (n + 1))
    chain.build()
    result = chain.loa("syndicate", "publish", "--bootstrap")
    assert result.returncode == 0, result.stdout + result.stderr
    assert chain.post_requests() == 0


def per_account(chain: Chain) -> Counter:
    return Counter((platform, acct) for platform, acct, _ in chain.posts())


def test_first_run_bootstrap_exactly_once_then_nothing(six):
    six.write_article("don-vi-a", "co-truoc", hours_ago=1)
    six.build()
    refused = six.loa("syndicate", "publish")
    assert refused.returncode == 1 and six.requests() == 0
    start(six)
    assert six.requests() == 0, "bootstrap posts nothing"
    new = six.write_article("don-vi-a", "sau-kenh", hours_ago=0.5, tags="[thi đua khen thưởng]")
    six.build()
    first = six.loa("syndicate", "publish")
    assert first.returncode == 0, first.stdout + first.stderr
    posts = six.posts()
    assert len(posts) == ACCOUNTS
    assert {p for p, _, _ in posts} == set(ALL)
    assert all(link == f"{SITE}{new}" for _, _, link in posts), posts
    expected = {(p, account(p, i)) for p in ALL for i in (1, 2)}
    assert set(per_account(six)) == expected and all(n == 1 for n in per_account(six).values())
    before = six.requests()
    assert six.loa("syndicate", "publish").returncode == 0
    assert six.requests() == before, "the second run makes no request at all"
    status = json.loads(six.loa("syndicate", "status", "--format", "json").stdout)
    urls = {
        r["channel"]: r["url"]
        for r in status
        if r["article"] == new and r["account"] in {account(p, 2) for p in ALL}
    }
    assert urls["zalo"].startswith("https://zalo.me/oa/article/")
    assert urls["x"].startswith(f"https://x.com/{account('x', 2)}/status/")
    assert urls["instagram"].startswith("https://www.instagram.com/p/")
    assert urls["tiktok"] == "", "a SELF_ONLY TikTok post has no public address"
    six.assert_no_canary()


def test_rate_limits_wait_when_hinted_else_the_next_run_posts_once(six):
    start(six)
    six.write_article("don-vi-b", "gioi-han", hours_ago=1)
    six.build()
    six.telegram.fail(
        too_many_requests(1),
        match="/send",
    )
    six.x.fail(
        Reply(
            429,
            {"errors": [{"code": 88, "message": "Rate limit exceeded"}]},
            {
                "x-rate-limit-remaining": "0",
                # The server's epoch second, as X sends it: real time, not LOA_NOW.
                "x-rate-limit-reset": str(int(time.time()) + 1),  # clock: allowed
            },
        ),
        match="/2/tweets",
    )
    six.facebook.fail(
        Reply(
            403,
            {
                "error": {
                    "message": "(#4) Application request limit reached",
                    "type": "OAuthException",
                    "code": 4,
                    "is_transient": True,
                }
            },
        ),
        match="/feed",
    )
    six.instagram.fail(
        Reply(
            400,
            {
                "error": {
                    "message": "(#17) User request limit reached",
                    "type": "OAuthException",
                    "code": 17,
                }
            },
        ),
        match="/media",
    )
    six.zalo.fail(
        Reply(429, {"error": -32, "message": "Rate limit exceeded"}), match="/article/create"
    )
    six.tiktok.fail(
        envelope("rate_limit_exceeded", "Too many requests", status=429), match="/content/init/"
    )
    six.threads.fail(
        Reply(
            429,
            {
                "error": {
                    "message": "(#4) Application request limit reached",
                    "type": "OAuthException",
                    "code": 4,
                }
            },
        ),
        match="/threads",
    )
    first = six.loa("syndicate", "publish")
    assert first.returncode == 1
    after_first = per_account(six)
    assert after_first[("telegram", account("telegram", 3))] == 1, (
        "Telegram waited retry_after and posted"
    )
    assert after_first[("x", account("x", 3))] == 1, "X waited until x-rate-limit-reset and posted"
    assert len(after_first) == ACCOUNTS - 5
    second = six.loa("syndicate", "publish")
    assert second.returncode == 0, second.stdout
    assert len(per_account(six)) == ACCOUNTS and all(n == 1 for n in per_account(six).values())


def test_server_errors_are_failed_then_posted_once(six):
    start(six)
    six.write_article("cuc", "loi-500", hours_ago=1)
    six.build()
    for fake in six.fakes.values():
        fake.fail(Reply(503, raw=b"<html>Service Unavailable</html>"), times=2)
    first = six.loa("syndicate", "publish")
    assert first.returncode == 1
    status = json.loads(six.loa("syndicate", "status", "--format", "json").stdout)
    assert {r["state"] for r in status if r["article"] == "/cuc/loi-500/"} <= {"failed", "posted"}
    assert six.loa("syndicate", "publish").returncode == 0
    counts = per_account(six)
    assert len(counts) == len(ALL) and all(n == 1 for n in counts.values()), counts


def test_expired_tokens_fail_only_their_accounts_and_name_their_variables(six):
    start(six)
    six.write_article("don-vi-a", "het-han", hours_ago=1)
    six.build()
    tokens = six.tokens
    six.telegram.app.tokens.discard(tokens[var("TG_TOKEN", "cuc")])
    six.facebook.app.expired.add(tokens[var("FB_TOKEN", "cuc")])
    six.x.app.revoked.add(tokens[var("X_TOKEN", "cuc")])
    six.instagram.app.expired.add(tokens[var("IG_TOKEN", "cuc")])
    six.tiktok.app.expired.add(tokens[var("TT_TOKEN", "cuc")])
    six.zalo.app.expired.add(tokens[var("ZALO_TOKEN", "cuc")])
    six.threads.app.expired.add(tokens[var("TH_TOKEN", "cuc")])
    result = six.loa("syndicate", "publish")
    assert result.returncode == 1
    for name in (
        "TG_TOKEN_CUC",
        "FB_TOKEN_CUC",
        "X_TOKEN_CUC",
        "IG_TOKEN_CUC",
        "TT_TOKEN_CUC",
        "TH_TOKEN_CUC",
    ):
        assert name in result.stdout, name
    counts = per_account(six)
    # the unit's accounts, and Zalo's department account after refreshing its token itself
    assert len(counts) == len(ALL) + 1 and ("zalo", account("zalo", 1)) in counts
    assert six.github.app.secrets[var("ZALO_REFRESH", "cuc")].startswith("zalo-rt-")
    six.assert_no_canary()


def test_crash_between_claim_and_result_is_unknown_until_retried(six):
    start(six)
    article = six.write_article("don-vi-a", "dung-dot-ngot", hours_ago=1)
    six.build()
    # Facebook holds its answer until the test ends, and the run waits for it
    # (a timeout longer than the test): killed while the post is in flight, however slow the machine.
    six.fakes["facebook"].fail(Reply(200, {"id": "1_1"}, delay=600), match="/feed")
    process = six.spawn("syndicate", "publish", env={"LOA_HTTP_TIMEOUT": "600"})
    while not six.facebook.calls("/feed") and process.poll() is None:
        time.sleep(0.05)
    assert six.facebook.calls("/feed"), "the run reached Facebook"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    six.outputs += [process.stdout.read(), process.stderr.read()]
    for fake in six.fakes.values():
        fake.clear()
    again = six.loa("syndicate", "publish")
    assert again.returncode == 0
    assert six.post_requests() == 0
    status = json.loads(six.loa("syndicate", "status", "--format", "json").stdout)
    assert {r["state"] for r in status if r["article"] == article} == {"unknown"}
    retried = six.loa("syndicate", "retry", article)
    assert retried.returncode == 0, retried.stdout + retried.stderr
    status = json.loads(six.loa("syndicate", "status", "--format", "json").stdout)
    assert {r["state"] for r in status if r["article"] == article} == {"posted"}
    assert six.loa("syndicate", "publish").returncode == 0
    six.assert_no_canary()


def test_unaudited_tiktok_app_says_so_and_what_to_do(six):
    six.site.units(
        six.site.content.joinpath("units.yml")
        .read_text(encoding="utf-8")
        .replace(
            'privacy_level: "SELF_ONLY", token_env: "TT_TOKEN_DON_VI_A"',
            'privacy_level: "PUBLIC_TO_EVERYONE", token_env: "TT_TOKEN_DON_VI_A"',
        )
    )
    start(six)
    six.write_article("don-vi-a", "tiktok-cong-khai", hours_ago=1)
    six.build()
    result = six.loa("syndicate", "publish")
    assert result.returncode == 1
    assert (
        "chưa được duyệt (unaudited)" in result.stdout
        and "privacy_level: SELF_ONLY" in result.stdout
    )
    assert len(per_account(six)) == ACCOUNTS - 1


def test_plan_markdown_shows_every_channel_exactly(six):
    start(six)
    six.write_article(
        "don-vi-b",
        "ke-hoach",
        hours_ago=1,
        title="Công đoàn Việt Nam tổ chức hội nghị người lao động",
        tags="[a, b, c, d, e, f, g]",
    )
    six.build()
    plan = six.loa("syndicate", "plan", "--format", "markdown")
    assert plan.returncode == 0
    text = plan.stdout
    for label in ("Facebook", "Zalo OA", "Telegram", "X", "Instagram", "TikTok", "Threads"):
        assert f"<b>{label} " in text, label
    assert "Tiêu đề: Công đoàn Việt Nam tổ chức hội nghị người lao động" in text
    assert "Quyền xem: SELF_ONLY" in text
    assert "Nội dung: " in text and "kết thúc bằng liên kết về bài gốc" in text
    assert six.requests() == 0


def test_followers_are_recorded_for_every_account_and_shown_on_the_statistics_page(
    six, monkeypatch
):
    start(six)
    new = six.write_article("don-vi-a", "co-nguoi-theo-doi", hours_ago=1)
    six.build()
    assert six.loa("syndicate", "publish").returncode == 0
    result = six.loa("syndicate", "followers")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("✓") == 3 * len(ALL)
    lines = [line for line in six.ledger_text().splitlines() if line.startswith('+{"channel"')]
    counts = {json.loads(line[1:])["channel"]: json.loads(line[1:])["followers"] for line in lines}
    assert counts == {
        "telegram": 321,
        "facebook": 1234,
        "zalo": 2024,
        "x": 77,
        "instagram": 456,
        "tiktok": 89,
        "threads": 654,
    }

    # a platform failing keeps the previous snapshot and never fails the deploy
    six.facebook.app.expired.update(
        six.tokens[var("FB_TOKEN", o)] for o in ("cuc", "don-vi-a", "don-vi-b")
    )
    failing = six.loa("syndicate", "followers")
    assert failing.returncode == 0
    assert failing.stdout.count("✗") == 3 and "giữ số liệu lần trước" in failing.stdout

    monkeypatch.setenv("LOA_LEDGER_REMOTE", str(six.remote))
    six.site.build("publishconf.py", LOA_READ_LEDGER=True)
    stats = six.site.read("thong-ke/index.html")
    assert "Người theo dõi các kênh" in stats and ">2024<" in stats and "<svg" in stats
    page = six.site.read(f"{new.strip('/')}/index.html")
    assert (
        "Cũng có trên:" in page
        and "https://zalo.me/oa/article/" in page
        and "https://t.me/kenh_2/" in page
    )
    six.assert_no_canary()
