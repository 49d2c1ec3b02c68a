"""``loa syndicate insights`` against every fake: counts as each platform names them, kept per post.

The expected numbers are computed here from what each fake holds, with each
platform's own names (likes, replies, reposts, quotes, impressions...), not
from Loa's code.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from loa import clock
from loa.ledger import latest

from tests.fakes.server import Reply
from tests.syndication.harness import ALL, Chain, account, var


@pytest.fixture
def every(tmp_path):
    chain = Chain(tmp_path, platforms=ALL)
    # TikTok counts need a public post: an audited app and a public account.
    chain.tiktok.app.unaudited = False
    chain.site.units(
        chain.site.content.joinpath("units.yml")
        .read_text(encoding="utf-8")
        .replace('privacy_level: "SELF_ONLY"', 'privacy_level: "PUBLIC_TO_EVERYONE"')
    )
    # Page Insights (views) only for the department's Page: others have fewer than 100 likes.
    chain.facebook.app.insights_for = {account("facebook", 1)}
    yield chain
    chain.close()


def posted(chain: Chain) -> str:
    chain.write_article("don-vi-b", "cu", hours_ago=40)
    chain.build()
    assert chain.loa("syndicate", "publish", "--bootstrap").returncode == 0
    article = chain.write_article("don-vi-a", "duoc-quan-tam", hours_ago=1)
    chain.build()
    result = chain.loa("syndicate", "publish")
    assert result.returncode == 0, result.stdout + result.stderr
    return article


def snapshots(chain: Chain, at: dt.datetime | None = None) -> list:
    """The interaction snapshots on the ledger, read at ``at`` (the runs' clock; a later commit is refused)."""
    saved = os.environ.get(clock.ENV)
    if at is not None:
        os.environ[clock.ENV] = at.isoformat()
    try:
        with chain.ledger() as ledger:
            ledger.refresh()
            return ledger.interactions()
    finally:
        if saved is None:
            os.environ.pop(clock.ENV, None)
        else:
            os.environ[clock.ENV] = saved


def expected(chain: Chain) -> dict[tuple[str, str], dict | None]:
    """{(platform, account, remote id): metrics}, None where the platform offers no counts."""
    out = {}
    fb = chain.facebook.app
    for post in fb.posts:
        c = fb.engagement(post["id"])
        metrics = {"reactions": c["likes"], "comments": c["comments"], "shares": c["shares"]}
        if post["page"] in fb.insights_for:
            metrics["views"] = c["views"]
        out[("facebook", post["page"], post["id"])] = metrics
    ig = chain.instagram.app
    for post in ig.posts:
        c = ig.engagement(post["id"])
        out[("instagram", post["user"], post["id"])] = {
            "reactions": c["likes"],
            "comments": c["comments"],
            "shares": c["shares"],
            "views": c["views"],
        }
    x = chain.x.app
    for post in x.posts:
        c = x.engagement(post["id"])
        out[("x", post["username"], post["id"])] = {
            "reactions": c["likes"],  # like_count
            "comments": c["comments"],  # reply_count
            "shares": c["shares"] + c["quotes"],  # retweet_count + quote_count
            "views": c["views"],  # impression_count
        }
    tt = chain.tiktok.app
    for publish in tt.publishes.values():
        c = tt.engagement(publish["post_id"])
        out[("tiktok", publish["user"], publish["post_id"])] = {
            "reactions": c["likes"],
            "comments": c["comments"],
            "shares": c["shares"],
            "views": c["views"],
        }
    th = chain.threads.app
    for post in th.posts:
        c = th.engagement(post["id"])
        out[("threads", post["user"], post["id"])] = {
            "reactions": c["likes"],  # likes
            "comments": c["comments"],  # replies
            "shares": c["shares"] + c["quotes"],  # reposts + quotes + shares (0)
            "views": c["views"],
        }
    for post in chain.telegram.app.posts:
        out[("telegram", post["chat_id"], str(post["message_id"]))] = None
    for post in chain.zalo.app.posts:
        out[("zalo", post["oa"], post["id"])] = None
    return out


def test_insights_for_every_channel_unavailable_is_not_zero_and_a_failure_keeps_the_last(every):
    article = posted(every)
    result = every.loa("syndicate", "insights")
    assert result.returncode == 0, result.stdout + result.stderr
    taken = snapshots(every)
    want = expected(every)
    assert len(taken) == len(want) == 2 * len(ALL)
    for snap in taken:
        assert snap.article == article and snap.unit == "don-vi-a"
        metrics = want[(snap.channel, snap.account, snap.remote_id)]
        if metrics is None:
            assert snap.available is False and snap.metrics == {}, snap
            assert snap.interactions is None
        else:
            assert snap.available and snap.metrics == metrics, (snap.channel, snap.metrics, metrics)
    assert "không ghi số 0" in result.stdout

    # a second reading: new counts appended, "unavailable" not written again
    for fake in (every.instagram, every.x):
        for key in list(fake.app.counts):
            fake.app.counts[key] = {k: v + 10 for k, v in fake.app.counts[key].items()}
    # Instagram fails this time (an expired token): its last snapshot stands
    for owner in ("cuc", "don-vi-a", "don-vi-b"):
        every.instagram.app.expired.add(every.tokens[var("IG_TOKEN", owner)])
    again = every.loa("syndicate", "insights")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.count("giữ số liệu lần trước") == 2  # the two Instagram accounts
    after = snapshots(every)
    assert sum(1 for s in after if not s.available) == 4, "unavailable is written once per post"
    newest = latest(after)
    for snap in newest.values():
        if snap.channel == "instagram":
            assert snap.metrics == want[(*snap.key[1:], snap.remote_id)], "the last snapshot stands"
        if snap.channel == "x":
            assert (
                snap.metrics["reactions"] == want[(*snap.key[1:], snap.remote_id)]["reactions"] + 10
            )
    every.assert_no_canary()


def test_insights_read_only_recent_posts_and_never_fail_the_deploy(every):
    posted(every)
    later = clock.now() + dt.timedelta(days=45)
    quiet = every.loa("syndicate", "insights", env={clock.ENV: later.isoformat()})
    assert quiet.returncode == 0
    assert "Không có bài nào đăng trong 30 ngày qua." in quiet.stdout
    assert snapshots(every, later) == []
    wider = every.loa("syndicate", "insights", "--days", "60", env={clock.ENV: later.isoformat()})
    assert wider.returncode == 0 and len(snapshots(every, later)) == 2 * len(ALL)
    # every platform down: the command still exits 0 and says what it kept
    for fake in every.fakes.values():
        fake.fail(Reply(503, raw=b"<html>busy</html>"), times=50)
    down = every.loa("syndicate", "insights", "--days", "60", env={clock.ENV: later.isoformat()})
    assert down.returncode == 0, down.stdout + down.stderr
    assert "Traceback" not in down.stdout + down.stderr
    assert "giữ số liệu lần trước" in down.stdout
