"""Writing and checking: ``loa new``, ``loa check``, ``loa report``."""

from __future__ import annotations

import datetime
import os
import sys

from loa.cadence import (
    figures,
    from_files,
    period_bounds,
    print_table,
    to_csv,
    to_json,
    to_markdown,
)
from loa.cli.common import ask, open_ledger, site_of
from loa.errors import UsageError
from loa.ledger import LedgerError, latest
from loa.rules import format_github, format_human, format_json, run_check
from loa.scaffold import NewArticle, create
from loa.vietnamese import now


def cmd_new(args) -> int:
    """Scaffold an article."""
    site = site_of(args)
    registry = site.load_registry()
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
            values[key] = ask(prompts[key])
    summary = args.summary
    if summary is None and interactive:
        summary = ask("Tóm tắt (một câu, có thể để trống): ") or None
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
    result = run_check(args.paths, site_of(args), strict=args.strict, fix=args.fix)
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


def cmd_report(args) -> int:
    """The cadence board and leaderboards."""
    site = site_of(args)
    registry = site.load_registry()
    moment = now()
    today = moment.date()
    start, end = period_bounds(args.period, today)

    def parse_day(text: str, option: str) -> datetime.date:
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"{option} “{text}” không phải ngày — viết dạng 2026-10-01.") from None

    if args.since:
        start = parse_day(args.since, "--since")
    if args.until:
        end = parse_day(args.until, "--until")
    if end < start:
        raise UsageError("--until phải sau --since.")
    records = from_files(site.articles_dir, registry.slugs)
    post_states, followers, earned, listening = None, [], None, []
    if not args.no_ledger:
        try:
            with open_ledger(site) as ledger:
                if ledger.refresh():
                    post_states, followers = ledger.states(), ledger.followers()
                    earned = latest(ledger.interactions())
                    listening = list(ledger.listening.values())
        except (LedgerError, OSError):
            print(
                "(Không đọc được sổ ghi: cột “kênh đã đăng”, “người theo dõi” và “lượt tương tác” để trống.)",
                file=sys.stderr,
            )
    report = figures(records, registry, start, end, moment, post_states, followers, earned)
    from loa.listening import report as heard

    # The listening section: the same rows as the site's table (loa.listening.figures.table).
    if args.format == "csv":
        rows = [] if args.no_ledger else heard.csv_rows(registry, listening, start, end)
        columns = heard.CSV_COLUMNS if rows else ()
        sys.stdout.write(to_csv(report, columns, rows))
    elif args.format == "json":
        data = None if args.no_ledger else heard.as_json(registry, listening, start, end)
        print(to_json(report, {"listening": data} if data is not None else None))
    elif args.format == "markdown":
        print(to_markdown(report))
    else:
        print_table(report, args.format)
    if args.format not in ("csv", "json") and not args.no_ledger:
        text = heard.section(registry, listening, start, end, markdown=args.format == "markdown")
        if text:
            print("\n" + text)
    return 0
