"""Facebook Page posts through the Graph API: ``/{page-id}/feed`` with message and link."""

from __future__ import annotations

import contextlib
import json

from loa.platforms.compose import compose
from loa.syndication.channels.base import (
    DIGITS,
    Adapter,
    PostRef,
    Processing,
    Receipt,
    code_of,
    count,
    counts,
    dig,
    each_post,
    offset_of,
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
    join_blocks,
    video_line,
    with_album,
)

DEFAULT_VERSION = "v25.0"
AUTH_CODES = {190, 102}
PERMISSION_CODES = {10, *range(200, 300)}
RATE_CODES = {4, 17, 32, 613, 341, 368}
TRANSIENT_CODES = {1, 2}
CONTENT_CODES = {100, 1609005}


def classify_graph_error(error: dict, status: int, variable: str, label: str) -> PostError:
    """Graph API errors classified on ``error.code``, not the HTTP status (spec §1.6–1.7)."""
    code = code_of(error.get("code"))
    text = str(error.get("error_user_msg") or error.get("message") or "")
    auth = PostError(
        AUTH,
        f"token của {label} hết hạn hoặc không hợp lệ — cấp token mới và lưu vào biến {variable}",
        status=status,
    )
    if code in AUTH_CODES:
        return auth
    if code in RATE_CODES:
        wait = 3600.0 if code == 368 else 900.0
        return PostError(
            RATE_LIMITED,
            f"{label} đang bị giới hạn tần suất (mã {code}): {text}",
            retry_after=wait,
            status=status,
        )
    if code in PERMISSION_CODES:
        return PostError(
            PERMISSION,
            f"{label} thiếu quyền (mã {code}): {text} — cấp quyền cho ứng dụng",
            status=status,
        )
    if code == 506:
        return PostError(DUPLICATE, f"{label} báo bài trùng với bài vừa đăng", status=status)
    if code in TRANSIENT_CODES or error.get("is_transient"):
        return PostError(TRANSIENT, f"{label} lỗi tạm thời (mã {code}): {text}", status=status)
    if code in CONTENT_CODES:
        return PostError(CONTENT, f"{label} từ chối bài (mã {code}): {text}", status=status)
    if error.get("type") == "OAuthException":
        return auth  # an OAuthException with no other meaning: the token (spec §1.7)
    if status >= 500:
        return PostError(TRANSIENT, f"{label} lỗi máy chủ (mã {code}): {text}", status=status)
    return PostError(CONTENT, f"{label} từ chối bài (mã {code}): {text}", status=status)


def graph_metrics(data: dict) -> dict[str, int]:
    """``{name: value}`` from an insights answer: ``values[0].value`` or ``total_value.value``."""
    out = {}
    for item in data.get("data") or []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        values = item.get("values")
        value = None
        if isinstance(values, list) and values and isinstance(values[-1], dict):
            value = values[-1].get("value")
        elif isinstance(item.get("total_value"), dict):
            value = item["total_value"].get("value")
        number = count(value)
        if number is not None:
            out[item["name"]] = number
    return out


class GraphAdapter(Adapter):
    """What Meta's platforms share: versioned Graph API addresses and the error envelope (spec §1.6)."""

    error_label = "{label} {account}"

    def _graph(self, path: str) -> str:
        version = (
            self.account.get("graph_version")
            or self.settings.get("graph_version")
            or DEFAULT_VERSION
        )
        return f"{self.base}/{version}/{path.lstrip('/')}"

    def _token(self) -> str:
        return self.secrets.get(self.account.get("token_env"))

    def _data(self, reply: Response) -> dict:
        data = reply.data if isinstance(reply.data, dict) else None
        if data is not None and "error" in data:
            raise classify_graph_error(
                data["error"] or {},
                reply.status,
                self.account.get("token_env"),
                self.error_label.format(label=self.account.label, account=self.account.account),
            )
        if data is None or reply.status >= 400:
            if reply.status >= 500 or (data is None and reply.status != 200):
                raise PostError(
                    TRANSIENT,
                    f"{self.account.label} lỗi máy chủ {reply.status}",
                    status=reply.status,
                )
            if data is None:
                raise PostError(
                    "unknown",
                    f"{self.account.label} trả lời không đọc được — bài có thể đã đăng, kiểm tra tài khoản trước khi đăng lại",
                    status=reply.status,
                )
            raise PostError(
                CONTENT,
                f"{self.account.label} từ chối bài (HTTP {reply.status})",
                status=reply.status,
            )
        return data


class Facebook(GraphAdapter):
    """A Facebook Page, posted to with a Page access token."""

    platform = "facebook"
    publishes_when_processed = True  # published at upload / Direct Post
    error_label = "{label} trang {account}"

    def render(self, article: ManifestArticle) -> Message:
        """Title, lead, source and hashtags; the link is sent as ``link`` for the preview card."""
        # The recipe: platforms/builtin.FACEBOOK_POST (a video post: the link in the text, no album).
        if article.video:
            text = compose(article, "facebook", album=False).text
            return self._render_video(article, join_blocks(text, article.url))
        text = compose(article, "facebook").text
        photos = album(article, "facebook")
        if photos:
            # An album: the photos uploaded unpublished, then one post with attached_media;
            # the link goes in the text (a post with photos has no link card: the recipe adds it).
            fields = {
                "message": text,
                "photos": [{"url": p["url"], "alt": p.get("alt", "")} for p in photos],
            }
        else:
            fields = {"message": text, "link": article.url}
        message = Message(
            "facebook",
            self.account.account,
            text,
            article.url,
            article.image,
            article.title,
            fields,
        )
        return with_album(message, photos, article)

    # A Page video, uploaded in chunks: ``POST /{page}/videos`` with upload_phase start →
    # transfer (video_file_chunk from start_offset) → finish (published, description), as
    # in Graph API "Video Upload" and inovector/mixpost ManagesMetaResources.php; its
    # captions as an SRT named ``<name>.vi_VN.srt`` (≤ 200 KB), ``POST /{video}/captions``
    # (https://developers.facebook.com/docs/graph-api/reference/video/captions/); its
    # processing read from ``status.video_status`` (ready | processing | error).
    def _render_video(self, article: ManifestArticle, text: str) -> Message:
        video = article.video
        fields = {"description": text, "title": article.title[:255],
                  "video_file": video["files"]["social"], "srt_file": video["files"].get("srt", "")}  # fmt: skip
        return Message("facebook", self.account.account, text, article.url, "", article.title,
                       fields, video=video_line(article, "social"))  # fmt: skip

    def _post_video(self, message: Message) -> Receipt:
        videos = self.settings.get("videos")
        if videos is None:
            raise PostError(CONFIG, "không có nguồn video để tải lên Facebook")
        token, fields = self._token(), dict(message.fields)
        data = videos.read(fields["video_file"])
        url = self._graph(f"{self.account.account}/videos")
        start = self._data(self.http.request("POST", url, data={
            "upload_phase": "start", "file_size": str(len(data)), "access_token": token}))  # fmt: skip
        # Ids from the answer go back into paths and forms: a Graph id is digits, a session
        # a plain token (anything else — a list, a surrogate, a line break — is refused).
        video_id = text_id(dig(start, "video_id"), DIGITS)
        session = text_id(dig(start, "upload_session_id"))
        if not video_id or not session:
            raise PostError(TRANSIENT, "Facebook không mở được phiên tải video")
        self._transfer(url, token, session, data, start)
        done = self._data(self.http.request("POST", url, data={
            "upload_phase": "finish", "upload_session_id": session, "published": "true",
            "description": fields["description"], "title": fields["title"], "access_token": token}))  # fmt: skip
        if dig(done, "success") not in (True, "true"):
            raise PostError(
                "unknown",
                "Facebook không xác nhận đã đăng video — kiểm tra trang trước khi đăng lại",
            )
        if fields.get("srt_file"):
            # The video is published: a caption failure never makes it post twice.
            with contextlib.suppress(PostError):
                self._data(self.http.request(
                    "POST", self._graph(f"{video_id}/captions"),
                    files={"captions_file": ("bai-viet.vi_VN.srt", videos.read(fields["srt_file"]), "text/plain")},
                    data={"default_locale": "vi_VN", "access_token": token}))  # fmt: skip
        raise Processing(video_id)

    # At most this many transfer calls (a 60 MB file in Facebook's chunks needs far fewer).
    MAX_TRANSFERS = 1000

    def _transfer(self, url: str, token: str, session: str, data: bytes, answer: dict) -> None:
        """Send the chunks Facebook asks for, until it has the whole file.

        The offsets come from the answer: each must lie inside the file, the end after
        the start, and every next start past the one before (a negative, overlapping,
        repeated or oversized offset would re-send forever or read outside the file).
        """
        size, before = len(data), -1
        for _ in range(self.MAX_TRANSFERS):
            start = offset_of(dig(answer, "start_offset"), size)
            end = offset_of(dig(answer, "end_offset"), size)
            if start == size and start > before:
                return
            if start is None or end is None or end <= start or start <= before:
                raise PostError(
                    TRANSIENT, "Facebook trả vị trí tải video không hợp lệ — lần chạy sau tải lại"
                )
            before = start
            answer = self._data(self.http.request(
                "POST", url, files={"video_file_chunk": ("chunk", data[start:end], "application/octet-stream")},
                data={"upload_phase": "transfer", "upload_session_id": session,
                      "start_offset": str(start), "access_token": token}))  # fmt: skip
        raise PostError(TRANSIENT, "Facebook đòi quá nhiều phần video — lần chạy sau tải lại")

    def check(self, message: Message, handle: str):
        """The published video once Facebook has processed it; None while it processes."""
        token = self._token()
        data = self._data(self.http.request(
            "GET", self._graph(handle), params={"fields": "status,permalink_url", "access_token": token}))  # fmt: skip
        state = dig(data, "status", "video_status")  # any other shape: still processing
        if state == "ready":
            link = dig(data, "permalink_url")
            link = link if isinstance(link, str) else ""
            if link.startswith("/"):
                link = "https://www.facebook.com" + link
            return Receipt(
                handle,
                self.record.own_url(link)
                or f"https://www.facebook.com/{self.account.account}/videos/{handle}",
            )
        if state == "error":
            raise PostError(CONTENT, "Facebook không xử lý được video")
        return None

    def post(self, message: Message) -> Receipt:
        """Create the post (an album: upload the photos unpublished first), then read its permalink.

        Unpublished photos are not shown anywhere until a post attaches them: a
        failure between the uploads and the post leaves nothing visible, and the
        next attempt uploads again.
        """
        if "video_file" in message.fields:
            return self._post_video(message)
        token = self._token()
        fields = dict(message.fields)
        photos = fields.pop("photos", None)
        if photos:
            ids = [self._upload_unpublished(photo, token) for photo in photos]
            fields["attached_media"] = json.dumps([{"media_fbid": i} for i in ids])
        reply = self.http.request(
            "POST",
            self._graph(f"{self.account.account}/feed"),
            data={**fields, "access_token": token},
        )
        data = self._data(reply)
        post_id = str(data.get("id") or "")
        if not post_id:
            raise PostError(
                "unknown",
                "Facebook không trả mã bài — kiểm tra trang trước khi đăng lại",
                status=reply.status,
            )
        return Receipt(post_id, self.permalink(post_id, token))

    def _upload_unpublished(self, photo: dict, token: str) -> str:
        """``POST /{page-id}/photos`` with ``published=false``: the photo's id, seen by no one yet.

        ``alt_text_custom`` is the Photo node's alternative text
        (developers.facebook.com/docs/graph-api/reference/photo/ [T], read 2026-12-02).
        """
        data = {"url": photo["url"], "published": "false", "access_token": token}
        if photo.get("alt"):
            data["alt_text_custom"] = photo["alt"]
        reply = self.http.request("POST", self._graph(f"{self.account.account}/photos"), data=data)
        photo_id = str(self._data(reply).get("id") or "")
        if not photo_id:
            raise PostError(TRANSIENT, "Facebook không trả mã ảnh vừa tải lên")
        return photo_id

    def permalink(self, post_id: str, token: str) -> str:
        """The post's ``permalink_url``, else the usual address built from its id."""
        try:
            reply = self.http.request(
                "GET",
                self._graph(post_id),
                params={"fields": "permalink_url", "access_token": token},
            )
            data = reply.data if isinstance(reply.data, dict) else {}
            if data.get("permalink_url"):
                return str(data["permalink_url"])
        except PostError:
            pass
        page, _, number = post_id.partition("_")
        return f"https://www.facebook.com/{page}/posts/{number or page}"

    def followers(self) -> int:
        """The Page's ``followers_count``."""
        token = self._token()
        reply = self.http.request(
            "GET",
            self._graph(self.account.account),
            params={"fields": "followers_count", "access_token": token},
        )
        return self.follower_count(dig(self._data(reply), "followers_count"))

    # Reactions, comments and shares of a Page post, and its views: the
    # ``post_impressions*`` metrics were deprecated in 2025 (spec §11.3); views are
    # ``post_media_view`` (Page Insights, Pages with 100+ likes only — else unknown).
    # https://developers.facebook.com/docs/graph-api/reference/post/ (read 2026-12-02)
    POST_FIELDS = (
        "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),shares"
    )

    def insights(self, posts: list[PostRef]) -> dict[str, dict[str, int]]:
        """Reactions, comments, shares and views of each post."""
        token = self._token()

        def one(post: PostRef) -> dict[str, int]:
            reply = self.http.request(
                "GET",
                self._graph(post.remote_id),
                params={"fields": self.POST_FIELDS, "access_token": token},
            )
            data = self._data(reply)
            found = counts(
                reactions=((data.get("reactions") or {}).get("summary") or {}).get("total_count"),
                comments=((data.get("comments") or {}).get("summary") or {}).get("total_count"),
                # Facebook leaves ``shares`` out of a post nobody has shared.
                shares=(data.get("shares") or {"count": 0}).get("count"),
            )
            views = self._views(post.remote_id, token)
            if views is not None:
                found["views"] = views
            return found

        return each_post(posts, one)

    def _views(self, post_id: str, token: str) -> int | None:
        try:
            reply = self.http.request(
                "GET",
                self._graph(f"{post_id}/insights"),
                params={"metric": "post_media_view", "period": "lifetime", "access_token": token},
            )
            return graph_metrics(self._data(reply)).get("post_media_view")
        except PostError:
            return None  # no Page Insights for this Page: views unknown, not zero
