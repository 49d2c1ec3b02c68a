"""``loa syndicate``: plan, publish, status, retry, followers, insights."""

from __future__ import annotations

import argparse
import sys

from loa import clock, platforms
from loa.cli.common import _output, _site, _summary
from loa.errors import LoaError


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


def cmd_syndicate_plan(args) -> int:
    """Show what would be posted."""
    from loa.syndication.report import plan_json, plan_text

    with _syndicator(args) as syndicator:
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


def cmd_syndicate_publish(args) -> int:
    """Post new articles once to each channel account."""
    from loa.syndication.report import plan_text, run_text

    with _syndicator(args) as syndicator:
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


def cmd_syndicate_status(args) -> int:
    """Show what was posted, failed, unknown, waiting."""
    import json as _json

    from loa.syndication.report import status_rows, status_text

    with _syndicator(args) as syndicator:
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


def cmd_syndicate_retry(args) -> int:
    """Post again what is unknown or failed for one article."""
    from loa.syndication.report import run_text

    with _syndicator(args) as syndicator:
        report = syndicator.retry(args.article, args.channel)
        print(run_text(report))
        _summary(run_text(report, markdown=True))
        return 1 if report.failed else 0


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

    with _syndicator(args, need_manifest=False) as syndicator:
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
                        FollowerSnapshot(
                            channel.platform, channel.account, unit.slug, count, now_iso()
                        )
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


def cmd_syndicate_insights(args) -> int:
    """Record what each recent post earned (interactions) in the ledger; never fails a deploy."""
    from loa.ledger import LedgerError
    from loa.syndication.insights import read_insights

    with _syndicator(args, need_manifest=False) as syndicator:
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


def add_parsers(sub) -> None:
    """Add this group's commands to ``loa``'s parser."""
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
