"""A fake TikTok Content Posting API for photos (spec §6.9)."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from loa.platforms.counting import utf16_length

from tests.fakes import contract
from tests.fakes.server import App, Reply


def envelope(
    code: str = "ok", message: str = "", data: dict | None = None, status: int = 200
) -> Reply:
    """TikTok's ``{data, error: {code, message, log_id}}`` answer."""
    body = {"error": {"code": code, "message": message, "log_id": "202611260000000000"}}
    if data is not None:
        body["data"] = data
    return Reply(status, body)


class TikTokFake(App):
    """Creators by token; photos must come from ``verified_prefix``; optionally unaudited."""

    contract = contract.load("tiktok")

    def __init__(
        self,
        tokens: dict[str, str],
        verified_prefix: str,
        unaudited: bool = True,
        processing: int = 1,
        followers: int = 89,
    ):
        super().__init__()
        self.tokens = dict(tokens)  # token -> username
        self.expired: set[str] = set()
        self.verified_prefix = verified_prefix
        self.unaudited = unaudited
        self.processing = processing
        self.followers = followers
        self.publishes: dict[str, dict] = {}
        # creator_info/query: what each creator may post; who cannot post now (code); who asked
        self.privacy_options: dict[str, list[str]] = {}
        self.default_options = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]
        self.cannot_post: dict[str, str] = {}  # username -> spam_risk_* / reached_active_user_cap
        self.comment_disabled: set[str] = set()
        self.asked: set[str] = set()  # creators who queried since their last post
        self.posts: list[dict] = []
        self.route("POST", r"/v2/post/publish/creator_info/query/", self.creator_info)
        self.route("POST", r"/v2/post/publish/content/init/", self.init)
        self.route("POST", r"/v2/post/publish/status/fetch/", self.status)
        self.route("GET", r"/v2/user/info/", self.info)
        self.route("POST", r"/v2/video/query/", self.query)
        # Video by FILE_UPLOAD (content-posting-api-reference-direct-post, media-transfer-guide).
        self.route("POST", r"/v2/post/publish/video/init/", self.video_init)
        self.route("PUT", r"/upload/(?P<id>p\d+)/", self.upload)

    def refuse(self, check) -> Reply:
        """TikTok's ``invalid_params`` envelope for what the reference refuses."""
        if check.shape is None:
            return envelope("invalid_params", "Invalid request path", status=404)
        return envelope("invalid_params", check.problems[0], status=400)

    def _user(self, request) -> str | None:
        header = request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ").strip()
        if token in self.expired or token not in self.tokens:
            return None
        return self.tokens[token]

    def creator_info(self, request, _match) -> Reply:
        """What the creator may post now; the refusal when they cannot post at all."""
        user = self._user(request)
        if user is None:
            return envelope("access_token_invalid", "The access token is invalid.", status=401)
        if user in self.cannot_post:
            return envelope(self.cannot_post[user], "The creator cannot post now.", status=403)
        self.asked.add(user)
        return envelope(
            data={
                "creator_avatar_url": "https://p16.tiktokcdn.com/a.jpeg",
                "creator_username": user,
                "creator_nickname": user,
                "privacy_level_options": self.privacy_options.get(user, self.default_options),
                "comment_disabled": user in self.comment_disabled,
                "duet_disabled": True,
                "stitch_disabled": True,
                "max_video_post_duration_sec": 300,
            }
        )

    def init(self, request, _match) -> Reply:
        user = self._user(request)
        if user is None:
            return envelope(
                "access_token_invalid",
                "The access token is invalid or not found in the request.",
                status=401,
            )
        # TikTok's guidelines: creator_info/query before each post, its options obeyed
        if user not in self.asked:
            return envelope("invalid_params", "Query creator info before posting.", status=400)
        self.asked.discard(user)
        body = request.json or {}
        info, source = body.get("post_info") or {}, body.get("source_info") or {}
        if body.get("media_type") != "PHOTO" or source.get("source") != "PULL_FROM_URL":
            return envelope(
                "invalid_params", "media_type must be PHOTO and source PULL_FROM_URL", status=400
            )
        images = source.get("photo_images") or []
        if not images or len(images) > 35:
            return envelope("invalid_params", "photo_images must hold 1 to 35 URLs", status=400)
        if any(not str(u).startswith(self.verified_prefix) for u in images):
            return envelope(
                "url_ownership_unverified",
                "Please verify the ownership of the domain or URL prefix.",
                status=403,
            )
        if any(str(u).lower().endswith(".png") for u in images):
            return envelope("file_format_check_failed", "PNG is not supported", status=400)
        if (
            utf16_length(info.get("title", "")) > 90
            or utf16_length(info.get("description", "")) > 4000
        ):
            return envelope("invalid_params", "title or description too long", status=400)
        privacy = info.get("privacy_level")
        if privacy not in (
            "PUBLIC_TO_EVERYONE",
            "MUTUAL_FOLLOW_FRIENDS",
            "FOLLOWER_OF_CREATOR",
            "SELF_ONLY",
        ):
            return envelope("invalid_params", "privacy_level is required", status=400)
        if privacy not in self.privacy_options.get(user, self.default_options):
            return envelope(
                "privacy_level_option_mismatch",
                "privacy_level is not one of the creator's options.",
                status=400,
            )
        if self.unaudited and privacy != "SELF_ONLY":
            return envelope(
                "unaudited_client_can_only_post_to_private_accounts",
                "Please review our integration guidelines.",
                status=403,
            )
        publish_id = f"p{len(self.publishes) + 1}"
        self.publishes[publish_id] = {"user": user, "reads": 0, "privacy": privacy}
        self.posts.append(
            {
                "publish_id": publish_id,
                "user": user,
                "title": info.get("title"),
                "description": info.get("description"),
                "images": images,
            }
        )
        return envelope(data={"publish_id": publish_id})

    def status(self, request, _match) -> Reply:
        if self._user(request) is None:
            return envelope("access_token_invalid", "The access token is invalid.", status=401)
        publish = self.publishes.get((request.json or {}).get("publish_id", ""))
        if publish is None:
            return envelope("invalid_params", "publish_id not found", status=400)
        if publish.get("video") and len(publish["parts"]) < publish["count"]:
            return envelope(data={"status": "PROCESSING_UPLOAD", "uploaded_bytes": 0})
        publish["reads"] += 1
        if publish["reads"] <= self.processing:
            return envelope(
                data={
                    "status": "PROCESSING_DOWNLOAD",
                    "uploaded_bytes": 0,
                    "downloaded_bytes": 1024,
                }
            )
        if publish["privacy"] != "SELF_ONLY":
            publish.setdefault("post_id", str(7400000000000000000 + len(self.publishes)))
        ids = [publish["post_id"]] if "post_id" in publish else []
        return envelope(
            data={
                "status": "PUBLISH_COMPLETE",
                "publicaly_available_post_id": ids,
                "uploaded_bytes": 0,
                "downloaded_bytes": 123456,
            }
        )

    def info(self, request, _match) -> Reply:
        user = self._user(request)
        if user is None:
            return envelope("access_token_invalid", "The access token is invalid.", status=401)
        return envelope(data={"user": {"display_name": user, "follower_count": self.followers}})

    QUERY_FIELDS: ClassVar = {
        "id",
        "create_time",
        "title",
        "share_url",
        "like_count",
        "comment_count",
        "share_count",
        "view_count",
    }

    def query(self, request, _match) -> Reply:
        """Query Videos: the creator's own posts among ``filters.video_ids`` (at most 20)."""
        user = self._user(request)
        if user is None:
            return envelope("access_token_invalid", "The access token is invalid.", status=401)
        fields = [f for f in str(request.query.get("fields", "")).split(",") if f]
        ids = ((request.json or {}).get("filters") or {}).get("video_ids") or []
        if not fields or set(fields) - self.QUERY_FIELDS or not ids or len(ids) > 20:
            return envelope("invalid_params", "fields or filters.video_ids are invalid", status=400)
        videos = []
        for publish in self.publishes.values():
            post_id = publish.get("post_id")
            if post_id in ids and publish.get("user") == user:
                c = self.engagement(post_id)
                full = {
                    "id": post_id,
                    "like_count": c["likes"],
                    "comment_count": c["comments"],
                    "share_count": c["shares"],
                    "view_count": c["views"],
                }
                videos.append({k: v for k, v in full.items() if k in fields})
        return envelope(data={"videos": videos, "cursor": 0, "has_more": False})

    MB = 1024 * 1024

    def video_init(self, request, _match) -> Reply:
        """``video/init``: FILE_UPLOAD with a chunk plan that follows the transfer guide."""
        user = self._user(request)
        if user is None:
            return envelope("access_token_invalid", "The access token is invalid.", status=401)
        if user not in self.asked:
            return envelope("invalid_params", "Query creator info before posting.", status=400)
        self.asked.discard(user)
        body = request.json or {}
        info, source = body.get("post_info") or {}, body.get("source_info") or {}
        size, chunk, count = (
            source.get(k) for k in ("video_size", "chunk_size", "total_chunk_count")
        )
        if source.get("source") != "FILE_UPLOAD" or not all(
            isinstance(v, int) and v > 0 for v in (size, chunk, count)
        ):
            return envelope("invalid_params", "source_info", status=400)
        whole = size < 5 * self.MB or (size <= 64 * self.MB and count == 1 and chunk == size)
        chunked = (
            5 * self.MB <= chunk <= 64 * self.MB and count == size // chunk and 1 <= count <= 1000
        )
        if not (whole or chunked) or size - chunk * (count - 1) > 128 * self.MB:
            return envelope("invalid_params", "chunk_size or total_chunk_count", status=400)
        if utf16_length(info.get("title", "")) > 2200:
            return envelope("invalid_params", "title too long", status=400)
        privacy = info.get("privacy_level")
        if privacy not in self.privacy_options.get(user, self.default_options):
            return envelope("privacy_level_option_mismatch", "privacy_level", status=400)
        publish_id = f"p{len(self.publishes) + 1}"
        self.publishes[publish_id] = {"user": user, "reads": 0, "privacy": privacy, "video": True,
                                      "size": size, "chunk": chunk, "count": count, "parts": []}  # fmt: skip
        self.posts.append({"publish_id": publish_id, "user": user, "title": info.get("title"),
                           "description": info.get("title"), "images": [], "video": True})  # fmt: skip
        return envelope(
            data={
                "publish_id": publish_id,
                "upload_url": f"http://{request.headers.get('host', '127.0.0.1')}/upload/{publish_id}/",
            }
        )

    def upload(self, request, match) -> Reply:
        """``PUT`` one chunk: in order, ``Content-Range: bytes a-b/total`` matching the plan."""
        publish = self.publishes.get(match["id"])
        if publish is None or not publish.get("video"):
            return Reply(404, raw=b"")
        index = len(publish["parts"])
        start = index * publish["chunk"]
        end = publish["size"] if index == publish["count"] - 1 else start + publish["chunk"]
        expected = f"bytes {start}-{end - 1}/{publish['size']}"
        if request.headers.get("content-range") != expected or len(request.body) != end - start:
            return Reply(416, raw=b"")
        publish["parts"].append(request.body)
        done = len(publish["parts"]) == publish["count"]
        if done:
            data = b"".join(publish["parts"])
            publish["sha"] = hashlib.sha256(data).hexdigest()
            publish["reads"] = 0
        return Reply(201 if done else 206, raw=b"")
