"""Zalo's single-use refresh tokens: rotated, stored at once, and never printed."""

from __future__ import annotations

import pytest

from tests.syndication.harness import CANARY, Chain, account, var


@pytest.fixture
def zalo(tmp_path):
    chain = Chain(tmp_path, platforms=("zalo",))
    yield chain
    chain.close()


def test_refresh_rotates_every_oa_and_stores_the_new_pair_in_github_secrets(zalo):
    result = zalo.loa("tokens", "refresh", "zalo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("✓") == 3
    stored = zalo.github.app.secrets
    for owner in ("cuc", "don-vi-a", "don-vi-b"):
        assert stored[var("ZALO_REFRESH", owner)].startswith("zalo-rt-")
        assert stored[var("ZALO_TOKEN", owner)].startswith("zalo-at-")
    # the next run (CI reads the updated secrets) can refresh again: the chain keeps working
    env = {name: stored[name] for name in stored}
    again = zalo.loa("tokens", "refresh", "zalo", env=env)
    assert again.returncode == 0, again.stdout
    assert zalo.github.app.secrets[var("ZALO_REFRESH", "cuc")] != env[var("ZALO_REFRESH", "cuc")]
    zalo.assert_no_canary()


def test_a_used_refresh_token_is_refused_with_a_clear_message(zalo):
    assert zalo.loa("tokens", "refresh", "zalo", "--unit", "cuc").returncode == 0
    reused = zalo.loa("tokens", "refresh", "zalo", "--unit", "cuc")
    assert reused.returncode == 1
    assert "ZALO_REFRESH_CUC" in reused.stdout and "cấp quyền lại" in reused.stdout
    zalo.assert_no_canary()


def test_no_store_means_no_refresh_token_is_spent(zalo):
    result = zalo.loa(
        "tokens", "refresh", "zalo", "--unit", "cuc", env={"LOA_GITHUB_SECRETS_TOKEN": ""}
    )
    assert result.returncode == 1
    assert "LOA_GITHUB_SECRETS_TOKEN" in result.stdout
    assert not zalo.zalo.app.used_refresh_tokens, "the refresh token was not used"


def test_file_store_for_running_by_hand(zalo, tmp_path):
    store = tmp_path / "tokens.env"
    result = zalo.loa(
        "tokens", "refresh", "zalo", "--unit", "don-vi-a", env={"LOA_TOKEN_STORE": f"file:{store}"}
    )
    assert result.returncode == 0, result.stdout
    text = store.read_text(encoding="utf-8")
    assert f"{var('ZALO_REFRESH', 'don-vi-a')}=zalo-rt-" in text
    assert oct(store.stat().st_mode)[-3:] == "600"


def test_expired_access_token_is_refreshed_during_publish(zalo):
    for n in range(2):
        zalo.write_article("don-vi-a", f"cu-{n}", hours_ago=30 + n)
    zalo.build()
    assert zalo.loa("syndicate", "publish", "--bootstrap").returncode == 0
    zalo.write_article("don-vi-a", "moi", hours_ago=1)
    zalo.build()
    zalo.zalo.app.expired.add(zalo.tokens[var("ZALO_TOKEN", "don-vi-a")])
    result = zalo.loa("syndicate", "publish")
    assert result.returncode == 0, result.stdout
    assert {p[1] for p in zalo.posts()} == {account("zalo", 1), account("zalo", 2)}
    assert var("ZALO_TOKEN", "don-vi-a") in zalo.github.app.secrets
    assert CANARY not in result.stdout


def test_a_store_that_refuses_writes_never_costs_the_refresh_token(zalo):
    zalo.github.app.writes_before_failing = 0
    result = zalo.loa("tokens", "refresh", "zalo", "--unit", "cuc")
    assert result.returncode == 1
    assert "refresh token vẫn còn dùng được" in result.stdout
    assert not zalo.zalo.app.used_refresh_tokens, "the single-use token was not spent"
    assert "Traceback" not in result.stdout + result.stderr
    zalo.assert_no_canary()


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 200, "raw": b"{}"},
        {"status": 200, "raw": b"[1, 2]"},
        {"status": 200, "raw": b"<html>maintenance</html>"},
        {"status": 200, "raw": b'{"key_id": 5, "key": null}'},
        {"status": 200, "raw": b'{"key_id": "1", "key": "not base64 !!"}'},
        {"status": 500, "raw": b"oops"},
    ],
)
def test_an_unexpected_store_answer_is_one_sentence_and_spends_nothing(zalo, answer):
    from tests.fakes.server import Reply

    zalo.github.fail(Reply(answer["status"], raw=answer["raw"]), match="public-key", times=5)
    result = zalo.loa("tokens", "refresh", "zalo", "--unit", "don-vi-a")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "✗ Zalo OA" in result.stdout
    assert not zalo.zalo.app.used_refresh_tokens
    zalo.assert_no_canary()


def test_a_store_that_fails_after_the_refresh_keeps_the_new_pair_in_a_private_file(zalo, tmp_path):
    # The proving write (the current pair) succeeds; the new pair's write meets an error page.
    zalo.github.app.writes_before_failing = 2
    rescue_dir = tmp_path / "cuu"
    result = zalo.loa(
        "tokens", "refresh", "zalo", "--unit", "cuc", env={"LOA_TOKEN_RESCUE_DIR": str(rescue_dir)}
    )
    assert result.returncode == 1
    (kept,) = rescue_dir.glob("*.env")
    assert str(kept) in result.stdout, "the message says where the new pair is"
    assert oct(kept.stat().st_mode)[-3:] == "600"
    values = dict(line.split("=", 1) for line in kept.read_text(encoding="utf-8").split())
    assert values[var("ZALO_REFRESH", "cuc")].startswith("zalo-rt-")
    assert values[var("ZALO_TOKEN", "cuc")].startswith("zalo-at-")
    for value in values.values():
        assert value not in result.stdout + result.stderr, "never printed"
    assert zalo.zalo.app.used_refresh_tokens, "this time the refresh happened"
    zalo.assert_no_canary()
