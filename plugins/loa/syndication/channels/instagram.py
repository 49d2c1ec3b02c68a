"""Instagram posts through the Content Publishing API: container, status, ``media_publish``."""

from __future__ import annotations

from urllib.parse import urlsplit

from loa.platforms.builtin import INSTAGRAM
from loa.platforms.compose import compose
from loa.syndication.channels.base import (
    DIGITS,
    Processing,
    Receipt,
    counts,
    dig,
    text_id,
)
from loa.syndication.channels.containers import ContainerAdapter
from loa.syndication.http import CONFIG, CONTENT, TRANSIENT, PostError
from loa.syndication.manifest import ManifestArticle
from loa.syndication.messages import (
    Message,
    album,
    video_line,
    with_album,
)

CAPTION_MAX = INSTAGRAM.limits["caption"]
HASHTAG_MAX = INSTAGRAM.limits["hashtags"]


class Instagram(ContainerAdapter):
    """A professional Instagram account linked to a Page (Instagram API with Facebook Login)."""

    platform = "instagram"
    id_shape = DIGITS  # Instagram's ids are numbers

    def render(self, article: ManifestArticle) -> Message:
        """A caption of at most 2,200 characters and 5 hashtags; the image is the article's social JPEG."""
        caption = compose(article, "instagram").text  # the recipe: platforms/builtin.INSTAGRAM_POST
        fields = {"image_url": article.social_image, "caption": caption}
        if article.image_alt:
            fields["alt_text"] = article.image_alt
        if article.video:
            # A Reel of the burned-in copy (Instagram takes no caption file), its bytes sent by
            # resumable upload (no public address needed), the poster as cover:
            # developers.facebook.com/documentation/instagram-platform/content-publishing/
            # resumable-uploads; …/reference/ig-user/media (REELS, cover_url, share_to_feed).
            video = article.video
            fields = {"media_type": "REELS", "upload_type": "resumable", "caption": caption,
                      "share_to_feed": "true", "video_file": video["files"]["burned"]}  # fmt: skip
            if video.get("poster"):
                fields["cover_url"] = video["poster"]
            return Message("instagram", self.account.account, caption, article.url, "",
                           article.title, fields, video=video_line(article, "burned"))  # fmt: skip
        photos = album(article, "instagram")
        if photos:
            # A carousel of 2–10 photos, each with its alt text (alt_text on image
            # containers since 2025-03-24: …/instagram-platform/content-publishing).
            fields = {
                "caption": caption,
                "items": [
                    {"image_url": p["url"], **({"alt_text": p["alt"]} if p.get("alt") else {})}
                    for p in photos
                ],
            }
        message = Message(
            "instagram",
            self.account.account,
            caption,
            article.url,
            article.social_image,
            article.title,
            fields,
        )
        return with_album(message, photos, article)

    def _post_reel(self, message: Message) -> Receipt:
        """Quota → a REELS container for resumable upload → the bytes to its ``uri``; then processing."""
        videos = self.settings.get("videos")
        if videos is None:
            raise PostError(CONFIG, "không có nguồn video để tải lên Instagram")
        token = self._token()
        self.check_quota(token)
        fields = dict(message.fields)
        data = videos.read(fields.pop("video_file"))
        reply = self.http.request(
            "POST",
            self._graph(f"{self.account.account}/media"),
            data={**fields, "access_token": token},
        )
        answer = self._data(reply)
        # The container id goes back into paths, the uri gets the token: both checked.
        container, uri = text_id(dig(answer, "id"), DIGITS), dig(answer, "uri")
        if not container or not isinstance(uri, str) or not self._upload_host(uri):
            raise PostError(TRANSIENT, "Instagram không trả địa chỉ tải video lên hợp lệ")
        sent = self.http.request(
            "POST", uri, data=data,
            headers={"Authorization": f"OAuth {token}", "offset": "0", "file_size": str(len(data))},
        )  # fmt: skip
        if dig(sent.data, "success") not in (True, "true"):
            raise PostError(TRANSIENT, f"Instagram không nhận video (HTTP {sent.status})")
        raise Processing(container)

    def _upload_host(self, uri: str) -> bool:
        """The token goes only to Meta's upload host (or the API's own, in tests)."""
        parts, base = urlsplit(uri), urlsplit(self.base)
        if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
            return True
        return parts.scheme == "https" and parts.hostname == "rupload.facebook.com"

    def post(self, message: Message) -> Receipt:
        """Instagram posts need a picture; then the container flow (spec §2.2)."""
        if "video_file" in message.fields:
            return self._post_reel(message)
        if not message.image:
            raise PostError(CONTENT, "bài không có ảnh JPEG để đăng Instagram")
        return super().post(message)

    def followers(self) -> int:
        """``followers_count`` of the IG user."""
        reply = self.http.request(
            "GET",
            self._graph(self.account.account),
            params={"fields": "followers_count", "access_token": self._token()},
        )
        return self.follower_count(dig(self._data(reply), "followers_count"))

    # Media insights: views (impressions were retired in 2025), likes, comments,
    # shares; an album's children have none (the album itself does).
    # https://developers.facebook.com/documentation/instagram-platform/reference/instagram-media/insights
    # (updated 2026-06-18, read 2026-12-02)
    METRICS = "views,likes,comments,shares"

    def counts_of(self, found: dict[str, int]) -> dict[str, int]:
        """Likes, comments, shares and views."""
        return counts(
            reactions=found.get("likes"),
            comments=found.get("comments"),
            shares=found.get("shares"),
            views=found.get("views"),
        )
