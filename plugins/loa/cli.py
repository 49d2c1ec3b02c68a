"""The ``loa`` command: a thin front door over the subpackages.

Every command exits 0 on success, 1 on a finding or failure it explains and 2
on a usage error; errors are one sentence, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from loa import __version__, clock, platforms
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

    site = _site(args)
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


def _syndicator(args, need_manifest: bool = True):
    from loa.ledger import Ledger
    from loa.syndication import Config, Syndicator, read_manifest

    site = _site(args)
    registry = site.load_registry()
    settings = site.settings()
    config = Config.from_settings(settings[0] if settings else {})
    from loa.syndication import Manifest

    manifest = read_manifest(site.root / args.manifest) if need_manifest else Manifest("", "", [])
    ledger = Ledger(
        author=config.ledger_author, repo=site.root if (site.root / ".git").exists() else None
    )
    folder = (site.root / args.manifest).parent.parent if need_manifest else None
    return Syndicator(manifest, registry, ledger, config, now=clock.now, media_folder=folder)


def _summary(markdown: str) -> None:
    """Append to the GitHub Actions run summary when there is one (secrets masked)."""
    from loa.masking import mask

    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(mask(markdown) + "\n")


class MaskedStream:
    """A text stream that masks every secret the process has read before writing (``loa.masking``)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        from loa.masking import mask

        self._stream.write(mask(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def cmd_syndicate_plan(args) -> int:
    """Show what would be posted."""
    from loa.syndication.report import plan_json, plan_text

    syndicator = _syndicator(args)
    try:
        only = {"/" + a.strip("/") + "/" for a in args.article} or None
        if args.file:
            # Files as git names them ("content/articles/…"), relative to the content folder in the manifest.
            wanted = {f.replace("\\", "/").split("content/", 1)[-1] for f in args.file}
            only = (only or set()) | {
                a.id for a in syndicator.manifest.articles if a.source_path in wanted
            }
            if not only:
                print(
                    "Pull request này không thêm bài nào sẽ được đăng lên mạng xã hội."
                    if args.format != "json"
                    else "{}"
                )
                return 0
        if args.no_ledger:
            plan = syndicator.plan(only=only, ignore_age=True)
        else:
            if not syndicator.ledger.refresh():
                print(
                    "Chưa có sổ ghi: “loa syndicate publish” sẽ từ chối cho tới khi chạy một lần với --bootstrap."
                )
                return 0
            plan = syndicator.plan(only=only, ignore_age=bool(only))
        if args.format == "json":
            print(plan_json(syndicator, plan))
        else:
            text = plan_text(syndicator, plan, markdown=args.format == "markdown")
            print(text)
        return 0
    finally:
        syndicator.close()


def cmd_syndicate_publish(args) -> int:
    """Post new articles once to each channel account."""
    from loa.syndication.report import plan_text, run_text

    syndicator = _syndicator(args)
    try:
        if args.bootstrap:
            report = syndicator.bootstrap()
        else:
            report = syndicator.publish(dry_run=args.dry_run)
        if args.dry_run:
            print("Chạy thử (--dry-run): không đăng gì, không ghi sổ.")
            print(plan_text(syndicator, report.plan))
            return 0
        print(run_text(report))
        _summary(run_text(report, markdown=True))
        _output("posted", str(sum(1 for o in report.outcomes if o.entry.state == "posted")))
        return 1 if report.failed or report.plan.blocked else 0
    finally:
        syndicator.close()


def _output(name: str, value: str) -> None:
    """A step output for the workflow (``GITHUB_OUTPUT``), when there is one."""
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{name}={value}\n")


def cmd_syndicate_status(args) -> int:
    """Show what was posted, failed, unknown, waiting."""
    import json as _json

    from loa.syndication.report import status_rows, status_text

    syndicator = _syndicator(args)
    try:
        if not syndicator.ledger.refresh():
            print(
                "Chưa có sổ ghi (chưa đăng bài nào) — chạy “loa syndicate publish --bootstrap” một lần."
            )
            return 0
        rows = status_rows(syndicator)
        problems = [str(p) for p in syndicator.ledger.problems]
        if args.format == "json":
            print(_json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            print(status_text(rows, markdown=args.format == "markdown"))
        for problem in problems:
            print(
                f"Dòng hỏng — {problem}. Sửa hoặc xoá dòng này trên nhánh sổ ghi "
                "(sau khi kiểm tra bài đã lên kênh chưa); các bài nó nhắc tới không được đăng tới lúc đó.",
                file=sys.stderr,
            )
        return 1 if problems else 0
    finally:
        syndicator.close()


def cmd_syndicate_retry(args) -> int:
    """Post again what is unknown or failed for one article."""
    from loa.syndication.report import run_text

    syndicator = _syndicator(args)
    try:
        report = syndicator.retry(args.article, args.channel)
        print(run_text(report))
        _summary(run_text(report, markdown=True))
        return 1 if report.failed else 0
    finally:
        syndicator.close()


def cmd_tokens_refresh(args) -> int:
    """Rotate Zalo tokens and store the new pair."""
    from loa.syndication import Secrets
    from loa.syndication.http import Http, PostError
    from loa.syndication.tokens import refresh_zalo

    site = _site(args)
    registry = site.load_registry()
    units = [u for u in registry.all() if not args.unit or u.slug == args.unit]
    if args.unit and not units:
        raise UsageError(
            f"Không có đơn vị “{args.unit}” — chọn một trong: {', '.join(registry.slugs)}."
        )
    accounts = [c for u in units for c in u.channels if c.platform == args.platform]
    if not accounts:
        print(f"Không có tài khoản {args.platform} nào trong {registry.path}.")
        return 0
    secrets = Secrets()
    http = Http(secrets)
    failed = 0
    seen = set()
    for account in accounts:
        if account.account in seen:
            continue
        seen.add(account.account)
        try:
            where = refresh_zalo(account, secrets, http)
            print(
                f"✓ Zalo OA {account.account}: token mới đã lưu vào {account.get('token_env')}, {account.get('refresh_token_env')} ({where})."
            )
        except PostError as exc:
            failed += 1
            print(f"✗ Zalo OA {account.account}: {secrets.mask(exc.message)}")
        except LoaError as exc:
            failed += 1
            print(f"✗ Zalo OA {account.account}: {secrets.mask(str(exc))}")
    http.close()
    return 1 if failed else 0


def cmd_report(args) -> int:
    """The cadence board and leaderboards."""
    import datetime as _dt

    from loa.cadence import (
        Report,
        author_board,
        from_files,
        period_bounds,
        print_table,
        published,
        to_csv,
        to_json,
        to_markdown,
        top_posts,
        unit_board,
        unit_weeks,
    )
    from loa.ledger import Ledger, LedgerError, latest
    from loa.vietnamese import localize, now

    site = _site(args)
    registry = site.load_registry()
    moment = now()
    today = moment.date()
    start, end = period_bounds(args.period, today)

    def parse_day(text: str, option: str) -> _dt.date:
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"{option} “{text}” không phải ngày — viết dạng 2026-10-01.") from None

    if args.since:
        start = parse_day(args.since, "--since")
    if args.until:
        end = parse_day(args.until, "--until")
    if end < start:
        raise UsageError("--until phải sau --since.")
    records = published(from_files(site.articles_dir, registry.slugs), moment)
    post_states, followers, earned = None, [], None
    if not args.no_ledger:
        try:
            with Ledger(repo=site.root if (site.root / ".git").exists() else None) as ledger:
                if ledger.refresh():
                    post_states, followers = ledger.states(), ledger.followers()
                    earned = latest(ledger.interactions())
        except (LedgerError, OSError):
            print(
                "(Không đọc được sổ ghi: cột “kênh đã đăng”, “người theo dõi” và “lượt tương tác” để trống.)",
                file=sys.stderr,
            )
    last = min(end, today)
    report = Report(
        start,
        end,
        unit_weeks(
            [r for r in records if start <= localize(r.date).date() <= end],
            registry,
            start,
            max(start, last),
            today,
        ),
        author_board(records, start, end, post_states, earned),
        unit_board(records, registry, start, end, today, post_states, followers, earned),
        top_posts(records, start, end, earned, post_states),
    )
    if args.format == "csv":
        sys.stdout.write(to_csv(report))
    elif args.format == "json":
        print(to_json(report))
    elif args.format == "markdown":
        print(to_markdown(report))
    else:
        print_table(report, args.format)
    return 0


def _append_snapshots(syndicator, message: str, **snapshots) -> None:
    """Append follower or interaction snapshots, reading the branch again on a conflict."""
    from loa.ledger import LedgerConflict

    for _ in range(5):
        try:
            syndicator.ledger.refresh()
            syndicator.ledger.append(message=message, **snapshots)
            return
        except LedgerConflict:
            continue


def cmd_syndicate_followers(args) -> int:
    """Record each account's follower count in the ledger; never fails a deploy."""
    from loa.ledger import FollowerSnapshot, LedgerError, now_iso
    from loa.syndication.channels import Unsupported
    from loa.syndication.http import PostError
    from loa.syndication.planner import Target
    from loa.syndication.runner import no_adapter
    from loa.syndication.secrets import MissingSecret

    syndicator = _syndicator(args, need_manifest=False)
    snapshots = []
    try:
        seen = set()
        for unit in syndicator.registry.all():
            for channel in unit.channels:
                if (channel.platform, channel.account) in seen:
                    continue
                seen.add((channel.platform, channel.account))
                name = f"{channel.label} {channel.account}"
                adapter = syndicator.adapter(Target(None, channel))
                if adapter is None:
                    print(f"✗ {name}: {no_adapter(channel.platform)}")
                    continue
                try:
                    if not channel.record.can(platforms.FOLLOWERS):
                        raise Unsupported(
                            f"{channel.label} không cho đọc số người theo dõi qua API"
                        )
                    count = adapter.followers()
                except Unsupported as exc:
                    print(f"– {name}: {exc}.")
                    continue
                except (PostError, MissingSecret) as exc:
                    print(
                        f"✗ {name}: {syndicator.secrets.mask(getattr(exc, 'message', str(exc)))} — giữ số liệu lần trước."
                    )
                    continue
                snapshots.append(
                    FollowerSnapshot(channel.platform, channel.account, unit.slug, count, now_iso())
                )
                print(f"✓ {name}: {count} người theo dõi")
        if snapshots:
            _append_snapshots(
                syndicator,
                f"loa: số người theo dõi ({len(snapshots)} tài khoản)",
                snapshots=snapshots,
            )
        return 0
    except (LedgerError, LoaError) as exc:
        print(
            f"Không ghi được số người theo dõi: {syndicator.secrets.mask(str(exc))} — lần sau sẽ thử lại."
        )
        return 0
    finally:
        syndicator.close()


def cmd_syndicate_insights(args) -> int:
    """Record what each recent post earned (interactions) in the ledger; never fails a deploy."""
    from loa.ledger import LedgerError
    from loa.syndication.insights import read_insights

    syndicator = _syndicator(args, need_manifest=False)
    try:
        if not syndicator.ledger.refresh():
            print("Chưa có sổ ghi — chưa có bài nào để đọc lượt tương tác.")
            return 0
        run = read_insights(syndicator, args.days)
        for line in run.lines:
            print(line)
        if run.snapshots:
            _append_snapshots(
                syndicator,
                f"loa: lượt tương tác ({len(run.snapshots)} bài)",
                interactions=run.snapshots,
            )
        return 0
    except (LedgerError, LoaError) as exc:
        print(
            f"Không ghi được lượt tương tác: {syndicator.secrets.mask(str(exc))} — lần sau sẽ thử lại."
        )
        return 0
    finally:
        syndicator.close()


def cmd_ledger_export(args) -> int:
    """Copy the ledger branch's files into a folder, for a build that must hold no token."""
    from loa.ledger import COPY_ENV, Ledger, LedgerError, export

    folder = Path(args.folder)
    try:
        with Ledger(
            repo=Path(args.root).resolve() if (Path(args.root) / ".git").exists() else None
        ) as ledger:
            if not ledger.refresh():
                folder.mkdir(parents=True, exist_ok=True)
                print(
                    f"Chưa có sổ ghi: {folder} để trống, bản dựng sẽ không có liên kết “Cũng có trên”."
                )
                return 0
            lines = export(ledger, folder)
    except LedgerError as exc:
        print(f"Không đọc được sổ ghi: {exc} — bản dựng sẽ không có liên kết “Cũng có trên”.")
        return 0
    broken = f", bỏ {len(ledger.problems)} dòng hỏng" if ledger.problems else ""
    print(
        f"Đã chép sổ ghi ({lines} dòng{broken}) vào {folder}; dựng trang với {COPY_ENV}={folder}."
    )
    return 0


def _sources(site):

    return site.load_registry(), site.load_sources()


def cmd_reposts_list(args) -> int:
    """Recent items of the official sources' feeds."""
    from loa.reposts import describe_date, list_items, reposted_urls

    site = _site(args)
    _registry, sources = _sources(site)
    items, problems = list_items(sources, args.source)
    done = reposted_urls(site.articles_dir)
    for item in items[: args.limit]:
        mark = "✓ đã đăng lại" if item.link.rstrip("/") in done else "  "
        print(
            f"{mark:14} {describe_date(item.date):24} [{item.source}] {item.title}\n{'':14} {item.link}"
        )
    if not items:
        print("Không có bài nào trong các nguồn tin.")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems and not items else 0


def cmd_reposts_import(args) -> int:
    """Import one article of an official source as a draft."""
    from loa.reposts import import_article

    site = _site(args)
    registry, sources = _sources(site)
    result = import_article(args.url, args.unit, registry, sources, site.articles_dir, args.author)
    kind = "toàn văn (theo thoả thuận)" if result.full_text else "tóm tắt"
    print(f"Đã tạo bản nháp {site.rel(result.path)} ({kind}) từ “{result.original.title}”.")
    print("Việc còn lại:")
    for item in result.todo:
        print(f"  - {item}")
    return 0


def cmd_codeowners(args) -> int:
    """Write (or check) .github/CODEOWNERS from the registry."""
    from loa.units.codeowners import codeowners

    site = _site(args)
    registry = site.load_registry()
    text = codeowners(registry)
    path = site.root / args.output
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(
                f"{args.output} không khớp với {registry.path} — chạy “loa codeowners” rồi commit tệp này."
            )
            return 1
        print(f"{args.output} khớp với {registry.path}.")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Đã ghi {args.output} ({len(registry.all())} đơn vị).")
    return 0


def cmd_secrets(args) -> int:
    """List the secrets the registry needs; with --check, a workflow must pass each one."""
    import yaml

    from loa.units.codeowners import secret_names

    site = _site(args)
    names = secret_names(site.load_registry())
    if not args.check:
        print("\n".join(names))
        return 0
    path = site.root / args.check
    try:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LoaError(f"Không đọc được {args.check}: {exc}") from None
    passed = set()
    for job in (workflow.get("jobs") or {}).values():
        for step in job.get("steps") or []:
            for key, value in (step.get("env") or {}).items():
                if isinstance(value, str) and f"secrets.{key}" in value.replace(" ", ""):
                    passed.add(key)
    missing = [n for n in names if n not in passed]
    if missing:
        print(
            f"{args.check} chưa chuyển các secret sau cho bước đăng bài: {', '.join(missing)} — thêm mỗi dòng “TEN: ${{{{ secrets.TEN }}}}” vào env của bước “loa syndicate”."
        )
        return 1
    print(f"{args.check} chuyển đủ {len(names)} secret mà units.yml cần.")
    return 0


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

    synd = sub.add_parser(
        "syndicate",
        help="đăng bài lên mạng xã hội (mỗi bài một lần)",
        description="Đăng mỗi bài mới đúng một lần lên các kênh của đơn vị và của Công đoàn Cục.",
    )
    synd_sub = synd.add_subparsers(dest="action", metavar="VIỆC")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--manifest",
        default="output/loa/manifest.json",
        help="manifest do bản dựng tạo (mặc định: output/loa/manifest.json)",
    )

    plan = synd_sub.add_parser(
        "plan",
        parents=[common],
        help="xem trước nội dung sẽ đăng lên từng kênh",
        description="In chính xác nội dung, liên kết và ảnh mỗi kênh sẽ nhận.",
    )
    plan.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    plan.add_argument(
        "--file",
        action="append",
        default=[],
        help="chỉ các bài từ tệp này (đường dẫn trong kho, ví dụ từ git diff); lặp lại được",
    )
    plan.add_argument(
        "--article",
        action="append",
        default=[],
        help="chỉ bài này (mã dạng /don-vi/ten-bai/); lặp lại được",
    )
    plan.add_argument(
        "--no-ledger",
        action="store_true",
        help="không đọc sổ ghi (ví dụ trong pull request): coi mọi bài là mới",
    )
    plan.set_defaults(func=cmd_syndicate_plan)

    publish = synd_sub.add_parser(
        "publish",
        parents=[common],
        help="đăng các bài mới",
        description="Đăng mỗi bài mới một lần lên từng tài khoản; ghi kết quả vào sổ ghi.",
    )
    publish.add_argument(
        "--bootstrap",
        action="store_true",
        help="lần đầu: ghi mọi bài đang có là đã đăng, không đăng gì",
    )
    publish.add_argument(
        "--dry-run", action="store_true", help="chỉ in kế hoạch, không đăng, không ghi sổ"
    )
    publish.set_defaults(func=cmd_syndicate_publish)

    status = synd_sub.add_parser(
        "status", parents=[common], help="xem bài nào đã đăng, lỗi, chưa rõ, đang chờ"
    )
    status.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    status.set_defaults(func=cmd_syndicate_status)

    retry = synd_sub.add_parser(
        "retry",
        parents=[common],
        help="đăng lại bài ở trạng thái chưa rõ hoặc lỗi",
        description="Đăng lại (sau khi đã kiểm tra kênh) các lượt đăng chưa rõ hoặc lỗi của một bài.",
    )
    retry.add_argument("article", help="mã bài, dạng /don-vi/ten-bai/")
    retry.add_argument(
        "channel",
        nargs="?",
        choices=platforms.names(),
        help="chỉ kênh này",
    )
    retry.set_defaults(func=cmd_syndicate_retry)
    followers = synd_sub.add_parser(
        "followers",
        help="ghi số người theo dõi của mọi tài khoản vào sổ ghi",
        description="Đọc số người theo dõi của mỗi tài khoản và ghi vào sổ ghi; lỗi không làm hỏng lần triển khai.",
    )
    followers.set_defaults(func=cmd_syndicate_followers)
    insights = synd_sub.add_parser(
        "insights",
        help="ghi lượt tương tác (cảm xúc, bình luận, chia sẻ, lượt xem) của các bài gần đây",
        description="Đọc số cảm xúc, bình luận, chia sẻ và lượt xem của mỗi bài đã đăng trong N ngày qua "
        "và ghi vào sổ ghi; nền tảng không cho số liệu được ghi là “không có”, không phải 0; "
        "lỗi không làm hỏng lần triển khai.",
    )
    insights.add_argument(
        "--days",
        type=float,
        default=None,
        help="chỉ các bài đăng trong chừng ấy ngày (mặc định: insights_days trong LOA_SYNDICATION, 30)",
    )
    insights.set_defaults(func=cmd_syndicate_insights)
    synd.set_defaults(func=lambda _args: (synd.print_help(), 2)[1])

    owners = sub.add_parser(
        "codeowners",
        help="ghi .github/CODEOWNERS từ danh sách đơn vị",
        description="Ghi .github/CODEOWNERS: ban quản trị mỗi đơn vị duyệt thư mục của đơn vị; ban quản trị Cục duyệt phần còn lại.",
    )
    owners.add_argument(
        "--check", action="store_true", help="chỉ kiểm tra tệp hiện có có khớp không (CI)"
    )
    owners.add_argument("--output", default=".github/CODEOWNERS")
    owners.set_defaults(func=cmd_codeowners)

    secrets = sub.add_parser(
        "secrets",
        help="các secret (token) mà units.yml cần",
        description="Liệt kê tên các biến môi trường chứa token mà units.yml khai báo; --check kiểm tra một workflow có chuyển đủ chúng không.",
    )
    secrets.add_argument(
        "--check", metavar="WORKFLOW", help="tệp workflow phải chuyển đủ các secret này"
    )
    secrets.set_defaults(func=cmd_secrets)

    reposts = sub.add_parser(
        "reposts",
        help="đăng lại bài của nguồn chính thống (có ghi nguồn)",
        description="Xem bài mới của các nguồn chính thống và nhập một bài thành bản nháp để viết lại, ghi nguồn.",
    )
    reposts_sub = reposts.add_subparsers(dest="action", metavar="VIỆC")
    listing = reposts_sub.add_parser("list", help="bài mới trong các nguồn tin (RSS/Atom)")
    listing.add_argument("source", nargs="?", help="chỉ nguồn này (slug trong sources.yml)")
    listing.add_argument("--limit", type=int, default=30, help="số bài tối đa (mặc định 30)")
    listing.set_defaults(func=cmd_reposts_list)
    importing = reposts_sub.add_parser(
        "import", help="nhập một bài thành bản nháp trong thư mục đơn vị"
    )
    importing.add_argument("url", help="địa chỉ bài gốc (thuộc nguồn trong sources.yml)")
    importing.add_argument("--unit", required=True, help="đơn vị đăng lại (slug)")
    importing.add_argument("--author", default="Ban Biên tập", help="người biên tập bài đăng lại")
    importing.set_defaults(func=cmd_reposts_import)
    reposts.set_defaults(func=lambda _args: (reposts.print_help(), 2)[1])

    report = sub.add_parser(
        "report",
        help="nhịp đăng bài theo tuần và bảng xếp hạng",
        description="Số bài mỗi tuần của từng đơn vị so với mục tiêu, chuỗi tuần đạt, bảng xếp hạng tác giả và đơn vị.",
    )
    report.add_argument(
        "--period",
        choices=("week", "month", "quarter", "year"),
        default="quarter",
        help="kỳ báo cáo (mặc định: quý hiện tại)",
    )
    report.add_argument("--since", help="từ ngày (YYYY-MM-DD)")
    report.add_argument("--until", help="đến ngày (YYYY-MM-DD)")
    report.add_argument(
        "--format",
        choices=("auto", "table", "compact", "csv", "json", "markdown"),
        default="auto",
        help="auto (mặc định): bảng đầy đủ khi đủ rộng, nếu không thì bảng gọn vừa khung; "
        "table: luôn bảng đầy đủ; compact: luôn bảng gọn",
    )
    report.add_argument(
        "--no-ledger",
        action="store_true",
        help="không đọc sổ ghi (bỏ cột kênh đã đăng, người theo dõi)",
    )
    report.set_defaults(func=cmd_report)

    ledger = sub.add_parser(
        "ledger",
        help="sổ ghi đăng bài",
        description="Sổ ghi đăng bài (nhánh loa-ledger).",
    )
    ledger_sub = ledger.add_subparsers(dest="action", metavar="VIỆC")
    exporting = ledger_sub.add_parser(
        "export",
        help="chép sổ ghi ra một thư mục cho bản dựng (bản dựng không cần token)",
        description="Chép posts.jsonl và followers.jsonl của nhánh sổ ghi vào THƯ_MỤC; dựng trang với LOA_LEDGER_COPY=THƯ_MỤC.",
    )
    exporting.add_argument("folder", metavar="THƯ_MỤC")
    exporting.set_defaults(func=cmd_ledger_export)
    ledger.set_defaults(func=lambda _args: (ledger.print_help(), 2)[1])

    tokens = sub.add_parser(
        "tokens",
        help="làm mới token mạng xã hội",
        description="Làm mới token và lưu cặp token mới (Zalo chỉ cho dùng refresh token một lần).",
    )
    tokens_sub = tokens.add_subparsers(dest="action", metavar="VIỆC")
    refresh = tokens_sub.add_parser(
        "refresh",
        help="đổi refresh token lấy cặp token mới và lưu lại",
        description="Đổi refresh token lấy access token và refresh token mới, lưu ngay vào Secrets của kho (LOA_GITHUB_SECRETS_TOKEN) hoặc LOA_TOKEN_STORE=file:đường/dẫn.",
    )
    refresh.add_argument("platform", choices=("zalo",), help="nền tảng")
    refresh.add_argument("--unit", help="chỉ tài khoản của đơn vị này")
    refresh.set_defaults(func=cmd_tokens_refresh)
    tokens.set_defaults(func=lambda _args: (tokens.print_help(), 2)[1])
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``loa``; return the exit code."""
    # A site's own platforms (LOA_PLATFORMS in pelicanconf.py) are known before
    # the parser lists the channel choices.
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--root", default=".")
    known, _ = early.parse_known_args(argv)
    try:
        platforms.load_for_site(Path(known.root))
    except LoaError as exc:
        print(f"loa: {exc}", file=sys.stderr)
        return 2
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


if __name__ == "__main__":
    sys.exit(main())
