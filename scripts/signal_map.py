"""Which function listens to which Pelican signal, in the order Pelican calls them.

Registers the plugins of ``pelicanconf.py`` exactly as Pelican does (in
``PLUGINS`` order) and reads the receivers back from each signal: Pelican's
signals call their receivers in the order they were connected
(``pelican/plugins/signals.py`` sets blinker's ``Signal.set_class`` to an
ordered set). Prints the Markdown table of docs/architecture.md;
``--write`` puts it there (``tests/test_architecture.py`` fails when the page
and the code disagree).

    .venv/bin/python scripts/signal_map.py [--write]
"""

from __future__ import annotations

import sys
import weakref
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "architecture.md"
START = "<!-- signal-map:start (scripts/signal_map.py --write) -->"
END = "<!-- signal-map:end -->"

# Pelican's signals in the order one build sends them (pelican/__init__.py,
# generators.py, readers.py, writers.py): when each is sent.
LIFECYCLE = [
    ("initialized", "once, when Pelican starts (settings read)"),
    ("get_generators", "once: generator classes are gathered"),
    ("readers_init", "each generator: its readers are made"),
    ("generator_init", "each generator is made"),
    ("article_generator_init", "the articles generator is made"),
    ("page_generator_init", "the pages generator is made"),
    ("static_generator_init", "the static generator is made"),
    ("article_generator_preread", "before the articles are read"),
    ("article_generator_context", "each article file read"),
    ("content_object_init", "each article or page object made"),
    ("article_generator_pretaxonomy", "articles read, before tags and categories"),
    ("article_generator_finalized", "articles, tags and categories ready"),
    ("page_generator_preread", "before the pages are read"),
    ("page_generator_context", "each page file read"),
    ("page_generator_finalized", "pages ready"),
    ("static_generator_preread", "before the static files are listed"),
    ("static_generator_context", "each static file"),
    ("static_generator_finalized", "static files listed"),
    ("all_generators_finalized", "every generator's context ready, nothing written"),
    ("get_writer", "once: the writer class is chosen"),
    ("article_generator_write_article", "each article about to be written"),
    ("content_written", "each file written"),
    ("feed_generated", "each feed made"),
    ("feed_written", "each feed written"),
    ("article_writer_finalized", "every article page written"),
    ("page_generator_write_page", "each page about to be written"),
    ("page_writer_finalized", "every page written"),
    ("finalized", "once, at the end of the build"),
]


def _name(receiver) -> str:
    module = getattr(receiver, "__module__", "") or ""
    name = getattr(receiver, "__qualname__", None) or repr(receiver)
    return f"{module}.{name}" if module else name


def receivers() -> dict[str, list[tuple[str, str]]]:
    """``{signal: [(plugin that connected it, receiver), ...]}`` in call order."""
    sys.path[:0] = [str(REPO / "plugins"), str(REPO)]
    from blinker.base import ANY_ID
    from pelican.plugins import signals
    from pelican.plugins._utils import get_plugin_name, load_plugins
    from pelican.settings import read_settings

    settings = read_settings(str(REPO / "pelicanconf.py"), override={"PATH": str(REPO / "content")})
    by_signal = {
        name: value
        for name, value in vars(signals).items()
        if hasattr(value, "receivers") and hasattr(value, "connect")
    }
    owner: dict[tuple[str, object], str] = {}
    for plugin in load_plugins(settings):
        plugin.register()
        for name, sig in by_signal.items():
            for key in sig.receivers:
                owner.setdefault((name, key), get_plugin_name(plugin))
    out = {}
    for name, sig in by_signal.items():
        # The ids of the receivers for any sender, in the order they were connected.
        listed = [
            (owner[(name, key)], _name(_resolve(sig.receivers[key])))
            for key in sig._by_sender.get(ANY_ID, ())
            if key in sig.receivers
        ]
        if listed:
            out[name] = listed
    return out


def _resolve(ref):
    """The function behind blinker's (weak) reference."""
    return ref() if isinstance(ref, weakref.ref) else ref


def table() -> str:
    """The Markdown table: one row per receiver, signals in the order a build sends them."""
    found = receivers()
    unknown = sorted(set(found) - {name for name, _ in LIFECYCLE})
    if unknown:
        raise SystemExit(f"signals with receivers but not in LIFECYCLE: {unknown}")
    rows = [
        "| signal (when Pelican sends it) | # | receiver | registered by |",
        "|---|---|---|---|",
    ]
    for name, when in LIFECYCLE:
        for n, (plugin, receiver) in enumerate(found.get(name, []), 1):
            head = f"`{name}` ({when})" if n == 1 else ""
            rows.append(f"| {head} | {n} | `{receiver}` | `{plugin}` |")
    return "\n".join(rows) + "\n"


def write() -> None:
    """Replace the table between the markers of docs/architecture.md."""
    text = DOC.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    DOC.write_text(f"{before}{START}\n{table()}{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        write()
    else:
        sys.stdout.write(table())
