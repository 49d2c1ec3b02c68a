"""Only the deploy writes the ledger: forged, unsigned, rewritten and rolled-back histories are refused.

Any repository writer can push to the ledger branch (a unit admin, a newsroom
user's token). Each attack below is made the way such a writer would make it —
commits pushed straight to the remote — and each must leave the ledger
refused: nothing posted, one sentence naming the commit and what to do, and
the build showing the last verified state.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from loa import clock
from loa.ledger import INTERACTIONS_FILE, POSTS_FILE, SIGNING_KEY_ENV

from tests.ledgerkeys import SigningKey
from tests.syndication.test_engine import ACCOUNTS_PER_ARTICLE, bootstrapped

BRANCH = "refs/heads/loa-ledger"


def git(chain, *args: str, stdin: str | None = None, env: dict | None = None) -> str:
    """A git command on the ledger's bare remote (what a writer's push changes)."""
    return subprocess.run(
        ["git", "--git-dir", str(chain.remote), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "GIT_AUTHOR_NAME": "ke-xau",
            "GIT_AUTHOR_EMAIL": "ke-xau@example.com",
            "GIT_COMMITTER_NAME": "Loa",
            "GIT_COMMITTER_EMAIL": "loa@users.noreply.github.com",
            **(env or {}),
        },
    ).stdout.strip()


def tip(chain) -> str:
    return git(chain, "rev-parse", BRANCH)


def files(chain, commit: str) -> dict[str, str]:
    out = {}
    for line in git(chain, "ls-tree", commit).splitlines():
        name = line.split("\t", 1)[1]
        out[name] = git(chain, "cat-file", "blob", f"{commit}:{name}") + "\n"
    return out


def push(
    chain,
    change,
    *,
    key: SigningKey | None = None,
    when: dt.datetime | None = None,
    parent: str | None = None,
) -> str:
    """Commit ``change(files)`` on top of ``parent`` (the tip) and move the branch to it; the commit."""
    parent = parent or tip(chain)
    texts = change(files(chain, parent))
    entries = []
    for name, text in sorted(texts.items()):
        blob = git(chain, "hash-object", "-w", "--stdin", stdin=text)
        entries.append(f"100644 blob {blob}\t{name}\n")
    tree = git(chain, "mktree", stdin="".join(entries))
    signing = (
        ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key.path}", "commit-tree", "-S"]
        if key
        else ["commit-tree"]
    )
    moment = (when or clock.now()).isoformat()
    commit = git(
        chain,
        *signing,
        tree,
        "-p",
        parent,
        "-m",
        "loa: số người theo dõi",
        env={"GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment},
    )
    git(chain, "update-ref", BRANCH, commit)
    return commit


def posted(chain) -> tuple[str, str]:
    """Bootstrap, then post one article everywhere; (its id, the ledger tip after the bootstrap)."""
    bootstrapped(chain)
    after_bootstrap = tip(chain)
    article = chain.write_article("don-vi-b", "da-dang", hours_ago=1)
    chain.build()
    assert chain.loa("syndicate", "publish").returncode == 0
    assert len(chain.posts()) == ACCOUNTS_PER_ARTICLE
    return article, after_bootstrap


def without(article: str):
    def change(texts):
        texts[POSTS_FILE] = "".join(
            line + "\n" for line in texts[POSTS_FILE].splitlines() if article not in line
        )
        return texts

    return change


def forged_count(article: str):
    def change(texts):
        line = {
            "article": article,
            "channel": "facebook",
            "account": "999",
            "unit": "don-vi-b",
            "remote_id": "1_1",
            "time": clock.utc_iso(),
            "available": True,
            "metrics": {"reactions": 999_999_999_999},
        }
        texts[INTERACTIONS_FILE] = texts.get(INTERACTIONS_FILE, "") + json.dumps(line) + "\n"
        return texts

    return change


def reordered(texts):
    lines = texts[POSTS_FILE].splitlines()
    texts[POSTS_FILE] = "".join(line + "\n" for line in reversed(lines))
    return texts


def appended_line(texts):
    texts[POSTS_FILE] += texts[POSTS_FILE].splitlines()[-1] + "\n"
    return texts


def assert_refused(chain, run, commit: str) -> None:
    """Nothing posted again; one sentence naming the commit; no traceback."""
    assert run.returncode == 1, run.stdout + run.stderr
    said = run.stdout + run.stderr
    assert "Traceback" not in said
    assert "Sổ ghi bị từ chối" in said and commit[:12] in said, said
    assert len(chain.posts()) == ACCOUNTS_PER_ARTICLE, "posted again on a forged ledger's word"


ATTACKS = {
    # name: (change, signed by the deploy's key?, how far in the future)
    "không ký, xoá dòng của bài": (None, False, 0),
    "không ký, làm giả lượt tương tác": ("forged", False, 0),
    "ký bằng khoá khác, xoá dòng": (None, "other", 0),
    "ký đúng khoá, xoá dòng": (None, True, 0),
    "ký đúng khoá, đổi thứ tự dòng": (reordered, True, 0),
    "ký đúng khoá, ghi ngày tương lai": (appended_line, True, 400),
}


@pytest.mark.parametrize("how", list(ATTACKS))
def test_a_history_the_deploy_did_not_write_is_refused(chain, how):
    article, _ = posted(chain)
    change, signed, days = ATTACKS[how]
    change = forged_count(article) if change == "forged" else change or without(article)
    key = chain.key if signed is True else SigningKey.make(chain.root / "khac") if signed else None
    when = clock.now() + dt.timedelta(days=days) if days else None
    bad = push(chain, change, key=key, when=when)
    chain.write_article("don-vi-a", "bai-moi", hours_ago=0.5)
    chain.build()
    run = chain.loa("syndicate", "publish")
    assert_refused(chain, run, bad)
    assert chain.post_requests() == ACCOUNTS_PER_ARTICLE, "not even the new article: nothing posts"

    # The build shows the last verified state: the article keeps its links,
    # a forged count shows nowhere.
    copy = chain.root / "ban-sao"
    exported = chain.loa("ledger", "export", str(copy))
    assert exported.returncode == 0 and bad[:12] in exported.stdout, exported.stdout
    assert article in (copy / POSTS_FILE).read_text(encoding="utf-8")
    assert "999999999999" not in (copy / INTERACTIONS_FILE).read_text(encoding="utf-8")
    chain.assert_no_canary()


def test_a_rolled_back_branch_is_refused_and_putting_the_tip_back_heals_it(chain):
    article, after_bootstrap = posted(chain)
    verified = tip(chain)
    # Force-pushed back to the deploy's own earlier, validly signed commit:
    # every signature holds, but the posts of the article are forgotten.
    git(chain, "update-ref", BRANCH, after_bootstrap)
    run = chain.loa("syndicate", "publish")
    assert_refused(chain, run, after_bootstrap)
    assert verified[:12] in run.stdout + run.stderr, "names the tip to put back"
    # Putting the verified tip back, as the sentence says, heals it.
    git(chain, "update-ref", BRANCH, verified)
    again = chain.loa("syndicate", "publish")
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(chain.posts()) == ACCOUNTS_PER_ARTICLE
    assert article


def test_a_force_pushed_history_signed_again_is_refused(chain):
    """Rewritten from the bootstrap on, every commit signed: still not the history Loa saw."""
    article, after_bootstrap = posted(chain)
    rewritten = push(chain, appended_line, key=chain.key, parent=after_bootstrap)
    run = chain.loa("syndicate", "publish")
    assert_refused(chain, run, rewritten)
    assert article


def test_a_deleted_branch_is_refused_not_bootstrapped(chain):
    posted(chain)
    verified = tip(chain)
    git(chain, "update-ref", "-d", BRANCH)
    run = chain.loa("syndicate", "publish")
    assert run.returncode == 1 and verified[:12] in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert len(chain.posts()) == ACCOUNTS_PER_ARTICLE


def test_without_a_remembered_tip_the_whole_chain_is_verified(chain):
    """The remembered tip lost (a new runner, the cache evicted): every commit is checked from the first."""
    article, _ = posted(chain)
    bad = push(chain, without(article))
    # An honest commit of the deploy on top does not launder the forged one.
    chain.write_article("don-vi-a", "sau-do", hours_ago=0.5)
    chain.build()
    state = chain.root / "trang-thai-moi"
    run = chain.loa("syndicate", "publish", env={"LOA_LEDGER_STATE": str(state)})
    assert_refused(chain, run, bad)


def test_the_deploy_signs_with_a_key_file_it_removes_and_never_prints(chain, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    bootstrapped(chain)
    chain.write_article("don-vi-a", "ky", hours_ago=1)
    chain.build()
    # ssh-keygen as git calls it to sign: note the mode of the key file it is given.
    wrapper = tmp_path / "bin"
    wrapper.mkdir()
    seen = tmp_path / "modes.txt"
    real = shutil.which("ssh-keygen")
    (wrapper / "ssh-keygen").write_text(
        "#!/bin/sh\nprev=\"\"\nfor a in \"$@\"; do\n"
        f'  if [ "$prev" = "-f" ] && [ -f "$a" ]; then echo "$(stat -c %a "$a") $a" >> {seen}; fi\n'
        '  prev="$a"\ndone\n'
        f'exec {real} "$@"\n',
        encoding="utf-8",
    )
    (wrapper / "ssh-keygen").chmod(0o755)
    path = f"{wrapper}{os.pathsep}{os.environ['PATH']}"
    run = chain.loa("syndicate", "publish", env={"TMPDIR": str(scratch), "PATH": path})
    assert run.returncode == 0, run.stdout + run.stderr
    keys = [line.split() for line in seen.read_text().splitlines() if "loa-sign-" in line]
    assert keys and {mode for mode, _ in keys} == {"600"}, keys
    assert not any(Path(name).exists() for _, name in keys), "the key file is removed after"
    assert not [p for p in scratch.rglob("*") if "sign" in p.name or p.name == "key"], list(
        scratch.rglob("*")
    )
    log = git(chain, "log", "--format=%G?", BRANCH)
    assert log and set(log.split()) == {"N"}, "git without the signers file cannot check them"
    shown = git(
        chain,
        "-c",
        "gpg.format=ssh",
        "-c",
        f"gpg.ssh.allowedSignersFile={chain.site.root / '.github' / 'ledger-signers'}",
        "log",
        "--format=%G?",
        BRANCH,
    )
    assert set(shown.split()) == {"G"}, "every ledger commit signed by the deploy's key"
    chain.assert_no_canary()


def test_without_the_key_nothing_is_written_and_nothing_posts(chain):
    bootstrapped(chain)
    before = tip(chain)
    chain.write_article("don-vi-a", "khong-khoa", hours_ago=1)
    chain.build()
    run = chain.loa("syndicate", "publish", env={SIGNING_KEY_ENV: ""})
    assert run.returncode == 1 and SIGNING_KEY_ENV in run.stdout + run.stderr
    assert chain.post_requests() == 0 and tip(chain) == before


def test_without_a_public_key_in_the_repository_nothing_posts(chain):
    (chain.site.root / ".github" / "ledger-signers").write_text("# chưa có khoá\n", encoding="utf-8")
    chain.write_article("don-vi-a", "chua-co-khoa", hours_ago=1)
    chain.build()
    chain.loa("syndicate", "publish", "--bootstrap")
    # The first write has nothing to verify, but every read after it does.
    run = chain.loa("syndicate", "publish")
    assert run.returncode == 1 and "ledger-signers" in run.stdout + run.stderr
    assert chain.post_requests() == 0


def test_the_build_reading_the_branch_shows_the_last_verified_state(chain, loa_log):
    article, _ = posted(chain)
    chain.build_with_ledger()
    page = chain.site.output / article.strip("/") / "index.html"
    assert "Cũng có trên" in page.read_text(encoding="utf-8")
    bad = push(chain, without(article))
    chain.build_with_ledger()
    assert "Cũng có trên" in page.read_text(encoding="utf-8"), "the last verified state"
    assert bad[:12] in loa_log()


def test_a_rollback_is_refused_under_a_trusted_root_too(chain):
    """A trusted root (a reviewed repair) forgets the tip remembered before it — never the ones after."""
    article, after_bootstrap = posted(chain)
    with open(chain.site.root / "pelicanconf.py", "a", encoding="utf-8") as conf:
        conf.write(f'LOA_SYNDICATION["ledger_trusted_root"] = "{after_bootstrap}"\n')
    first = chain.loa("syndicate", "publish")
    assert first.returncode == 0, first.stdout + first.stderr
    git(chain, "update-ref", BRANCH, after_bootstrap)
    run = chain.loa("syndicate", "publish")
    assert_refused(chain, run, after_bootstrap)
    assert article
