"""Telegram channel posts through the Bot API: ``sendPhoto`` with a caption, else ``sendMessage``."""

from __future__ import annotations

import re

from loa.platforms.builtin import TELEGRAM
from loa.platforms.compose import compose
from loa.syndication.channels.base import Adapter, Receipt, code_of, count, dig, text_id
from loa.syndication.http import (
    AUTH,
    CONFIG,
    CONTENT,
    PERMISSION,
    RATE_LIMITED,
    TRANSIENT,
    PostError,
    Response,
)
from loa.syndication.manifest import ManifestArticle
from loa.syndication.messages import (
    Message,
    album,
    video_fallback,
    video_line,
    with_album,
)

CAPTION_MAX = TELEGRAM.limits["caption"]
TEXT_MAX = TELEGRAM.limits["text"]
# "Bots can currently send video files of up to 50 MB in size" (Bot API sendVideo, as in
# https://docs.rs/tg_bot_models/latest/tg_bot_models/struct.SendVideo.html); thumbnail
# JPEG < 200 kB, ≤ 320 px, uploaded as a new file (multipart) only.
VIDEO_MAX_BYTES = 50 * 1024 * 1024
# A public username: 5–32 letters, digits and underscores (core.telegram.org/bots/api#chat).
USERNAME = re.compile(r"[A-Za-z0-9_]{5,32}")


class Telegram(Adapter):
    """A channel (or group) the bot administers."""

    platform = "telegram"

    def _url(self, method: str) -> str:
        token = self.secrets.get(self.account.get("token_env"))
        return f"{self.base}/bot{token}/{method}"

    def render(self, article: ManifestArticle) -> Message:
        """HTML-mode text: bold title, lead, source, link, hashtags; fitted to 1024 or 4096.

        An article with a video: ``sendVideo`` of the burned-in rendition with the
        caption, streaming on, its thumbnail; over 50 MB, the usual post and one line why.
        """
        video = article.video or {}
        size = (video.get("sizes") or {}).get("burned", 0)
        sends_video = bool(video) and 0 < size <= VIDEO_MAX_BYTES
        # The recipe (platforms/builtin.TELEGRAM_POST): a caption under a picture or a video.
        text = compose(article, "telegram", image=bool(article.image) or sends_video).text
        photos = [] if sends_video else album(article, "telegram")
        note = ""
        if video and not sends_video:
            note = video_fallback(
                "Telegram", f"bản video nặng {size / 1e6:.0f} MB, quá 50 MB bot được gửi"
            )
        if sends_video:
            fields = {
                "chat_id": self.account.account,
                "caption": text,
                "parse_mode": "HTML",
                "supports_streaming": True,
                "duration": round(float(video.get("duration") or 0)),
                "width": 1080,
                "height": 1920,
                "video_file": video["files"]["burned"],
                "thumb_file": video["files"].get("thumb", ""),
            }
            method, note = "sendVideo", video_line(article, "burned")
        elif photos:
            # sendMediaGroup: 2–10 photos, the caption on the first (core.telegram.org/bots/api#sendmediagroup)
            media = [{"type": "photo", "media": p["url"]} for p in photos]
            media[0].update(caption=text, parse_mode="HTML")
            fields = {"chat_id": self.account.account, "media": media}
            method = "sendMediaGroup"
        elif article.image:
            fields = {
                "chat_id": self.account.account,
                "photo": article.image,
                "caption": text,
                "parse_mode": "HTML",
            }
            method = "sendPhoto"
        else:
            fields = {
                "chat_id": self.account.account,
                "text": text,
                "parse_mode": "HTML",
                "link_preview_options": {"url": article.url, "prefer_large_media": True},
            }
            method = "sendMessage"
        message = Message(
            "telegram",
            self.account.account,
            text,
            article.url,
            article.image,
            article.title,
            {"method": method, **fields},
            video=note,
        )
        return with_album(message, photos, article)

    def post(self, message: Message) -> Receipt:
        """Send and return the message id and its t.me link."""
        fields = dict(message.fields)
        method = fields.pop("method")
        if method == "sendVideo":
            reply = self._send_video(fields)
        else:
            reply = self.http.request("POST", self._url(method), json=fields)
        data = reply.data if isinstance(reply.data, dict) else None
        if data is None:
            if reply.status >= 500:
                raise PostError(
                    TRANSIENT, f"Telegram trả lỗi máy chủ {reply.status}", status=reply.status
                )
            if reply.status == 200:
                raise PostError(
                    "unknown",
                    "Telegram trả lời không đọc được — bài có thể đã đăng, kiểm tra kênh trước khi đăng lại",
                    status=200,
                )
            raise PostError(
                TRANSIENT,
                f"Telegram trả lời không đọc được (HTTP {reply.status})",
                status=reply.status,
            )
        if data.get("ok") is True:
            # Sent. An answer of an odd shape is kept as far as it is safe (a message id is
            # a plain number, the chat an object), never "unknown".
            result = data.get("result")
            if isinstance(
                result, list
            ):  # an album: one message per photo, the first one is the post
                result = result[0] if result else None
            number = count(dig(result, "message_id"))
            message_id = "" if number is None else str(number)
            chat = dig(result, "chat")
            link = (
                self.link(chat if isinstance(chat, dict) else {}, message_id) if message_id else ""
            )
            return Receipt(message_id, link)
        raise self.error(reply, data)

    def _send_video(self, fields: dict) -> Response:
        """``sendVideo`` as multipart: the file and its thumbnail as parts of their own."""
        videos = self.settings.get("videos")
        if videos is None:
            raise PostError(CONFIG, "không có nguồn video để gửi lên Telegram")
        files = {"video": ("video.mp4", videos.read(fields.pop("video_file")), "video/mp4")}
        thumb = fields.pop("thumb_file", "")
        form = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in fields.items()}
        if thumb:  # an InputFile of its own (JPEG < 200 kB, ≤ 320 px)
            files["thumbnail"] = ("thumb.jpg", videos.read(thumb), "image/jpeg")
        return self.http.request("POST", self._url("sendVideo"), data=form, files=files)

    def link(self, chat: dict, message_id: str) -> str:
        """``https://t.me/<username>/<id>``, or ``t.me/c/…`` for a private channel."""
        username = chat.get("username")
        if not (isinstance(username, str) and USERNAME.fullmatch(username)):
            username = self.account.get("username") or ""
        if not username and str(self.account.account).startswith("@"):
            username = str(self.account.account)[1:]
        if username:
            return f"https://t.me/{username}/{message_id}"
        chat_id = text_id(chat.get("id")) or str(self.account.account)
        if chat_id.startswith("-100"):
            return f"https://t.me/c/{chat_id[4:]}/{message_id}"
        return ""

    def error(self, reply: Response, data: dict) -> PostError:
        """Classify a Bot API error (spec §3.4)."""
        code = code_of(data.get("error_code")) or reply.status or 0
        description = self.secrets.mask(str(data.get("description") or ""))
        params = data.get("parameters") or {}
        variable = self.account.get("token_env")
        if code == 429:
            return PostError(
                RATE_LIMITED,
                f"Telegram yêu cầu chờ: {description}",
                retry_after=float(count(dig(params, "retry_after")) or 30),
                status=code,
            )
        if code == 401 or (
            code == 404 and "not found" in description.lower() and "chat" not in description.lower()
        ):
            return PostError(
                AUTH,
                f"token Telegram không hợp lệ hoặc đã bị thu hồi — lấy token mới từ @BotFather và lưu vào biến {variable}",
                status=code,
            )
        if code == 403:
            return PostError(
                PERMISSION,
                f"bot không có quyền đăng vào {self.account.account} ({description}) — thêm bot làm quản trị viên kênh với quyền đăng bài",
                status=code,
            )
        if code == 400 and "chat not found" in description.lower():
            return PostError(
                CONFIG,
                f"không tìm thấy kênh {self.account.account} — kiểm tra chat_id trong units.yml và quyền quản trị của bot",
                status=code,
            )
        if code >= 500:
            return PostError(TRANSIENT, f"Telegram lỗi máy chủ {code}: {description}", status=code)
        return PostError(CONTENT, f"Telegram từ chối bài: {description}", status=code)

    def followers(self) -> int:
        """The channel's member count (``getChatMemberCount``)."""
        reply = self.http.request(
            "POST", self._url("getChatMemberCount"), json={"chat_id": self.account.account}
        )
        data = reply.data if isinstance(reply.data, dict) else {}
        if data.get("ok"):
            return self.follower_count(data.get("result"))
        raise self.error(reply, data)
