"""A fake Threads API (graph.threads.net/v1.0), written from Meta's pages (read 2026-12-02).

* developers.facebook.com/documentation/threads/posts: ``POST /{user}/threads``
  (``media_type`` TEXT needs ``text``; IMAGE needs ``image_url``; VIDEO needs
  ``video_url``, which Meta downloads — "We will cURL your video using the URL
  provided so it must be on a public server" — a failed download is the
  container's ERROR with ``FAILED_DOWNLOADING_VIDEO``; text ≤ 500
  characters, emojis counted as UTF-8 bytes; more than 5 links refused with
  THREADS_API__LINK_LIMIT_EXCEEDED) → ``{"id": container}``;
  ``POST /{user}/threads_publish`` with ``creation_id`` → ``{"id": media}``.
* /documentation/threads/troubleshooting: ``GET /{container}?fields=status`` —
  IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED.
* /documentation/threads/overview: 250 posts per 24 hours, read with
  ``GET /{user}/threads_publishing_limit?fields=quota_usage,config``.
* /documentation/threads/insights: ``GET /{media}/insights?metric=…`` (views,
  likes, replies, reposts, quotes, shares: ``values: [{value}]``) and
  ``GET /{user}/threads_insights?metric=followers_count`` (``total_value``).
* Errors: the Graph envelope; an expired token is code 190.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from loa.platforms.counting import threads_length

from tests.fakes import contract
from tests.fakes.facebook import graph_error, insights_reply, quota_reply, refuse_graph
from tests.fakes.server import App, Reply

MEDIA_METRICS = {"views", "likes", "replies", "reposts", "quotes", "shares"}


class ThreadsFake(App):
    """Threads profiles (by user id) with their tokens."""

    contract = contract.load("threads")

    def __init__(
        self,
        users: dict[str, str],
        usernames: dict[str, str] | None = None,
        processing: int = 1,
        quota_total: int = 250,
        followers: int = 654,
    ):
        super().__init__()
        self.users = dict(users)  # user id -> token
        self.usernames = dict(usernames or {})
        self.expired: set[str] = set()
        self.processing = processing
        self.quota_total = quota_total
        self.quota_usage: dict[str, int] = {}
        self.followers = followers
        self.containers: dict[str, dict] = {}
        self.posts: list[dict] = []
        # How Meta's "cURL" of a video_url is played here: the test gives the reader of
        # its site's files (None: the address is taken without being read).
        self.download: Callable[[str], bytes] | None = None
        self.route("POST", r"/v1\.0/(?P<user>\d+)/threads", self.create)
        self.route("POST", r"/v1\.0/(?P<user>\d+)/threads_publish", self.publish)
        self.route("GET", r"/v1\.0/(?P<user>\d+)/threads_publishing_limit", self.limit)
        self.route("GET", r"/v1\.0/(?P<user>\d+)/threads_insights", self.user_insights)
        self.route("GET", r"/v1\.0/(?P<media>t\d+)/insights", self.media_insights)
        self.route("GET", r"/v1\.0/(?P<node>[ct]\d+)", self.node)

    def refuse(self, check) -> Reply:
        """Graph's error 100 for what the specification refuses."""
        return refuse_graph(check)

    def _auth(self, request, user: str | None = None) -> Reply | None:
        token = request.param("access_token")
        if not token or token in self.expired:
            return graph_error(
                190, "Error validating access token: Session has expired.", subcode=463
            )
        if (user and self.users.get(user) != token) or token not in self.users.values():
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        return None

    def create(self, request, match) -> Reply:
        user = match["user"]
        problem = self._auth(request, user)
        if problem:
            return problem
        kind = str(request.param("media_type", ""))
        text = str(request.param("text", ""))
        image = str(request.param("image_url", ""))
        video = str(request.param("video_url", ""))
        item = str(request.param("is_carousel_item", "")).lower() == "true"
        children = []
        if kind == "CAROUSEL":
            names = [c for c in str(request.param("children", "")).split(",") if c]
            if not 2 <= len(names) <= 20:
                return graph_error(100, "(#100) A carousel must have between 2 and 20 children")
            for name in names:
                child = self.containers.get(name)
                if child is None or child["user"] != user or not child["item"]:
                    return graph_error(100, "(#100) Invalid children")
                if self._status(child) != "FINISHED":
                    return graph_error(-2, "(#-2) Child media is not ready", subcode=4279009)
                children.append(child)
        if kind not in ("TEXT", "IMAGE", "VIDEO", "CAROUSEL"):
            return graph_error(
                100, "(#100) Param media_type must be one of {TEXT, IMAGE, VIDEO, CAROUSEL}"
            )
        if kind == "CAROUSEL" and item:
            return graph_error(100, "(#100) A carousel cannot be a carousel item")
        if kind == "TEXT" and not text:
            return graph_error(100, "(#100) The parameter text is required for TEXT posts")
        if kind == "IMAGE" and not image.startswith(("http://", "https://")):
            return graph_error(100, "(#100) The parameter image_url is required for IMAGE posts")
        if kind == "VIDEO" and not video.startswith("https://"):
            return graph_error(100, "(#100) The parameter video_url is required for VIDEO posts")
        if threads_length(text) > 500:
            return graph_error(100, "(#100) Param text must be at most 500 characters long.")
        if len(set(re.findall(r"https?://\S+", text))) > 5:
            return graph_error(100, "THREADS_API__LINK_LIMIT_EXCEEDED")
        container = f"c{len(self.containers) + 1}"
        self.containers[container] = {
            "user": user,
            "media_type": kind,
            "text": text,
            "image_url": image,
            "video_url": video,
            **self._downloaded(video),
            "alt_text": str(request.param("alt_text", "")),
            "item": item,
            "photos": [c["image_url"] for c in children],
            "alts": [c["alt_text"] for c in children],
            "reads": 0,
            "published": False,
        }
        return Reply(200, {"id": container})

    def _downloaded(self, video: str) -> dict:
        """The video Meta would fetch: its SHA-256, or the download's failure."""
        if not video or self.download is None:
            return {}
        try:
            return {"video_sha": hashlib.sha256(self.download(video)).hexdigest()}
        except OSError:
            return {"error_message": "FAILED_DOWNLOADING_VIDEO"}

    def _status(self, container: dict) -> str:
        if container["published"]:
            return "PUBLISHED"
        if container.get("error_message"):
            return "ERROR"
        if container["media_type"] == "TEXT":
            return "FINISHED"
        return "IN_PROGRESS" if container["reads"] <= self.processing else "FINISHED"

    def node(self, request, match) -> Reply:
        problem = self._auth(request)
        if problem:
            return problem
        node = match["node"]
        if node.startswith("c"):
            container = self.containers.get(node)
            if container is None:
                return graph_error(100, "Object does not exist", kind="GraphMethodException")
            container["reads"] += 1
            answer = {"status": self._status(container), "id": node}
            if answer["status"] == "ERROR":
                answer["error_message"] = container["error_message"]
            return Reply(200, answer)
        post = next((p for p in self.posts if p["id"] == node), None)
        if post is None:
            return graph_error(100, "Object does not exist", kind="GraphMethodException")
        username = self.usernames.get(post["user"], post["user"])
        return Reply(
            200, {"id": node, "permalink": f"https://www.threads.com/@{username}/post/P{node[1:]}"}
        )

    def publish(self, request, match) -> Reply:
        user = match["user"]
        problem = self._auth(request, user)
        if problem:
            return problem
        container = self.containers.get(str(request.param("creation_id", "")))
        if container is None or container["user"] != user:
            return graph_error(100, "(#100) Invalid creation_id")
        if container["published"]:
            return graph_error(100, "(#100) The media has already been published")
        if container["item"]:
            return graph_error(100, "(#100) A carousel item cannot be published on its own")
        if self._status(container) != "FINISHED":
            return graph_error(
                -2, "Media not ready for publishing", kind="OAuthException", subcode=4279009
            )
        if self.quota_usage.get(user, 0) >= self.quota_total:
            return graph_error(4, "Application request limit reached", kind="OAuthException")
        container["published"] = True
        self.quota_usage[user] = self.quota_usage.get(user, 0) + 1
        media = f"t{len(self.posts) + 1}"
        self.posts.append({"id": media, "user": user, **container})
        return Reply(200, {"id": media})

    def limit(self, request, match) -> Reply:
        user = match["user"]
        problem = self._auth(request, user)
        if problem:
            return problem
        return quota_reply(self.quota_usage.get(user, 0), self.quota_total)

    def user_insights(self, request, match) -> Reply:
        user = match["user"]
        problem = self._auth(request, user)
        if problem:
            return problem
        if request.param("metric") != "followers_count":
            return graph_error(100, "(#100) metric must be a valid user insights metric")
        return Reply(
            200,
            {
                "data": [
                    {
                        "name": "followers_count",
                        "period": "day",
                        "title": "followers_count",
                        "total_value": {"value": self.followers},
                        "id": f"{user}/insights/followers_count/day",
                    }
                ]
            },
        )

    def media_insights(self, request, match) -> Reply:
        problem = self._auth(request)
        if problem:
            return problem
        media = match["media"]
        if not any(p["id"] == media for p in self.posts):
            return graph_error(100, "Object does not exist", kind="GraphMethodException")
        asked = [m for m in str(request.param("metric", "")).split(",") if m]
        if not asked or set(asked) - MEDIA_METRICS:
            return graph_error(100, f"(#100) metric must be one of {sorted(MEDIA_METRICS)}")
        c = self.engagement(media)
        values = {
            "views": c["views"],
            "likes": c["likes"],
            "replies": c["comments"],
            "reposts": c["shares"],
            "quotes": c["quotes"],
            "shares": 0,
        }
        return insights_reply(media, values, asked)
