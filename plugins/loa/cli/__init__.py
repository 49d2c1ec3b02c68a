"""The ``loa`` command: a thin front door over the subpackages, one module per command group.

Every command exits 0 on success, 1 on a finding or failure it explains and 2
on a usage error; errors are one sentence, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from loa import __version__, clock, platforms
from loa.cli import parsers
from loa.cli.vietnamese import name_placeholders, vietnamese
from loa.errors import LoaError, UsageError
from loa.masking import MaskedStream


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="loa", description="Loa — trang tin công đoàn: viết, kiểm tra, đăng bài."
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"loa {__version__}",
        help="hiện số phiên bản rồi thoát",
    )
    parser.add_argument(
        "--root", default=".", help="thư mục gốc của trang (mặc định: thư mục hiện tại)"
    )
    parser.add_argument(
        "--units", default=None, help="tệp danh sách đơn vị (mặc định: content/units.yml)"
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")

    parsers.content_commands(sub)
    parsers.syndicate_commands(sub)
    parsers.admin_commands(sub)
    name_placeholders(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``loa``; return the exit code."""
    # A site's own platforms (LOA_PLATFORMS in pelicanconf.py) are known before
    # the parser lists the channel choices.
    with vietnamese():
        early = argparse.ArgumentParser(add_help=False)
        early.add_argument("--root", default=".")
        known, _ = early.parse_known_args(argv)
    try:
        platforms.load_for_site(Path(known.root))
    except LoaError as exc:
        print(f"loa: {exc}", file=sys.stderr)
        return 2
    with vietnamese():  # argparse's own words ("usage:", its errors) in Vietnamese
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
    # Every line the command prints goes through the mask: no token, whole or
    # in part, reaches a terminal or a CI log, whatever a platform answered.
    if not isinstance(sys.stdout, MaskedStream):
        sys.stdout, sys.stderr = MaskedStream(sys.stdout), MaskedStream(sys.stderr)
    try:
        clock.now()  # a wrong LOA_NOW is a usage error before anything runs
        return args.func(args)
    except UsageError as exc:
        print(f"loa: {exc}", file=sys.stderr)
        return 2
    except LoaError as exc:
        print(f"loa: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback: one sentence, and how to see more
        if os.environ.get("LOA_DEBUG"):
            raise
        print(
            f"loa: lỗi không lường trước ({exc.__class__.__name__}) — báo cho người quản trị "
            "trang; chạy lại với LOA_DEBUG=1 để xem chi tiết.",
            file=sys.stderr,
        )
        return 1
