"""``loa listen``: how fast each unit answers its members — metadata only, hashes and times kept."""

from __future__ import annotations

import datetime as dt
import os

from loa import clock
from loa.cli.common import open_ledger, site_of, write_summary
from loa.errors import LoaError
from loa.ledger import POSTED, LedgerError
from loa.listening import expired, parse_records, salt_from_env
from loa.listening.figures import table
from loa.listening.run import POSTS_DAYS, listen


def _posts(ledger, now: dt.datetime) -> list[tuple[str, str, str, str]]:
    """Loa's own posts of the last POSTS_DAYS days: (channel, account, remote id, public URL)."""
    out = []
    for entry in ledger.entries:
        if entry.state != POSTED or not entry.remote_id:
            continue
        try:
            moment = dt.datetime.fromisoformat(entry.time.replace("Z", "+00:00"))
        except ValueError:
            continue
        if moment.tzinfo and now - moment <= dt.timedelta(days=POSTS_DAYS):
            url = entry.remote_url if entry.remote_url.startswith("https://") else ""
            out.append((entry.channel, entry.account, entry.remote_id, url))
    return out


def cmd_listen(args) -> int:
    """Read, hash, store, say the counts."""
    site = site_of(args)
    registry = site.load_registry()
    salt = salt_from_env()
    now = clock.now()
    with open_ledger(site) as ledger:
        try:
            ledger.refresh()
        except LedgerError as exc:
            raise LoaError(f"Không đọc được sổ ghi: {exc}") from None
        known = parse_records(ledger.listening.values())
        run = listen(
            registry, known, _posts(ledger, now), os.environ, now, salt, only=args.only or ""
        )
        files: dict[str, str] = {}
        for record in run.new:
            files[record.file] = files.get(record.file, "") + record.to_json() + "\n"
        drop = expired(ledger.listening, now, args.retention_months)
        if files or drop:
            try:
                ledger.append(
                    message=f"loa: lắng nghe đoàn viên ({len(run.new)} dòng mới, bỏ {len(drop)} tháng hết hạn)",
                    listening=files,
                    drop=tuple(drop),
                )
            except LedgerError as exc:
                raise LoaError(f"Không ghi được sổ ghi: {exc} — lần chạy sau sẽ đọc lại.") from None
    lines = _say(registry, run, drop, now)
    if not args.only:  # the admins' chat gets the daily counts, not the hourly Telegram reads
        _tell_admins(registry, run, lines)
    return 1 if run.failures else 0


ADMIN_CHAT_ENV = "LOA_LISTEN_ADMIN_CHAT"
ADMIN_TOKEN_ENV = "LOA_LISTEN_ADMIN_TOKEN"
# Where the admins answer (native inboxes); never a conversation's own address.
INBOXES = {
    "facebook": "https://business.facebook.com/latest/inbox/all?asset_id={account}",
    "instagram": "https://business.facebook.com/latest/inbox/instagram_direct",
    "zalo": "https://oa.zalo.me/manage/oa?id={account}",
}


def _tell_admins(registry, run, lines: list[str]) -> None:
    """The same counts to a private admin chat (Telegram), with links to the native inboxes; optional."""
    import requests

    from loa.listening.http import api_base

    chat, token = os.environ.get(ADMIN_CHAT_ENV, ""), os.environ.get(ADMIN_TOKEN_ENV, "")
    if not chat or not token:
        return
    links = []
    for unit in registry.all():
        if not unit.listening.configured:
            continue
        for channel in unit.channels:
            if channel.platform in INBOXES:
                links.append(
                    f"{unit.short_name} — {channel.label}: {INBOXES[channel.platform].format(account=channel.account)}"
                )
    text = "\n".join(["Lắng nghe đoàn viên (chỉ số đếm)", *lines, "", "Hộp thư:", *links])[:4000]
    base = api_base("telegram", "https://api.telegram.org")
    try:
        reply = requests.post(
            f"{base}/bot{token}/sendMessage",
            json={"chat_id": chat, "text": text, "link_preview_options": {"is_disabled": True}},
            timeout=(10, 30),
        )
        ok = reply.status_code == 200
    except requests.RequestException:
        ok = False
    print(
        "Đã gửi số liệu vào nhóm quản trị."
        if ok
        else "Không gửi được số liệu vào nhóm quản trị (Telegram)."
    )


def _say(registry, run, drop, now) -> list[str]:
    """Counts only, on stdout and in the CI summary: never a text, a name or an id."""
    names = {u.slug: u.short_name for u in registry.all()}
    lines = [*run.read, *run.failures]
    lines.append(f"Đã ghi {len(run.new)} dòng mới (mã băm và thời điểm) vào sổ ghi.")
    if drop:
        lines.append(f"Đã xoá {len(drop)} tháng quá hạn lưu: {', '.join(drop)}.")
    month = now.astimezone(clock.TIMEZONE).strftime("%Y-%m")
    found = table(registry, list(run.all.values()))  # the site's and loa report's rows
    for row in found.rows:
        if row.month == month:
            shown = row.shown
            lines.append(
                f"{row.name}, {row.label}: {shown['conversations']} cuộc trò chuyện, "
                f"{shown['answered']} đã trả lời, trong 1 giờ {shown['within_hour']}, trong hẹn "
                f"{shown['within_promise']}, trong 24 giờ {shown['within_day']}, trung vị {shown['median']}."
            )
    for post in found.unanswered:
        lines.append(
            f"{names.get(post.unit, post.unit)}: {post.count} bình luận chưa trả lời dưới {post.post}"
        )
    for late in run.overdue:
        lines.append(
            f"⚠ {names.get(late.unit, late.unit)}: {late.waiting} cuộc trò chuyện đang chờ, lâu nhất "
            f"{late.oldest_hours:.0f} giờ — quá hẹn {late.promise_hours:g} giờ."
        )
    for line in lines:
        print(line)
    write_summary("### Lắng nghe đoàn viên\n\n" + "\n".join(f"- {line}" for line in lines))
    return lines
