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
