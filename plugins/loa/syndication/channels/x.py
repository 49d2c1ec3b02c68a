"""X posts through API v2 (``POST /2/tweets``), signed with OAuth 1.0a user context."""

from __future__ import annotations

import json
import time

from requests_oauthlib import OAuth1

from loa.platforms.compose import compose
from loa.syndication.channels.base import (
    DIGITS,
    READY,
    Adapter,
    PostRef,
    Processing,
    Receipt,
    count,
    counts,
    dig,
    text_id,
)
from loa.syndication.http import (
    AUTH,
    CONFIG,
    CONTENT,
    DUPLICATE,
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
    video_line,
    with_album,
)

KEYS = ("consumer_key_env", "consumer_secret_env", "access_token_env", "access_token_secret_env")


class X(Adapter):
    """An X account, posted to with the four OAuth 1.0a credentials named in units.yml."""

    platform = "x"

    def _auth(self) -> OAuth1:
        values = [self.secrets.get(self.account.get(key)) for key in KEYS]
        return OAuth1(*values)

    def _variables(self) -> str:
        return ", ".join(self.account.get(key) for key in KEYS)

    def render(self, article: ManifestArticle) -> Message:
        """Weighted to 280 (Vietnamese tone-marked vowels weigh 2, the URL 23)."""
        text = compose(article, "x").text  # the recipe: platforms/builtin.X_POST
        video = article.video or {}
        photos = [] if video else album(article, "x")
        fields = {"text": text}
        note = ""
        if video:
            # X takes ≤ 1280×1024 ("advanced" limits): the 720×1280 web rendition, and the SRT.
            fields["video"] = {"file": video["files"]["web"], "srt": video["files"].get("srt", "")}
            note = video_line(article, "web")
        if photos:
            fields["photos"] = [{"url": p["url"], "alt": p.get("alt", "")} for p in photos]
        message = Message(
            "x", self.account.account, text, article.url, "", article.title, fields, video=note
        )
        return with_album(message, photos, article)

    def post(self, message: Message) -> Receipt:
        """Create the post (an album: upload up to 4 photos first); its address is ``x.com/<username>/status/<id>``.

        Uploaded media that no post uses expire on their own (``expires_after_secs``):
        a failure between the uploads and the post leaves nothing visible, and the
        next attempt uploads again.
        """
        fields = dict(message.fields)
        photos = fields.pop("photos", None)
        video = fields.pop("video", None)
        if video:
            # Chunked upload; the post is made once X has processed it (``check``/``finish``).
            raise Processing(self._upload_video(video))
        if photos:
            fields["media"] = {"media_ids": [self._upload(photo) for photo in photos]}
        reply = self.http.request(
            "POST",
            f"{self.base}/2/tweets",
            json=fields,
            auth=self._auth(),
        )
        data = reply.data if isinstance(reply.data, dict) else None
        if reply.status in (200, 201) and data and (data.get("data") or {}).get("id"):
            post_id = str(data["data"]["id"])
            return Receipt(post_id, f"https://x.com/{self.account.account}/status/{post_id}")
        raise self.error(reply, data)

    # Chunked media upload, X API v2 (xdevplatform/docs x-api/media/initialize-media-upload.mdx,
    # …/append-media-upload.mdx, …/finalize-media-upload.mdx, …/get-media-upload-status.mdx:
    # "pending" -> "in_progress" -> "failed" | "succeeded"; the media id may not be used
    # before "succeeded"); subtitles: docs.x.com/x-api/media/create-media-subtitles.
    CHUNK = 4 * 1024 * 1024

    def _chunked(self, data: bytes, media_type: str, category: str) -> tuple[str, dict]:
        """INIT, APPEND each chunk, FINALIZE; (media id, FINALIZE's ``data``)."""
        reply = self.http.request(
            "POST", f"{self.base}/2/media/upload/initialize", auth=self._auth(),
            json={"media_type": media_type, "total_bytes": len(data), "media_category": category},
        )  # fmt: skip
        answer = reply.data if isinstance(reply.data, dict) else None
        media_id = text_id(dig(answer, "data", "id"), DIGITS)
        if reply.status not in (200, 201, 202) or not media_id:
            raise (
                self.error(reply, answer)
                if reply.status >= 300
                else PostError(TRANSIENT, "X không trả mã tệp")
            )
        for index, start in enumerate(range(0, len(data), self.CHUNK)):
            part = self.http.request(
                "POST", f"{self.base}/2/media/upload/{media_id}/append", auth=self._auth(),
                files={"media": ("chunk", data[start : start + self.CHUNK], "application/octet-stream")},
                data={"segment_index": str(index)},
            )  # fmt: skip
            if part.status not in (200, 201, 204):
                raise self.error(part, part.data if isinstance(part.data, dict) else None)
        done = self.http.request(
            "POST", f"{self.base}/2/media/upload/{media_id}/finalize", auth=self._auth()
        )
        answer = done.data if isinstance(done.data, dict) else None
        if done.status not in (200, 201):
            raise self.error(done, answer)
        info = dig(answer, "data")
        return media_id, info if isinstance(info, dict) else {}

    def _upload_video(self, video: dict) -> str:
        """Upload the video (and its SRT as subtitles, attached to it); the video's media id."""
        videos = self.settings.get("videos")
        if videos is None:
            raise PostError(CONFIG, "không có nguồn video để tải lên X")
        media_id, _info = self._chunked(videos.read(video["file"]), "video/mp4", "tweet_video")
        if video.get("srt"):
            srt_id, _ = self._chunked(videos.read(video["srt"]), "text/srt", "subtitles")
            reply = self.http.request(
                "POST", f"{self.base}/2/media/subtitles", auth=self._auth(),
                json={"id": media_id, "media_category": "TweetVideo",
                      "subtitles": {"display_name": "Tiếng Việt", "id": srt_id, "language_code": "VI"}},
            )  # fmt: skip
            if reply.status not in (200, 201):
                raise self.error(reply, reply.data if isinstance(reply.data, dict) else None)
        return media_id

    def check(self, message: Message, handle: str) -> str | None:
        """STATUS of the uploaded video: ``READY`` once "succeeded", None while processing."""
        reply = self.http.request(
            "GET", f"{self.base}/2/media/upload", auth=self._auth(),
            params={"command": "STATUS", "media_id": handle},
        )  # fmt: skip
        answer = reply.data if isinstance(reply.data, dict) else None
        if reply.status != 200 or answer is None:
            raise self.error(reply, answer)
        state = dig(answer, "data", "processing_info", "state")
        if state == "succeeded":
            return READY
        if state == "failed":
            why = dig(answer, "data", "processing_info", "error", "message")
            why = why[:200] if isinstance(why, str) and why else "không rõ lý do"
            raise PostError(CONTENT, f"X không xử lý được video: {self.secrets.mask(why)}")
        return None  # pending, in_progress, or a state of an unknown shape: asked again

    def finish(self, message: Message, handle: str) -> Receipt:
        """The post, with the processed video."""
        fields = {"text": message.fields["text"], "media": {"media_ids": [handle]}}
        reply = self.http.request("POST", f"{self.base}/2/tweets", json=fields, auth=self._auth())
        data = reply.data if isinstance(reply.data, dict) else None
        if reply.status in (200, 201) and data is not None and not data.get("errors"):
            # X created the post: an id of an odd shape is kept as far as it is safe (an
            # address only for a plain numeric id), never "unknown".
            post_id = text_id(dig(data, "data", "id"), DIGITS)
            url = f"https://x.com/{self.account.account}/status/{post_id}" if post_id else ""
            return Receipt(post_id, url)
        raise self.error(reply, data)

    def _upload(self, photo: dict) -> str:
        """Upload one photo and its alt text; the media id.

        ``POST /2/media/upload`` (multipart ``media``, ``media_category=tweet_image``),
        then ``POST /2/media/metadata`` for the alt text.

        docs.x.com/x-api/media/upload-media and …/media/quickstart/best-practices
        (up to 4 photos a post; read 2026-12-02). Only ``media`` and ``media_category``:
        X's OpenAPI description 2.167 (xdevplatform/xdk specs/openapi.json, see specs/x.json)
        dropped ``media_type`` and refuses unknown fields; 2.159 required the same two.
        """
        media = self.settings.get("media")
        if media is None:
            raise PostError(CONFIG, "không có nguồn ảnh của album để tải lên X")
        data = media.read(photo["url"])
        reply = self.http.request(
            "POST",
            f"{self.base}/2/media/upload",
            files={"media": ("anh.jpg", data, "image/jpeg")},
            data={"media_category": "tweet_image"},
            auth=self._auth(),
        )
        answer = reply.data if isinstance(reply.data, dict) else None
        media_id = str(((answer or {}).get("data") or {}).get("id") or "")
        if reply.status not in (200, 201) or not media_id.isdigit():
            raise (
                self.error(reply, answer)
                if reply.status not in (200, 201)
                else PostError(TRANSIENT, "X không trả mã ảnh vừa tải lên")
            )
        if photo.get("alt"):
            self.http.request(
                "POST",
                f"{self.base}/2/media/metadata",
                json={"id": media_id, "metadata": {"alt_text": {"text": photo["alt"][:1000]}}},
                auth=self._auth(),
            )
        return media_id

    def error(self, reply: Response, data: dict | None) -> PostError:
        """Classify X's answer (spec §4.3): 429 waits for ``x-rate-limit-reset``; 403 duplicate is final."""
        status = reply.status
        detail = ""
        if isinstance(data, dict):
            detail = str(data.get("detail") or data.get("title") or "")
            errors = data.get("errors")
            first = errors[0] if isinstance(errors, list) and errors else None
            if not detail and isinstance(first, dict):
                detail = str(first.get("message") or first.get("detail") or "")
        detail = self.secrets.mask(detail)
        if status in {200, 201}:
            return PostError(
                "unknown",
                "X trả lời không đọc được — bài có thể đã đăng, kiểm tra tài khoản trước khi đăng lại",
                status=status,
            )
        if status == 429:
            headers = {k.lower(): v for k, v in reply.headers.items()}
            reset = (
                headers.get("x-rate-limit-reset")
                or headers.get("x-user-limit-24hour-reset")
                or headers.get("x-app-limit-24hour-reset")
            )
            # The reset is the server's own epoch second: a real wait, not the one clock's now.
            reset = count(reset)  # a header of another form: X's usual 15 minutes
            wait = max(1.0, reset - time.time()) if reset else 900.0  # clock: allowed
            return PostError(
                RATE_LIMITED,
                f"X giới hạn tần suất: {detail or 'quá nhiều yêu cầu'}",
                retry_after=wait,
                status=status,
            )
        if status == 403 and "duplicate" in detail.lower():
            return PostError(DUPLICATE, "X báo nội dung trùng với một bài đã đăng", status=status)
        if status == 401:
            return PostError(
                AUTH,
                f"thông tin đăng nhập X của {self.account.account} không hợp lệ hoặc đã bị thu hồi — tạo lại và lưu vào các biến {self._variables()}",
                status=status,
            )
        if status == 403:
            return PostError(
                PERMISSION,
                f"X không cho {self.account.account} đăng bài ({detail}) — kiểm tra quyền Read and Write của ứng dụng và gói API",
                status=status,
            )
        if status >= 500 or data is None:
            return PostError(TRANSIENT, f"X lỗi máy chủ {status}", status=status)
        return PostError(CONTENT, f"X từ chối bài: {detail}", status=status)

    def followers(self) -> int:
        """``public_metrics.followers_count`` of the account."""
        reply = self.http.request(
            "GET",
            f"{self.base}/2/users/me",
            params={"user.fields": "public_metrics"},
            auth=self._auth(),
        )
        data = reply.data if isinstance(reply.data, dict) else None
        if reply.status == 200 and data:
            return self.follower_count(dig(data, "data", "public_metrics", "followers_count"))
        raise self.error(reply, data)

    # Post lookup with public metrics, up to 100 ids a call:
    # https://docs.x.com/x-api/fundamentals/data-dictionary/reference (public_metrics:
    # like, retweet, reply, quote, bookmark and impression counts; read 2026-12-02).
    LOOKUP_IDS = 100
    # The field list's name: ``post.fields`` in X's current OpenAPI description (2.167),
    # ``tweet.fields`` before it and in the web docs; X refuses a query parameter it does
    # not define, so Loa asks with the current name and, refused for that name, the older.
    FIELD_NAMES = ("post.fields", "tweet.fields")

    def _lookup(self, ids: list[str]) -> tuple[Response, dict | None]:
        for name in self.FIELD_NAMES:
            reply = self.http.request(
                "GET",
                f"{self.base}/2/tweets",
                params={"ids": ",".join(ids), name: "public_metrics"},
                auth=self._auth(),
            )
            data = reply.data if isinstance(reply.data, dict) else None
            if not (reply.status == 400 and name in json.dumps(data or {})[:2000]):
                break
        return reply, data

    def insights(self, posts: list[PostRef]) -> dict[str, dict[str, int]]:
        """Likes, replies, reposts + quotes and impressions of each post."""
        out: dict[str, dict[str, int]] = {}
        ids = [p.remote_id for p in posts if p.remote_id.isdigit()]
        for start in range(0, len(ids), self.LOOKUP_IDS):
            batch = ids[start : start + self.LOOKUP_IDS]
            reply, data = self._lookup(batch)
            if reply.status != 200 or data is None:
                raise self.error(reply, data)
            for item in data.get("data") or []:
                if not isinstance(item, dict) or str(item.get("id")) not in batch:
                    continue
                metrics = item.get("public_metrics") or {}
                if not isinstance(metrics, dict):
                    continue
                found = counts(
                    reactions=metrics.get("like_count"),
                    comments=metrics.get("reply_count"),
                    shares=metrics.get("retweet_count"),
                    quotes=metrics.get("quote_count"),
                    views=metrics.get("impression_count"),
                )
                if "quotes" in found:
                    found["shares"] = found.get("shares", 0) + found.pop("quotes")
                out[str(item["id"])] = found
        return out
