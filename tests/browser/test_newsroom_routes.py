"""The preview's accounts are the plan's: 20 articles × ``syndicate`` (a list, ``false``, absent).

The sample's units (every platform, units with and without accounts of their
own) get 20 generated articles, each written three times: with a random list
of platforms (some the unit has not), with ``syndicate: false`` and without the
field. The site is built; ``loa syndicate plan --format json`` says which
accounts each article goes to; the newsroom's preview, in Chromium, computes
its list from the routing facts the same build wrote into ``loa-config.json``.
Both must name the same accounts, in the same order.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys

import pytest
from loa import platforms
from loa.cms.plugin import STATIC
from loa.units.registry import parse as parse_registry

from tests.conftest import NOW, REPO, SiteMaker

pytestmark = pytest.mark.browser

ARTICLES = 20


def article(title: str, when: dt.datetime, syndicate) -> str:
    lines = [
        "---",
        f"title: {title}",
        f"date: {when:%Y-%m-%d %H:%M}",
        "author: Lê Thị Hoa",
        f"summary: Tóm tắt của bài “{title}”.",
    ]
    if syndicate is False:
        lines.append("syndicate: false")
    elif syndicate is not None:
        lines.append(f"syndicate: [{', '.join(syndicate)}]")
    return "\n".join([*lines, "---", "", "Nội dung.", ""])


def test_the_preview_names_exactly_the_accounts_loa_syndicate_plan_posts_to(browser, tmp_path):
    units_text = (REPO / "content" / "units.yml").read_text(encoding="utf-8")
    registry = parse_registry(units_text)
    rng = random.Random(27)
    site = SiteMaker(tmp_path / "site")
    site.units(units_text)
    for conf in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(REPO / conf, site.root / conf)
    with (site.root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nLOA_SYNDICATION = {**LOA_SYNDICATION, "max_posts_per_run": 1000}\n')
    written: dict[str, object] = {}  # article id -> its syndicate setting
    slugs = [unit.slug for unit in registry.all()]
    local_now = NOW.astimezone(dt.timezone(dt.timedelta(hours=7))).replace(tzinfo=None)
    for n in range(ARTICLES):
        unit = rng.choice(slugs)
        chosen = rng.sample(platforms.names(), rng.randint(1, 4))
        for kind, setting in (("ds", chosen), ("khong", False), ("mac-dinh", None)):
            slug = f"bai-{n}-{kind}"
            when = local_now - dt.timedelta(hours=1 + n, minutes=rng.randint(0, 50))
            site.write(
                f"articles/{unit}/{when:%Y-%m-%d}-{slug}.md",
                article(f"Bài {n} {kind}", when, setting),
            )
            written[f"/{unit}/{slug}/"] = (unit, setting)
    site.build(SITEURL="https://tin.example.vn", LOA_CMS={"repo": "union/site"})

    result = subprocess.run(
        [sys.executable, "-m", "loa.cli", "syndicate", "plan", "--format", "json", "--no-ledger"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LOA_NOW": NOW.isoformat()},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    plan = json.loads(result.stdout)
    planned: dict[str, list] = {key: [] for key in written}
    for post in plan["posts"]:
        planned[post["article"]].append([post["channel"], post["account"]])
    assert not plan.get("too_old") and not plan.get("future")

    payload = json.loads((site.output / "quan-tri" / "loa-config.json").read_text("utf-8"))
    page = browser.new_page()
    page.add_script_tag(content=(STATIC / "loa-routes.js").read_text(encoding="utf-8"))
    cases = [[key, unit, setting] for key, (unit, setting) in written.items()]
    previewed = page.evaluate(
        """([units, cases]) => cases.map(([key, unit, setting]) =>
             [key, LoaRoutes.routes(units[unit], setting).map(c => [c.platform, c.account])])""",
        [payload["data"]["units"], cases],
    )
    page.close()
    assert dict(previewed) == planned
    # The three settings all occur, and they differ where they should.
    assert sum(1 for (_, s), accounts in zip(written.values(), planned.values(), strict=True) if s is False and not accounts) == ARTICLES
    assert any(accounts for accounts in planned.values())
    assert len({len(a) for a in planned.values()}) > 2
