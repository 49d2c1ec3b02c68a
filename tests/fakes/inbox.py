"""Fakes of the inbox and comment APIs ``loa listen`` reads (spec/video-and-listening.md part B).

- Graph API (Messenger and Instagram): ``GET /{id}/conversations?platform=…``,
  ``GET /{conversation-id}/messages``, ``GET /{post-id}/comments`` — cursor
  pagination (``paging.cursors.after`` + ``paging.next``), the §1.6 error shape,
  a token lacking a permission answers ``(#10)``
  (https://developers.facebook.com/docs/graph-api/reference/page/conversations,
  https://developers.facebook.com/docs/graph-api/reference/conversation/messages/).
- Zalo OA: ``GET /v2.0/oa/listrecentchat`` and ``/v2.0/oa/conversation`` with
  ``data={"offset","count"≤10[,"user_id"]}``, header ``access_token`` (spec B1.3).
- Telegram: ``getUpdates`` (offset confirms), ``getChatAdministrators``;
  ``business_message`` (Bot API 7.2) and discussion-group replies to automatic forwards;
  ``copyMessage`` (https://core.telegram.org/bots/api#copymessage: ``chat_id``,
  ``from_chat_id``, ``message_id``, optional ``reply_markup``; answers a ``MessageId``;
  "Bad Request: message to copy not found", "Bad Request: chat not found",
  "Forbidden: bot was blocked by the user"), and the bot's own messages never
  come back as updates.

Every answer carries the text, names and ids a real platform would send (and
more: the message text even when ``fields=`` did not ask for it), so that a
test proves Loa drops them.
"""

from __future__ import annotations

import datetime as dt
import json

from tests.fakes.facebook import graph_error
from tests.fakes.server import App, Reply


def graph_time(moment: dt.datetime) -> str:
    """Graph's time format: ``2026-12-01T02:00:00+0000``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class GraphInboxFake(App):
    """Pages / Instagram accounts with conversations and comments, by account id."""

    def __init__(self, tokens: dict[str, str]):
        super().__init__()
        self.tokens = dict(tokens)  # account id -> token
        self.lacking: dict[str, str] = {}  # token -> permission it lacks
        self.threads: dict[tuple[str, str], list[dict]] = {}  # (account, platform) -> threads
        self.messages: dict[str, list[dict]] = {}  # thread id -> messages, newest first
        self.comments: dict[str, list[dict]] = {}  # post id -> comments
        self.route("GET", r"/v\d+\.0/(?P<node>[^/]+)/conversations", self.conversations)
        self.route("GET", r"/v\d+\.0/(?P<node>[^/]+)/messages", self.thread_messages)
        self.route("GET", r"/v\d+\.0/(?P<node>[^/]+)/comments", self.post_comments)

    def add_thread(self, account: str, platform: str, thread: str, messages: list[dict]) -> None:
        """A conversation: ``messages`` are {id, time, from_account, name, user_id, text}."""
        items = []
        for m in sorted(messages, key=lambda m: m["time"], reverse=True):
            who = (
                {"id": account, "name": "Trang"}
                if m["from_account"]
                else {
                    "id": m["user_id"],
                    "name": m["name"],
                    "email": f"{m['user_id']}@facebook.com",
                }
            )
            if platform == "instagram" and not m["from_account"]:
                who = {"id": m["user_id"], "username": m["name"]}
            items.append(
                {
                    "id": m["id"],
                    "created_time": graph_time(m["time"]),
                    "from": who,
                    "message": m["text"],
                }
            )
        self.messages[thread] = items
        updated = max(m["time"] for m in messages)
        self.threads.setdefault((account, platform), []).append(
            {
                "id": thread,
                "updated_time": graph_time(updated),
                "snippet": items[0]["message"],
                "_t": updated,
            }
        )
        self.threads[(account, platform)].sort(key=lambda t: t["_t"], reverse=True)

    def _auth(self, request, account: str | None, permission: str) -> Reply | None:
        token = request.param("access_token")
        if (
            not token
            or token not in self.tokens.values()
            or (account and self.tokens.get(account) != token)
        ):
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        if self.lacking.get(token) == permission:
            return graph_error(10, f"(#10) Requires {permission} permission", status=403)
        return None

    def _page(self, request, items: list[dict]) -> Reply:
        limit = int(request.param("limit", 25))
        start = int(request.param("after") or 0)
        chunk = items[start : start + limit]
        body = {"data": [{k: v for k, v in i.items() if not k.startswith("_")} for i in chunk]}
        if start + limit < len(items):
            body["paging"] = {
                "cursors": {"before": str(start), "after": str(start + limit)},
                "next": f"https://graph.facebook.com/v25.0/next?after={start + limit}",
            }
        return Reply(200, body)

    def conversations(self, request, match) -> Reply:
        platform = request.param("platform", "messenger")
        permission = "pages_messaging" if platform == "messenger" else "instagram_manage_messages"
        problem = self._auth(request, match["node"], permission)
        if problem:
            return problem
        if match["node"] not in self.tokens:
            return graph_error(100, "Unsupported get request.", kind="GraphMethodException")
        return self._page(request, self.threads.get((match["node"], platform), []))

    def thread_messages(self, request, match) -> Reply:
        owner = next(
            (a for (a, p), ts in self.threads.items() for t in ts if t["id"] == match["node"]), None
        )
        platform = next(
            (p for (a, p), ts in self.threads.items() for t in ts if t["id"] == match["node"]), ""
        )
        permission = "pages_messaging" if platform == "messenger" else "instagram_manage_messages"
        problem = self._auth(request, owner, permission)
        if problem:
            return problem
        if match["node"] not in self.messages:
            return graph_error(100, "Unsupported get request.", kind="GraphMethodException")
        return self._page(request, self.messages[match["node"]])

    def add_comment(self, account: str, post: str, comment: dict, instagram: bool = False) -> None:
        """A comment {id, time, name, user_id, text, answers: [times]} under ``post``."""
        stamp = "timestamp" if instagram else "created_time"
        replies = [
            {
                "id": f"{comment['id']}_r{i}",
                stamp: graph_time(t),
                "from": {"id": account, "name": "Trang"},
                "message": "Cảm ơn",
            }
            for i, t in enumerate(comment.get("answers", []))
        ]
        item = {
            "id": comment["id"],
            stamp: graph_time(comment["time"]),
            "from": {"id": comment["user_id"], "name": comment["name"]},
            "message": comment["text"],
            ("replies" if instagram else "comments"): {"data": replies},
        }
        if instagram:
            item["username"] = comment["name"]
        self.comments.setdefault(post, []).append(item)

    def post_comments(self, request, match) -> Reply:
        post = match["node"]
        account = post.split("_")[0] if "_" in post else None
        permission = "pages_read_user_engagement" if account else "instagram_manage_comments"
        problem = self._auth(request, account, permission)
        if problem:
            return problem
        return self._page(request, self.comments.get(post, []))


class ZaloInboxFake(App):
    """OAs (by id) with their tokens and members' conversations."""

    def __init__(self, tokens: dict[str, str]):
        super().__init__()
        self.tokens = dict(tokens)  # oa id -> token
        self.lacking: set[str] = set()  # tokens without the messaging permission
        self.chats: dict[str, dict[str, list[dict]]] = {}  # oa -> user -> messages, newest first
        self.route("GET", r"/v2\.0/oa/listrecentchat", self.recent)
        self.route("GET", r"/v2\.0/oa/conversation", self.conversation)

    def add_chat(self, oa: str, user: str, name: str, messages: list[dict]) -> None:
        """Messages {id, time, from_account, text, phone?}."""
        items = []
        for m in sorted(messages, key=lambda m: m["time"], reverse=True):
            mine = m["from_account"]
            items.append(
                {
                    "src": 0 if mine else 1,
                    "time": int(m["time"].timestamp() * 1000),
                    "type": "text",
                    "message": m["text"],
                    "message_id": m["id"],
                    "from_id": oa if mine else user,
                    "to_id": user if mine else oa,
                    "from_display_name": "OA" if mine else name,
                    "from_avatar": f"https://s120-ava-talk.zadn.vn/{user}.jpg",
                    "to_display_name": name if mine else "OA",
                }
            )
        self.chats.setdefault(oa, {})[user] = items

    def _oa(self, request) -> str | Reply:
        token = request.headers.get("access_token", "")
        oa = next((o for o, t in self.tokens.items() if t == token), None)
        if oa is None:
            return Reply(200, {"error": -216, "message": "Access token is invalid"})
        if token in self.lacking:
            return Reply(
                200, {"error": -224, "message": "OA has not granted permission for this API"}
            )
        return oa

    def _data(self, request) -> dict:
        try:
            data = json.loads(request.param("data", "{}"))
        except ValueError:
            data = {}
        return data if isinstance(data, dict) else {}

    def recent(self, request, _match) -> Reply:
        oa = self._oa(request)
        if isinstance(oa, Reply):
            return oa
        data = self._data(request)
        offset, count = int(data.get("offset", 0)), min(int(data.get("count", 5)), 10)
        latest = sorted(
            (msgs[0] for msgs in self.chats.get(oa, {}).values() if msgs),
            key=lambda m: m["time"],
            reverse=True,
        )
        return Reply(
            200, {"error": 0, "message": "Success", "data": latest[offset : offset + count]}
        )

    def conversation(self, request, _match) -> Reply:
        oa = self._oa(request)
        if isinstance(oa, Reply):
            return oa
        data = self._data(request)
        count = int(data.get("count", 5))
        if count > 10:
            return Reply(200, {"error": -201, "message": "count must be at most 10"})
        offset = int(data.get("offset", 0))
        items = self.chats.get(oa, {}).get(str(data.get("user_id")), [])
        return Reply(
            200, {"error": 0, "message": "Success", "data": items[offset : offset + count]}
        )


class TelegramInboxFake(App):
    """One bot: pending updates (dropped once confirmed by ``offset``) and group administrators."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token
        self.updates: list[dict] = []
        self.admins: dict[str, list[int]] = {}
        self.not_admin: set[str] = set()
        self.sent: list[dict] = []
        self.chats: dict[str, dict[int, dict]] = {}  # chat -> message id -> message (what exists)
        self.member_chats: set[str] = set()  # chats the bot can write to (admin groups, members)
        self.blocked: set[str] = set()  # members who blocked the bot
        self.copies: list[dict] = []  # every successful copyMessage: {to, from, message_id, new_id}
        self.next_update = 700001
        self.route("*", r"/bot(?P<token>[^/]+)/(?P<method>\w+)", self.dispatch)

    def push(self, kind: str, message: dict) -> None:
        """Queue an update (``message`` or ``business_message``); the message now exists in its chat."""
        self.updates.append({"update_id": self.next_update, kind: message})
        self.next_update += 1
        chat = str(message.get("chat", {}).get("id"))
        self.chats.setdefault(chat, {})[message.get("message_id")] = message
        if message.get("chat", {}).get("type") == "private":
            self.member_chats.add(chat)

    def admin_reply(self, admin_chat: str, copy_id: int, admin: dict, when, text: str) -> int:
        """An admin replies, in the admins' group, to the bot's copy ``copy_id``; its message id."""
        chat = self.chats.setdefault(admin_chat, {})
        number = max(chat, default=0) + 1
        self.push(
            "message",
            {
                "message_id": number,
                "date": int(when.timestamp()),
                "chat": {"id": int(admin_chat), "type": "supergroup", "title": "Ban chấp hành"},
                "from": admin,
                "text": text,
                "reply_to_message": chat[copy_id],
            },
        )
        return number

    def copy_message(self, request) -> Reply:
        to, source = str(request.param("chat_id")), str(request.param("from_chat_id"))
        original = self.chats.get(source, {}).get(int(request.param("message_id") or 0))
        if original is None:
            return Reply(
                400,
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: message to copy not found",
                },
            )
        if to in self.blocked:
            return Reply(
                403,
                {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                },
            )
        if to not in self.member_chats:
            return Reply(
                400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
            )
        chat = self.chats.setdefault(to, {})
        number = max(chat, default=0) + 1
        copy = {
            k: v for k, v in original.items() if k not in ("reply_to_message", "forward_origin")
        }
        copy.update(
            message_id=number,
            chat={"id": int(to)},
            **{"from": {"id": 4242, "is_bot": True, "first_name": "Loa"}},
        )
        if request.param("reply_markup"):
            markup = request.param("reply_markup")
            copy["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
        chat[number] = copy  # the bot's own message: never an update
        self.copies.append(
            {"to": to, "from": source, "message_id": original["message_id"], "new_id": number}
        )
        return Reply(200, {"ok": True, "result": {"message_id": number}})

    def dispatch(self, request, match) -> Reply:
        if match["token"] != self.token:
            return Reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        method = match["method"]
        if method == "sendMessage":
            self.sent.append({"chat_id": request.param("chat_id"), "text": request.param("text")})
            return Reply(200, {"ok": True, "result": {"message_id": len(self.sent)}})
        if method == "copyMessage":
            return self.copy_message(request)
        if method == "getChatAdministrators":
            chat = request.param("chat_id")
            if chat in self.not_admin:
                return Reply(
                    400,
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: member list is inaccessible",
                    },
                )
            return Reply(
                200,
                {
                    "ok": True,
                    "result": [
                        {
                            "status": "administrator",
                            "user": {"id": u, "is_bot": False, "first_name": "Admin"},
                        }
                        for u in self.admins.get(chat, [])
                    ],
                },
            )
        if method == "getUpdates":
            offset = int(request.param("offset") or 0)
            if offset:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            limit = int(request.param("limit") or 100)
            return Reply(200, {"ok": True, "result": self.updates[:limit]})
        return Reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})


class ChatwootFake(App):
    """Chatwoot's conversations list and account reporting events, from its swagger/ description.

    ``GET /api/v1/accounts/{id}/conversations`` answers ``{data: {meta, payload}}``
    (25 a page, each conversation with its ``messages``); ``GET
    /api/v1/accounts/{id}/reporting_events`` answers ``{meta: {count,
    current_page, total_pages}, payload}`` and 403 to a non-administrator
    (swagger/paths/application/reporting_events/index.yml).
    """

    PAGE = 25

    def __init__(self, account: int, admin_token: str, agent_token: str = "agent-token"):
        super().__init__()
        self.account = account
        self.admin_token, self.agent_token = admin_token, agent_token
        self.conversations: list[dict] = []
        self.events: list[dict] = []
        self.route(
            "GET", r"/api/v1/accounts/(?P<account>\d+)/conversations", self.list_conversations
        )
        self.route(
            "GET", r"/api/v1/accounts/(?P<account>\d+)/reporting_events", self.reporting_events
        )

    def add(
        self,
        number: int,
        inbox: int,
        created: dt.datetime,
        answers: list[dt.datetime],
        name: str,
        text: str,
    ) -> None:
        """A conversation and, when answered, its ``first_response`` event (the first answer)."""
        self.conversations.append({
            "id": number, "inbox_id": inbox, "status": "open", "timestamp": int(created.timestamp()),
            "messages": [{"content": text, "message_type": 0, "sender": {"name": name}}],
            "meta": {"sender": {"name": name, "phone_number": "+84900000000"}},
        })  # fmt: skip
        if answers:
            first = min(answers)
            self.events.append({
                "id": len(self.events) + 1, "name": "first_response", "value": (first - created).total_seconds(),
                "event_start_time": created.astimezone(dt.UTC).isoformat(), "event_end_time": first.astimezone(dt.UTC).isoformat(),
                "account_id": self.account, "conversation_id": number, "inbox_id": inbox, "user_id": 7,
            })  # fmt: skip

    def _auth(self, request, match, admin: bool) -> Reply | None:
        token = request.headers.get("api_access_token", "")
        if int(match["account"]) != self.account or token not in (
            self.admin_token,
            self.agent_token,
        ):
            return Reply(401, {"error": "You need to sign in or sign up before continuing."})
        if admin and token != self.admin_token:
            return Reply(
                403, {"error": "Access denied - Only administrators can access this endpoint"}
            )
        return None

    def list_conversations(self, request, match) -> Reply:
        problem = self._auth(request, match, admin=False)
        if problem:
            return problem
        inbox = int(request.param("inbox_id", 0))
        page = int(request.param("page", 1))
        items = sorted(
            (c for c in self.conversations if c["inbox_id"] == inbox), key=lambda c: -c["timestamp"]
        )
        chunk = items[(page - 1) * self.PAGE : page * self.PAGE]
        return Reply(200, {"data": {"meta": {"all_count": len(items)}, "payload": chunk}})

    def reporting_events(self, request, match) -> Reply:
        problem = self._auth(request, match, admin=True)
        if problem:
            return problem
        inbox = int(request.param("inbox_id", 0))
        since, until = int(request.param("since", 0)), int(request.param("until", 2**40))
        page = int(request.param("page", 1))
        items = [
            e for e in self.events
            if e["inbox_id"] == inbox and (not request.param("name") or e["name"] == request.param("name"))
            and since <= dt.datetime.fromisoformat(e["event_start_time"]).timestamp() <= until
        ]  # fmt: skip
        total = max(1, -(-len(items) // self.PAGE))
        chunk = items[(page - 1) * self.PAGE : page * self.PAGE]
        return Reply(
            200,
            {
                "meta": {"count": len(items), "current_page": page, "total_pages": total},
                "payload": chunk,
            },
        )
