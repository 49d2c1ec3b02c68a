"""Zalo Official Account articles: create → verify (asynchronous) → getdetail for ``link_view``."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import ClassVar
from urllib.parse import urljoin

from bs4 import BeautifulSoup, NavigableString, Tag

from loa.platforms.builtin import ZALO
from loa.platforms.compose import compose
from loa.syndication.channels.base import (
    READY,
    Adapter,
    Processing,
    Receipt,
    code_of,
    count,
    dig,
    text_id,
)
from loa.syndication.http import (
    AUTH,
    CONFIG,
    CONTENT,
    RATE_LIMITED,
    TRANSIENT,
    PostError,
    Response,
)
from loa.syndication.manifest import ManifestArticle
from loa.syndication.messages import (
    Message,
    album,
    shorten,
    video_fallback,
    video_line,
    with_album,
)
from loa.syndication.tokens import refresh_zalo

TITLE_MAX = ZALO.limits["title"]
AUTHOR_MAX = ZALO.limits["author"]
DESCRIPTION_MAX = ZALO.limits["description"]
AUTH_CODES = {-124, -216}
PROCESSING_CODES = {-214}
RATE_CODES = {-32}
TEXT_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "blockquote",
    "table",
    "pre",
    "dl",
    "hr",
}


def with_photos(blocks: list[dict], photos: list[dict]) -> list[dict]:
    """The album's photos as image blocks, in order with their captions, before the closing link."""
    if not photos:
        return blocks
    images = []
    for photo in photos:
        block = {"type": "image", "url": photo["url"]}
        if photo.get("caption") or photo.get("alt"):
            block["caption"] = photo.get("caption") or photo.get("alt")
        images.append(block)
    return [*blocks[:-1], *images, *blocks[-1:]] if blocks else images


_YOUTUBE_EMBED = re.compile(
    r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([A-Za-z0-9_-]{6,})(?:[?#].*)?$"
)


def video_block(src: str) -> dict | None:
    """A Zalo video block as the official SDK sends it: a watch URL and its ``thumb``.

    zaloplatform/ZaloDotNetSDK src/sdk/utils/JsonUtils.cs (parseArticle2Json) always
    writes ``thumb`` beside ``url`` (or ``video_id``); specs/zalo.json. An embed address
    (``/embed/ID``) becomes ``https://www.youtube.com/watch?v=ID`` and YouTube's own
    still (``i.ytimg.com/vi/ID/hqdefault.jpg``); anything else is not a video Zalo takes.
    """
    match = _YOUTUBE_EMBED.match(src.strip())
    if not match:
        return None
    video = match[1]
    return {
        "type": "video",
        "url": f"https://www.youtube.com/watch?v={video}",
        "thumb": f"https://i.ytimg.com/vi/{video}/hqdefault.jpg",
    }


def body_blocks(html: str, base_url: str, article_url: str, source_line: str = "") -> list[dict]:
    """The article's HTML as Zalo body blocks: text runs, images (absolute URLs), videos."""
    soup = BeautifulSoup(html or "", "html.parser")
    blocks: list[dict] = []
    text: list[str] = []

    def flush() -> None:
        if text:
            blocks.append({"type": "text", "content": "".join(text)})
            text.clear()

    def add_image(img: Tag) -> None:
        src = img.get("src")
        if src:
            flush()
            block = {"type": "image", "url": urljoin(base_url, src)}
            if img.get("alt"):
                block["caption"] = img["alt"]
            blocks.append(block)

    for node in soup.children:
        if isinstance(node, NavigableString):
            if node.strip():
                text.append(f"<p>{node.strip()}</p>")
            continue
        if not isinstance(node, Tag):
            continue
        if node.name == "iframe" and node.get("src"):
            block = video_block(node["src"])
            if block:
                flush()
                blocks.append(block)
            continue
        images = [node] if node.name == "img" else node.find_all("img")
        if node.name in ("figure", "img") or (images and not node.get_text(strip=True)):
            for img in images:
                add_image(img)
            caption = node.find("figcaption") if node.name == "figure" else None
            if caption and caption.get_text(strip=True):
                text.append(f"<p><em>{caption.get_text(strip=True)}</em></p>")
            continue
        for img in images:
            img.decompose()  # a picture inside a paragraph: the text stays, the picture follows
        for a in node.find_all("a", href=True):
            a["href"] = urljoin(base_url, a["href"])
        text.append(str(node))
        for img in images:
            add_image(img)
    closing = f'<p>Đọc bài gốc tại <a href="{article_url}">{article_url}</a></p>'
    if source_line:
        closing = f"<p>{source_line}</p>" + closing
    text.append(closing)
    flush()
    return blocks


def opaque(value, limit: int = 2000) -> str:
    """A token or id Zalo gives (sent back as a form or JSON value): a plain string or number."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    value = str(value).strip()
    return value if len(value) <= limit else ""


class Zalo(Adapter):
    """A Zalo Official Account; its access token goes in the ``access_token`` header."""

    platform = "zalo"

    def __init__(self, *args, **kwargs):
        """An adapter that refreshes its token at most once a run."""
        super().__init__(*args, **kwargs)
        self._refreshed = False

    def _headers(self) -> dict:
        return {"access_token": self.secrets.get(self.account.get("token_env"))}

    def render(self, article: ManifestArticle) -> Message:
        """Title ≤ 150, author ≤ 50, description ≤ 300, the cover and the body as blocks."""
        composed = compose(article, "zalo")  # the recipe: platforms/builtin.ZALO_POST
        title, description = composed.title, composed.text
        author = shorten(", ".join(article.authors) or "Ban Biên tập", AUTHOR_MAX)
        site = article.url.split("/", 3)
        base = "/".join(site[:3]) + "/" if len(site) >= 3 else article.url
        source = f"Nguồn: {article.source}" if article.source else ""
        body = {
            "type": "normal",
            "title": title,
            "author": author,
            "cover": {"cover_type": "photo", "photo_url": article.social_image, "status": "show"},
            "description": description,
            "body": with_photos(
                body_blocks(article.html, base, article.url, source), album(article, "zalo")
            ),
            "status": "show",
            "comment": "show" if self.account.get("comments", True) else "hide",
        }
        message = Message(
            "zalo",
            self.account.account,
            description,
            article.url,
            article.social_image,
            title,
            body,
        )
        if article.video:
            return self._video_article(article, body, message)
        return with_album(message, album(article, "zalo"), article)

    # A video article: the clip uploaded first (``article/upload_video/preparevideo``,
    # multipart, ≤ 50 MB; ``upload_video/verify``: status 1 usable, 2 locked, 3 processing,
    # 4 error, 5 deleted, with the ``video_id`` — spec A7, secondary: a Vietnamese
    # integrator's design doc and the OA Java SDK's example), then the usual article with
    # the video as its first body block (``{"type": "video", "video_id", "thumb"}``, the
    # official .NET SDK's request builder, specs/zalo.json).
    VIDEO_MAX_BYTES = 50 * 1024 * 1024
    VIDEO_STATES: ClassVar[dict] = {2: "bị khoá", 4: "lỗi xử lý", 5: "đã bị xoá"}

    def _video_article(self, article: ManifestArticle, body: dict, message: Message) -> Message:
        video = article.video
        size = int((video.get("sizes") or {}).get("burned") or 0)
        if not 0 < size <= self.VIDEO_MAX_BYTES:
            return replace(message, video=video_fallback(
                "Zalo", f"bản video nặng {size / 1e6:.0f} MB, quá 50 MB Zalo nhận"))  # fmt: skip
        block = {
            "type": "video",
            "video_id": "",
            "thumb": video.get("poster") or article.social_image,
        }
        fields = {**body, "body": [block, *body["body"]], "video_file": video["files"]["burned"]}
        return replace(message, fields=fields, video=video_line(article, "burned"))

    def _upload_video(self, message: Message) -> Receipt:
        videos = self.settings.get("videos")
        if videos is None:
            raise PostError(CONFIG, "không có nguồn video để tải lên Zalo")
        data = videos.read(message.fields["video_file"])
        answer = self._call("POST", "/v2.0/article/upload_video/preparevideo",
                            files={"file": ("video.mp4", data, "video/mp4")})  # fmt: skip
        token = opaque(answer.get("token"))
        if not token:
            raise PostError(TRANSIENT, "Zalo không trả mã tải video")
        raise Processing(token)

    def _video_status(self, token: str) -> tuple[int, str]:
        data = self._call("GET", "/v2.0/article/upload_video/verify", params={"token": token})
        # A status or id of another shape: not usable yet (asked again, until processing_hours).
        return count(data.get("status")) or 0, text_id(data.get("video_id"))

    def check(self, message: Message, handle: str):
        """The uploaded video's status: READY when usable (1), None while processing (3)."""
        status, video_id = self._video_status(handle)
        if status == 1 and video_id:
            return READY
        if status in self.VIDEO_STATES:
            raise PostError(CONTENT, f"video trên Zalo {self.VIDEO_STATES[status]}")
        return None

    def finish(self, message: Message, handle: str) -> Receipt:
        """The video article, made from the processed video (claimed in the ledger first)."""
        status, video_id = self._video_status(handle)
        if status != 1 or not video_id:
            raise PostError(
                TRANSIENT, "Zalo không còn trả mã video dùng được — lần chạy sau tải lại"
            )
        fields = {k: v for k, v in message.fields.items() if k != "video_file"}
        blocks = [dict(b) for b in fields["body"]]
        blocks[0]["video_id"] = video_id
        return self._create({**fields, "body": blocks})

    def _call(self, method: str, path: str, **kwargs) -> dict:
        """One call; on an expired token, refresh once (when the refresh variables exist) and call again."""
        url = f"{self.base}{path}"
        reply = self.http.request(method, url, headers=self._headers(), **kwargs)
        try:
            return self._envelope(reply)
        except PostError as exc:
            if (
                exc.error_class == AUTH
                and not self._refreshed
                and self.account.get("refresh_token_env")
            ):
                self._refreshed = True
                refresh_zalo(self.account, self.secrets, self.http)
                reply = self.http.request(method, url, headers=self._headers(), **kwargs)
                return self._envelope(reply)
            raise

    def _envelope(self, reply: Response) -> dict:
        data = reply.data if isinstance(reply.data, dict) else None
        if data is None:
            if reply.status >= 500:
                raise PostError(TRANSIENT, f"Zalo lỗi máy chủ {reply.status}", status=reply.status)
            raise PostError(
                TRANSIENT, f"Zalo trả lời không đọc được (HTTP {reply.status})", status=reply.status
            )
        code = code_of(data.get("error"))
        if code == 0 and reply.status < 400:
            found = data.get("data")  # a list or a string where the object belongs: empty
            return found if isinstance(found, dict) else {}
        message = self.secrets.mask(str(data.get("message") or ""))
        if code in AUTH_CODES or "access token" in message.lower() or reply.status == 401:
            variables = self.account.get("token_env")
            if self.account.get("refresh_token_env"):
                variables += f" (và {self.account.get('refresh_token_env')})"
            return_error = PostError(
                AUTH,
                f"token Zalo OA {self.account.account} hết hạn hoặc không hợp lệ ({message}) — chạy “loa tokens refresh zalo” hoặc cấp quyền lại cho OA, lưu vào biến {variables}",
                status=code,
            )
            raise return_error
        if code in RATE_CODES or reply.status == 429:
            raise PostError(
                RATE_LIMITED, f"Zalo giới hạn tần suất ({message})", retry_after=60, status=code
            )
        if code in PROCESSING_CODES:
            raise PostError(TRANSIENT, f"Zalo đang xử lý ({message})", status=code)
        if reply.status >= 500:
            raise PostError(
                TRANSIENT, f"Zalo lỗi máy chủ {reply.status}: {message}", status=reply.status
            )
        raise PostError(CONTENT, f"Zalo từ chối bài (mã {code}): {message}", status=code)

    def preview(self, message: Message) -> str:
        """Title, author, description, cover and a summary of the article body."""
        f = message.fields
        blocks = f.get("body", [])
        kinds = {
            k: sum(1 for b in blocks if b.get("type") == k) for k in ("text", "image", "video")
        }
        return "\n".join(
            [
                f"Tiêu đề: {f.get('title')}",
                f"Tác giả: {f.get('author')}",
                f"Mô tả: {f.get('description')}",
                f"Ảnh bìa: {(f.get('cover') or {}).get('photo_url')}",
                f"Nội dung: {len(blocks)} khối ({kinds['text']} đoạn chữ, {kinds['image']} ảnh, {kinds['video']} video), kết thúc bằng liên kết về bài gốc",
                f"Bình luận: {'bật' if f.get('comment') == 'show' else 'tắt'}",
            ]
        )

    def post(self, message: Message) -> Receipt:
        """Create, then verify (retrying while Zalo processes) and read ``link_view``."""
        if "video_file" in message.fields:
            return self._upload_video(message)
        return self._create(message.fields)

    def _create(self, fields: dict) -> Receipt:
        created = self._call("POST", "/v2.0/article/create", json=fields)
        token = opaque(created.get("token"))
        if not token:
            raise PostError("unknown", "Zalo không trả mã xử lý — kiểm tra OA trước khi đăng lại")
        # The article exists from here on: any failure below is "unknown", never "failed".
        try:
            article_id = self.verify(token)
            try:
                link = self.link_view(article_id)
            except PostError:  # the article exists with this id: kept, without its address
                link = ""
            if self.account.get("broadcast"):
                self.broadcast(article_id)
        except PostError as exc:
            raise PostError(
                "unknown",
                f"Zalo đã nhận bài nhưng chưa xác nhận được ({exc.message}) — kiểm tra OA trước khi đăng lại",
            ) from None
        return Receipt(article_id, link)

    def verify(self, token: str) -> str:
        """The article id, once Zalo has processed it (``/v2.0/article/verify``)."""
        config = self.settings.get("config")
        attempts = getattr(config, "poll_attempts", 10)
        for attempt in range(attempts):
            try:
                data = self._call("POST", "/v2.0/article/verify", json={"token": token})
            except PostError as exc:
                if exc.error_class == TRANSIENT and attempt + 1 < attempts:
                    time.sleep(getattr(config, "poll_seconds", 3.0))
                    continue
                raise
            article_id = opaque(data.get("id")) or opaque(data.get("article_id"))
            if article_id:
                return article_id
            time.sleep(getattr(config, "poll_seconds", 3.0))
        raise PostError(TRANSIENT, "Zalo xử lý bài quá lâu")

    def link_view(self, article_id: str) -> str:
        """The public address of the article."""
        data = self._call("GET", "/v2.0/article/getdetail", params={"id": article_id})
        link = data.get("link_view")
        return self.record.own_url(link) if isinstance(link, str) else ""

    def broadcast(self, article_id: str) -> None:
        """Send the article to the OA's followers (off unless ``broadcast: true``)."""
        payload = {
            "recipient": {"target": {}},
            "message": {
                "attachment": {
                    "type": "template",
                    "payload": {
                        "template_type": "media",
                        "elements": [{"media_type": "article", "attachment_id": article_id}],
                    },
                }
            },
        }
        self._call("POST", "/v2.0/oa/message", json=payload)

    def followers(self) -> int:
        """``num_follower`` of the OA (``/v2.0/oa/getoa``)."""
        data = self._call("GET", "/v2.0/oa/getoa")
        return self.follower_count(dig(data, "num_follower"))
