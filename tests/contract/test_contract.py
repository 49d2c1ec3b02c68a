"""Every request Loa sends is one the platform's own specification allows.

The fakes check each request against ``specs/<platform>.json`` (extracts of the
platforms' machine-readable descriptions and official SDKs; docs/contracts.md) and
refuse, in the platform's words, what the specification refuses. So:

- a whole posting run (a text article, a cover, a 12-photo album, insights,
  followers, a token refresh) against every fake must raise no finding; the test
  prints how many requests and shapes were checked;
- a wrong parameter or an over-long text planted into each platform's request must
  be refused by its fake, with the finding naming the parameter.
"""

from __future__ import annotations

import collections
import dataclasses
import types

import pytest
from loa.syndication.channels.base import ADAPTERS, PostRef
from loa.syndication.http import Http, PostError
from loa.syndication.manifest import ManifestArticle
from loa.syndication.secrets import Secrets
from loa.units import Channel

from tests.fakes.contract import RECORD, load
from tests.fakes.server import Request
from tests.syndication.harness import ALL, FAKES, SITE, Chain
from tests.syndication.test_albums import bootstrapped, write_album

# -- the whole posting run ---------------------------------------------------------------------


@pytest.fixture
def every(tmp_path):
    chain = Chain(tmp_path, platforms=ALL)
    yield chain
    chain.close()


def _figures(chain: Chain) -> tuple[int, set, list]:
    checks = [c for fake in chain.fakes.values() for c in fake.checks]
    shapes = {(c.platform, c.shape) for c in checks}
    findings = [(c.platform, c.method, c.path, p) for c in checks for p in c.problems]
    return len(checks), shapes, findings


def test_a_whole_posting_run_sends_only_what_the_specifications_allow(every):
    chain = every
    bootstrapped(chain)
    chain.write_article("don-vi-a", "chi-chu", hours_ago=2)
    chain.write_article(
        "don-vi-a",
        "co-anh-bia",
        hours_ago=1.5,
        image="images/don-vi-a/album/01.jpg",
        image_alt="Ảnh bìa",
    )
    write_album(chain, "don-vi-a", "hoi-thao")
    chain.build()
    published = chain.loa("syndicate", "publish")
    assert published.returncode == 0, published.stdout + published.stderr
    for command in (("syndicate", "followers"), ("tokens", "refresh", "zalo")):
        result = chain.loa(*command)
        assert result.returncode == 0, result.stdout + result.stderr
    insights = chain.loa("syndicate", "insights")
    assert insights.returncode == 0, insights.stdout + insights.stderr

    requests, shapes, findings = _figures(chain)
    per_platform = collections.Counter(p for p, _ in shapes)
    print(
        f"\ncontract: {requests} requests checked, {len(shapes)} request shapes "
        f"({', '.join(f'{p} {n}' for p, n in sorted(per_platform.items()))}), "
        f"{len(findings)} findings"
    )
    assert not findings, findings
    # every platform was really exercised: posting, and followers where the API has them
    assert set(per_platform) == set(ALL)
    posted = {name for name, *_ in chain.posts()}
    assert posted == set(ALL)
    assert requests >= 150, requests


# -- planted defects -----------------------------------------------------------------------------

ARTICLE = ManifestArticle(
    id="/don-vi-a/bai-thu/",
    url=f"{SITE}/don-vi-a/bai-thu/",
    title="Hội nghị người lao động",
    summary="Hội nghị bàn về quyền lợi của người lao động.",
    unit="don-vi-a",
    date="2026-11-20T08:00:00+07:00",
    tags=("thi đua",),
    image=f"{SITE}/social/don-vi-a.jpg",
    image_alt="Ảnh hội nghị",
    social_image=f"{SITE}/social/don-vi-a.jpg",
    html="<p>Nội dung.</p>",
)

# Where each platform's text lives in the request the adapter sends, and how long it may be.
TEXT = {
    "telegram": (("caption",), 1024),
    "facebook": (("message",), 63206),
    "instagram": (("caption",), 2200),
    "threads": (("text",), 500),
    "x": (("text",), 280),
    "tiktok": (("post_info", "description"), 4000),
    "zalo": (("description",), 300),
}


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    built = Chain(tmp_path_factory.mktemp("contract"), platforms=ALL)
    yield built
    built.close()


@pytest.fixture
def adapter(chain, monkeypatch):
    """An adapter of owner 1 (the department) pointed at its fake, in this process."""
    for key, value in chain.env.items():
        if key.startswith("LOA_API_BASE_"):
            monkeypatch.setenv(key, value)

    def make(name: str):
        fake = FAKES[name]
        channel = Channel(name, fake.account(1), fake.channel("cuc", 1), "cuc")
        secrets = Secrets(chain.tokens)
        config = types.SimpleNamespace(poll_attempts=50, poll_seconds=0.02)
        return ADAPTERS[name](channel, Http(secrets), secrets, {"config": config})

    return make


def _set(fields: dict, path: tuple[str, ...], value) -> dict:
    fields = dict(fields)
    if len(path) == 1:
        fields[path[0]] = value
    else:
        fields[path[0]] = _set(fields[path[0]], path[1:], value)
    return fields


def _post(chain, adapter, name: str, plant) -> tuple[bool, list[str]]:
    """Render, plant a defect in the request fields, post; (posted, the fake's findings)."""
    account = adapter(name)
    message = account.render(ARTICLE)
    message = dataclasses.replace(message, fields=plant(dict(message.fields)))
    fake = chain.fakes[name]
    fake.clear()
    try:
        account.post(message)
        posted = True
    except PostError:
        posted = False
    return posted, [p for c in fake.checks for p in c.problems]


@pytest.mark.parametrize("name", ALL)
def test_the_unplanted_request_passes(chain, adapter, name):
    posted, findings = _post(chain, adapter, name, lambda fields: fields)
    assert posted and not findings, findings


@pytest.mark.parametrize("name", ALL)
def test_a_planted_wrong_parameter_is_refused(chain, adapter, name):
    posted, findings = _post(chain, adapter, name, lambda f: {**f, "caption_text": "sai tên"})
    assert not posted
    assert any("caption_text: unknown parameter" in p for p in findings), findings


@pytest.mark.parametrize("name", ALL)
def test_a_planted_over_long_text_is_refused(chain, adapter, name):
    path, limit = TEXT[name]
    # Emoji-heavy where the platform's unit counts them more than once (UTF-16, bytes, weight)
    text = ("Người lao động 👷 " * (limit // 10 + 20))[: limit + 1]
    posted, findings = _post(chain, adapter, name, lambda f: _set(f, path, text))
    assert not posted
    assert any(path[-1] in p and "more than" in p for p in findings), findings


def test_x_insights_work_with_the_older_description_too(chain, adapter):
    """2.167 renamed ``tweet.fields`` to ``post.fields``: one refused ask, then the older name."""
    fake = chain.fakes["x"]
    account = adapter("x")
    article = dataclasses.replace(
        ARTICLE,
        id="/don-vi-a/bai-khac/",
        url=f"{SITE}/don-vi-a/bai-khac/",
        summary="Một bài khác, để X không coi là trùng.",
    )
    receipt = account.post(account.render(article))
    current = account.insights([PostRef(article.id, receipt.remote_id)])
    assert current[receipt.remote_id]["reactions"] >= 0
    old = load("x").version("2.159")
    fake.app.contract, saved = old, fake.app.contract
    fake.clear()
    try:
        older = account.insights([PostRef(article.id, receipt.remote_id)])
    finally:
        fake.app.contract = saved
    assert older == current
    asked = [c for c in fake.checks if c.shape == "GET /2/tweets"]
    assert [bool(c.problems) for c in asked] == [True, False]
    assert "post.fields: unknown parameter" in asked[0].problems[0]


def test_the_x_upload_sends_only_fields_every_description_defines():
    x = load("x")
    request = Request(
        "POST",
        "/2/media/upload",
        {},
        {},
        b"",
        None,
        {"media_category": "tweet_image"},
        {"media": ("anh.jpg", b"\xff\xd8", "image/jpeg")},
    )
    for version in ("2.167", "2.159"):
        assert x.version(version).check(request).ok, version
    request.form["media_type"] = "image/jpeg"  # what Loa sent before: 2.167 forbids it
    assert "body.media_type: unknown parameter" in x.version("2.167").check(request).problems


def test_every_extract_names_its_source_and_every_check_is_recorded():
    for name in ALL:
        data = load(name).data
        assert data["sources"], name
        for source in data["sources"]:
            assert (
                ("repo" in source and len(source["commit"]) == 40)
                or "doc" in source
                or "collection" in source
            )
    assert isinstance(RECORD.snapshot(), list)


# -- TikTok: creator_info/query before each post, its options obeyed -------------------------------


def test_tiktok_asks_creator_info_before_each_post(chain, adapter):
    fake = chain.fakes["tiktok"]
    account = adapter("tiktok")
    fake.clear()
    account.post(account.render(ARTICLE))
    asked = [r.path.rsplit("/", 3)[-3] for r in fake.requests if r.method == "POST"]
    assert asked[:2] == ["creator_info", "content"], asked


def test_tiktok_refuses_in_vietnamese_when_the_creator_cannot_post(chain, adapter):
    fake = chain.fakes["tiktok"]
    user = FAKES["tiktok"].account(1)
    fake.app.cannot_post[user] = "spam_risk_too_many_posts"
    fake.clear()
    try:
        with pytest.raises(PostError) as refused:
            adapter("tiktok").post(adapter("tiktok").render(ARTICLE))
    finally:
        del fake.app.cannot_post[user]
    assert "không cho @tiktok.1 đăng bài lúc này" in refused.value.message
    assert "bài chưa được đăng" in refused.value.message
    assert not fake.calls("/content/init/"), "nothing is posted when the creator cannot post"


def test_tiktok_privacy_level_must_be_one_of_the_creators_options(chain, adapter):
    fake = chain.fakes["tiktok"]
    user = FAKES["tiktok"].account(1)
    fake.app.privacy_options[user] = ["PUBLIC_TO_EVERYONE", "FOLLOWER_OF_CREATOR"]
    fake.clear()
    try:
        with pytest.raises(PostError) as refused:
            adapter("tiktok").post(adapter("tiktok").render(ARTICLE))
    finally:
        del fake.app.privacy_options[user]
    assert refused.value.error_class == "config"
    assert "privacy_level “SELF_ONLY”" in refused.value.message
    assert "PUBLIC_TO_EVERYONE, FOLLOWER_OF_CREATOR" in refused.value.message
    assert not fake.calls("/content/init/")


def test_tiktok_turns_comments_off_when_the_creator_did(chain, adapter):
    fake = chain.fakes["tiktok"]
    user = FAKES["tiktok"].account(1)
    fake.app.comment_disabled.add(user)
    fake.clear()
    try:
        adapter("tiktok").post(
            adapter("tiktok").render(
                dataclasses.replace(ARTICLE, summary="Bài không cho bình luận.")
            )
        )
    finally:
        fake.app.comment_disabled.discard(user)
    sent = fake.calls("/content/init/")[0].json["post_info"]
    assert sent["disable_comment"] is True
