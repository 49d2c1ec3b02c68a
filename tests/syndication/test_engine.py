"""The engine's promises, end to end: the real ``loa`` against a bare git remote and the fakes."""

from __future__ import annotations

import json
import signal
import time
from collections import Counter

import pytest

from tests.fakes.server import Reply
from tests.fakes.telegram import too_many_requests

ACCOUNTS_PER_ARTICLE = 4  # the unit's Telegram and Facebook, the department's Telegram and Facebook


def bootstrapped(chain, old: int = 3) -> None:
    for n in range(old):
        chain.write_article("don-vi-a" if n % 2 else "don-vi-b", f"cu-{n}", hours_ago=24 * (n + 1))
    chain.build()
    result = chain.loa("syndicate", "publish", "--bootstrap")
    assert result.returncode == 0, result.stderr + result.stdout


def test_no_ledger_refuses_and_posts_nothing(chain):
    chain.write_article("don-vi-a", "moi", hours_ago=1)
    chain.build()
    result = chain.loa("syndicate", "publish")
    assert result.returncode == 1
    assert "--bootstrap" in result.stderr
    assert "Traceback" not in result.stderr
    assert chain.post_requests() == 0


@pytest.mark.clock
def test_bootstrap_of_fifty_live_articles_posts_nothing_then_one_new_article_once_everywhere(chain):
    for n in range(50):
        chain.write_article(["don-vi-a", "don-vi-b", "cuc"][n % 3], f"cu-{n}", hours_ago=3 * n + 1)
    chain.build()
    boot = chain.loa("syndicate", "publish", "--bootstrap")
    assert boot.returncode == 0, boot.stderr
    assert "không đăng gì" in boot.stdout
    assert chain.post_requests() == 0
    assert chain.loa("syndicate", "publish").returncode == 0
    assert chain.post_requests() == 0, "bootstrapped articles are never posted"

    new = chain.write_article("don-vi-a", "bai-moi", hours_ago=0.5)
    chain.build()
    first = chain.loa("syndicate", "publish")
    assert first.returncode == 0, first.stdout + first.stderr
    posts = chain.posts()
    assert len(posts) == ACCOUNTS_PER_ARTICLE
    assert Counter((p, a) for p, a, _ in posts) == Counter(
        {
            ("telegram", "-100100000002"): 1,
            ("facebook", "100000000002"): 1,
            ("telegram", "-100100000001"): 1,
            ("facebook", "100000000001"): 1,
        }
    )
    assert all(link == f"https://vi-du.example.vn{new}" for _, _, link in posts)

    requests_before = len(chain.telegram.requests) + len(chain.facebook.requests)
    second = chain.loa("syndicate", "publish")
    assert second.returncode == 0
    assert len(chain.telegram.requests) + len(chain.facebook.requests) == requests_before, (
        "a second run makes no request"
    )
    chain.assert_no_canary()


def test_posted_links_are_recorded_and_shown_by_status(chain):
    bootstrapped(chain)
    new = chain.write_article("don-vi-b", "co-lien-ket", hours_ago=1)
    chain.build()
    assert chain.loa("syndicate", "publish").returncode == 0
    status = chain.loa("syndicate", "status", "--format", "json")
    rows = [r for r in json.loads(status.stdout) if r["article"] == new]
    assert len(rows) == ACCOUNTS_PER_ARTICLE
    assert {r["state"] for r in rows} == {"posted"}
    urls = {r["url"] for r in rows}
    assert "https://t.me/kenh_3/1" in urls and any(
        u.startswith("https://www.facebook.com/100000000003/posts/") for u in urls
    )


def test_rate_limit_waits_for_retry_after_then_succeeds(chain):
    bootstrapped(chain)
    chain.write_article("don-vi-a", "cho-doi", hours_ago=1)
    chain.build()
    chain.telegram.fail(
        too_many_requests(1),
        match="sendMessage",
    )
    started = time.monotonic()
    result = chain.loa("syndicate", "publish")
    assert result.returncode == 0, result.stdout
    assert time.monotonic() - started >= 1
    assert len(chain.posts()) == ACCOUNTS_PER_ARTICLE
    assert len(chain.telegram.calls("sendMessage")) == 3, "the throttled call was made again once"


def test_server_error_is_recorded_as_failed_and_posted_once_by_the_next_run(chain):
    bootstrapped(chain)
    article = chain.write_article("don-vi-a", "loi-may-chu", hours_ago=1)
    chain.build()
    # every try of this run fails (the first call and its one retry)
    chain.facebook.fail(
        Reply(
            500,
            {
                "error": {
                    "message": "An unknown error occurred",
                    "type": "OAuthException",
                    "code": 1,
                    "is_transient": True,
                }
            },
        ),
        match="100000000002/feed",
        times=2,
    )
    first = chain.loa("syndicate", "publish")
    assert first.returncode == 1
    assert "Facebook" in first.stdout
    assert len(chain.posts()) == ACCOUNTS_PER_ARTICLE - 1
    status = json.loads(chain.loa("syndicate", "status", "--format", "json").stdout)
    failed = [r for r in status if r["article"] == article and r["state"] == "failed"]
    assert len(failed) == 1 and failed[0]["account"] == "100000000002"
    second = chain.loa("syndicate", "publish")
    assert second.returncode == 0, second.stdout
    assert len(chain.posts()) == ACCOUNTS_PER_ARTICLE
    assert (
        Counter(chain.posts())[("facebook", "100000000002", f"https://vi-du.example.vn{article}")]
        == 1
    )
    third = chain.loa("syndicate", "publish")
    assert third.returncode == 0 and len(chain.posts()) == ACCOUNTS_PER_ARTICLE


def test_expired_token_fails_only_its_account_and_names_its_variable(chain):
    bootstrapped(chain)
    chain.write_article("don-vi-a", "het-han", hours_ago=2)
    chain.write_article("don-vi-b", "het-han-2", hours_ago=1)
    chain.build()
    chain.facebook.app.expired.add(chain.tokens["FB_TOKEN_CUC"])
    result = chain.loa("syndicate", "publish")
    assert result.returncode == 1
    assert "FB_TOKEN_CUC" in result.stdout
    posted = chain.posts()
    assert len(posted) == 2 * ACCOUNTS_PER_ARTICLE - 2
    assert not [p for p in posted if p[1] == "100000000001"]
    assert len(chain.facebook.calls("100000000001/feed")) == 1, (
        "an expired token is not tried again in the same run"
    )
    chain.assert_no_canary()


def test_missing_token_variable_is_named(chain):
    bootstrapped(chain)
    chain.write_article("don-vi-a", "thieu-bien", hours_ago=1)
    chain.build()
    result = chain.loa("syndicate", "publish", env={"TG_TOKEN_DON_VI_A": ""})
    assert result.returncode == 1
    assert "TG_TOKEN_DON_VI_A" in result.stdout
    assert len(chain.posts()) == ACCOUNTS_PER_ARTICLE - 1


def test_crash_between_claim_and_result_never_reposts_until_retry(chain):
    bootstrapped(chain)
    article = chain.write_article("don-vi-a", "dung-giua-chung", hours_ago=1)
    chain.build()
    chain.telegram.fail(
        # held until the test ends; the run waits longer than that: killed mid-post on any machine
        Reply(200, {"ok": True, "result": {"message_id": 99, "chat": {"id": 1}}}, delay=600),
        match="sendMessage",
    )
    process = chain.spawn("syndicate", "publish", env={"LOA_HTTP_TIMEOUT": "600"})
    while not chain.telegram.calls("sendMessage") and process.poll() is None:
        time.sleep(0.05)
    assert chain.telegram.calls("sendMessage"), "the run reached the platform"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    chain.outputs += [process.stdout.read(), process.stderr.read()]

    chain.telegram.clear()
    calls_before = len(chain.facebook.requests)
    again = chain.loa("syndicate", "publish")
    assert again.returncode == 0
    assert not chain.telegram.calls("send") and len(chain.facebook.requests) == calls_before, (
        "nothing is posted again"
    )
    assert "retry" in again.stdout
    status = json.loads(chain.loa("syndicate", "status", "--format", "json").stdout)
    assert {r["state"] for r in status if r["article"] == article} == {"unknown"}

    retried = chain.loa("syndicate", "retry", article, "telegram")
    assert retried.returncode == 0, retried.stdout + retried.stderr
    assert len(chain.telegram.calls("sendMessage")) == 2, (
        "both Telegram accounts of the article, once each"
    )
    status = json.loads(chain.loa("syndicate", "status", "--format", "json").stdout)
    states = {(r["channel"], r["state"]) for r in status if r["article"] == article}
    assert states == {("telegram", "posted"), ("facebook", "unknown")}


def test_two_runs_at_once_post_each_post_once(chain):
    bootstrapped(chain)
    for n in range(3):
        chain.write_article(["don-vi-a", "don-vi-b", "cuc"][n], f"cung-luc-{n}", hours_ago=1 + n)
    chain.build()
    chain.telegram.delay = chain.facebook.delay = 0.2  # both runs are posting at the same time
    runs = [chain.spawn("syndicate", "publish") for _ in range(2)]
    for run in runs:
        run.wait(timeout=600)
        chain.outputs += [run.stdout.read(), run.stderr.read()]
    counts = Counter(chain.posts())
    assert counts, "something was posted"
    assert all(n == 1 for n in counts.values()), counts
    # 3 articles: cuc's go to the department's 2 accounts, the others to 4
    assert len(counts) == 2 * ACCOUNTS_PER_ARTICLE + 2
    claims = [
        line
        for line in chain.ledger_text().splitlines()
        if line.startswith("+{") and '"state":"claimed"' in line
    ]
    assert len(claims) == len(counts), "every post was claimed by exactly one run"
    assert chain.loa("syndicate", "publish").returncode == 0
    assert Counter(chain.posts()) == counts


@pytest.mark.clock
def test_at_most_max_posts_per_run_and_nothing_older_than_max_age(chain):
    bootstrapped(chain)
    for n in range(12):
        chain.write_article("don-vi-b", f"nhieu-{n}", hours_ago=1 + n)
    chain.write_article("don-vi-b", "qua-cu", hours_ago=24 * 8)
    chain.build()
    first = chain.loa("syndicate", "publish")
    assert first.returncode == 0
    assert len({link for _, _, link in chain.posts()}) == 10
    assert "chờ lần chạy sau" in first.stdout
    chain.loa("syndicate", "publish")
    links = {link for _, _, link in chain.posts()}
    assert len(links) == 12
    assert not any("qua-cu" in link for link in links)


def test_dry_run_and_plan_post_nothing_and_show_exact_messages(chain):
    bootstrapped(chain)
    chain.write_article(
        "don-vi-a",
        "xem-truoc",
        hours_ago=1,
        title='"Hội nghị: <b>mới</b> & vui"',
        tags="[thi đua khen thưởng, Đà Nẵng]",
    )
    chain.build()
    dry = chain.loa("syndicate", "publish", "--dry-run")
    assert dry.returncode == 0
    plan = chain.loa("syndicate", "plan", "--format", "markdown")
    assert plan.returncode == 0
    assert "#ThiĐuaKhenThưởng #ĐàNẵng" in plan.stdout
    assert "&lt;b&gt;mới&lt;/b&gt; &amp; vui" in plan.stdout, (
        "Telegram's HTML mode gets escaped text"
    )
    data = json.loads(chain.loa("syndicate", "plan", "--format", "json").stdout)
    assert len(data["posts"]) == ACCOUNTS_PER_ARTICLE
    assert chain.post_requests() == 0
    assert chain.ledger().refresh()


def test_step_summary_is_written_for_ci(chain, tmp_path):
    bootstrapped(chain)
    chain.write_article("cuc", "tom-tat-ci", hours_ago=1)
    chain.build()
    summary = tmp_path / "summary.md"
    assert (
        chain.loa("syndicate", "publish", env={"GITHUB_STEP_SUMMARY": str(summary)}).returncode == 0
    )
    text = summary.read_text(encoding="utf-8")
    assert "| Bài | Kênh | Kết quả |" in text and "đã đăng" in text


def test_unreachable_platform_never_prints_its_token(chain):
    bootstrapped(chain)
    chain.write_article("don-vi-a", "khong-toi-duoc", hours_ago=1)
    chain.build()
    result = chain.loa("syndicate", "publish", env={"LOA_API_BASE_TELEGRAM": "http://127.0.0.1:9"})
    assert result.returncode == 1
    assert "không kết nối được" in result.stdout
    chain.assert_no_canary()
