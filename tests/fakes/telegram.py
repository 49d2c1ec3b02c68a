"""A fake Telegram Bot API (spec §3.8): sendMessage, sendPhoto, getChatMemberCount."""

from __future__ import annotations

import hashlib
import html
import json
import re
from html.parser import HTMLParser

from tests.fakes import contract
from tests.fakes.server import App, Reply

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-spoiler",
    "span",
}


class _EntityCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.ok = False
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.ok = False


def error(status: int, description: str, **parameters) -> Reply:
    """The Bot API's error envelope; ``parameters`` (e.g. ``retry_after``) as the API sends them."""
    body = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Reply(status, body)


def too_many_requests(retry_after: int) -> Reply:
    """A 429 with the wait the API asks for."""
    return error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def visible_length(text: str) -> int:
    """Length after entity parsing (tags removed, entities decoded) in UTF-16 code units."""
    return len(html.unescape(re.sub(r"<[^>]+>", "", text)).encode("utf-16-le")) // 2


def parses(text: str) -> bool:
    """Whether Telegram's HTML mode would accept ``text``."""
    if re.search(r"<(?![/a-zA-Z])", text) or re.search(
        r"&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)", text
    ):
        return False
    checker = _EntityCheck()
    checker.feed(text)
    checker.close()
    return checker.ok and not checker.stack


class TelegramFake(App):
    """Bots (by token) that administer chats; posts are kept per chat."""

    contract = contract.load("telegram")

    def __init__(self, tokens: set[str], chats: dict[str, str | None], members: int = 321):
        super().__init__()
        self.tokens = set(tokens)
        self.expired: set[str] = set()
        self.chats = chats  # chat_id -> public username (None for private)
        self.members = members
        self.posts: list[dict] = []
        self._ids: dict[str, int] = {}  # last message id used, by chat
        self.route("*", r"/bot(?P<token>[^/]+)/(?P<method>\w+)", self.dispatch)

    def refuse(self, check) -> Reply:
        """The Bot API's 400 for a request its specification refuses (its own words for lengths)."""
        problem = check.problems[0]
        if check.shape is None:
            return error(404, "Not Found")
        if "units, more than" in problem:
            field = "caption" if "caption" in problem else "text"
            return error(
                400, f"Bad Request: message {'caption ' if field == 'caption' else ''}is too long"
            )
        return error(400, f"Bad Request: {problem}")

    def dispatch(self, request, match) -> Reply:
        token, method = match["token"], match["method"].lower()
        if token not in self.tokens or token in self.expired:
            return error(401, "Unauthorized")
        chat_id = str(request.param("chat_id", ""))
        if chat_id not in self.chats:
            return error(400, "Bad Request: chat not found")
        if method == "getchatmembercount":
            return Reply(200, {"ok": True, "result": self.members})
        if method == "sendmediagroup":
            return self.media_group(request, chat_id)
        if method == "sendvideo":
            return self.video(request, chat_id)
        if method not in ("sendmessage", "sendphoto"):
            return error(404, "Not Found")
        field, limit = ("caption", 1024) if method == "sendphoto" else ("text", 4096)
        text = str(request.param(field, "") or "")
        if method == "sendmessage" and not text:
            return error(400, "Bad Request: message text is empty")
        if method == "sendphoto" and not request.param("photo"):
            return error(400, "Bad Request: there is no photo in the request")
        if request.param("parse_mode") == "HTML" and not parses(text):
            return error(400, "Bad Request: can't parse entities")
        if visible_length(text) > limit:
            what = "message caption is too long" if field == "caption" else "message is too long"
            return error(400, f"Bad Request: {what}")
        message_id = self._next_id(chat_id, 1)
        self.posts.append(
            {
                "chat_id": chat_id,
                "message_id": message_id,
                "method": method,
                field: text,
                "photo": request.param("photo"),
            }
        )
        chat = {
            "id": -1001234567890 if chat_id.startswith("@") else int(chat_id),
            "type": "channel",
            "title": "Kênh thử",
        }
        if self.chats[chat_id]:
            chat["username"] = self.chats[chat_id]
        return Reply(
            200,
            {
                "ok": True,
                "result": {"message_id": message_id, "date": 1700000000, "chat": chat, field: text},
            },
        )

    def _next_id(self, chat_id: str, count: int) -> int:
        """The next message id of a chat, ``count`` ids taken (an album takes one per photo)."""
        first = self._ids.get(chat_id, 0) + 1
        self._ids[chat_id] = first + count - 1
        return first

    def _chat(self, chat_id: str) -> dict:
        chat = {
            "id": -1001234567890 if chat_id.startswith("@") else int(chat_id),
            "type": "channel",
            "title": "Kênh thử",
        }
        if self.chats[chat_id]:
            chat["username"] = self.chats[chat_id]
        return chat

    def media_group(self, request, chat_id: str) -> Reply:
        """``sendMediaGroup``: 2–10 InputMediaPhoto; a caption (≤ 1,024) on any item; one message each."""
        media = request.param("media")
        if isinstance(media, str):
            try:
                media = json.loads(media)
            except ValueError:
                media = None
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            return error(400, "Bad Request: wrong number of media specified: must be 2-10")
        for item in media:
            if not isinstance(item, dict) or item.get("type") != "photo" or not item.get("media"):
                return error(400, "Bad Request: invalid InputMediaPhoto")
            caption = str(item.get("caption") or "")
            if item.get("parse_mode") == "HTML" and not parses(caption):
                return error(400, "Bad Request: can't parse entities")
            if visible_length(caption) > 1024:
                return error(400, "Bad Request: message caption is too long")
        first = self._next_id(chat_id, len(media))
        group = f"1{first:05d}"
        self.posts.append(
            {
                "chat_id": chat_id,
                "message_id": first,
                "method": "sendmediagroup",
                "caption": str(media[0].get("caption") or ""),
                "photos": [item["media"] for item in media],
            }
        )
        chat = self._chat(chat_id)
        result = [
            {"message_id": first + n, "date": 1700000000, "chat": chat, "media_group_id": group}
            for n in range(len(media))
        ]
        result[0]["caption"] = str(media[0].get("caption") or "")
        return Reply(200, {"ok": True, "result": result})

    VIDEO_MAX = 50 * 1024 * 1024  # "Bots can currently send video files of up to 50 MB"

    def video(self, request, chat_id: str) -> Reply:
        """``sendVideo``: an mp4 uploaded as multipart ≤ 50 MB, caption ≤ 1,024, thumbnail
        ``attach://<name>`` naming a JPEG part < 200 kB."""
        part = request.files.get("video")
        if part is None:
            return error(400, "Bad Request: there is no video in the request")
        data = part[1]
        if len(data) > self.VIDEO_MAX:
            return error(413, "Request Entity Too Large")
        if data[4:8] != b"ftyp":
            return error(400, "Bad Request: wrong file identifier/HTTP URL specified")
        caption = str(request.param("caption", "") or "")
        if request.param("parse_mode") == "HTML" and not parses(caption):
            return error(400, "Bad Request: can't parse entities")
        if visible_length(caption) > 1024:
            return error(400, "Bad Request: message caption is too long")
        thumb_bytes = b""
        if "thumbnail" in request.files:  # a new file (it cannot be a file_id or a URL)
            thumb_bytes = request.files["thumbnail"][1]
            if len(thumb_bytes) >= 200_000 or not thumb_bytes.startswith(b"\xff\xd8"):
                return error(400, "Bad Request: thumbnail must be a JPEG under 200 kB")
        message_id = self._next_id(chat_id, 1)
        self.posts.append(
            {
                "chat_id": chat_id,
                "message_id": message_id,
                "method": "sendvideo",
                "caption": caption,
                "video_sha": hashlib.sha256(data).hexdigest(),
                "video_bytes": len(data),
                "thumb_bytes": len(thumb_bytes),
                "supports_streaming": request.param("supports_streaming"),
                "duration": request.param("duration"),
            }
        )
        result = {"message_id": message_id, "date": 1700000000, "chat": self._chat(chat_id),
                  "caption": caption, "video": {"file_id": f"BAAC{message_id}", "duration": 4}}  # fmt: skip
        return Reply(200, {"ok": True, "result": result})
