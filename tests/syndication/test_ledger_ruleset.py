"""``loa ledger ruleset`` reads the repository's rulesets from (a local fake of) GitHub's API
and says in Vietnamese what still lets someone other than the deploy write the ledger."""

from __future__ import annotations

import copy
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.fakes.github import GitHubFake
from tests.fakes.server import FakeServer

TOKEN = "ghp-ADMIN-7f3a9c-SECRET"

GOOD = {
    "id": 42,
    "name": "Sổ ghi chỉ lần triển khai được ghi",
    "target": "branch",
    "source_type": "Repository",
    "source": "vi-du/loa",
    "enforcement": "active",
    "conditions": {"ref_name": {"include": ["refs/heads/loa-ledger"], "exclude": []}},
    "rules": [{"type": "update"}, {"type": "deletion"}, {"type": "non_fast_forward"}],
    "bypass_actors": [{"actor_id": None, "actor_type": "DeployKey", "bypass_mode": "always"}],
}


def variant(**change) -> list[dict]:
    ruleset = copy.deepcopy(GOOD)
    ruleset.update(change)
    return [ruleset]


CASES = {
    "không có bộ quy tắc": ([], "Chưa có bộ quy tắc"),
    "chỉ cho nhánh main": (
        variant(conditions={"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}}),
        "Chưa có bộ quy tắc",
    ),
    "mọi nhánh trừ sổ ghi": (
        variant(conditions={"ref_name": {"include": ["~ALL"], "exclude": ["refs/heads/loa-*"]}}),
        "Chưa có bộ quy tắc",
    ),
    "chỉ đánh giá": (variant(enforcement="evaluate"), "chưa có hiệu lực"),
    "thiếu chặn đẩy đè": (
        variant(rules=[{"type": "update"}, {"type": "deletion"}]),
        "Block force pushes",
    ),
    "thiếu chặn cập nhật": (
        variant(rules=[{"type": "deletion"}, {"type": "non_fast_forward"}]),
        "Restrict updates",
    ),
    "không ai được miễn": (variant(bypass_actors=[]), "Deploy keys"),
    "quản trị viên cũng được miễn": (
        variant(
            bypass_actors=[
                *GOOD["bypass_actors"],
                {"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "always"},
            ]
        ),
        "vai trò trong kho",
    ),
}


@pytest.fixture
def github():
    server = FakeServer(GitHubFake("vi-du/loa", TOKEN)).start()
    yield server
    server.stop()


def ruleset(github, token: str = TOKEN) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("LOA_", "GITHUB_"))},
        "PYTHONPATH": os.pathsep.join([str(REPO / "plugins"), str(REPO)]),
        "GITHUB_REPOSITORY": "vi-du/loa",
        "LOA_GITHUB_ADMIN_TOKEN": token,
        "LOA_API_BASE_GITHUB": github.base_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "loa.cli", "ledger", "ruleset"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("case", list(CASES))
def test_each_gap_in_the_ruleset_is_named(github, case):
    rulesets, expected = CASES[case]
    github.app.rulesets = rulesets
    run = ruleset(github)
    assert run.returncode == 1, run.stdout + run.stderr
    assert expected in run.stdout, run.stdout
    assert "Traceback" not in run.stdout + run.stderr and TOKEN not in run.stdout + run.stderr


def test_a_ruleset_only_the_deploy_key_bypasses_passes(github):
    github.app.rulesets = variant()
    run = ruleset(github)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "được bảo vệ đủ" in run.stdout
    # The full ruleset was read (the list alone holds no rules nor bypass actors).
    assert github.calls("/rulesets/42")


def test_a_token_that_cannot_read_rulesets_gets_one_sentence(github):
    github.app.rulesets = variant()
    run = ruleset(github, token="ghp-wrong")
    assert run.returncode == 1 and "Administration: read" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
