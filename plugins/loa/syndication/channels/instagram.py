"""Instagram posts through the Content Publishing API: container, status, ``media_publish``."""

from __future__ import annotations

from loa.platforms.builtin import INSTAGRAM
from loa.syndication.channels.base import PostRef, Receipt, counts, each_post
from loa.syndication.channels.facebook import GraphAdapter, graph_metrics
from loa.syndication.http import CONTENT, RATE_LIMITED, TRANSIENT, PostError
from loa.syndication.manifest import ManifestArticle
from loa.syndication.messages import Message, attribution, hashtags, join_blocks, lead_text, shorten

CAPTION_MAX = INSTAGRAM.limits["caption"]
HASHTAG_MAX = INSTAGRAM.limits["hashtags"]


class Instagram(GraphAdapter):
    """A professional Instagram account linked to a Page (Instagram API with Facebook Login)."""

    platform = "instagram"

    def render(self, article: ManifestArticle) -> Message:
        """A caption of at most 2,200 characters and 5 hashtags; the image is the article's social JPEG."""
        tags = " ".join(hashtags(article, HASHTAG_MAX))
        tail = join_blocks(attribution(article), f"Đọc toàn bài: {article.url}", tags)
        lead = shorten(
            lead_text(article, "instagram"), CAPTION_MAX - len(article.title) - len(tail) - 4
        )
        caption = join_blocks(article.title, lead, tail)
        fields = {"image_url": article.social_image, "caption": caption}
        if article.image_alt:
            fields["alt_text"] = article.image_alt
        return Message(
            "instagram",
            self.account.account,
            caption,
            article.url,
            article.social_image,
            article.title,
            fields,
        )

    def check_quota(self, token: str) -> None:
        """Wait rather than exceed the 24-hour publishing limit (``content_publishing_limit``)."""
        reply = self.http.request(
            "GET",
            self._graph(f"{self.account.account}/content_publishing_limit"),
            params={"fields": "config,quota_usage", "access_token": token},
        )
        rows = self._data(reply).get("data") or [{}]
        usage = int(rows[0].get("quota_usage") or 0)
        total = int((rows[0].get("config") or {}).get("quota_total") or 0)
        if total and usage >= total:
            raise PostError(
                RATE_LIMITED,
                f"Instagram {self.account.account} đã dùng hết {total} lượt đăng trong 24 giờ — bài sẽ được đăng ở lần chạy sau",
                retry_after=3600 * 6,
            )

    def post(self, message: Message) -> Receipt:
        """Container → wait until FINISHED → publish → permalink."""
        if not message.image:
            raise PostError(CONTENT, "bài không có ảnh JPEG để đăng Instagram")
        token = self._token()
        self.check_quota(token)
        reply = self.http.request(
            "POST",
            self._graph(f"{self.account.account}/media"),
            data={**message.fields, "access_token": token},
        )
        container = str(self._data(reply).get("id") or "")
        if not container:
            raise PostError(TRANSIENT, "Instagram không trả mã container")
        self.wait_until_finished(container, token)
        # media_publish is the one call that is not idempotent: a timeout here is "unknown".
        reply = self.http.request(
            "POST",
            self._graph(f"{self.account.account}/media_publish"),
            data={"creation_id": container, "access_token": token},
        )
        media = str(self._data(reply).get("id") or "")
        if not media:
            raise PostError(
                "unknown",
                "Instagram không trả mã bài sau khi đăng — kiểm tra tài khoản trước khi đăng lại",
            )
        return Receipt(media, self.permalink(media, token))

    def wait_until_finished(self, container: str, token: str) -> None:
        """Poll the container's ``status_code`` (spec §2.2)."""
        config = self.settings.get("config")
        attempts = getattr(config, "poll_attempts", 10)
        pause = getattr(config, "poll_seconds", 3.0)
        for _ in range(attempts):
            reply = self.http.request(
                "GET",
                self._graph(container),
                params={"fields": "status_code", "access_token": token},
            )
            status = str(self._data(reply).get("status_code") or "")
            if status == "FINISHED":
                return
            if status in ("ERROR", "EXPIRED"):
                raise PostError(
                    CONTENT,
                    f"Instagram không xử lý được ảnh (trạng thái {status}) — kiểm tra ảnh JPEG của bài",
                )
            if status == "PUBLISHED":
                raise PostError("unknown", "container Instagram đã được đăng — kiểm tra tài khoản")
            self._sleep(pause)
        raise PostError(TRANSIENT, "Instagram xử lý ảnh quá lâu — lần chạy sau sẽ thử lại")

    def _sleep(self, seconds: float) -> None:
        import time

        time.sleep(seconds)

    def permalink(self, media: str, token: str) -> str:
        """The post's ``permalink`` ("" when Instagram does not give it)."""
        try:
            reply = self.http.request(
                "GET", self._graph(media), params={"fields": "permalink", "access_token": token}
            )
            return str(self._data(reply).get("permalink") or "")
        except PostError:
            return ""

    def followers(self) -> int:
        """``followers_count`` of the IG user."""
        reply = self.http.request(
            "GET",
            self._graph(self.account.account),
            params={"fields": "followers_count", "access_token": self._token()},
        )
        return int(self._data(reply).get("followers_count") or 0)

    # Media insights: views (impressions were retired in 2025), likes, comments,
    # shares; an album's children have none (the album itself does).
    # https://developers.facebook.com/documentation/instagram-platform/reference/instagram-media/insights
    # (updated 2026-06-18, read 2026-12-02)
    METRICS = "views,likes,comments,shares"

    def insights(self, posts: list[PostRef]) -> dict[str, dict[str, int]]:
        """Likes, comments, shares and views of each post (an empty answer: unknown)."""
        token = self._token()

        def one(post: PostRef) -> dict[str, int]:
            reply = self.http.request(
                "GET",
                self._graph(f"{post.remote_id}/insights"),
                params={"metric": self.METRICS, "access_token": token},
            )
            found = graph_metrics(self._data(reply))
            return counts(
                reactions=found.get("likes"),
                comments=found.get("comments"),
                shares=found.get("shares"),
                views=found.get("views"),
            )

        return each_post(posts, one)
