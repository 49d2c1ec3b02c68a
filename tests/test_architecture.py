"""docs/ stays true: the plan's signal table and layers are the code's, the files each page names exist, and README and the plan link every page."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

DOC = REPO / "docs" / "architecture.md"


def test_the_signal_table_is_the_one_the_code_registers():
    # A process of its own: the test run's builds have registered plugins already.
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "signal_map.py")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    table = result.stdout
    assert "`loa.findings.stop_on_errors` | `loa.units`" in table  # read from blinker, not typed
    text = DOC.read_text(encoding="utf-8")
    shown = (
        text.split("<!-- signal-map:start", 1)[1].split("-->", 1)[1].split("<!-- signal-map:end")[0]
    )
    assert shown.strip() == table.strip(), (
        "docs/architecture.md is out of date: run .venv/bin/python scripts/signal_map.py --write"
    )


PAGES = sorted((REPO / "docs").glob("*.md"))
NAMED = re.compile(r"`([\w.-]+/[\w./-]+\.(?:py|md|yml|html|js|mjs|jsonl|json|css|txt))`")
# Named in the pages but not files of this repository: what a build writes, and files of
# the upstream repositories a page cites (xdevplatform/xdk, github/docs).
NOT_OURS = ("output/", "cache/", "specs/openapi.json", "data/variables/large_files.yml")


def named_files(text: str) -> set[str]:
    return {path for path in NAMED.findall(text) if not path.startswith(NOT_OURS)}


def test_every_file_the_plan_names_exists():
    """Paths from the repository's root, or from ``plugins/loa/`` (``rules/check.py``)."""
    missing = {}
    for page in PAGES:
        named = named_files(page.read_text(encoding="utf-8"))
        if page == DOC:
            assert len(named) > 50
        gone = sorted(
            path
            for path in named
            if not (REPO / path).exists() and not (REPO / "plugins" / "loa" / path).exists()
        )
        if gone:
            missing[page.name] = gone
    assert missing == {}


def test_the_check_of_named_files_sees_a_file_that_is_not_there():
    assert named_files("`rules/check.py`, `rules/gone.py`, `output/loa/manifest.json`") == {
        "rules/check.py",
        "rules/gone.py",
    }


def test_readme_and_the_plan_link_every_page_of_docs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    plan = DOC.read_text(encoding="utf-8")
    assert len(PAGES) >= 10
    for page in PAGES:
        assert f"](docs/{page.name})" in readme, f"README does not link docs/{page.name}"
        if page != DOC:
            assert f"]({page.name})" in plan, f"docs/architecture.md does not link {page.name}"


def test_every_link_between_the_pages_lands_on_a_page():
    for page in [*PAGES, REPO / "README.md"]:
        for target in re.findall(
            r"\]\(((?:docs/)?[\w-]+\.md)(?:#[\w-]+)?\)", page.read_text(encoding="utf-8")
        ):
            assert (page.parent / target).exists(), (
                f"{page.name} links {target}, which is not there"
            )


# ---------------------------------------------------------------------------
# The import graph of plugins/ against the plan's table of layers.

PLUGINS = REPO / "plugins"
FEATURE_LAYER = 5


def layers_of_the_plan(text: str) -> dict[str, int]:
    """room → layer, read from the plan's table (``| 4. build machinery | `writer.py`, … |``)."""
    rooms = {}
    for line in text.splitlines():
        match = re.match(r"\|\s*(\d)\.[^|]*\|([^|]*)\|", line)
        if match:
            for name in re.findall(r"`([\w]+)(?:/|\.py)`", match.group(2)):
                rooms[name] = int(match.group(1))
    return rooms


def import_graph(root: Path) -> dict[str, set[str]]:
    """module → the ``loa`` modules it imports (every import statement, also inside functions)."""
    modules = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([node.module] if node.module else []))
                targets = [
                    (
                        f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base,
                        alias.name,
                    )
                    for alias in node.names
                ]
            elif isinstance(node, ast.Import):
                targets = [(alias.name, "") for alias in node.names]
            for target, imported in targets:
                if target.split(".")[0] == "loa":
                    edges[name].add((target, imported))
    return edges


def room(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def crossings(edges, layers) -> list[str]:
    """Every import that breaks a rule of the plan, as ``a → b: why``."""
    found = []
    for source, targets in edges.items():
        for target, imported in targets:
            if imported.startswith("_") and not imported.startswith("__") and target != source:
                found.append(f"{source} → {target}.{imported}: a private name")
            a, b = room(source), room(target)
            if "." not in source or "." not in target or a == b:
                continue
            if a not in layers or b not in layers:
                found.append(f"{source} → {target}: a room the plan's table does not place")
            elif layers[b] > layers[a]:
                found.append(f"{source} → {target}: layer {layers[a]} imports layer {layers[b]}")
            elif layers[a] == layers[b] == FEATURE_LAYER:
                found.append(f"{source} → {target}: a feature imports another feature")
    return sorted(found)


def circles(edges) -> list[list[str]]:
    """Strongly connected groups of modules (a package importing its own children aside)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w, _ in edges.get(v, ()):
            if w not in edges or w == v or w.startswith(v + "."):
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_the_import_graph_has_no_circle_and_keeps_the_two_layer_rules():
    layers = layers_of_the_plan(DOC.read_text(encoding="utf-8"))
    assert {"cli", "rules", "syndication", "build", "frontmatter", "site", "clock"} <= set(layers)
    edges = import_graph(PLUGINS)
    assert len(edges) > 150
    assert circles(edges) == []
    assert crossings(edges, layers) == []


def test_the_graph_check_finds_a_planted_circle_crossing_and_private_import(tmp_path):
    package = tmp_path / "loa"
    (package / "rules").mkdir(parents=True)
    (package / "cadence").mkdir()
    (package / "__init__.py").write_text("")
    (package / "rules" / "__init__.py").write_text("from loa.cadence import figures\n")
    (package / "cadence" / "__init__.py").write_text("")
    (package / "cadence" / "figures.py").write_text("def f():\n    from loa.clock import now\n")
    (package / "clock.py").write_text("from loa.rules import _secret\n")
    edges = import_graph(tmp_path)
    layers = {"rules": 5, "cadence": 5, "clock": 0}
    assert circles(edges) == [["loa.cadence.figures", "loa.clock", "loa.rules"]]
    assert crossings(edges, layers) == [
        "loa.clock → loa.rules._secret: a private name",
        "loa.clock → loa.rules: layer 0 imports layer 5",
        "loa.rules → loa.cadence.figures: a feature imports another feature",
    ]
