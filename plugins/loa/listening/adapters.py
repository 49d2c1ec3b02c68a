"""One reader per network: metadata only, ids hashed before anything leaves the function.

Each reader asks only for the fields it needs (ids, times, who wrote) where the
API lets it choose (Meta's ``fields=``); where the API sends text anyway
(Zalo's conversation, Telegram's updates) the text is never read out of the
parsed answer, and the answer is dropped when the function returns. A raw id
never leaves this module: records carry only ``Hasher.key(...)`` of it.

A member's *request* starts with a member's message after the account's last
answer (or the first message seen) and is answered by the account's first
message after it: a conversation answered twice counts once, a member who
writes again a week later after an answer counts again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from dataclasses import dataclass, field

from loa import clock
from loa.listening.http import MAX_PAGES, AccountFailed, Reader, api_base
from loa.listening.records import Hasher, Record, iso, parse_time

GRAPH_VERSION = "v25.0"
ZALO_PAGE = 10  # "count" ≤ 10 per request for oa/conversation (spec B1.3)


@dataclass
class Context:
    """What every reader needs: the session, the hasher, the start of the window, tokens."""

    reader: Reader
    hasher: Hasher
    since: dt.datetime
    environ: dict
    posts: list = field(
        default_factory=list
    )  # (channel, account, remote_id, remote_url) of Loa's posts
    now: dt.datetime | None = None
    notes: list = field(default_factory=list)  # counts-only sentences for the run's output
    completions: list = field(default_factory=list)  # answers to requests an earlier run recorded

    def token(self, channel, key: str = "token_env") -> str:
        """The account's token from its variable; a missing one fails only this account."""
        name = channel.get(key) or ""
        value = self.environ.get(name, "") if name else ""
        if not value:
            raise AccountFailed(
                f"thiếu biến môi trường {name or key} (token) — thêm nó vào Secrets của kho"
            )
        return value


def requests_in(messages) -> list[tuple[str, dt.datetime, dt.datetime | None]]:
    """(id of the opening member message, when, first answer) from (id, time, by_account) messages."""
    out, opened = [], None
    for mid, moment, by_account in sorted(messages, key=lambda m: m[1]):
        if by_account:
            if opened is not None:
                out.append((opened[0], opened[1], moment))
                opened = None
        elif opened is None:
            opened = (mid, moment)
    if opened is not None:
        out.append((opened[0], opened[1], None))
    return out


def _conversation(ctx, channel, unit, thread, opening, received, answered) -> Record | None:
    if received < ctx.since:
        return None
    return Record(
        "conversation",
        unit,
        channel.platform,
        channel.account,
        ctx.hasher.key(channel.platform, channel.account, thread, opening),
        iso(received),
        iso(answered) if answered else "",
    )


# ---- Meta: Messenger, Instagram ---------------------------------------------------------

# Permissions named when the Graph API refuses (its error code 10 / 200 / 190):
# https://developers.facebook.com/docs/graph-api/reference/page/conversations
# (pages_messaging; for Instagram instagram_manage_messages), comments:
# https://developers.facebook.com/documentation/pages-api/comments-mentions
# (pages_read_user_engagement), https://developers.facebook.com/docs/instagram-platform/comment-moderation
# (instagram_manage_comments).
_PERMISSION_CODES = {10, 200, 3, 230, 299}


def _graph_get(ctx, channel, path: str, params: dict, permission: str) -> dict:
    base = api_base(channel.platform, channel.record.api_base)
    version = channel.get("graph_version") or GRAPH_VERSION
    status, data = ctx.reader.get(
        f"{base}/{version}/{path}", params={**params, "access_token": ctx.token(channel)}
    )
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict) or status >= 400:
        code = error.get("code") if isinstance(error, dict) else None
        if code in _PERMISSION_CODES or (isinstance(code, int) and 200 <= code < 300):
            raise AccountFailed(
                f"token trong {channel.get('token_env')} thiếu quyền “{permission}” — cấp quyền này "
                "cho ứng dụng Meta rồi tạo lại token"
            )
        if code == 190:
            raise AccountFailed(
                f"token trong {channel.get('token_env')} hết hạn hoặc sai — tạo token mới"
            )
        raise AccountFailed(
            f"nền tảng từ chối (HTTP {status}, mã lỗi {code if isinstance(code, int) else '?'})"
        )
    if not isinstance(data, dict):
        raise AccountFailed(f"câu trả lời không phải JSON (HTTP {status})")
    return data


def _graph_list(ctx, channel, path: str, params: dict, permission: str):
    """Every item of a Graph list, following ``paging.cursors.after`` (never a URL the answer gives)."""
    after = None
    for _page in range(MAX_PAGES):
        query = dict(params, **({"after": after} if after else {}))
        data = _graph_get(ctx, channel, path, query, permission)
        items = data.get("data")
        if not isinstance(items, list):
            return
        yield from (i for i in items if isinstance(i, dict))
        paging = data.get("paging") if isinstance(data.get("paging"), dict) else {}
        cursors = paging.get("cursors") if isinstance(paging.get("cursors"), dict) else {}
        after = cursors.get("after") if paging.get("next") else None
        if not isinstance(after, str) or not after:
            return


def moment_of(value) -> dt.datetime | None:
    """An ISO 8601 time from an answer, as an aware datetime; None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return parse_time(value.replace("+0000", "+00:00"))
    except ValueError:
        return None


def _sender(item) -> str:
    who = item.get("from")
    return str(who.get("id", "")) if isinstance(who, dict) else ""


def meta_conversations(ctx, channel, unit, platform: str) -> list[Record]:
    """Messenger (``platform=messenger``) or Instagram DM conversations of one account."""
    permission = "pages_messaging" if platform == "messenger" else "instagram_manage_messages"
    own = channel.account
    out = []
    threads = _graph_list(
        ctx,
        channel,
        f"{own}/conversations",
        {"platform": platform, "fields": "id,updated_time", "limit": 50},
        permission,
    )
    for thread in threads:
        thread_id = str(thread.get("id", ""))
        updated = moment_of(thread.get("updated_time"))
        if not thread_id or (updated is not None and updated < ctx.since):
            continue
        messages = []
        for item in _graph_list(
            ctx,
            channel,
            f"{thread_id}/messages",
            {"fields": "id,created_time,from", "limit": 100},
            permission,
        ):
            moment = moment_of(item.get("created_time"))
            if moment is not None:
                messages.append((str(item.get("id", "")), moment, _sender(item) == own))
            if moment is not None and moment < ctx.since - dt.timedelta(days=7):
                break  # newest first: older history is not this window's
        for opening, received, answered in requests_in(messages):
            record = _conversation(ctx, channel, unit, thread_id, opening, received, answered)
            if record:
                out.append(record)
    return out


def meta_comments(ctx, channel, unit) -> list[Record]:
    """Top-level comments under Loa's own posts on a Facebook Page or Instagram account."""
    own = channel.account
    instagram = channel.platform == "instagram"
    permission = "instagram_manage_comments" if instagram else "pages_read_user_engagement"
    replies = "replies" if instagram else "comments"
    stamp = "timestamp" if instagram else "created_time"
    fields = f"id,{stamp},from,{replies}{{{stamp},from}}"
    out = []
    for platform, account, remote_id, url in ctx.posts:
        if platform != channel.platform or account != own or not remote_id:
            continue
        for item in _graph_list(
            ctx, channel, f"{remote_id}/comments", {"fields": fields, "limit": 100}, permission
        ):
            moment = moment_of(item.get(stamp))
            if moment is None or moment < ctx.since or _sender(item) == own:
                continue
            answers = item.get(replies)
            answers = answers.get("data") if isinstance(answers, dict) else None
            times = [
                moment_of(r.get(stamp))
                for r in (answers if isinstance(answers, list) else [])
                if isinstance(r, dict) and _sender(r) == own
            ]
            times = [t for t in times if t is not None and t >= moment]
            out.append(
                Record(
                    "comment",
                    unit,
                    channel.platform,
                    own,
                    ctx.hasher.key(channel.platform, own, "comment", str(item.get("id", ""))),
                    iso(moment),
                    iso(min(times)) if times else "",
                    url,
                )
            )
    return out


# ---- Zalo OA -----------------------------------------------------------------------------

# Read API (community code; spec B1.3): GET /v2.0/oa/listrecentchat and
# /v2.0/oa/conversation with data={"user_id","offset","count"≤10}; messages carry
# message_id, from_id, time (ms). https://github.com/Kenidaso/zalo_project (server.js)


def _zalo_get(ctx, channel, path: str, data: dict) -> list:
    base = api_base("zalo", channel.record.api_base)
    status, body = ctx.reader.get(
        f"{base}/v2.0/oa/{path}",
        params={"data": json.dumps(data, separators=(",", ":"))},
        headers={"access_token": ctx.token(channel)},
    )
    if not isinstance(body, dict):
        raise AccountFailed(f"câu trả lời của Zalo không phải JSON (HTTP {status})")
    code = body.get("error")
    if code not in (0, None):
        if code in (-216, -124):
            raise AccountFailed(
                f"token trong {channel.get('token_env')} hết hạn hoặc sai — chạy “loa tokens refresh zalo”"
            )
        if code in (-201, -209, -214, -217, -224, -230, -232):
            raise AccountFailed(
                f"ứng dụng Zalo chưa được OA cấp quyền “Quản lý tin nhắn” (mã lỗi {code}) — "
                "cấp quyền này trong Zalo for Developers rồi tạo lại token"
            )
        raise AccountFailed(f"Zalo từ chối (mã lỗi {code if isinstance(code, int) else '?'})")
    items = body.get("data")
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _zalo_time(item) -> dt.datetime | None:
    value = item.get("time")
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        return None
    return dt.datetime.fromtimestamp(value / 1000, dt.UTC)


def zalo_conversations(ctx, channel, unit) -> list[Record]:
    """The OA's conversations: recent chats, then each member's messages back to the window's start."""
    own = channel.account
    members: list[str] = []
    for page in range(MAX_PAGES):
        items = _zalo_get(
            ctx, channel, "listrecentchat", {"offset": page * ZALO_PAGE, "count": ZALO_PAGE}
        )
        for item in items:
            other = str(
                item.get("to_id") if str(item.get("from_id")) == own else item.get("from_id")
            )
            if other and other != "None" and other not in members:
                members.append(other)
        oldest = min((t for t in map(_zalo_time, items) if t), default=None)
        if len(items) < ZALO_PAGE or (oldest and oldest < ctx.since):
            break
    out = []
    for member in members:
        messages = []
        for page in range(MAX_PAGES):
            items = _zalo_get(
                ctx,
                channel,
                "conversation",
                {"user_id": member, "offset": page * ZALO_PAGE, "count": ZALO_PAGE},
            )
            for item in items:
                moment = _zalo_time(item)
                if moment is not None:
                    messages.append(
                        (str(item.get("message_id", "")), moment, str(item.get("from_id")) == own)
                    )
            oldest = min((t for t in map(_zalo_time, items) if t), default=None)
            if len(items) < ZALO_PAGE or (oldest and oldest < ctx.since - dt.timedelta(days=7)):
                break
        for opening, received, answered in requests_in(messages):
            record = _conversation(ctx, channel, unit, member, opening, received, answered)
            if record:
                out.append(record)
    return out


# ---- Telegram ----------------------------------------------------------------------------

# getUpdates: "Incoming updates are stored on the server until the bot receives
# them … they will not be kept longer than 24 hours" (https://core.telegram.org/bots/api#getupdates).
# Private chats reach the bot as ``business_message`` when an admin's Telegram
# Business account is connected to it (Bot API 7.2): both the member's and the
# admin's messages arrive, so the first answer is seen. Comments are replies in
# the channel's linked discussion group to the channel post's automatic forward
# (``is_automatic_forward``).
#
# Messages to the bot itself (``message`` in a chat of type "private") have no
# inbox: a bot never receives its own messages as updates, and an update goes to
# one reader only, so nobody but ``loa listen`` would ever see them. Loa relays
# them: each is copied into the unit's private admin group (``copyMessage``:
# chat and message ids in, a ``MessageId`` out — the text never passes through
# Loa; https://core.telegram.org/bots/api#copymessage) under a button whose
# callback data names the member's chat and the request; an admin answers by
# replying to that copy (a bot in privacy mode still receives replies to its own
# messages in a group: https://core.telegram.org/bots/features#privacy-mode), and
# the next run copies the answer into the member's chat. The answer counts from
# its delivery — when the member can read it. Because Telegram keeps an update
# only 24 hours, the deploy workflow reads the bot every hour
# (``loa listen --only telegram``), not only in the daily run.


RELAY = re.compile(r"loa1:(\d{1,20}):(\d{1,12})")  # callback data of a relayed copy (≤ 64 bytes)
RELAY_BUTTON = "↩ Trả lời (Reply) tin này để gửi cho đoàn viên"


def _telegram(ctx, channel, method: str, params: dict):
    base = api_base("telegram", channel.record.api_base)
    status, body = ctx.reader.get(f"{base}/bot{ctx.token(channel)}/{method}", params=params)
    if not isinstance(body, dict) or not body.get("ok"):
        if status in (401, 404):
            raise AccountFailed(
                f"token bot trong {channel.get('token_env')} sai hoặc đã bị thu hồi"
            )
        if status in {403, 400}:
            raise AccountFailed(
                "bot chưa là quản trị viên của nhóm thảo luận (quyền đọc tin nhắn nhóm) — thêm bot làm quản trị viên"
            )
        if status == 409:
            raise AccountFailed("bot đang dùng webhook — getUpdates không dùng được cùng lúc")
        raise AccountFailed(f"Telegram từ chối (HTTP {status})")
    return body.get("result")


# A group takes about 20 bot messages a minute (spec B1.4); over it Telegram answers 429 with
# ``parameters.retry_after`` seconds (https://core.telegram.org/bots/api#responseparameters).
MAX_RETRY_AFTER = 60


def _copy(ctx, channel, payload: dict) -> bool:
    """``copyMessage``; True when Telegram answered with a ``MessageId`` (nothing else is read)."""
    base = api_base("telegram", channel.record.api_base)
    for _attempt in range(3):
        status, body = ctx.reader.post(f"{base}/bot{ctx.token(channel)}/copyMessage", payload)
        if status != 429 or not isinstance(body, dict):
            break
        wait = (
            (body.get("parameters") or {}).get("retry_after")
            if isinstance(body.get("parameters"), dict)
            else None
        )
        if not isinstance(wait, int) or isinstance(wait, bool) or not 0 <= wait <= MAX_RETRY_AFTER:
            break
        time.sleep(wait)  # the platform's own figure, bounded
    return status == 200 and isinstance(body, dict) and body.get("ok") is True


def telegram_updates(
    ctx, channel, groups: dict[str, tuple], business: tuple | None, admin_chat: str = ""
) -> list[Record]:
    """Business and private chats (conversations), discussion-group comments, from the bot's updates.

    One bot may serve several units: ``groups`` maps each discussion group to
    its (unit, channel account); ``business`` is the (unit, account) that
    business and private chats belong to, or None when no single unit owns
    them; ``admin_chat`` is that unit's admins' group (the relay).
    """
    admins: dict[str, set[str]] = {}
    for group in groups:
        admins[group] = set()
        for member in _telegram(ctx, channel, "getChatAdministrators", {"chat_id": group}) or []:
            user = member.get("user") if isinstance(member, dict) else None
            if isinstance(user, dict):
                admins[group].add(str(user.get("id")))
    seen = _Seen()
    offset, last = None, None
    for _page in range(MAX_PAGES):
        params = {
            "allowed_updates": json.dumps(["message", "business_message"]),
            "limit": 100,
            "timeout": 0,
        }
        if offset is not None:
            params["offset"] = offset
        try:
            updates = _telegram(ctx, channel, "getUpdates", params) or []
        except AccountFailed:
            if last is None:
                raise
            # A later page failed: keep what the earlier pages gave; whether Telegram took the
            # request as confirming them is unknown, so nothing is delivered (never twice).
            seen.held, seen.undelivered = True, len(seen.replies)
            break
        if not isinstance(updates, list) or not updates:
            break
        for update in updates:
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                continue
            last = update["update_id"]
            _telegram_one(update, groups, admins, seen, admin_chat if business else "")
        # Relayed before the next page confirms this one. A copy the admins' group refused
        # (the bot not in it yet) leaves these updates unconfirmed: the next hourly run
        # tries again while Telegram still keeps them, and delivers nothing meanwhile.
        if not _relay(ctx, channel, seen, admin_chat if business else ""):
            seen.held = True
            break
        offset = last + 1 if last is not None else None
    if last is not None and not seen.held:  # confirm (Telegram drops them after 24 h anyway)
        _telegram(ctx, channel, "getUpdates", {"offset": last + 1, "limit": 1, "timeout": 0})
    if not seen.held:
        _deliver(ctx, channel, seen, admin_chat, business)  # after confirming: never twice
    _say_relay(ctx, seen)
    return _telegram_records(ctx, seen, groups, business)


def _relay(ctx, channel, seen, admin_chat: str) -> bool:
    """Copy this page's private messages to the admins' group; False when the group refused one."""
    pending, seen.pending = seen.pending, []
    if not pending:
        return True
    if not admin_chat:
        seen.unrelayed += len(pending)
        return True
    for chat, mid, opening in pending:
        button = {"text": RELAY_BUTTON, "callback_data": f"loa1:{chat}:{opening}"}
        payload = {
            "chat_id": admin_chat,
            "from_chat_id": chat,
            "message_id": int(mid),
            "reply_markup": {"inline_keyboard": [[button]]},
        }
        if not _copy(ctx, channel, payload):
            seen.refused += 1
            seen.undelivered = len(seen.replies)  # earlier pages' replies wait with the rest
            return False
    return True


def _deliver(ctx, channel, seen, admin_chat: str, business) -> None:
    """Copy the admins' replies into the members' chats; each delivered answer completes its request."""
    failed = 0
    for chat, opening, reply in seen.replies:
        payload = {"chat_id": chat, "from_chat_id": admin_chat, "message_id": reply}
        if business is None or not admin_chat or not _copy(ctx, channel, payload):
            failed += 1
            continue
        moment = ctx.now or clock.now()
        unit, account = business
        key = ctx.hasher.key("telegram", account, "bot", chat, opening)
        ctx.completions.append(
            Record("conversation", unit, "telegram", account, key, iso(moment), iso(moment))
        )
    seen.failed = failed


def _say_relay(ctx, seen) -> None:
    """The relay's troubles, as counts."""
    if seen.refused:
        ctx.notes.append(
            "⚠ Telegram: nhóm quản trị (“telegram_admin_chat”) không nhận tin bot chuyển tới — thêm "
            "bot vào nhóm; các tin nhắn chưa chuyển được giữ lại cho lần chạy sau (Telegram giữ 24 giờ)."
        )
    if seen.unrelayed:
        ctx.notes.append(
            f"⚠ Telegram: {seen.unrelayed} tin nhắn riêng gửi bot chưa chuyển được tới nhóm quản trị "
            "(“telegram_admin_chat” trong units.yml; bot phải là thành viên nhóm) — chưa ai đọc được."
        )
    if seen.undelivered:
        ctx.notes.append(
            f"⚠ Telegram: {seen.undelivered} câu trả lời trong nhóm quản trị chưa gửi tới đoàn viên ở "
            "lần chạy này (đọc bot chưa trọn); nếu lần chạy sau vẫn không gửi, hãy trả lời lại."
        )
    if seen.failed:
        ctx.notes.append(
            f"⚠ Telegram: {seen.failed} câu trả lời trong nhóm quản trị chưa gửi được tới đoàn viên "
            "(đoàn viên có thể đã chặn bot) — hãy trả lời qua kênh khác."
        )


@dataclass
class _Seen:
    chats: dict = field(default_factory=dict)  # chat -> [(message id, time, by account)]
    comments: dict = field(default_factory=dict)  # (group, message id) -> (time, post url)
    answers: dict = field(default_factory=dict)  # (group, message id) -> [times]
    private: list = field(default_factory=list)  # (chat, message id, time, opening message id)
    opened: dict = field(default_factory=dict)  # chat -> this run's open request (its first id)
    pending: list = field(default_factory=list)  # (chat, message id, opening) still to relay
    replies: list = field(default_factory=list)  # (member chat, opening, admin's reply id)
    unrelayed: int = 0  # private messages with no admins' group to go to
    refused: int = 0  # copies the admins' group refused (the run holds its updates)
    failed: int = 0  # answers that could not be delivered
    held: bool = False
    undelivered: int = 0  # admins' replies left undelivered by a broken read


def _telegram_records(ctx, seen, groups, business) -> list[Record]:
    out = []
    if business is not None:
        unit, account = business

        def conversation(ids: tuple, received, answered=None) -> Record:
            key = ctx.hasher.key("telegram", account, *ids)
            return Record("conversation", unit, "telegram", account, key, iso(received),
                          iso(answered) if answered else "")  # fmt: skip

        for chat, messages in seen.chats.items():
            for opening, received, answered in requests_in(messages):
                if received >= ctx.since:
                    out.append(conversation((chat, opening), received, answered))
        for chat, _mid, received, opening in seen.private:
            if received >= ctx.since:
                out.append(conversation(("bot", chat, opening), received))
    for (group, mid), (moment, post) in seen.comments.items():
        unit, account = groups[group]
        times = [t for t in seen.answers.get((group, mid), []) if t >= moment]
        if moment >= ctx.since:
            out.append(
                Record(
                    "comment",
                    unit,
                    "telegram",
                    account,
                    ctx.hasher.key("telegram", account, "comment", group, mid),
                    iso(moment),
                    iso(min(times)) if times else "",
                    post,
                )
            )
    # An answer to a comment an earlier run recorded: "received" is a placeholder
    # (merging keeps the earlier run's time); ``listen`` keeps it only for a known key.
    for (group, mid), times in seen.answers.items():
        if (group, mid) not in seen.comments and times:
            unit, account = groups[group]
            out.append(
                Record(
                    "comment",
                    unit,
                    "telegram",
                    account,
                    ctx.hasher.key("telegram", account, "comment", group, mid),
                    iso(min(times)),
                    iso(min(times)),
                    "",
                )
            )
    return out


def _private(message, chat, seen, admin_chat: str) -> None:
    """A member's message to the bot (kept for the relay), or an admin's reply to a relayed copy."""
    moment = _unix(message.get("date"))
    mid = message.get("message_id")
    if moment is None or not isinstance(mid, int) or isinstance(mid, bool):
        return
    if chat.get("type") == "private":
        who = message.get("from") if isinstance(message.get("from"), dict) else {}
        chat_id = str(chat.get("id"))
        if who.get("is_bot") or str(who.get("id")) != chat_id or not chat_id.isdigit():
            return
        opening = seen.opened.setdefault(chat_id, str(mid))
        seen.private.append((chat_id, str(mid), moment, opening))
        seen.pending.append((chat_id, str(mid), opening))
        return
    parent = message.get("reply_to_message")
    markup = parent.get("reply_markup") if isinstance(parent, dict) else None
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    button = (
        rows[0][0]
        if isinstance(rows, list) and rows and isinstance(rows[0], list) and rows[0]
        else None
    )
    found = RELAY.fullmatch(button.get("callback_data", "")) if isinstance(button, dict) else None
    if found and admin_chat and str(chat.get("id")) == admin_chat:
        seen.replies.append((found.group(1), found.group(2), mid))


def _telegram_one(update, groups, admins, seen, admin_chat: str = "") -> None:
    business = update.get("business_message")
    if isinstance(business, dict):
        chat = business.get("chat") if isinstance(business.get("chat"), dict) else {}
        who = business.get("from") if isinstance(business.get("from"), dict) else {}
        moment = _unix(business.get("date"))
        if chat.get("type") == "private" and moment is not None:
            chat_id = str(chat.get("id"))
            by_account = str(who.get("id")) != chat_id
            seen.chats.setdefault(chat_id, []).append(
                (str(business.get("message_id")), moment, by_account)
            )
        return
    message = update.get("message")
    if not isinstance(message, dict):
        return
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    if chat.get("type") == "private" or (admin_chat and str(chat.get("id")) == admin_chat):
        _private(message, chat, seen, admin_chat)
        return
    group = str(chat.get("id")) if str(chat.get("id")) in groups else f"@{chat.get('username')}"
    if group not in groups:
        return
    moment = _unix(message.get("date"))
    parent = message.get("reply_to_message")
    if moment is None or not isinstance(parent, dict):
        return
    who = message.get("from") if isinstance(message.get("from"), dict) else {}
    by_account = isinstance(message.get("sender_chat"), dict) or str(who.get("id")) in admins[group]
    if parent.get("is_automatic_forward"):
        if not by_account:
            seen.comments[(group, str(message.get("message_id")))] = (
                moment,
                _post_url(parent, groups[group][1]),
            )
        return
    if by_account:
        seen.answers.setdefault((group, str(parent.get("message_id"))), []).append(moment)


def _unix(value) -> dt.datetime | None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        return None
    return dt.datetime.fromtimestamp(value, dt.UTC)


def _post_url(forward: dict, channel_id: str) -> str:
    """The public address of the channel post a discussion thread hangs under."""
    origin = (
        forward.get("forward_origin") if isinstance(forward.get("forward_origin"), dict) else {}
    )
    chat = origin.get("chat") if isinstance(origin.get("chat"), dict) else {}
    username = chat.get("username") or (channel_id[1:] if channel_id.startswith("@") else "")
    number = origin.get("message_id")
    if (
        isinstance(username, str)
        and username.replace("_", "").isalnum()
        and isinstance(number, int)
    ):
        return f"https://t.me/{username}/{number}"
    return ""
