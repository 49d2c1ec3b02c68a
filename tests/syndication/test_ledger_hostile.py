"""Ledger files with bytes that are not UTF-8, ids with line separators, answers of the wrong type,
and pushes that keep failing: a bad line is a broken line, never a crash nor a silent loss."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess

import pytest
from loa import clock
from loa.ledger import (
    FOLLOWERS_FILE,
    INTERACTIONS_FILE,
    POSTS_FILE,
    Entry,
    FollowerSnapshot,
    InteractionSnapshot,
    parse_interactions,
    read_lines,
)
from loa.ledger.ledger import parse_followers

from tests.fakes.server import Reply
from tests.syndication.test_engine import ACCOUNTS_PER_ARTICLE, bootstrapped
from tests.syndication.test_ledger_trust import BRANCH, posted, tip


def append_bytes(chain, name: str, raw: bytes) -> str:
    """Append ``raw`` to one ledger file in a commit signed by the deploy's key (so only the bytes are wrong)."""

    def git(*args: str, data: bytes | None = None) -> bytes:
        moment = clock.now().isoformat()
        return subprocess.run(
            ["git", "--git-dir", str(chain.remote), *args],
            input=data,
            capture_output=True,
            check=True,
            env={
                **os.environ,
                "GIT_AUTHOR_NAME": "Loa",
                "GIT_AUTHOR_EMAIL": "loa@example.com",
                "GIT_COMMITTER_NAME": "Loa",
                "GIT_COMMITTER_EMAIL": "loa@example.com",
                "GIT_AUTHOR_DATE": moment,
                "GIT_COMMITTER_DATE": moment,
            },
        ).stdout.strip()

    parent = tip(chain)
    rows = []
    names = {
        line.split(b"\t", 1)[1].decode(): line.split()[2].decode()
        for line in git("ls-tree", parent).splitlines()
    }
    for file in sorted({*names, name}):
        old = git("cat-file", "blob", names[file]) + b"\n" if file in names else b""
        blob = git("hash-object", "-w", "--stdin", data=old + raw if file == name else old)
        rows.append(f"100644 blob {blob.decode()}\t{file}\n")
    tree = git("mktree", data="".join(rows).encode()).decode()
    commit = git(
        "-c", "gpg.format=ssh", "-c", f"user.signingkey={chain.key.path}",
        "commit-tree", "-S", tree, "-p", parent, "-m", "loa: ghi thêm",
    ).decode()  # fmt: skip
    git("update-ref", BRANCH, commit)
    return commit


BAD_BYTES = {
    "Windows-1258": "Công đoàn\n".encode("cp1258"),
    "byte lẻ": b'{"article": "/x/\xff/", "channel": "telegram"}\n',
    "NUL và byte cao": b"\x00\xfe\xfd\n",
}


@pytest.mark.parametrize("name", [POSTS_FILE, FOLLOWERS_FILE, INTERACTIONS_FILE])
@pytest.mark.parametrize("how", list(BAD_BYTES))
def test_bytes_that_are_not_utf8_in_any_ledger_file_are_a_broken_line_not_a_crash(chain, name, how):
    article, _ = posted(chain)
    append_bytes(chain, name, BAD_BYTES[how])
    copy = chain.root / "ban-sao"
    exported = chain.loa("ledger", "export", str(copy))
    said = exported.stdout + exported.stderr
    assert exported.returncode == 0 and "Traceback" not in said, said
    assert article in (copy / POSTS_FILE).read_text(encoding="utf-8")
    run = chain.loa("syndicate", "publish")
    said = run.stdout + run.stderr
    assert "Traceback" not in said and "UnicodeDecodeError" not in said, said
    assert len(chain.posts()) == ACCOUNTS_PER_ARTICLE, "nothing posted again"
    status = chain.loa("syndicate", "status")
    assert "Traceback" not in status.stdout + status.stderr
    if name == POSTS_FILE:
        # A broken line: named by status (file and line), never skipped in silence.
        assert status.returncode == 1 and "posts.jsonl, dòng" in status.stderr, status.stderr
    else:
        assert run.returncode == 0, said


SEPARATORS = ["\u2028", "\u2029", "\x85", "\r"]


@pytest.mark.parametrize("sep", SEPARATORS)
def test_a_line_separator_inside_an_id_never_splits_a_line(sep):
    when = clock.utc_iso()
    entry = Entry("/a/b/", "telegram", "@kenh", "posted", when, remote_id=f"1{sep}2")
    snap = InteractionSnapshot("/a/b/", "telegram", "@kenh", "a", f"1{sep}2", when, {"views": 3})
    follow = FollowerSnapshot("telegram", f"@ke{sep}nh", "a", 5, when)
    for text in (entry.to_json(), snap.to_json(), follow.to_json()):
        assert "\u2028" not in text and "\u2029" not in text and "\x85" not in text
        assert len(text.splitlines()) == 1
    assert read_lines(entry.to_json() + "\n")[0][0].remote_id == f"1{sep}2"
    assert parse_interactions(snap.to_json() + "\n")[0].remote_id == f"1{sep}2"
    assert parse_followers(follow.to_json() + "\n")[0].account == f"@ke{sep}nh"


def test_entries_of_unknown_platforms_or_from_the_future_are_broken_lines():
    now = clock.now()
    good = Entry("/a/b/", "telegram", "@kenh", "posted", now.isoformat()).to_json()
    text = "\n".join(
        [
            good,
            Entry("/a/c/", "myspace", "@kenh", "posted", now.isoformat()).to_json(),
            Entry("/a/d/", "telegram", "@kenh", "posted", "9999-12-31T00:00:00+00:00").to_json(),
            Entry(
                "/a/e/", "telegram", "@kenh", "posted", (now + dt.timedelta(days=2)).isoformat()
            ).to_json(),
            Entry("/a/f/", "telegram", "@kenh", "posted", "hôm qua").to_json(),
        ]
    )
    entries, problems = read_lines(text)
    assert [e.article for e in entries] == ["/a/b/"]
    assert [p.article for p in problems] == ["/a/c/", "/a/d/", "/a/e/", "/a/f/"]


def test_five_push_conflicts_never_drop_the_readings_in_silence(chain):
    bootstrapped(chain)
    before = tip(chain)
    hook = chain.remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'cập nhật bị từ chối' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    run = chain.loa("syndicate", "followers")
    said = run.stdout + run.stderr
    assert run.returncode == 1, said
    assert "chưa được ghi" in said and "Traceback" not in said, said
    assert tip(chain) == before


def test_a_follower_answer_of_the_wrong_type_fails_only_its_account(chain):
    bootstrapped(chain)
    chain.telegram.fail(
        Reply(200, {"ok": True, "result": {"count": 5}}), match="getChatMemberCount", times=50
    )
    run = chain.loa("syndicate", "followers")
    said = run.stdout + run.stderr
    assert run.returncode == 0 and "Traceback" not in said, said
    assert said.count("✗") == 3 and said.count("✓") == 3, said
    with chain.ledger() as ledger:
        ledger.refresh()
        assert {s.channel for s in ledger.followers()} == {"facebook"}
