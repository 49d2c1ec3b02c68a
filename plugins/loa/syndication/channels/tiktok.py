"""TikTok photo posts through the Content Posting API (``PULL_FROM_URL`` from the site's own domain)."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from loa.platforms.builtin import TIKTOK
from loa.platforms.compose import compose
from loa.platforms.counting import utf16_length
from loa.syndication.channels.base import (
    DIGITS,
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
    shorten,
    video_line,
    with_album,
)

TITLE_MAX = TIKTOK.limits["title"]
DESCRIPTION_MAX = TIKTOK.limits["description"]
UNAUDITED = "unaudited_client_can_only_post_to_private_accounts"
UNAUDITED_MESSAGE = (
    "TikTok chỉ cho ứng dụng chưa được duyệt (unaudited) đăng bài ở chế độ riêng tư — "
    "đặt “privacy_level: SELF_ONLY” cho tài khoản này trong units.yml và để tài khoản ở chế độ riêng tư, "
    "hoặc gửi ứng dụng cho TikTok duyệt (audit) trước khi đăng công khai"
)


# Video: the caption ≤ 2,200 UTF-16 units; FILE_UPLOAD chunks of 5–64 MB, a file under
# 5 MB (or up to 64 MB) whole, total_chunk_count = floor(size / chunk_size), the last chunk
# taking the rest (≤ 128 MB), 1–1000 chunks, in order, each ``PUT`` with ``Content-Range``
# (https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide). creator_info
# first (https://developers.tiktok.com/doc/content-posting-api-reference-direct-post).
VIDEO_CAPTION_MAX = 2200
MB = 1024 * 1024
CHUNK = 10 * MB


def chunk_plan(size: int, chunk: int = CHUNK) -> tuple[int, int]:
    """(chunk_size, total_chunk_count) for a file of ``size`` bytes, by TikTok's rules."""
    if size <= 64 * MB:
        return max(size, 1), 1
    return chunk, size // chunk


CANNOT_POST = {
    "spam_risk_too_many_posts": "tài khoản đã đăng đủ số bài TikTok cho phép trong ngày",
    "spam_risk_user_banned_from_posting": "tài khoản đang bị TikTok tạm cấm đăng bài",
    "reached_active_user_cap": "ứng dụng đã hết lượt người dùng đăng bài trong ngày của TikTok",
}


def public_id(data: dict) -> str:
    """The first of ``publicaly_available_post_id`` when it is a plain numeric id, else ""."""
    ids = data.get("publicaly_available_post_id")
    return text_id(ids[0], DIGITS) if isinstance(ids, list) and ids else ""


class TikTok(Adapter):
    """A TikTok account; photos are pulled by TikTok from the site's verified domain."""

    platform = "tiktok"
    publishes_when_processed = True  # published at upload / Direct Post

    def _headers(self) -> dict:
        token = self.secrets.get(self.account.get("token_env"))
        return {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json; charset=UTF-8",
        }

    def render(self, article: ManifestArticle) -> Message:
        """Title ≤ 90 and description ≤ 4,000 UTF-16 code units; the photo is the social JPEG."""
        composed = compose(article, "tiktok")  # the recipe: platforms/builtin.TIKTOK_POST
        title, description = composed.title, composed.text
        body = {
            "media_type": "PHOTO",
            "post_mode": "DIRECT_POST",
            "post_info": {
                "title": title,
                "description": description,
                "privacy_level": self.account.get("privacy_level") or "SELF_ONLY",
                "disable_comment": bool(self.account.get("disable_comment", False)),
                "auto_add_music": True,
                "brand_content_toggle": False,
                "brand_organic_toggle": False,
            },
            "source_info": {
                "source": "PULL_FROM_URL",
                "photo_images": [article.social_image],
                "photo_cover_index": 0,
            },
        }
        if article.video:
            return self._render_video(article, title, description, body)
        photos = album(article, "tiktok")
        if photos:  # a photo post of up to 35 images, pulled from the site's verified domain
            body["source_info"]["photo_images"] = [p["url"] for p in photos]
        message = Message(
            "tiktok",
            self.account.account,
            description,
            article.url,
            article.social_image,
            title,
            body,
        )
        return with_album(message, photos, article)

    def _render_video(self, article, title, description, photo_body) -> Message:
        """A video post: the burned-in copy, uploaded in chunks (``FILE_UPLOAD``)."""
        video = article.video
        size = int((video.get("sizes") or {}).get("burned") or 0)
        chunk, count = chunk_plan(size)
        caption = shorten(description, VIDEO_CAPTION_MAX, measure=utf16_length)
        info = dict(photo_body["post_info"], title=caption, video_cover_timestamp_ms=1000)
        for key in ("description", "auto_add_music"):
            info.pop(key, None)
        body = {
            "post_info": info,
            "source_info": {"source": "FILE_UPLOAD", "video_size": size,
                            "chunk_size": chunk, "total_chunk_count": count},
            "video_file": video["files"]["burned"],
            "duration": float(video.get("duration") or 0),
        }  # fmt: skip
        return Message("tiktok", self.account.account, caption, article.url, "", title, body,
                       video=video_line(article, "burned"))  # fmt: skip

    def _post_video(self, message: Message) -> Receipt:
        """creator_info, ``video/init`` (FILE_UPLOAD), the chunks; then TikTok processes it."""
        info = self.creator_info()
        fields = self._fields_for(info, dict(message.fields))
        longest = count(info.get("max_video_post_duration_sec"))
        if longest is not None and fields.get("duration", 0) > longest:
            raise PostError(
                CONTENT,
                f"TikTok chỉ cho tài khoản này đăng video tối đa {longest} giây — bài chưa được đăng",
            )
        videos = self.settings.get("videos")
        if videos is None:
            raise PostError(CONFIG, "không có nguồn video để tải lên TikTok")
        data = videos.read(fields.pop("video_file"))
        fields.pop("duration", None)
        if len(data) != fields["source_info"]["video_size"]:
            chunk, chunks = chunk_plan(len(data))
            fields["source_info"].update(
                video_size=len(data), chunk_size=chunk, total_chunk_count=chunks
            )
        reply = self.http.request(
            "POST", f"{self.base}/v2/post/publish/video/init/", json=fields, headers=self._headers()
        )
        answer = self._envelope(reply)
        publish_id, upload_url = text_id(answer.get("publish_id")), answer.get("upload_url")
        if (
            not publish_id
            or not isinstance(upload_url, str)
            or not self._allowed_upload(upload_url)
        ):
            raise PostError(TRANSIENT, "TikTok không trả địa chỉ tải video lên hợp lệ")
        source = fields["source_info"]
        self._upload_chunks(upload_url, data, source["chunk_size"], source["total_chunk_count"])
        raise Processing(publish_id)

    def _allowed_upload(self, url: str) -> bool:
        """The upload address comes from an answer: only TikTok's own hosts (or the API's)."""
        parts, base = urlsplit(url), urlsplit(self.base)
        if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
            return True
        return parts.scheme == "https" and (parts.hostname or "").endswith(".tiktokapis.com")

    def _upload_chunks(self, url: str, data: bytes, chunk: int, count: int) -> None:
        """``PUT`` each chunk in order with its ``Content-Range``; the last takes the remainder."""
        total = len(data)
        for index in range(count):
            start = index * chunk
            end = total if index == count - 1 else start + chunk
            reply = self.http.request(
                "PUT", url, data=data[start:end],
                headers={"Content-Type": "video/mp4", "Content-Length": str(end - start),
                         "Content-Range": f"bytes {start}-{end - 1}/{total}"},
            )  # fmt: skip
            if reply.status not in (200, 201, 206):
                raise PostError(
                    TRANSIENT if reply.status >= 500 else CONTENT,
                    f"TikTok không nhận phần {index + 1}/{count} của video (HTTP {reply.status})",
                )

    def check(self, message: Message, handle: str):
        """``status/fetch``: the post once PUBLISH_COMPLETE, None while processing."""
        reply = self.http.request(
            "POST", f"{self.base}/v2/post/publish/status/fetch/",
            json={"publish_id": handle}, headers=self._headers(),
        )  # fmt: skip
        data = self._envelope(reply)
        status = data.get("status")  # any other shape: still processing
        if status == "PUBLISH_COMPLETE":
            post = public_id(data)
            if post:
                return Receipt(post, f"https://www.tiktok.com/@{self.account.account}/video/{post}")
            return Receipt(handle, "")  # private (SELF_ONLY), or an odd id: no public address
        if status == "FAILED":
            why = data.get("fail_reason")
            why = why[:200] if isinstance(why, str) and why else "không rõ lý do"
            raise PostError(CONTENT, f"TikTok không đăng được video: {self.secrets.mask(why)}")
        return None

    def _envelope(self, reply: Response) -> dict:
        data = reply.data if isinstance(reply.data, dict) else None
        if data is None:
            if reply.status >= 500 or reply.status == 0:
                raise PostError(
                    TRANSIENT, f"TikTok lỗi máy chủ {reply.status}", status=reply.status
                )
            raise PostError(
                "unknown" if reply.status == 200 else TRANSIENT,
                f"TikTok trả lời không đọc được (HTTP {reply.status})",
                status=reply.status,
            )
        code = dig(data, "error", "code")
        code = code if isinstance(code, str) and code else ("ok" if reply.status == 200 else "")
        if code == "ok" and reply.status < 400:
            found = data.get("data")  # a list or a string where the object belongs: empty
            return found if isinstance(found, dict) else {}
        message = dig(data, "error", "message")
        message = message[:300] if isinstance(message, str) else ""
        raise self.error(code[:100], self.secrets.mask(message), reply.status)

    def error(self, code: str, message: str, status: int) -> PostError:
        """Classify TikTok's error codes (spec §6.4–6.5)."""
        variable = self.account.get("token_env")
        if code == UNAUDITED:
            return PostError(PERMISSION, UNAUDITED_MESSAGE, status=status)
        if code == "access_token_invalid":
            return PostError(
                AUTH,
                f"token TikTok của @{self.account.account} hết hạn hoặc không hợp lệ — làm mới token và lưu vào biến {variable}",
                status=status,
            )
        if code.startswith("scope_"):
            return PostError(
                PERMISSION,
                f"ứng dụng TikTok thiếu quyền ({code}) — cấp quyền video.publish cho ứng dụng",
                status=status,
            )
        if code == "url_ownership_unverified":
            return PostError(
                CONFIG,
                "TikTok chưa xác minh tên miền của trang — xác minh tên miền trong TikTok Developer Portal (xem README)",
                status=status,
            )
        if code == "privacy_level_option_mismatch":
            return PostError(
                CONFIG,
                "privacy_level trong units.yml không nằm trong các lựa chọn TikTok cho phép với tài khoản này — sửa privacy_level",
                status=status,
            )
        if code == "rate_limit_exceeded":
            return PostError(
                RATE_LIMITED, "TikTok giới hạn tần suất", retry_after=60, status=status
            )
        if code.startswith("spam_risk") or code == "reached_active_user_cap":
            return PostError(
                RATE_LIMITED,
                f"TikTok tạm chặn đăng bài ({code}) — thử lại sau",
                retry_after=86400,
                status=status,
            )
        if code == "internal_error" or status >= 500:
            return PostError(TRANSIENT, f"TikTok lỗi tạm thời ({code})", status=status)
        return PostError(CONTENT, f"TikTok từ chối bài ({code}): {message}", status=status)

    def preview(self, message: Message) -> str:
        """Title, who may see it, and the description."""
        info = message.fields.get("post_info", {})
        return f"Tiêu đề: {info.get('title')}\nQuyền xem: {info.get('privacy_level')}\nMô tả:\n{info.get('description')}"

    def creator_info(self) -> dict:
        """``creator_info/query``: what this creator may post now (asked before every post).

        TikTok's Direct Post reference: query creator info first; ``privacy_level`` must be
        one of its ``privacy_level_options``; a creator who cannot post now is refused there
        (developers.tiktok.com/doc/content-posting-api-reference-direct-post, read 2026-12-03;
        specs/tiktok.json).
        """
        reply = self.http.request(
            "POST",
            f"{self.base}/v2/post/publish/creator_info/query/",
            headers=self._headers(),
        )
        try:
            return self._envelope(reply)
        except PostError as exc:
            code = (
                dig(reply.data, "error", "code")
                if isinstance(dig(reply.data, "error", "code"), str)
                else ""
            )
            if code in CANNOT_POST:
                raise PostError(
                    RATE_LIMITED,
                    f"TikTok không cho @{self.account.account} đăng bài lúc này: {CANNOT_POST[code]} "
                    f"({code}) — bài chưa được đăng, lần chạy sau sẽ thử lại",
                    retry_after=86400,
                    status=exc.status,
                ) from None
            raise

    def _fields_for(self, info: dict, fields: dict) -> dict:
        """The post's fields with the creator's options obeyed, or a Vietnamese refusal."""
        offered = info.get("privacy_level_options")
        offered = offered if isinstance(offered, list) else []
        options = [o[:100] for o in offered[:20] if isinstance(o, str)]
        post_info = dict(fields.get("post_info") or {})
        wanted = post_info.get("privacy_level")
        if wanted not in options:
            raise PostError(
                CONFIG,
                f"privacy_level “{wanted}” của tài khoản TikTok @{self.account.account} không nằm trong "
                f"các lựa chọn TikTok cho phép lúc này ({', '.join(options) or 'không có'}) — "
                "sửa privacy_level trong units.yml; bài chưa được đăng",
            )
        if info.get("comment_disabled") is True:
            post_info["disable_comment"] = True  # the creator turned comments off
        return {**fields, "post_info": post_info}

    def post(self, message: Message) -> Receipt:
        """Ask creator info, init the photo post, then poll its status (a video: uploaded, checked later)."""
        if "video_file" in message.fields:
            return self._post_video(message)
        if not message.image:
            raise PostError(CONTENT, "bài không có ảnh JPEG để đăng TikTok")
        base = self.base
        fields = self._fields_for(self.creator_info(), message.fields)
        reply = self.http.request(
            "POST",
            f"{base}/v2/post/publish/content/init/",
            json=fields,
            headers=self._headers(),
        )
        publish_id = str(self._envelope(reply).get("publish_id") or "")
        if not publish_id:
            raise PostError(
                "unknown", "TikTok không trả publish_id — kiểm tra tài khoản trước khi đăng lại"
            )
        # From here the post exists: polling only learns its public id.
        config = self.settings.get("config")
        for _ in range(getattr(config, "poll_attempts", 10)):
            try:
                reply = self.http.request(
                    "POST",
                    f"{base}/v2/post/publish/status/fetch/",
                    json={"publish_id": publish_id},
                    headers=self._headers(),
                )
                data = self._envelope(reply)
            except PostError:
                break
            status = str(data.get("status") or "")
            if status == "PUBLISH_COMPLETE":
                post = public_id(data)
                if post:
                    return Receipt(
                        post, f"https://www.tiktok.com/@{self.account.account}/photo/{post}"
                    )
                return Receipt(publish_id, "")  # private (SELF_ONLY) posts have no public address
            if status == "FAILED":
                raise PostError(
                    CONTENT,
                    f"TikTok không đăng được ảnh: {data.get('fail_reason') or 'không rõ lý do'}",
                )
            time.sleep(getattr(config, "poll_seconds", 3.0))
        return Receipt(publish_id, "")

    def followers(self) -> int:
        """``follower_count`` from ``/v2/user/info/``."""
        reply = self.http.request(
            "GET",
            f"{self.base}/v2/user/info/",
            params={"fields": "follower_count"},
            headers=self._headers(),
        )
        return self.follower_count(dig(self._envelope(reply), "user", "follower_count"))

    # Query Videos (scope video.list), up to 20 ids a call; photo posts are
    # returned too. https://developers.tiktok.com/doc/tiktok-api-v2-video-query
    # (read 2026-12-02). A private post (no public id) has no counts: unknown.
    QUERY_IDS = 20
    QUERY_FIELDS = "id,like_count,comment_count,share_count,view_count"

    def insights(self, posts: list[PostRef]) -> dict[str, dict[str, int]]:
        """Likes, comments, shares and views of each public post."""
        out: dict[str, dict[str, int]] = {}
        ids = [p.remote_id for p in posts if p.remote_url and p.remote_id.isdigit()]
        for start in range(0, len(ids), self.QUERY_IDS):
            batch = ids[start : start + self.QUERY_IDS]
            reply = self.http.request(
                "POST",
                f"{self.base}/v2/video/query/",
                params={"fields": self.QUERY_FIELDS},
                json={"filters": {"video_ids": batch}},
                headers=self._headers(),
            )
            for item in self._envelope(reply).get("videos") or []:
                if not isinstance(item, dict) or str(item.get("id")) not in batch:
                    continue
                out[str(item["id"])] = counts(
                    reactions=item.get("like_count"),
                    comments=item.get("comment_count"),
                    shares=item.get("share_count"),
                    views=item.get("view_count"),
                )
        return out
