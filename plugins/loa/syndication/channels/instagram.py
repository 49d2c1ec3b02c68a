"""Instagram posts through the Content Publishing API: container, status, ``media_publish``."""

from __future__ import annotations

from loa.platforms.builtin import INSTAGRAM
from loa.platforms.compose import compose
from loa.syndication.channels.base import Receipt, counts, dig
from loa.syndication.channels.containers import ContainerAdapter
from loa.syndication.http import CONTENT, PostError
from loa.syndication.manifest import ManifestArticle
from loa.syndication.messages import (
    Message,
    album,
    with_album,
)

CAPTION_MAX = INSTAGRAM.limits["caption"]
HASHTAG_MAX = INSTAGRAM.limits["hashtags"]


class Instagram(ContainerAdapter):
    """A professional Instagram account linked to a Page (Instagram API with Facebook Login)."""

    platform = "instagram"

    def render(self, article: ManifestArticle) -> Message:
        """A caption of at most 2,200 characters and 5 hashtags; the image is the article's social JPEG."""
        caption = compose(article, "instagram").text  # the recipe: platforms/builtin.INSTAGRAM_POST
        fields = {"image_url": article.social_image, "caption": caption}
        if article.image_alt:
            fields["alt_text"] = article.image_alt
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

    def post(self, message: Message) -> Receipt:
        """Instagram posts need a picture; then the container flow (spec §2.2)."""
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
