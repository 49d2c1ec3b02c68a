"""An article keeps its identity across any rename and retitle: the ``id`` in its front matter.

``loa new`` writes an ``id`` (the newsroom's form has the field too); the
ledger records it with every post. Renaming the file *and* changing the title
in one commit — no old file name, no old date-and-title to match — must not
post the article again. Older articles without an ``id`` keep the fallbacks.
"""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO
from tests.syndication.test_engine import ACCOUNTS_PER_ARTICLE, bootstrapped

ID = "7c1e4b0a-5f2d-4e61-9a3b-2d8f6c0e9b14"


def test_rename_and_retitle_together_does_not_repost(chain):
    bootstrapped(chain)
    article = chain.write_article("don-vi-b", "da-dang", hours_ago=1, id=ID)
    chain.build()
    assert chain.loa("syndicate", "publish").returncode == 0
    assert len(chain.posts()) == ACCOUNTS_PER_ARTICLE
    source = next((chain.site.content / "articles" / "don-vi-b").glob("*-da-dang.md"))
    text = source.read_text(encoding="utf-8").replace(
        "title: Bài da-dang", "title: Tiêu đề mới hẳn"
    )
    assert "Tiêu đề mới hẳn" in text
    source.unlink()
    (source.parent / source.name.replace("da-dang", "ten-khac-han")).write_text(
        text, encoding="utf-8"
    )
    chain.build()
    run = chain.loa("syndicate", "publish")
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(chain.posts()) == ACCOUNTS_PER_ARTICLE, "the same article, not a new one"
    status = chain.loa("syndicate", "status")
    assert "/don-vi-b/ten-khac-han/" in status.stdout and "đã đăng" in status.stdout
    assert article != "/don-vi-b/ten-khac-han/"


def test_a_new_article_under_another_id_is_posted(chain):
    bootstrapped(chain)
    chain.write_article("don-vi-b", "mot", hours_ago=1, id=ID)
    chain.build()
    assert chain.loa("syndicate", "publish").returncode == 0
    chain.write_article("don-vi-b", "hai", hours_ago=0.5, id=ID.replace("7c1e", "8d2f"))
    chain.build()
    assert chain.loa("syndicate", "publish").returncode == 0
    assert len(chain.posts()) == 2 * ACCOUNTS_PER_ARTICLE


def test_loa_new_writes_an_id(sample_site):
    command = [sys.executable, "-m", "loa.cli", "new", "--unit", "van-phong-cuc"]
    result = subprocess.run(
        [*command, "--title", "Bài thử", "--author", "Nguyễn Văn An"],
        cwd=sample_site.root,
        env={"PYTHONPATH": str(REPO / "plugins"), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    made = next(sample_site.content.rglob("*bai-thu.md"))
    found = re.search(r"^id: ([0-9a-f-]{36})$", made.read_text(encoding="utf-8"), re.M)
    assert found, made.read_text(encoding="utf-8")


def test_the_newsroom_form_has_the_id_field():
    from loa.frontmatter.fields import ARTICLE

    assert "id" in [f.name for f in ARTICLE]
