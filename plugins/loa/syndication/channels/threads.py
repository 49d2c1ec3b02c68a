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
* Video — the same page: ``media_type`` VIDEO with ``video_url`` ("We will cURL
  your video using the URL provided so it must be on a public server"); the
  container is processed first (status as above; errors such as
  FAILED_DOWNLOADING_VIDEO in ``error_message``). Threads takes no caption file,
  so the copy with the captions burned in goes, published on the site by the
  build for this (``video.burned_url``); it is checked in later runs, as
  Instagram's Reels are.
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

from dataclasses import replace

from loa.platforms.builtin import THREADS
from loa.platforms.compose import compose
from loa.syndication.channels.base import counts
from loa.syndication.channels.containers import ContainerAdapter
from loa.syndication.channels.facebook import graph_metrics
from loa.syndication.http import CONTENT, PostError
from loa.syndication.manifest import ManifestArticle
from loa.syndication.messages import (
    Message,
    album,
    video_fallback,
    video_line,
    with_album,
)

VERSION = "v1.0"
TEXT_MAX = THREADS.limits["text"]
POSTS_PER_DAY = THREADS.limits["posts_per_24h"]


class Threads(ContainerAdapter):
    """A Threads profile, posted to with its long-lived user token."""

    platform = "threads"
    error_label = "{label} {account}"
    create_path = "threads"
    publish_path = "threads_publish"
    limit_path = "threads_publishing_limit"
    status_fields = "status,error_message"
    default_quota = POSTS_PER_DAY

    def _graph(self, path: str) -> str:
        return f"{self.base}/{VERSION}/{path.lstrip('/')}"

    def render(self, article: ManifestArticle) -> Message:
        """Title, lead, the link (the first URL: the preview), source, one topic; ≤ 500 by Threads' count."""
        text = compose(article, "threads").text  # the recipe: platforms/builtin.THREADS_POST
        fields = {"media_type": "TEXT", "text": text}
        # A cover of its own goes up as the picture; without one, a text post whose
        # link preview (the page's card) is the better post.
        image = article.social_image if article.image else ""
        if image:
            fields = {"media_type": "IMAGE", "image_url": image, "text": text}
            if article.image_alt:
                fields["alt_text"] = article.image_alt
        photos = album(article, "threads")
        if photos:
            # A carousel of 2–20 items (…/threads/posts#carousel-posts), each with alt text.
            fields = {
                "text": text,
                "items": [
                    {
                        "media_type": "IMAGE",
                        "image_url": p["url"],
                        **({"alt_text": p["alt"]} if p.get("alt") else {}),
                    }
                    for p in photos
                ],
            }
        message = Message(
            "threads", self.account.account, text, article.url, image, article.title, fields
        )
        if article.video:
            # Threads only pulls a video from a public address ("We will cURL your video",
            # developers.facebook.com/docs/threads/posts): the burned-in copy the build put
            # on the site for it. Without it (an older build, a site without https): the link post.
            address = article.video.get("burned_url")
            if isinstance(address, str) and address.startswith("https://"):
                fields = {"media_type": "VIDEO", "video_url": address, "text": text}
                return Message("threads", self.account.account, text, article.url, "",
                               article.title, fields, video=video_line(article, "burned"))  # fmt: skip
            message = replace(message, video=video_fallback(
                "Threads", "Threads chỉ lấy video từ một địa chỉ https công khai, mà bản dựng này không đặt bản có phụ đề in sẵn lên trang"))  # fmt: skip
        return with_album(message, photos, article)

    def post(self, message: Message):
        """A video: its container, checked in later runs; anything else: the usual flow."""
        if message.fields.get("media_type") == "VIDEO":
            token = self._token()
            self.check_quota(token)
            self.make_video_container(dict(message.fields), token)
        return super().post(message)

    def needs_wait(self, message: Message) -> bool:
        """A text container is ready at once; an image or a carousel one is fetched by Meta first."""
        return message.fields.get("media_type") != "TEXT"

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

    def counts_of(self, found: dict[str, int]) -> dict[str, int]:
        """Likes, replies, reposts + quotes + shares, and views."""
        shared = [found[k] for k in ("reposts", "quotes", "shares") if k in found]
        return counts(
            reactions=found.get("likes"),
            comments=found.get("replies"),
            shares=sum(shared) if shared else None,
            views=found.get("views"),
        )
