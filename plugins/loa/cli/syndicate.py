"""``loa syndicate``: plan, publish, status, retry, followers, insights."""

from __future__ import annotations

import json
import os
import shutil
import sys

from loa import clock, platforms
from loa.cli.common import open_ledger, set_output, site_of, write_summary
from loa.errors import LoaError
from loa.ledger import FollowerSnapshot, LedgerConflict, LedgerError, now_iso
from loa.syndication import Config, Manifest, Syndicator, read_manifest
from loa.syndication.channels import Unsupported
from loa.syndication.http import PostError
from loa.syndication.insights import read_insights
from loa.syndication.planner import Target, next_due
from loa.syndication.report import (
    plan_json,
    plan_text,
    run_text,
    status_rows,
    status_text,
    wrap,
)
from loa.syndication.runner import no_adapter
from loa.syndication.secrets import MissingSecret


def _syndicator(args, need_manifest: bool = True):
    site = site_of(args)
    registry = site.load_registry()
    settings = site.settings()
    config = Config.from_settings(settings[0] if settings else {})
    manifest = read_manifest(site.root / args.manifest) if need_manifest else Manifest("", "", [])
    ledger = open_ledger(site, config.ledger_author)
    folder = (site.root / args.manifest).parent.parent if need_manifest else None
    return Syndicator(manifest, registry, ledger, config, now=clock.now, media_folder=folder)


def cmd_syndicate_plan(args) -> int:
    """Show what would be posted."""
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
        note = ""
        if args.no_ledger:
            plan = syndicator.plan(only=only, ignore_age=True)
        else:
            if not syndicator.ledger.refresh():
                # No ledger yet: nothing was posted; show what a first run would post.
                note = (
                    "Chưa đăng bài nào lên mạng xã hội (chưa có sổ ghi): dưới đây là nội dung "
                    "mỗi tài khoản sẽ nhận, kể cả bài cũ."
                )
            plan = syndicator.plan(only=only, ignore_age=bool(only) or bool(note))
        if args.format == "json":
            print(plan_json(syndicator, plan))
        elif args.format == "markdown":
            print((f"_{note}_\n\n" if note else "") + plan_text(syndicator, plan, markdown=True))
        else:
            text = (note + "\n" if note else "") + plan_text(syndicator, plan)
            # Wrapped to a terminal (or COLUMNS); a file or a CI artifact keeps each line whole.
            if os.environ.get("COLUMNS") or sys.stdout.isatty():
                text = wrap(text, shutil.get_terminal_size((100, 24)).columns)
            print(text)
        return 0


def cmd_syndicate_publish(args) -> int:
    """Post new articles once to each channel account."""
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
        write_summary(run_text(report, markdown=True))
        set_output("posted", str(sum(1 for o in report.outcomes if o.entry.state == "posted")))
        _output_next_due(syndicator)
        return 1 if report.failed or report.plan.blocked else 0


def _output_next_due(syndicator) -> None:
    """``next_due``: when the hourly run next has something to do (empty: only a new commit)."""
    when = next_due(syndicator.plan(), syndicator.manifest, syndicator.registry, syndicator.now())
    set_output("next_due", when.isoformat() if when else "")


def cmd_syndicate_status(args) -> int:
    """Show what was posted, failed, unknown, waiting."""
    with _syndicator(args) as syndicator:
        if not syndicator.ledger.refresh():
            print(
                "Chưa có sổ ghi (chưa đăng bài nào) — chạy “loa syndicate publish --bootstrap” một lần."
            )
            return 0
        rows = status_rows(syndicator)
        problems = [str(p) for p in syndicator.ledger.problems]
        if args.format == "json":
            print(json.dumps(rows, ensure_ascii=False, indent=2))
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
    with _syndicator(args) as syndicator:
        report = syndicator.retry(args.article, args.channel)
        print(run_text(report))
        write_summary(run_text(report, markdown=True))
        return 1 if report.failed else 0


def _append_snapshots(syndicator, message: str, **snapshots) -> None:
    """Append follower or interaction snapshots, reading the branch again on a conflict.

    After five conflicts in a row the readings are not dropped in silence: a
    ``LedgerError`` says how many were not recorded.
    """
    for _ in range(5):
        try:
            syndicator.ledger.refresh()
            syndicator.ledger.append(message=message, **snapshots)
            return
        except LedgerConflict:
            continue
    count = sum(len(v) for v in snapshots.values())
    raise LedgerError(
        f"{count} số liệu chưa được ghi: nhánh sổ ghi bị cập nhật 5 lần liền trong lúc ghi "
        "(một lần chạy khác đang ghi)"
    )


def cmd_syndicate_followers(args) -> int:
    """Record each account's follower count in the ledger; never fails a deploy."""
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
                    except (LoaError, TypeError, ValueError, KeyError, AttributeError) as exc:
                        # An answer of an unexpected shape fails this account only.
                        print(
                            f"✗ {name}: câu trả lời không như tài liệu ({exc.__class__.__name__}) — giữ số liệu lần trước."
                        )
                        continue
                    if (
                        not isinstance(count, int)
                        or isinstance(count, bool)
                        or not 0 <= count < 10**12
                    ):
                        print(f"✗ {name}: số người theo dõi không hợp lệ — giữ số liệu lần trước.")
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
            return 1


def cmd_syndicate_insights(args) -> int:
    """Record what each recent post earned (interactions) in the ledger; never fails a deploy."""
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
            return 1
