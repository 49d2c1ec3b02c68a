"""Threads (Meta) posts: a media container, then ``threads_publish``.

The contract, from Meta's pages (read 2026-12-02):

* Posts — developers.facebook.com/documentation/threads/posts (updated
  2026-04-14): ``POST /{threads-user-id}/threads`` with ``media_type`` TEXT or
  IMAGE (``image_url`` fetched by Meta from a public server) and ``text``
  returns ``{"id": container}``; ``POST /{threads-user-id}/threads_publish``
  with ``creation_id`` returns ``{"id": media}``. Text posts are limited to 500
  characters, emojis counted as their UTF-8 bytes; the first URL in the text
  becomes the link preview of a text post. Meta suggests letting an image
  container finish (``GET /{container}?fields=status,error_message``: FINISHED,
  IN_PROGRESS, ERROR, EXPIRED, PUBLISHED — /documentation/threads/troubleshooting).
* Alt text — /documentation/threads/posts/accessibility (updated 2024-08-21):
  ``alt_text`` on IMAGE containers.
* Limits — /documentation/threads/overview (updated 2025-12-22): 250
  API-published posts per profile in a moving 24 hours, read with
  ``GET /{threads-user-id}/threads_publishing_limit?fields=quota_usage,config``
  (``threads_basic`` and ``threads_content_publish``).
* Insights — /documentation/threads/insights (updated 2026-01-30):
  ``GET /{media-id}/insights?metric=views,likes,replies,reposts,quotes,shares``
  and ``GET /{threads-user-id}/threads_insights?metric=followers_count``
  (``threads_manage_insights``).

Errors come in the Graph envelope (``error.code``), classified as for Facebook.
The origin is ``graph.threads.net``; ``LOA_API_BASE_THREADS`` replaces it.
"""

from __future__ import annotations

import time

from loa.platforms.builtin import THREADS
from loa.platforms.counting import threads_length
from loa.syndication.channels.base import PostRef, Receipt, counts, each_post
from loa.syndication.channels.facebook import GraphAdapter, graph_metrics
from loa.syndication.http import CONTENT, RATE_LIMITED, TRANSIENT, PostError
from loa.syndication.manifest import ManifestArticle
from loa.syndication.messages import Message, attribution, hashtags, join_blocks, lead_text, shorten

VERSION = "v1.0"
TEXT_MAX = THREADS.limits["text"]
POSTS_PER_DAY = THREADS.limits["posts_per_24h"]


class Threads(GraphAdapter):
    """A Threads profile, posted to with its long-lived user token."""

    platform = "threads"
    error_label = "{label} {account}"

    def _graph(self, path: str) -> str:
        return f"{self.base}/{VERSION}/{path.lstrip('/')}"

    def render(self, article: ManifestArticle) -> Message:
        """Title, lead, the link (the first URL: the preview), source, one topic; ≤ 500 by Threads' count."""
        topic = " ".join(hashtags(article, 1))
        tail = join_blocks(article.url, attribution(article), topic)
        room = TEXT_MAX - threads_length(join_blocks(article.title, "x", tail)) + 1
        lead = shorten(lead_text(article, "threads"), room, measure=threads_length)
        text = join_blocks(article.title, lead, tail)
        if threads_length(text) > TEXT_MAX:  # a title alone too long: keep the link whole
            text = join_blocks(shorten(article.title, TEXT_MAX // 2, threads_length), tail)
        fields = {"media_type": "TEXT", "text": text}
        image = article.social_image
        if image:
            fields = {"media_type": "IMAGE", "image_url": image, "text": text}
            if article.image_alt:
                fields["alt_text"] = article.image_alt
        return Message(
            "threads", self.account.account, text, article.url, image, article.title, fields
        )

    def check_quota(self, token: str) -> None:
        """Read the 24-hour publishing limit first; a full quota waits for the next run."""
        reply = self.http.request(
            "GET",
            self._graph(f"{self.account.account}/threads_publishing_limit"),
            params={"fields": "quota_usage,config", "access_token": token},
        )
        rows = self._data(reply).get("data") or [{}]
        row = rows[0] if isinstance(rows[0], dict) else {}
        usage = int(row.get("quota_usage") or 0)
        total = int((row.get("config") or {}).get("quota_total") or POSTS_PER_DAY)
        if usage >= total:
            raise PostError(
                RATE_LIMITED,
                f"Threads {self.account.account} đã dùng hết {total} lượt đăng trong 24 giờ — "
                "bài sẽ được đăng ở lần chạy sau",
                retry_after=3600 * 6,
            )

    def post(self, message: Message) -> Receipt:
        """Quota → container → (image) wait until FINISHED → publish → permalink."""
        token = self._token()
        self.check_quota(token)
        reply = self.http.request(
            "POST",
            self._graph(f"{self.account.account}/threads"),
            data={**message.fields, "access_token": token},
        )
        container = str(self._data(reply).get("id") or "")
        if not container:
            raise PostError(TRANSIENT, "Threads không trả mã container")
        if message.fields.get("media_type") != "TEXT":
            self.wait_until_finished(container, token)
        # threads_publish is the one call that is not idempotent: a timeout here is "unknown".
        reply = self.http.request(
            "POST",
            self._graph(f"{self.account.account}/threads_publish"),
            data={"creation_id": container, "access_token": token},
        )
        media = str(self._data(reply).get("id") or "")
        if not media:
            raise PostError(
                "unknown",
                "Threads không trả mã bài sau khi đăng — kiểm tra tài khoản trước khi đăng lại",
            )
        return Receipt(media, self.permalink(media, token))

    def wait_until_finished(self, container: str, token: str) -> None:
        """Poll the container's ``status`` until FINISHED."""
        config = self.settings.get("config")
        attempts = getattr(config, "poll_attempts", 10)
        pause = getattr(config, "poll_seconds", 3.0)
        for _ in range(attempts):
            reply = self.http.request(
                "GET",
                self._graph(container),
                params={"fields": "status,error_message", "access_token": token},
            )
            data = self._data(reply)
            status = str(data.get("status") or "")
            if status == "FINISHED":
                return
            if status in ("ERROR", "EXPIRED"):
                reason = self.secrets.mask(str(data.get("error_message") or status))
                raise PostError(
                    CONTENT, f"Threads không xử lý được ảnh ({reason}) — kiểm tra ảnh JPEG của bài"
                )
            if status == "PUBLISHED":
                raise PostError("unknown", "container Threads đã được đăng — kiểm tra tài khoản")
            time.sleep(pause)
        raise PostError(TRANSIENT, "Threads xử lý ảnh quá lâu — lần chạy sau sẽ thử lại")

    def permalink(self, media: str, token: str) -> str:
        """The post's ``permalink`` ("" when Threads does not give it)."""
        try:
            reply = self.http.request(
                "GET", self._graph(media), params={"fields": "permalink", "access_token": token}
            )
            link = str(self._data(reply).get("permalink") or "")
            return link if link.startswith("https://") else ""
        except PostError:
            return ""

    def followers(self) -> int:
        """``followers_count`` from the profile's insights."""
        reply = self.http.request(
            "GET",
            self._graph(f"{self.account.account}/threads_insights"),
            params={"metric": "followers_count", "access_token": self._token()},
        )
        found = graph_metrics(self._data(reply))
        if "followers_count" not in found:
            raise PostError(CONTENT, "Threads không trả số người theo dõi")
        return found["followers_count"]

    METRICS = "views,likes,replies,reposts,quotes,shares"

    def insights(self, posts: list[PostRef]) -> dict[str, dict[str, int]]:
        """Likes, replies, reposts + quotes + shares, and views of each post."""
        token = self._token()

        def one(post: PostRef) -> dict[str, int]:
            reply = self.http.request(
                "GET",
                self._graph(f"{post.remote_id}/insights"),
                params={"metric": self.METRICS, "access_token": token},
            )
            found = graph_metrics(self._data(reply))
            shared = [found[k] for k in ("reposts", "quotes", "shares") if k in found]
            return counts(
                reactions=found.get("likes"),
                comments=found.get("replies"),
                shares=sum(shared) if shared else None,
                views=found.get("views"),
            )

        return each_post(posts, one)
