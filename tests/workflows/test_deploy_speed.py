"""The deploy installs only what each job runs, fetches Decap's bundle alone, and skips idle hours."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import due
import fetch_decap

DEPLOY = REPO / ".github" / "workflows" / "deploy.yml"
# What only the tests and the developers use: none of it may reach a job that holds a token.
TEST_ONLY = {
    "playwright",
    "pytest",
    "pytest-xdist",
    "hypothesis",
    "ruff",
    "zizmor",
    "greenlet",
    "feedparser",
    "vobject",
    "lxml",
    "html5lib",
    "rdflib",
    "extruct",
    "protego",
}


def jobs() -> dict:
    return yaml.safe_load(DEPLOY.read_text(encoding="utf-8"))["jobs"]


def runs(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def holds_secrets(job: dict) -> bool:
    return "secrets." in json.dumps(job)


def make_dry_run(target: str) -> str:
    """The commands ``make`` would run for ``target`` from scratch (-B: every stamp out of date)."""
    result = subprocess.run(
        ["make", "-B", "-n", target], cwd=REPO, capture_output=True, text=True, check=True
    )
    return result.stdout


def runtime_distributions() -> set[str]:
    """Every distribution ``pip install -e .`` brings: loa's requirements without extras, closed."""
    seen: set[str] = set()
    todo = ["loa"]
    while todo:
        name = todo.pop()
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            key = requirement.name.lower().replace("_", "-")
            if key not in seen:
                seen.add(key)
                todo.append(requirement.name)
    return seen


def test_posting_jobs_install_the_runtime_alone_and_no_npm():
    for name, job in jobs().items():
        if not holds_secrets(job):
            continue
        scripts = "\n".join(runs(job))
        assert "npm" not in scripts and "npx" not in scripts, name
        installs = re.findall(r"make (install[\w-]*)", scripts)
        assert installs == ["install-syndicate"], (name, installs)
    plan = make_dry_run("install-syndicate")
    assert "npm" not in plan and "fetch_decap" not in plan
    assert "--only-binary=:all:" in plan  # no package's build script runs beside the tokens
    assert ".[dev]" not in plan and "[test" not in plan


def test_the_runtime_holds_no_test_or_browser_package():
    runtime = runtime_distributions()
    assert {"pelican", "requests", "pyyaml"} <= runtime
    assert not runtime & TEST_ONLY, runtime & TEST_ONLY


def test_the_build_gets_decaps_bundle_without_npms_tree():
    build = jobs()["build"]
    assert "make install-build" in "\n".join(runs(build))
    plan = make_dry_run("install-build")
    assert "scripts/fetch_decap.py" in plan and "npm ci" not in plan
    assert "npm ci" in make_dry_run("install")  # the tests' tree still comes whole


def test_every_setup_python_caches_pips_downloads_keyed_by_the_lock():
    for name, job in jobs().items():
        for step in job["steps"]:
            if str(step.get("uses", "")).startswith("actions/setup-python@"):
                assert step["with"]["cache"] == "pip", name
                assert "requirements.lock" in step["with"]["cache-dependency-path"], name


# -- Decap's tarball -----------------------------------------------------------------


def tarball(members: dict[str, bytes | tuple[str, str]]) -> bytes:
    """A gzipped tar: name → bytes (a file) or ("symlink"|"hardlink", target)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, value in members.items():
            info = tarfile.TarInfo(name)
            if isinstance(value, tuple):
                info.type = tarfile.SYMTYPE if value[0] == "symlink" else tarfile.LNKTYPE
                info.linkname = value[1]
                archive.addfile(info)
            else:
                info.size = len(value)
                archive.addfile(info, io.BytesIO(value))
    return out.getvalue()


def lock_for(tmp_path: Path, data: bytes) -> Path:
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    lock = tmp_path / "package-lock.json"
    lock.write_text(
        json.dumps(
            {
                "packages": {
                    "node_modules/decap-cms": {"version": "3.16.3", "integrity": f"sha512-{digest}"}
                }
            }
        ),
        encoding="utf-8",
    )
    return lock


GOOD = {
    "package/package.json": b'{"name": "decap-cms"}',
    "package/LICENSE": b"MIT",
    "package/dist/decap-cms.js": b"window.CMS = {};",
    "package/dist/12.decap-cms.js": b"chunk",
    "package/dist/ab.wasm": b"\0asm",
    "package/dist/decap-cms.js.LICENSE.txt": b"licences",
    "package/dist/decap-cms.js.map": b"{}",
    "package/dist/cms.js": b"the other build",
    "package/src/index.js": b"source",
}


def test_decap_is_unpacked_from_a_checked_tarball_with_only_what_the_site_serves(tmp_path):
    data = tarball(GOOD)
    source = tmp_path / "decap-cms-3.16.3.tgz"
    source.write_bytes(data)
    target = tmp_path / "node_modules" / "decap-cms"
    report = fetch_decap.fetch(lock_for(tmp_path, data), target, source)
    assert "3.16.3" in report
    found = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert found == [
        "LICENSE",
        "dist/12.decap-cms.js",
        "dist/ab.wasm",
        "dist/decap-cms.js",
        "dist/decap-cms.js.LICENSE.txt",
        "package.json",
    ]


@pytest.mark.parametrize(
    "extra",
    [
        {"package/../../evil.js": b"x"},
        {"/etc/evil.js": b"x"},
        {"package/dist/link.decap-cms.js": ("symlink", "/etc/passwd")},
        {"package/dist/hard.decap-cms.js": ("hardlink", "package/package.json")},
        {"elsewhere/dist/decap-cms.js": b"x"},
    ],
    ids=["dot-dot", "absolute", "symlink", "hardlink", "outside-package"],
)
def test_a_hostile_tarball_is_refused_and_nothing_is_left(tmp_path, extra):
    data = tarball({**GOOD, **extra})
    source = tmp_path / "decap.tgz"
    source.write_bytes(data)
    target = tmp_path / "node_modules" / "decap-cms"
    with pytest.raises(fetch_decap.FetchError, match="không đáng tin"):
        fetch_decap.fetch(lock_for(tmp_path, data), target, source)
    assert not target.exists()
    assert not (tmp_path / "evil.js").exists()
    assert [p.name for p in (tmp_path / "node_modules").iterdir()] == []


def test_a_tarball_that_is_not_the_pinned_one_is_refused(tmp_path):
    data = tarball(GOOD)
    source = tmp_path / "decap.tgz"
    source.write_bytes(tarball({**GOOD, "package/dist/decap-cms.js": b"tampered"}))
    target = tmp_path / "node_modules" / "decap-cms"
    with pytest.raises(fetch_decap.FetchError, match="mã toàn vẹn không khớp"):
        fetch_decap.fetch(lock_for(tmp_path, data), target, source)
    assert not target.exists()
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "fetch_decap.py"),
            "--lock",
            str(lock_for(tmp_path, data)),
            "--into",
            str(target),
            "--tarball",
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


# -- the hourly check ----------------------------------------------------------------

SHA = "f" * 40


def state(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "last-run.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


@pytest.mark.parametrize(
    "content",
    [
        "",
        "not json",
        "[]",
        '{"sha": 1, "next_due": ""}',
        '{"sha": "' + SHA + '"}',
        '{"sha": "' + SHA + '", "next_due": "mai"}',
        b'{"sha": "\xff"}',
        '{"sha": "' + SHA + '", "next_due": ""' + " " * 5000 + "}",
    ],
    ids=["empty", "text", "list", "number", "no-due", "not-a-time", "not-utf8", "huge"],
)
def test_an_unreadable_state_means_run(tmp_path, content):
    run, why = due.decide("schedule", due.HOURLY, SHA, state(tmp_path, content))
    assert run is True and why.startswith("Chạy đầy đủ")


def test_the_hourly_check_skips_only_the_same_commit_before_its_next_due(tmp_path, monkeypatch):
    monkeypatch.setenv("LOA_NOW", "2031-12-31T23:30:00+07:00")
    idle = state(tmp_path, json.dumps({"sha": SHA, "next_due": ""}))
    assert due.decide("schedule", due.HOURLY, SHA, idle)[0] is False
    assert due.decide("schedule", due.HOURLY, "e" * 40, idle)[0] is True  # a new commit
    assert due.decide("push", "", SHA, idle)[0] is True
    assert due.decide("schedule", "17 1 * * *", SHA, idle)[0] is True  # the daily run
    assert due.decide("workflow_dispatch", "", SHA, idle)[0] is True
    assert due.decide("schedule", due.HOURLY, SHA, None)[0] is True
    later = state(tmp_path, json.dumps({"sha": SHA, "next_due": "2032-01-01T00:00:00+07:00"}))
    run, why = due.decide("schedule", due.HOURLY, SHA, later)
    assert run is False and "00:00 01/01/2032" in why
    monkeypatch.setenv("LOA_NOW", "2032-01-01T00:00:00+07:00")
    assert due.decide("schedule", due.HOURLY, SHA, later)[0] is True


def test_the_hourly_check_runs_with_python_alone_and_says_one_line(tmp_path):
    """No virtual environment: the system's Python and the standard library."""
    out = tmp_path / "output"
    path = state(tmp_path, json.dumps({"sha": SHA, "next_due": ""}))
    result = subprocess.run(
        [
            "python3",
            "-I",
            str(REPO / "scripts" / "due.py"),
            "--event",
            "schedule",
            "--schedule",
            due.HOURLY,
            "--sha",
            SHA,
            "--state",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(out)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1 and "bỏ qua" in result.stdout
    assert out.read_text() == "run=false\n"


def test_the_posting_install_is_the_posting_requirements_and_loa_without_its_build():
    plan = make_dry_run("install-syndicate")
    assert "-r requirements-posting.in" in plan
    assert "--no-deps -e ." in plan  # Loa itself, not Pelican, Pillow, Babel or ffmpeg


def test_ffmpeg_is_installed_only_when_a_clip_must_be_encoded():
    assert "imageio-ffmpeg" not in runtime_distributions()  # 165 MB: not in every build
    build = "\n".join(runs(jobs()["build"]))
    guarded = re.search(r'if \[ -n "\$need" \]; then (.*); fi', build)
    assert guarded and "make install-video" in guarded.group(1)
    assert build.count("make install-video") == 1
    assert '.[video]' in make_dry_run("install-video")
