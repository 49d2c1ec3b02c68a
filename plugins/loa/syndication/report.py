"""How syndication runs, plans and status are shown: terminal text, Markdown (PR, CI summary), JSON."""

from __future__ import annotations

import json
import re

from loa import platforms
from loa.ledger import BOOTSTRAPPED, DUPLICATE, FAILED, POSTED, UNKNOWN, PostState
from loa.mdtext import escape
from loa.syndication.messages import VIDEO_FALLBACK, Message
from loa.syndication.planner import Plan, Target, routes
from loa.syndication.runner import RunReport, Syndicator, no_adapter

STATE_VI = {
    POSTED: "đã đăng",
    DUPLICATE: "trùng (đã có trên kênh)",
    BOOTSTRAPPED: "có từ trước",
    FAILED: "lỗi",
    UNKNOWN: "chưa rõ",
    "processing": "video đang được xử lý (lần chạy sau kiểm tra)",
    "waiting": "chờ đăng",
    "too_old": "quá cũ, không đăng",
    "future": "chưa đến giờ",
    "excluded": "không đăng (syndicate)",
    "blocked": "dừng: sổ ghi có dòng hỏng",
}


def _label(target: Target) -> str:
    kind = " (nhắc lịch)" if target.kind == "reminder" else ""
    return f"{platforms.label(target.channel.platform)} {target.channel.account}{kind}"


def _md_code(text: str) -> str:
    """``text`` in a fence longer than any run of backticks it holds: shown exactly, never rendered."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def account_name(target: Target, registry) -> str:
    """An account as the newsroom names it: "Telegram — CĐCS A" (its own name when it has one)."""
    channel = target.channel
    owner = registry.get(channel.owner) if registry is not None and channel.owner else None
    name = channel.get("name") or (owner.short_name if owner else channel.account)
    kind = " (nhắc lịch)" if target.kind == "reminder" else ""
    return f"{platforms.label(channel.platform)} — {name}{kind}"


def plan_summary(syndicator: Syndicator, plan: Plan) -> list[str]:
    """What the plan comes to, first: how many articles and accounts, and why the others wait."""
    config = syndicator.config
    posting = plan.articles()
    accounts = {(t.channel.platform, t.channel.account) for t in plan.targets}
    waiting = {t.article.id for t in plan.waiting}
    opted_out = [a for a in syndicator.manifest.articles if a.syndicate is False]
    lines = [
        f"Sẽ đăng {len(posting)} bài lên {len(accounts)} tài khoản ({len(plan.targets)} lượt đăng)."
        if posting
        else "Không có bài nào cần đăng lên mạng xã hội."
    ]
    if waiting:
        lines.append(
            f"{len(waiting)} bài chờ lần chạy sau: mỗi lần chỉ đăng tối đa "
            f"{config.max_posts_per_run} bài."
        )
    if plan.too_old:
        lines.append(f"{len(plan.too_old)} bài không đăng vì đã cũ hơn {config.max_age_days} ngày.")
    if plan.future:
        lines.append(f"{len(plan.future)} bài chưa đến ngày đăng.")
    if opted_out:
        lines.append(
            f"{len(opted_out)} bài không đăng lên mạng xã hội theo ý người viết (syndicate: false)."
        )
    return lines


def wrap(text: str, width: int) -> str:
    """Each line wrapped to ``width`` columns (continuations indented; words and links never cut)."""
    import textwrap

    out = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip(" "))]
        if len(line) <= width:
            out.append(line)
            continue
        out.extend(
            textwrap.wrap(
                line.strip(),
                max(20, width),
                initial_indent=indent,
                subsequent_indent=indent + "  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [line]
        )
    return "\n".join(out)


def _message_dict(message: Message | None) -> dict | None:
    if message is None:
        return None
    return {
        "text": message.text,
        "link": message.link,
        "image": message.image,
        "photos": list(message.photos),
        "album_size": message.album_size,
        "video": message.video,
        "fields": message.fields,
    }


def plan_json(syndicator: Syndicator, plan: Plan) -> str:
    """The plan as JSON: each post with its exact message."""
    return json.dumps(
        {
            "posts": [
                {
                    "article": t.article.id,
                    "channel": t.channel.platform,
                    "account": t.channel.account,
                    "attempt": t.attempt,
                    "message": _message_dict(syndicator.render(t)),
                }
                for t in plan.targets
            ],
            "waiting": [
                {
                    "article": t.article.id,
                    "channel": t.channel.platform,
                    "account": t.channel.account,
                }
                for t in plan.waiting
            ],
            "unknown": [
                {
                    "article": t.article.id,
                    "channel": t.channel.platform,
                    "account": t.channel.account,
                }
                for t, _ in plan.unknown
            ],
            "too_old": [a.id for a in plan.too_old],
            "future": [a.id for a in plan.future],
            "blocked": [{"article": a.id, "reason": reason} for a, reason in plan.blocked],
            "problems": plan.problems,
        },
        ensure_ascii=False,
        indent=2,
    )


def plan_text(syndicator: Syndicator, plan: Plan, markdown: bool = False) -> str:
    """The exact text, link and image each account would get, grouped by article."""
    out = []
    registry = syndicator.registry

    def _label(target: Target) -> str:
        return account_name(target, registry)

    if markdown:
        out.append("### Kế hoạch đăng mạng xã hội\n")
        out += [f"{line}  " for line in plan_summary(syndicator, plan)]
        out.append("")
    else:
        out += [*plan_summary(syndicator, plan), ""]
    for article in plan.articles():
        targets = [t for t in plan.targets if t.article.id == article.id]
        if markdown:
            out.append(f"#### {escape(article.title)}\n\n<{article.url}> — {len(targets)} kênh\n")
        else:
            out.append(f"== {article.title}\n   {article.url} ({len(targets)} kênh)")
        for target in targets:
            message = syndicator.render(target)
            if message is None:
                note = no_adapter(target.channel.platform)
                out.append(
                    f"- {_label(target)}: {note}" if markdown else f"   -- {_label(target)}: {note}"
                )
                continue
            image = f"\nẢnh: {message.image}" if message.image else ""
            if message.photos:
                shown = len(message.photos)
                which = f"ảnh 1–{shown}" if shown > 1 else "ảnh 1"
                image = (
                    f"\nAlbum: {shown}/{message.album_size} ảnh ({which}"
                    + (
                        f"; {message.album_size - shown} ảnh sau không gửi được"
                        if shown < message.album_size
                        else ""
                    )
                    + ")"
                )
            if message.video:
                image += f"\nVideo: {message.video}"
            retry = f" (lần thử {target.attempt})" if target.attempt > 1 else ""
            if markdown:
                out.append(
                    f"<details><summary><b>{_label(target)}</b>{retry}</summary>\n\n{_md_code(syndicator.adapter(target).preview(message))}\n\nLiên kết: {message.link}{image}\n\n</details>\n"
                )
            else:
                body = "\n".join(
                    "      " + line
                    for line in syndicator.adapter(target).preview(message).splitlines()
                )
                out.append(
                    f"   -- {_label(target)}{retry}\n{body}\n      [liên kết: {message.link}]{image.replace(chr(10), chr(10) + '      ')}"
                )
    for target, state in plan.unknown:
        out.append(
            f"Chưa rõ: {target.article.id} trên {_label(target)} ({state.last.error or 'lần chạy trước dừng giữa chừng'}) — kiểm tra kênh, rồi “loa syndicate retry {target.article.id} {target.channel.platform}” nếu chưa có bài."
        )
    for target, _state in plan.processing:
        out.append(
            f"Video đang được xử lý: {target.article.id} trên {_label(target)} — lần chạy này kiểm tra lại, không tải lên lần nữa."
        )
    for target, state in plan.exhausted:
        out.append(
            f"Đã thử {state.attempts} lần không được: {target.article.id} trên {_label(target)} — {state.last.error}"
        )
    out += [f"Không đăng {article.id}: {reason}" for article, reason in plan.blocked]
    out.extend(plan.problems)
    return "\n".join(out)


def run_text(report: RunReport, markdown: bool = False) -> str:
    """What a publish or retry run did."""
    if report.bootstrapped:
        return f"Đã khởi tạo sổ ghi: {report.bootstrapped} lượt đăng của các bài hiện có được ghi là đã có, không đăng gì."
    lines = []
    if markdown:
        lines.append("### Loa: đăng mạng xã hội\n")
        if report.outcomes:
            lines.append("| Bài | Kênh | Kết quả |\n|---|---|---|")
    for outcome in report.outcomes:
        entry = outcome.entry
        result = STATE_VI.get(entry.state, entry.state)
        where = entry.remote_url or entry.remote_id
        detail = f"{result}: {where}" if entry.state == POSTED else f"{result}: {entry.error}"
        if entry.state == "processing":
            detail = result
        if outcome.message is not None and outcome.message.video.startswith(VIDEO_FALLBACK):
            detail += f" ({outcome.message.video})"
        label = _label(outcome.target)
        if markdown:
            lines.append(
                f"| {escape(outcome.target.article.title)} | {escape(label)} | {escape(detail)} |"
            )
        else:
            mark = "✓" if outcome.ok else "✗"
            lines.append(f"{mark} {outcome.target.article.id} → {label}: {detail}")
    if not report.outcomes:
        lines.append("Không có bài mới để đăng.")
    if report.plan.waiting:
        lines.append(f"{len({t.article.id for t in report.plan.waiting})} bài chờ lần chạy sau.")
    for target, _state in report.plan.unknown:
        lines.append(
            f"Chưa rõ: {target.article.id} trên {_label(target)} — dùng “loa syndicate retry {target.article.id} {target.channel.platform}” sau khi kiểm tra."
        )
    lines += [f"Không đăng {article.id}: {reason}" for article, reason in report.plan.blocked]
    lines.extend(report.notes)
    lines.extend(report.plan.problems)
    return "\n".join(lines)


def status_rows(syndicator: Syndicator) -> list[dict]:
    """Every article × account with its state, newest article first."""
    states: dict = syndicator.post_states()
    now = syndicator.now()
    plan = syndicator.plan()
    waiting = {t.key for t in (*plan.targets, *plan.waiting)}
    too_old = {a.id for a in plan.too_old}
    blocked = {a.id: reason for a, reason in plan.blocked}
    rows = []
    for article in sorted(syndicator.manifest.articles, key=lambda a: a.published, reverse=True):
        channels = routes(article, syndicator.registry)
        if not channels:
            rows.append(
                {
                    "article": article.id,
                    "title": article.title,
                    "channel": "",
                    "account": "",
                    "state": "excluded",
                    "url": "",
                    "attempts": 0,
                    "error": "",
                }
            )
        for channel in channels:
            key = (article.id, channel.platform, channel.account, "post")
            state: PostState | None = states.get(key)
            if article.id in blocked and (state is None or not state.done):
                code, attempts, url, error = "blocked", 0, "", blocked[article.id]
            elif state is not None:
                code, attempts, last = state.state, state.attempts, state.last
                url = state.posted.remote_url if state.posted else ""
                error = last.error
            else:
                code = (
                    "future"
                    if article.published > now
                    else (
                        "waiting"
                        if key in waiting
                        else ("too_old" if article.id in too_old else "waiting")
                    )
                )
                attempts, url, error = 0, "", ""
            rows.append(
                {
                    "article": article.id,
                    "title": article.title,
                    "channel": channel.platform,
                    "account": channel.account,
                    "state": code,
                    "url": url,
                    "attempts": attempts,
                    "error": error,
                }
            )
    return rows


def status_text(rows: list[dict], markdown: bool = False) -> str:
    """The status table."""
    if markdown:
        out = ["| Bài | Kênh | Trạng thái | Liên kết / lỗi |", "|---|---|---|---|"]
        out += [
            f"| {escape(r['article'])} | {escape(platforms.label(r['channel']) + ' ' + r['account'])} | {STATE_VI.get(r['state'], r['state'])} | {escape(r['url'] or r['error'])} |"
            for r in rows
        ]
        return "\n".join(out)
    out = []
    for r in rows:
        extra = r["url"] or r["error"]
        tries = f" ({r['attempts']} lần)" if r["state"] == FAILED else ""
        out.append(
            f"{r['article']:50} {platforms.label(r['channel']):9} {r['account']:22} {STATE_VI.get(r['state'], r['state'])}{tries}  {extra}"
        )
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["state"]] = counts.get(r["state"], 0) + 1
    out.append("Tổng: " + ", ".join(f"{STATE_VI.get(k, k)} {v}" for k, v in sorted(counts.items())))
    return "\n".join(out)
