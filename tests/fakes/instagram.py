"""A fake Instagram Content Publishing API (spec §2.6): containers, status, publish, quota."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from tests.fakes import contract
from tests.fakes.facebook import graph_error, insights_reply, quota_reply, refuse_graph
from tests.fakes.server import App, Reply


class InstagramFake(App):
    """IG users (by id) with their tokens; containers finish after ``processing`` status reads."""

    contract = contract.load("instagram")

    def __init__(
        self,
        users: dict[str, str],
        processing: int = 1,
        quota_total: int = 50,
        followers: int = 456,
    ):
        super().__init__()
        self.users = dict(users)
        self.expired: set[str] = set()
        self.processing = processing
        self.quota_total = quota_total
        self.quota_usage: dict[str, int] = {}
        self.followers = followers
        self.containers: dict[str, dict] = {}
        self.posts: list[dict] = []
        self.route("POST", r"/v\d+\.0/(?P<user>\d+)/media", self.media)
        self.route("POST", r"/v\d+\.0/(?P<user>\d+)/media_publish", self.publish)
        self.route("GET", r"/v\d+\.0/(?P<user>\d+)/content_publishing_limit", self.limit)
        self.route("GET", r"/v\d+\.0/(?P<media>180\d{14})/insights", self.insights)
        self.route("GET", r"/v\d+\.0/(?P<node>1(?:79|80)\d{14})", self.node)
        self.route("GET", r"/v\d+\.0/(?P<user>\d+)", self.user)
        # Reels by resumable upload (content-publishing/resumable-uploads).
        self.route("POST", r"/ig-api-upload/v\d+\.0/(?P<container>\d+)", self.rupload)

    def refuse(self, check) -> Reply:
        """Graph's error 100 for what the specification refuses."""
        return refuse_graph(check)

    def _auth(self, request, user: str | None = None) -> Reply | None:
        token = request.param("access_token")
        if (
            not token
            or token in self.expired
            or (user and self.users.get(user) != token)
            or (not user and token not in self.users.values())
        ):
            return graph_error(
                190, "Error validating access token: Session has expired.", subcode=463
            )
        return None

    def media(self, request, match) -> Reply:
        user = match["user"]
        problem = self._auth(request, user)
        if problem:
            return problem
        if request.param("media_type") == "CAROUSEL":
            return self.carousel(request, user)
        if request.param("media_type") == "REELS":
            return self.reel(request, user)
        url = str(request.param("image_url", ""))
        if not url.lower().split("?")[0].endswith((".jpg", ".jpeg")):
            return graph_error(
                9004,
                "Only photo or video can be accepted as media type.",
                kind="OAuthException",
                subcode=2207052,
            )
        caption = str(request.param("caption", ""))
        if len(caption) > 2200 or caption.count("#") > 5:
            return graph_error(
                100, "The caption is too long or has too many hashtags.", kind="OAuthException"
            )
        container = f"179{len(self.containers) + 1:014d}"
        self.containers[container] = {
            "user": user,
            "image_url": url,
            "caption": caption,
            "alt_text": str(request.param("alt_text", "")),
            "item": str(request.param("is_carousel_item", "")).lower() == "true",
            "reads": 0,
            "published": False,
        }
        return Reply(200, {"id": container})

    def carousel(self, request, user: str) -> Reply:
        """A carousel container: 2–10 finished item containers of this user, in order."""
        children = [c for c in str(request.param("children", "")).split(",") if c]
        if not 2 <= len(children) <= 10:
            return graph_error(100, "(#100) A carousel must have between 2 and 10 children")
        items = []
        for child in children:
            item = self.containers.get(child)
            if item is None or item["user"] != user or not item["item"]:
                return graph_error(100, "(#100) Invalid children: not carousel items of this user")
            if item["reads"] <= self.processing:
                return graph_error(-2, "(#-2) Child media is not ready", subcode=2207027)
            items.append(item)
        caption = str(request.param("caption", ""))
        if len(caption) > 2200 or caption.count("#") > 5:
            return graph_error(100, "The caption is too long or has too many hashtags.")
        container = f"179{len(self.containers) + 1:014d}"
        self.containers[container] = {
            "user": user,
            "image_url": "",
            "caption": caption,
            "children": [i["image_url"] for i in items],
            "alts": [i["alt_text"] for i in items],
            "item": False,
            "reads": 0,
            "published": False,
        }
        return Reply(200, {"id": container})

    def node(self, request, match) -> Reply:
        node = match["node"]
        problem = self._auth(request)
        if problem:
            return problem
        if node.startswith("179"):
            container = self.containers.get(node)
            if container is None:
                return graph_error(100, "Object does not exist", kind="GraphMethodException")
            if container.get("reel") and container.get("bytes") is None:
                return Reply(200, {"status_code": "IN_PROGRESS", "id": node})  # nothing uploaded
            container["reads"] += 1
            if container["published"]:
                status = "PUBLISHED"
            else:
                status = "IN_PROGRESS" if container["reads"] <= self.processing else "FINISHED"
            return Reply(200, {"status_code": status, "id": node})
        post = next((p for p in self.posts if p["id"] == node), None)
        if post is None:
            return graph_error(100, "Object does not exist", kind="GraphMethodException")
        return Reply(200, {"id": node, "permalink": f"https://www.instagram.com/p/ABC{node[-4:]}/"})

    def publish(self, request, match) -> Reply:
        user = match["user"]
        problem = self._auth(request, user)
        if problem:
            return problem
        container = self.containers.get(str(request.param("creation_id", "")))
        if container is None or container["user"] != user:
            return graph_error(100, "Invalid creation_id", kind="OAuthException")
        if container["published"]:
            return graph_error(
                -2, "The media has already been published", kind="OAuthException", subcode=2207020
            )
        if container["reads"] <= self.processing:
            return graph_error(
                -2, "Media ID is not available", kind="OAuthException", subcode=2207027
            )
        if self.quota_usage.get(user, 0) >= self.quota_total:
            return graph_error(
                9, "Application request limit reached", kind="OAuthException", subcode=2207042
            )
        container["published"] = True
        self.quota_usage[user] = self.quota_usage.get(user, 0) + 1
        media = f"180{len(self.posts) + 1:014d}"
        if container["item"]:
            return graph_error(100, "(#100) A carousel item cannot be published on its own")
        self.posts.append(
            {
                "id": media,
                "user": user,
                "caption": container["caption"],
                "image_url": container["image_url"],
                "photos": container.get("children", []),
                "reel_sha": container.get("sha"),
                "cover_url": container.get("cover_url"),
                "alts": container.get("alts", []),
            }
        )
        return Reply(200, {"id": media})

    def limit(self, request, match) -> Reply:
        user = match["user"]
        problem = self._auth(request, user)
        if problem:
            return problem
        return quota_reply(self.quota_usage.get(user, 0), self.quota_total)

    def user(self, request, match) -> Reply:
        user = match["user"]
        problem = self._auth(request, user)
        if problem:
            return problem
        return Reply(200, {"id": user, "followers_count": self.followers})

    METRICS: ClassVar = {
        "views",
        "likes",
        "comments",
        "shares",
        "saved",
        "reach",
        "total_interactions",
    }

    def insights(self, request, match) -> Reply:
        """Media insights: each asked metric with ``values: [{value}]``; retired ones refused."""
        problem = self._auth(request)
        if problem:
            return problem
        media = match["media"]
        if not any(p["id"] == media for p in self.posts):
            return graph_error(100, "Object does not exist", kind="GraphMethodException")
        asked = [m for m in str(request.param("metric", "")).split(",") if m]
        unknown = [m for m in asked if m not in self.METRICS]
        if not asked or unknown:
            return graph_error(
                100, f"(#100) metric[0] must be one of the following values: {sorted(self.METRICS)}"
            )
        counts = self.engagement(media)
        values = {
            "views": counts["views"],
            "likes": counts["likes"],
            "comments": counts["comments"],
            "shares": counts["shares"],
            "saved": 0,
            "reach": counts["views"] // 2,
            "total_interactions": counts["likes"] + counts["comments"] + counts["shares"],
        }
        return insights_reply(media, values, asked)

    def reel(self, request, user: str) -> Reply:
        """A REELS container for resumable upload: its id and the ``uri`` to send the bytes to."""
        if request.param("upload_type") != "resumable":
            return graph_error(100, "(#100) video_url or upload_type=resumable is required")
        caption = str(request.param("caption", ""))
        if len(caption) > 2200 or caption.count("#") > 5:
            return graph_error(100, "The caption is too long or has too many hashtags.")
        container = f"179{len(self.containers) + 1:014d}"
        self.containers[container] = {"user": user, "image_url": "", "caption": caption, "item": False,
                                      "reads": 0, "published": False, "reel": True, "bytes": None,
                                      "cover_url": str(request.param("cover_url", ""))}  # fmt: skip
        host = request.headers.get("host", "127.0.0.1")
        return Reply(
            200, {"id": container, "uri": f"http://{host}/ig-api-upload/v25.0/{container}"}
        )

    def rupload(self, request, match) -> Reply:
        """The video's bytes, with ``Authorization: OAuth <token>``, ``offset`` and ``file_size``."""
        container = self.containers.get(match["container"])
        token = request.headers.get("authorization", "").removeprefix("OAuth ").strip()
        if container is None or self.users.get(container["user"]) != token:
            return graph_error(190, "Invalid OAuth access token")
        if request.headers.get("offset") != "0" or request.headers.get("file_size") != str(
            len(request.body)
        ):
            return graph_error(100, "(#100) offset and file_size headers must describe the body")
        container["bytes"] = request.body
        container["sha"] = hashlib.sha256(request.body).hexdigest()
        return Reply(200, {"success": True, "message": "Upload successful."})
