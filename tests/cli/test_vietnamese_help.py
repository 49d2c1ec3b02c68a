"""The command line speaks Vietnamese throughout: ``loa --help``, every subcommand's help, and
argparse's own error messages carry none of argparse's English words."""

from __future__ import annotations

import argparse
import re

import pytest
from loa.cli import build_parser

from tests.cli.test_cli import loa
from tests.conftest import REPO

# Words of argparse's own strings (its gettext messages and default placeholders).
ENGLISH = re.compile(
    r"\b(usage|positional|arguments?|options?|optional|show|this|message|exit|program's|"
    r"version|number|error|required|invalid|choice|choose|from|expected|unrecognized|"
    r"ambiguous|allowed|subcommands|ROOT|UNITS?|TITLE|AUTHOR|SUMMARY|SINCE|UNTIL|LIMIT|"
    r"OUTPUT|MANIFEST|FILE|ARTICLE|FOLDER|PLATFORM|SOURCE|URL|PATHS)\b"
)


def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """Every command path of the parser: (), ("new",), ("syndicate", "plan"), ..."""
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from commands(child, (*prefix, name))


def english_words(text: str) -> list[str]:
    # Option names (--help, --no-ledger), choice lists ({csv,json}) and file names are not words.
    words = re.sub(r"(?<!\w)--?[\w-]+|\{[^}]*\}|\S+\.(?:yml|py|json|md)\b", " ", text)
    return ENGLISH.findall(words)


ALL = sorted(commands(build_parser()))


def test_every_command_is_scanned():
    assert len(ALL) > 15 and ("syndicate", "plan") in ALL and ("check",) in ALL


@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(p) or "loa")
def test_help_has_no_english_from_argparse(path):
    result = loa(*path, "--help", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("cách dùng: loa"), result.stdout[:80]
    assert english_words(result.stdout) == [], result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--period", "day"),
        ("khong-co-lenh",),
        ("new", "--unit"),
        ("--khong-co",),
        ("syndicate",),
    ],
)
def test_argparse_errors_are_vietnamese(args):
    result = loa(*args, cwd=REPO)
    assert result.returncode == 2
    out = result.stdout + result.stderr
    assert "cách dùng: loa" in out
    assert english_words(out) == [], out
