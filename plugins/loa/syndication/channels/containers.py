"""Meta's two-step publishing, shared by Instagram and Threads.

A post is a media container (``POST /{user}/{create_path}``), polled until its
status is FINISHED, then published (``POST /{user}/{publish_path}`` with
``creation_id``) — the one call that is not idempotent, so a timeout there is
"unknown". The account's 24-hour publishing limit (``quota_usage`` of
``config.quota_total``) is read before the container is made and never exceeded.

A video container takes minutes to process: it is made in one run
(``Processing``), its status read in the next ones (``check``) and, once
FINISHED, published by ``finish`` after the ledger has claimed it.
"""

from __future__ import annotations

import re
import time

from loa.syndication.channels.base import (
    READY,
    PostRef,
    Processing,
    Receipt,
    count,
    dig,
    each_post,
    text_id,
)
from loa.syndication.channels.facebook import GraphAdapter, graph_metrics
from loa.syndication.http import CONTENT, RATE_LIMITED, TRANSIENT, PostError
from loa.syndication.messages import Message


class ContainerAdapter(GraphAdapter):
    """Quota → container → wait until FINISHED → publish → permalink."""

    create_path = "media"
    publish_path = "media_publish"
    limit_path = "content_publishing_limit"
    status_fields = "status_code"
    default_quota = 0  # when the answer gives no total: 0 means "not known, do not stop"
    # The form a container or media id must have before it goes back into a path.
    id_shape = re.compile(r"[A-Za-z0-9_.:~-]{1,200}")

    def needs_wait(self, message: Message) -> bool:
        """Whether the container must be polled before publishing (media is fetched by Meta)."""
        return True

    def check_quota(self, token: str) -> None:
        """Wait for the next run rather than exceed the 24-hour publishing limit."""
        reply = self.http.request(
            "GET",
            self._graph(f"{self.account.account}/{self.limit_path}"),
            params={"fields": "quota_usage,config", "access_token": token},
        )
        rows = self._data(reply).get("data")
        row = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else {}
        usage = count(row.get("quota_usage")) or 0
        total = count(dig(row, "config", "quota_total")) or self.default_quota
        if total and usage >= total:
            raise PostError(
                RATE_LIMITED,
                f"{self.account.label} {self.account.account} đã dùng hết {total} lượt đăng trong "
                "24 giờ — bài sẽ được đăng ở lần chạy sau",
                retry_after=3600 * 6,
            )

    def post(self, message: Message) -> Receipt:
        """Quota → container → (wait) → publish → permalink."""
        label = self.account.label
        token = self._token()
        self.check_quota(token)
        fields = dict(message.fields)
        items = fields.pop("items", None)
        if items:
            # A carousel: one item container per photo (is_carousel_item), each
            # waited for, then the carousel container naming them in order. Item
            # containers that are never published expire on their own: a failure
            # here leaves nothing visible, and the next attempt makes new ones.
            children = []
            for item in items:
                reply = self.http.request(
                    "POST",
                    self._graph(f"{self.account.account}/{self.create_path}"),
                    data={**item, "is_carousel_item": "true", "access_token": token},
                )
                child = str(self._data(reply).get("id") or "")
                if not child:
                    raise PostError(TRANSIENT, f"{label} không trả mã container của ảnh")
                self.wait_until_finished(child, token)
                children.append(child)
            fields.update(media_type="CAROUSEL", children=",".join(children))
        reply = self.http.request(
            "POST",
            self._graph(f"{self.account.account}/{self.create_path}"),
            data={**fields, "access_token": token},
        )
        container = str(self._data(reply).get("id") or "")
        if not container:
            raise PostError(TRANSIENT, f"{label} không trả mã container")
        if self.needs_wait(message):
            self.wait_until_finished(container, token)
        reply = self.http.request(
            "POST",
            self._graph(f"{self.account.account}/{self.publish_path}"),
            data={"creation_id": container, "access_token": token},
        )
        media = str(self._data(reply).get("id") or "")
        if not media:
            raise PostError(
                "unknown",
                f"{label} không trả mã bài sau khi đăng — kiểm tra tài khoản trước khi đăng lại",
            )
        return Receipt(media, self.permalink(media, token))

    def wait_until_finished(self, container: str, token: str) -> None:
        """Poll the container's status until FINISHED (``poll_seconds`` × ``poll_attempts``)."""
        label = self.account.label
        config = self.settings.get("config")
        attempts = getattr(config, "poll_attempts", 10)
        pause = getattr(config, "poll_seconds", 3.0)
        for _ in range(attempts):
            reply = self.http.request(
                "GET",
                self._graph(container),
                params={"fields": self.status_fields, "access_token": token},
            )
            data = self._data(reply)
            status = str(data.get("status_code") or data.get("status") or "")
            if status == "FINISHED":
                return
            if status in ("ERROR", "EXPIRED"):
                reason = self.secrets.mask(str(data.get("error_message") or f"trạng thái {status}"))
                raise PostError(
                    CONTENT,
                    f"{label} không xử lý được ảnh ({reason}) — kiểm tra ảnh JPEG của bài",
                )
            if status == "PUBLISHED":
                raise PostError("unknown", f"container {label} đã được đăng — kiểm tra tài khoản")
            self._sleep(pause)
        raise PostError(TRANSIENT, f"{label} xử lý ảnh quá lâu — lần chạy sau sẽ thử lại")

    # -- a video, across runs ---------------------------------------------------------

    def make_video_container(self, fields: dict, token: str) -> None:
        """Make the video's container and hand it to the runner (``Processing``) to check later."""
        reply = self.http.request(
            "POST",
            self._graph(f"{self.account.account}/{self.create_path}"),
            data={**fields, "access_token": token},
        )
        container = text_id(dig(self._data(reply), "id"), self.id_shape)
        if not container:
            raise PostError(TRANSIENT, f"{self.account.label} không trả mã container của video")
        raise Processing(container)

    def check(self, message: Message, handle: str):
        """The video container's status: READY once FINISHED, None while processing."""
        label = self.account.label
        reply = self.http.request(
            "GET",
            self._graph(handle),
            params={"fields": self.status_fields, "access_token": self._token()},
        )
        data = self._data(reply)
        status = dig(data, "status_code") or dig(data, "status")  # any other shape: processing
        if status == "FINISHED":
            return READY
        if status in ("ERROR", "EXPIRED"):
            said = dig(data, "error_message")
            reason = self.secrets.mask(said[:200]) if isinstance(said, str) and said else ""
            raise PostError(
                CONTENT,
                f"{label} không xử lý được video (trạng thái {status}"
                + (f": {reason}" if reason else "") + ")",
            )
        if status == "PUBLISHED":
            raise PostError("unknown", f"container {label} đã được đăng — kiểm tra tài khoản")
        return None

    def finish(self, message: Message, handle: str) -> Receipt:
        """Publish the processed video's container (claimed in the ledger first)."""
        token = self._token()
        reply = self.http.request(
            "POST",
            self._graph(f"{self.account.account}/{self.publish_path}"),
            data={"creation_id": handle, "access_token": token},
        )
        found = dig(self._data(reply), "id")
        if found is None or found == "":
            raise PostError(
                "unknown",
                f"{self.account.label} không trả mã bài sau khi đăng — kiểm tra tài khoản",
            )
        # Published: an id of an odd shape is kept as far as it is safe, never "unknown".
        media = text_id(found, self.id_shape)
        return Receipt(media, self.permalink(media, token) if media else "")

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def permalink(self, media: str, token: str) -> str:
        """The post's ``permalink`` ("" when the platform does not give an https one)."""
        try:
            reply = self.http.request(
                "GET", self._graph(media), params={"fields": "permalink", "access_token": token}
            )
            link = dig(self._data(reply), "permalink")
        except PostError:
            return ""
        return self.record.own_url(link) if isinstance(link, str) else ""

    # The metrics asked of ``GET /{media-id}/insights``; ``counts_of`` maps them to Loa's four.
    METRICS = ""

    def counts_of(self, found: dict[str, int]) -> dict[str, int]:
        """Loa's reactions, comments, shares and views from the platform's own metric names."""
        raise NotImplementedError

    def insights(self, posts: list[PostRef]) -> dict[str, dict[str, int]]:
        """Each post's media insights (an empty answer: unknown)."""
        token = self._token()

        def one(post: PostRef) -> dict[str, int]:
            reply = self.http.request(
                "GET",
                self._graph(f"{post.remote_id}/insights"),
                params={"metric": self.METRICS, "access_token": token},
            )
            return self.counts_of(graph_metrics(self._data(reply)))

        return each_post(posts, one)
