"""The ``loa`` command: a thin front door over the subpackages.

Every command exits 0 on success, 1 on a finding or failure it explains and 2
on a usage error; errors are one sentence, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from loa import __version__
from loa.errors import LoaError, UsageError


def _site(args):
    from loa.rules import Site

    root = Path(args.root).resolve()
    return Site(root=root, units_file=args.units or "content/units.yml")


def _ask(prompt: str) -> str:
    try:
        return input(prompt).strip()
    except EOFError:
        return ""


def cmd_new(args) -> int:
    """Scaffold an article."""
    from loa.scaffold import NewArticle, create
    from loa.units import RegistryError

    site = _site(args)
    try:
        registry = site.load_registry()
    except RegistryError as exc:
        raise LoaError(str(exc)) from None
    interactive = sys.stdin.isatty()
    values = {"unit": args.unit, "title": args.title, "author": args.author}
    prompts = {
        "unit": f"Đơn vị ({', '.join(registry.slugs)}): ",
        "title": "Tiêu đề bài viết: ",
        "author": "Tác giả (họ và tên): ",
    }
    for key, value in values.items():
        if not value:
            if not interactive:
                raise UsageError(
                    f'Thiếu --{key} — ví dụ: loa new --unit {registry.slugs[0]} --title "Tiêu đề" --author "Họ và tên".'
                )
            values[key] = _ask(prompts[key])
    summary = args.summary
    if summary is None and interactive:
        summary = _ask("Tóm tắt (một câu, có thể để trống): ") or None
    path = create(
        NewArticle(values["unit"], values["title"], values["author"], summary),
        registry,
        site.articles_dir,
    )
    print(f"Đã tạo {site.rel(path)}")
    if not summary:
        print(
            "Việc còn lại: viết một câu tóm tắt thay cho dòng “summary” (đang tạm lấy tiêu đề), rồi viết nội dung."
        )
    else:
        print("Việc còn lại: viết nội dung, rồi chạy “loa check” trước khi gửi bài.")
    return 0


def cmd_check(args) -> int:
    """Check articles without building the site."""
    from loa.rules import format_github, format_human, format_json, run_check

    result = run_check(args.paths, _site(args), strict=args.strict, fix=args.fix)
    findings = result.findings if not args.errors_only else result.errors
    if args.format == "github":
        text = format_github(findings)
        if text:
            print(text)
        print(
            format_human([], result.files)
            if not findings
            else f"{len(result.errors)} lỗi, {len(findings) - len(result.errors)} cảnh báo."
        )
    elif args.format == "json":
        print(format_json(findings, result.files))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        print(format_human(findings, result.files, colour=colour))
    return 1 if result.errors else 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="loa", description="Loa — trang tin công đoàn: viết, kiểm tra, đăng bài."
    )
    parser.add_argument("--version", action="version", version=f"loa {__version__}")
    parser.add_argument(
        "--root", default=".", help="thư mục gốc của trang (mặc định: thư mục hiện tại)"
    )
    parser.add_argument(
        "--units", default=None, help="tệp danh sách đơn vị (mặc định: content/units.yml)"
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")

    new = sub.add_parser(
        "new",
        help="tạo bài viết mới đúng chỗ, đúng mẫu",
        description="Tạo bài viết mới trong thư mục của đơn vị, với phần thông tin đầu bài hợp lệ.",
    )
    new.add_argument("--unit", help="slug của đơn vị (tên thư mục)")
    new.add_argument("--title", help="tiêu đề bài viết")
    new.add_argument("--author", help="họ và tên tác giả")
    new.add_argument("--summary", help="một câu tóm tắt (dưới 300 ký tự)")
    new.set_defaults(func=cmd_new)

    check = sub.add_parser(
        "check",
        help="kiểm tra bài viết trước khi gửi",
        description="Kiểm tra danh sách đơn vị và các bài viết mà không cần dựng trang.",
    )
    check.add_argument(
        "paths", nargs="*", help="tệp hoặc thư mục cần kiểm tra (mặc định: toàn bộ nội dung)"
    )
    check.add_argument(
        "--format",
        choices=("human", "github", "json"),
        default="human",
        help="cách trình bày kết quả",
    )
    check.add_argument("--errors-only", action="store_true", help="chỉ hiện lỗi, bỏ qua cảnh báo")
    check.add_argument(
        "--strict",
        action="store_true",
        help="coi các cảnh báo trong LOA_STRICT_RULES (publishconf.py) là lỗi, như khi đăng thật",
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help="sửa tự động: chuyển văn bản sang NFC, xoá ký tự ẩn và BOM (không đụng tới nội dung khác)",
    )
    check.set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``loa``; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"loa: {exc}", file=sys.stderr)
        return 2
    except LoaError as exc:
        print(f"loa: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
