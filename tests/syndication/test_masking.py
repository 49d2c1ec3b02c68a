"""No token, whole or in part, in any output: stdout, the CI summary, the ledger — success answers included."""

from __future__ import annotations

import re

import pytest
from loa import masking

from tests.fakes.server import Reply
from tests.fakes.telegram import error
from tests.syndication.harness import CANARY, var
from tests.syndication.test_engine import ACCOUNTS_PER_ARTICLE, bootstrapped


@pytest.fixture
def secret_words(monkeypatch):
    monkeypatch.setattr(masking, "_KNOWN", set())
    monkeypatch.setattr(masking, "_windows", set())
    return masking


def test_every_run_of_eight_characters_of_a_secret_is_masked(secret_words):
    secret_words.remember("123456:AAE-bot-secret-half-x9")
    text = "lỗi AAE-bot-secret (đuôi half-x9) mã 123456 và toàn bộ 123456:AAE-bot-secret-half-x9"
    masked = secret_words.mask(text)
    assert "AAE-bot-secret" not in masked and "123456:AAE" not in masked
    assert "half-x9" in masked, "seven characters are not a secret"
    assert "mã 123456 " in masked, "six characters are not a secret"
    assert masked.count("***") == 2
    secret_words.remember("a b/c=d+e&f?g")
    assert "a%20b%2Fc%3Dd%2Be%26f%3Fg" not in secret_words.mask("q=a%20b%2Fc%3Dd%2Be%26f%3Fg")


def test_a_mask_is_linear_and_leaves_other_text_alone(secret_words):
    secret_words.remember("zzzzzzzzzzzzzzzz")
    text = "Công đoàn " * 50_000
    assert secret_words.mask(text) == text


def run_leaks(chain, pieces: list[str]) -> list[str]:
    """Where any of ``pieces`` shows: printed output, the CI summary, the ledger, the site."""
    found = []
    for text in chain.outputs:
        found += [f"output: {p}" for p in pieces if p in text]
    ledger = chain.ledger_text()
    found += [f"ledger: {p}" for p in pieces if p in ledger]
    return found


def test_a_token_echoed_in_a_success_answer_reaches_no_output(chain, tmp_path):
    bootstrapped(chain)
    token = chain.tokens[var("FB_TOKEN", "don-vi-b")]
    echoed = token[5:21]  # sixteen characters from inside the token
    chain.facebook.fail(Reply(200, {"id": f"100000000003_{echoed}"}), match="/feed")
    chain.write_article("don-vi-b", "moi", hours_ago=1)
    chain.build()
    summary = tmp_path / "summary.md"
    result = chain.loa("syndicate", "publish", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0, result.stdout
    assert len(chain.posts()) == ACCOUNTS_PER_ARTICLE - 1  # the faked answer made no post
    status = chain.loa("syndicate", "status")
    chain.outputs.append(summary.read_text(encoding="utf-8"))
    assert run_leaks(chain, [echoed, echoed[:8], echoed[-8:]]) == []
    assert "***" in result.stdout + status.stdout
    chain.assert_no_canary()


def test_the_secret_half_of_a_telegram_token_is_masked_in_an_error(chain, tmp_path):
    bootstrapped(chain)
    token = chain.tokens[var("TG_TOKEN", "cuc")]
    half = token.split(":", 1)[1]
    chain.telegram.fail(error(401, f"Unauthorized: token …{half[:12]}… revoked"), match="/send")
    chain.write_article("don-vi-a", "moi", hours_ago=1)
    chain.build()
    summary = tmp_path / "summary.md"
    result = chain.loa("syndicate", "publish", env={"GITHUB_STEP_SUMMARY": str(summary)})
    chain.outputs.append(summary.read_text(encoding="utf-8"))
    assert result.returncode == 1
    assert run_leaks(chain, [half[:12], half[:8], half[4:12]]) == []
    assert CANARY not in result.stdout


HOSTILE_TITLE = "Tin @to-chuc/ban-thuong-vu ![x](https://ke-xau.example/p.png) [bấm](https://ke-xau.example) <img src=x> | cột | #12"


def test_a_title_written_into_markdown_is_plain_text(chain, tmp_path):
    from loa.mdtext import escape

    bootstrapped(chain)
    chain.write_article("don-vi-b", "tieu-de", hours_ago=1, title=f'"{HOSTILE_TITLE}"')
    chain.build()
    plan = chain.loa("syndicate", "plan", "--format", "markdown").stdout
    summary = tmp_path / "summary.md"
    chain.loa("syndicate", "publish", env={"GITHUB_STEP_SUMMARY": str(summary)})
    for text in (plan, summary.read_text(encoding="utf-8")):
        assert escape(HOSTILE_TITLE) in text
        # What a code fence holds is shown, never rendered: the rest must be plain.
        rendered = re.sub(r"(`{3,})text\n.*?\n\1", "", text, flags=re.DOTALL)
        for raw in ("@to-chuc", "![x](", "[bấm](", "<img", "#12"):
            assert raw not in rendered, (raw, rendered)
    rows = [
        line for line in summary.read_text(encoding="utf-8").splitlines() if line.startswith("| ")
    ]
    assert all(line.count(" | ") == 2 for line in rows[1:]), "the title never adds a column"


def test_escape_keeps_the_words():
    from loa.mdtext import escape

    text = escape("Hội nghị CĐS&TTDL: *quan trọng* @ai #1 <b> a|b")
    assert "CĐS&amp;TTDL" in text and "\\*quan trọng\\*" in text and "\\|" in text
    assert "@\u2060ai" in text and "#\u20601" in text and "&lt;b\\>" in text
