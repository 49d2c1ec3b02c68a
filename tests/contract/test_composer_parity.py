"""One composer: the newsroom's preview is what ``loa syndicate plan`` will send, in Node.

How a post is composed is data (``loa.platforms.compose`` and each record's
recipe in ``loa.platforms.builtin``); the adapters run it in Python, the build
writes it into ``/quan-tri/loa-config.json`` and ``cms/static/loa-plan.js``
interprets it. Here, with no browser:

- every platform × 200 generated articles (emoji with ZWJ sequences, skin tones,
  flags and keycaps; joiners; Vietnamese tone marks typed NFC and NFD; long
  links; HTML-like text; albums and covers; texts long enough to be cut): the
  adapter's ``render`` in Python and ``LoaPlan.render`` fed the built site's
  ``loa-config.json`` give the same text, title, count, limit and words; the
  counters and the hashtags agree on the 200 texts themselves;
- the preview's accounts (``loa-routes.js`` over the same config) equal
  ``loa syndicate plan``'s for every article of the sample site and for added
  ones with ``syndicate: false``, a list of channels, a single channel, ``true``.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import unicodedata

import pytest
import yaml
from loa import platforms
from loa.cms.config import preview_data
from loa.frontmatter.fields import TITLE_MAX
from loa.platforms.compose import COUNTERS, compose, hashtag, lead_text
from loa.syndication.channels import ADAPTERS
from loa.syndication.manifest import ManifestArticle
from loa.units.registry import parse as parse_registry

from tests.conftest import NOW, REPO, SiteMaker

STATIC = REPO / "plugins" / "loa" / "cms" / "static"
NODE = shutil.which("node")
DECAP = REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
pytestmark = pytest.mark.skipif(
    NODE is None, reason="Node.js is missing: .ci/run and `make install` install it (Debian nodejs)"
)
TEXTS = 200
SITE_URL = "https://tin.example.vn"

# -- generated text -----------------------------------------------------------------------------

WORDS = [
    "công",
    "đoàn",
    "cục",
    "đoàn",
    "viên",
    "người",
    "lao",
    "động",
    "hội",
    "nghị",
    "tổng",
    "kết",
    "năm",
    "chuyển",
    "đổi",
    "số",
    "dữ",
    "liệu",
    "tài",
    "nguyên",
    "môi",
    "trường",
    "thi",
    "đua",
    "khen",
    "thưởng",
    "giải",
    "chạy",
    "hiến",
    "máu",
    "Đà",
    "Nẵng",
    "Hà",
    "Nội",
    "phúc",
    "lợi",
    "Tết",
    "sum",
    "vầy",
    "an",
    "toàn",
    "thông",
    "tin",
    "nữ",
    "công",
    "văn",
    "hoá",
    "đọc",
    "Nghệ",
    "An",
    "Quảng",
    "Ngãi",
    "Huế",
    "Bắc",
    "Kạn",
    "ủy",
    "ban",
    "ưu",
    "tiên",
    "chị",
    "Hường",
    "Nguyễn",
    "Thị",
    "Ánh",
    "Tuyết",
    "2026",
    "1.000.000đ",
    "24/7",
    "20/10",
    "ĐOÀN",
    "KẾT",
]
EMOJI = (
    "🎉", "👍🏽", "✊🏿", "👨‍👩‍👧", "👷🏽‍♀️", "🧑🏻‍💻", "🏳️‍🌈", "❤️", "1️⃣", "#️⃣",
    "🇻🇳", "☀", "✔️", "🫶🏼", "😀", "🤝",
)  # fmt: skip
JOINERS = ("\u200d", "\u200c", "\u2060", "công\u200dđoàn", "a\u200c\u200db")
MARKS = (
    "&",
    "<3",
    "<b>đậm</b>",
    "&amp;",
    "“trích”",
    "—",
    "…",
    "#CôngĐoàn",
    "@cong_doan",
    "(1)",
    ",",
    ".",
)


def link(rng: random.Random) -> str:
    path = "-".join(
        rng.choice(("van-ban", "luat", "cong-doan", "nghi-dinh", "2024", "qd"))
        for _ in range(rng.randint(2, 40))
    )
    tail = rng.choice(("", "/", "?id=1203&lang=vi", "#muc-3", "/chi-tiet.html?a=1&b=%C4%90"))
    return rng.choice(("https://", "http://", "HTTPS://")) + rng.choice(("thuvienphapluat.vn", "chinhphu.vn", "laodong.vn")) + "/" + path + tail  # fmt: skip


def text(rng: random.Random, words: int) -> str:
    """``words`` tokens: mostly Vietnamese (some typed decomposed), emoji, joiners, links, marks."""
    out = []
    for _ in range(words):
        roll = rng.random()
        if roll < 0.1:
            out.append(rng.choice(EMOJI) * rng.choice((1, 1, 1, 3)))
        elif roll < 0.13:
            out.append(rng.choice(JOINERS))
        elif roll < 0.17:
            out.append(link(rng))
        elif roll < 0.24:
            out.append(rng.choice(MARKS))
        else:
            word = rng.choice(WORDS)
            out.append(unicodedata.normalize("NFD", word) if rng.random() < 0.15 else word)
    joined = " ".join(out).strip()
    return unicodedata.normalize("NFD", joined) if rng.random() < 0.15 else joined


def generated_articles(count: int = TEXTS) -> list[ManifestArticle]:
    rng = random.Random(20261203)
    made = []
    for n in range(count):
        # X's and Threads' counters are slow in Python: their leads stay under ~130 words;
        # the long ones (to reach 2,200 and 4,000) go to the other platforms' own texts.
        lead = text(rng, rng.choice((2, 6, 15, 40, 90, 130)))
        long = text(rng, rng.choice((300, 450, 800)))
        other = text(rng, rng.choice((5, 30)))
        social = rng.choice(
            (
                None,
                lead,
                {"x": lead, "telegram": lead, "threads": lead},
                dict.fromkeys(("facebook", "zalo", "telegram", "instagram", "tiktok"), long),
                {"x": "", "zalo": lead, "tiktok": long},
            )
        )
        made.append(
            ManifestArticle(
                id=f"/van-phong-cuc/bai-{n}/",
                url=f"{SITE_URL}/van-phong-cuc/bai-{n}{'-rat-dai' * rng.choice((0, 0, 3, 18))}/",
                title=text(rng, rng.choice((1, 4, 12, 30, 140))),
                summary=lead if social is None else other,
                unit="van-phong-cuc",
                date="2026-11-26T08:00:00+07:00",
                tags=tuple(text(rng, rng.randint(1, 3)) for _ in range(rng.choice((0, 1, 3, 8)))),
                image=rng.choice(("", f"{SITE_URL}/images/a.jpg")),
                social_text=social,
                source=rng.choice(
                    ("", "", "Báo Lao Động", "Cổng <TTĐT> & “Chính phủ”", text(rng, 3))
                ),
                gallery=tuple(
                    {"url": f"{SITE_URL}/images/album/{k}.jpg", "alt": f"Ảnh {k}"}
                    for k in range(rng.choice((0, 0, 1, 2, 3, 12, 40)))
                ),
            )
        )
    return made


def as_js(article: ManifestArticle) -> dict:
    """The article as the newsroom's preview holds it."""
    return {
        "title": article.title,
        "summary": article.summary,
        "social_text": article.social_text,
        "tags": list(article.tags),
        "source": article.source,
        "image": article.image,
        "gallery": list(article.gallery),
        "url": article.url,
    }


def node(script: str, data) -> object:
    """Run ``script`` in Node with loa-plan.js and loa-routes.js loaded; ``input`` is ``data``."""
    code = (
        f"require({json.dumps(str(STATIC / 'loa-plan.js'))});"
        f"require({json.dumps(str(STATIC / 'loa-routes.js'))});"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        f"process.stdout.write(JSON.stringify((() => {{ {script} }})()));"
    )
    result = subprocess.run(
        [NODE, "-e", code],
        check=False,
        input=json.dumps(data),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# -- the sample site, built once, and its plan --------------------------------------------------

EXTRA = {  # articles added to the sample: slug -> (unit, syndicate as written)
    "khong-dang": ("van-phong-cuc", False),
    "chi-telegram-x": ("van-phong-cuc", ["telegram", "x"]),
    "chi-zalo": ("trung-tam-du-lieu", ["Zalo"]),
    "mot-kenh": ("cong-doan-cuc", "threads"),
    "moi-kenh": ("trung-tam-thong-tin", True),
    "danh-sach-rong": ("trung-tam-cong-nghe", []),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample site plus EXTRA, built with the real settings; its plan as JSON."""
    root = tmp_path_factory.mktemp("composer") / "site"
    site = SiteMaker(root)
    shutil.rmtree(site.content)
    shutil.copytree(REPO / "content", site.content)
    for conf in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(REPO / conf, root / conf)
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nLOA_SYNDICATION = {**LOA_SYNDICATION, "max_posts_per_run": 1000}\n')
    day = NOW.astimezone(NOW.tzinfo).date()
    for n, (slug, (unit, setting)) in enumerate(EXTRA.items()):
        front = {
            "title": f"Bài thử kênh {n}: đoàn viên 🎉",
            "date": f"{day:%Y-%m-%d} 00:0{n}",
            "author": "Lê Thị Hoa",
            "summary": "Tóm tắt có dấu thanh và một đường dẫn https://chinhphu.vn/a-b.",
            "tags": ["công đoàn", "thi đua"],
            "syndicate": setting,
        }
        site.write(
            f"articles/{unit}/{day:%Y-%m-%d}-{slug}.md",
            "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\nNội dung.\n",
        )
    site.build(SITEURL=SITE_URL, LOA_CMS={"repo": "union/site"})
    manifest = json.loads((site.output / "loa" / "manifest.json").read_text(encoding="utf-8"))
    ids = [a["id"] for a in manifest["articles"]]
    args = [a for i in ids for a in ("--article", i)]  # named: planned whatever their age
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "loa.cli",
            "syndicate",
            "plan",
            "--format",
            "json",
            "--no-ledger",
            *args,
        ],
        cwd=root,
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "LOA_NOW": NOW.isoformat()},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    written = site.output / "quan-tri" / "loa-config.json"
    if DECAP.is_file():
        payload = json.loads(written.read_text(encoding="utf-8"))
    else:  # no Decap in node_modules, no newsroom page: the same data, made as the build makes it
        registry = parse_registry((root / "content" / "units.yml").read_text(encoding="utf-8"))
        settings = site.settings(SITEURL=SITE_URL)
        payload = json.loads(json.dumps({"data": preview_data(registry, settings)}))
    return {
        "root": root,
        "manifest": manifest,
        "plan": json.loads(result.stdout),
        "config": payload,
    }


# -- the composer -------------------------------------------------------------------------------


def test_every_platform_composes_the_same_post_in_python_and_in_the_newsroom(built):
    records = built["config"]["data"]["platforms"]
    registry = parse_registry((REPO / "content" / "units.yml").read_text(encoding="utf-8"))
    channels = {c.platform: c for c in registry.department.channels}
    names = [name for name in platforms.names() if platforms.get(name).compose]
    assert set(names) >= {"facebook", "zalo", "telegram", "x", "instagram", "tiktok", "threads"}
    assert all(records[name]["compose"] for name in names), "a recipe missing from the config"
    samples = generated_articles()
    js = node(
        "return Object.fromEntries(input.names.map(n =>"
        "  [n, input.articles.map(a => LoaPlan.render(n, a, input.records[n]))]));",
        {"names": names, "articles": [as_js(a) for a in samples], "records": records},
    )
    cut: dict[str, int] = {}
    for name in names:
        record = platforms.get(name)
        adapter = ADAPTERS[name](channels[name], None, None)
        for article, result in zip(samples, js[name], strict=True):
            message = adapter.render(article)  # what `loa syndicate plan` prints and the run sends
            composed = compose(article, name)
            where = (name, article.id)
            assert result["text"] == message.text, where
            assert result["title"] == composed.title, where
            if name in ("zalo", "tiktok"):
                assert result["title"] == message.title, where
            assert result["count"] == record.text.count(message.text), where
            assert result["limit"] == composed.limit, where
            if len(article.title) <= TITLE_MAX:  # what loa check lets through fits
                assert result["count"] <= result["limit"], where
            assert result["measure"] == record.text.unit, where  # loa check's words
            cut[name] = cut.get(name, 0) + (lead_text(article, name) not in message.text)
    # The generated texts reach every limit that text can reach (Facebook's 63,206 aside).
    assert all(cut[n] >= 5 for n in names if n != "facebook"), cut


def test_the_counters_and_hashtags_agree_on_the_generated_texts():
    rng = random.Random(31)
    texts = [text(rng, rng.choice((1, 3, 10, 60, 300))) for _ in range(TEXTS)]
    names = {"length": "length", "utf16": "utf16Length", "telegram": "telegramLength",
             "x": "xWeightedLength", "threads": "threadsLength"}  # fmt: skip
    assert set(names) == set(COUNTERS)
    js = node(
        "return input.texts.map(t => [Object.fromEntries(Object.entries(input.names)"
        "  .map(([k, f]) => [k, LoaPlan[f](t)])), LoaPlan.hashtag(t)]);",
        {"texts": texts, "names": names},
    )
    assert any(
        unicodedata.is_normalized("NFD", t) and not unicodedata.is_normalized("NFC", t)
        for t in texts
    )
    for source, (counted, tag) in zip(texts, js, strict=True):
        for name, count in COUNTERS.items():
            assert counted[name] == count(source), (name, source)
        assert tag == hashtag(source), source


def test_a_recipe_is_data_the_browser_runs_as_written(built):
    """Changing a recipe in the config changes the preview: nothing per platform is left in the JS."""
    record = json.loads(json.dumps(built["config"]["data"]["platforms"]["x"]))
    record["compose"]["steps"].append(["text", ["cat", "[", ["get", "text"], "]"]])
    article = as_js(generated_articles(1)[0])
    plain, changed = node(
        "return [LoaPlan.render('x', input.a, input.plain), LoaPlan.render('x', input.a, input.changed)];",
        {"a": article, "plain": built["config"]["data"]["platforms"]["x"], "changed": record},
    )
    assert changed["text"] == f"[{plain['text']}]"
    assert node("return LoaPlan.render('x', input, {limits: {}});", article) is None
    broken = json.loads(json.dumps(record))
    broken["compose"]["steps"].append(["text", ["eval", "alert(1)"]])
    assert node("return LoaPlan.render('x', input.a, input.r);", {"a": article, "r": broken}) is None


# -- the accounts -------------------------------------------------------------------------------


def _front_matter(path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def test_the_preview_names_the_accounts_loa_syndicate_plan_posts_to(built):
    root, plan, config = built["root"], built["plan"], built["config"]
    planned: dict[str, list] = {a["id"]: [] for a in built["manifest"]["articles"]}
    for post in plan["posts"]:
        planned[post["article"]].append([post["channel"], post["account"]])
    cases = []
    for path in sorted((root / "content" / "articles").rglob("*.md")):
        unit = path.parent.name
        front = _front_matter(path)
        if front.get("status") == "draft":
            continue  # not on the site, so in no plan (the sample has one)
        key = next(
            (
                k
                for k in planned
                if k.startswith(f"/{unit}/") and path.stem.endswith(k.split("/")[2])
            ),
            None,
        )
        assert key, f"{path.name} is not in the manifest"
        cases.append([key, unit, front.get("syndicate")])
    assert len(cases) == len(planned) >= 17 + len(EXTRA)
    previewed = node(
        "return input.cases.map(([key, unit, setting]) =>"
        "  [key, LoaRoutes.routes(input.units[unit], setting).map(c => [c.platform, c.account])]);",
        {"cases": cases, "units": config["data"]["units"]},
    )
    assert dict(previewed) == planned
    by_slug = {key.split("/")[2]: accounts for key, accounts in planned.items()}
    assert by_slug["khong-dang"] == [] and by_slug["danh-sach-rong"] == []
    assert {c for c, _ in by_slug["chi-telegram-x"]} == {"telegram", "x"}
    assert {c for c, _ in by_slug["chi-zalo"]} == {"zalo"}
    assert {c for c, _ in by_slug["mot-kenh"]} == {"threads"}
    assert len(by_slug["moi-kenh"]) > 2
