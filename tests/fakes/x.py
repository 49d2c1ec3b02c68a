"""A fake X API v2 (spec §4.8): OAuth 1.0a signatures, weighted length, duplicates, rate limits."""

from __future__ import annotations

import hashlib
import time
from typing import ClassVar
from urllib.parse import urlencode

from loa.platforms.counting import x_weighted_length
from oauthlib.oauth1 import RequestValidator, ResourceEndpoint

from tests.fakes import contract
from tests.fakes.server import App, Reply


class _Validator(RequestValidator):
    """Accepts the configured consumer and access keys, checks the HMAC-SHA1 signature."""

    def __init__(self, fake: XFake):
        super().__init__()
        self.fake = fake

    enforce_ssl = False
    safe_characters = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
    client_key_length = (3, 200)
    access_token_length = (3, 200)
    nonce_length = (10, 64)
    dummy_client = "dummy-client-key"
    dummy_access_token = "dummy-access-token"

    @property
    def allowed_signature_methods(self):
        return ("HMAC-SHA1",)

    def check_client_key(self, key):
        return True

    def check_access_token(self, token):
        return True

    def check_nonce(self, nonce):
        return True

    def validate_client_key(self, key, request):
        return any(a["consumer_key"] == key for a in self.fake.accounts.values())

    def validate_access_token(self, key, token, request):
        return token in self.fake.accounts and token not in self.fake.revoked

    def validate_timestamp_and_nonce(
        self, key, timestamp, nonce, request, request_token=None, access_token=None
    ):
        return True

    def validate_realms(self, *args, **kwargs):
        return True

    def get_client_secret(self, key, request):
        return next(
            (a["consumer_secret"] for a in self.fake.accounts.values() if a["consumer_key"] == key),
            "dummy",
        )

    def get_access_token_secret(self, key, token, request):
        return self.fake.accounts.get(token, {}).get("token_secret", "dummy")


class XFake(App):
    """Accounts by access token: {token: {username, consumer_key, consumer_secret, token_secret}}."""

    def __init__(self, accounts: dict[str, dict], followers: int = 77, api_version: str = ""):
        super().__init__()
        # the OpenAPI description the fake speaks: the current one unless a test asks an older one
        spec = contract.load("x")
        self.contract = spec.version(api_version or spec.data["version"])
        self.accounts = accounts
        self.revoked: set[str] = set()
        self.followers = followers
        self.posts: list[dict] = []
        self.endpoint = ResourceEndpoint(_Validator(self))
        self.media: dict[str, dict] = {}  # uploaded media, by id
        self.route("POST", r"/2/tweets", self.tweet)
        self.route("POST", r"/2/media/upload", self.upload)
        self.route("POST", r"/2/media/metadata", self.metadata)
        self.route("GET", r"/2/tweets", self.lookup)
        # Chunked video upload (xdevplatform/docs x-api/media/*-media-upload.mdx) and subtitles.
        self.route("POST", r"/2/media/upload/initialize", self.initialize)
        self.route("POST", r"/2/media/upload/(?P<id>\d+)/append", self.append)
        self.route("POST", r"/2/media/upload/(?P<id>\d+)/finalize", self.finalize)
        self.route("GET", r"/2/media/upload", self.status)
        self.route("POST", r"/2/media/subtitles", self.subtitles)
        # What STATUS answers for each video uploaded from now on, one state per call
        # ("succeeded" once they run out).
        self.video_states: list[str] = ["in_progress", "succeeded"]
        self.route("GET", r"/2/users/me", self.me)

    def refuse(self, check) -> Reply:
        """X's invalid-request problem, naming the parameter (as the API does for unknown ones)."""
        problem = check.problems[0]
        name = problem.split(":")[0].removeprefix("query.").removeprefix("body.")
        message = (
            f"The query parameter [{name}] is not one of the parameters this endpoint accepts"
            if problem.startswith("query.") and "unknown parameter" in problem
            else problem
        )
        return Reply(
            400,
            {
                "errors": [{"parameters": {name: []}, "message": message}],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            },
        )

    def _verify(self, request):
        host = request.headers.get("host", "127.0.0.1")
        uri = f"http://{host}{request.path}" + (
            "?" + urlencode(request.query) if request.query else ""
        )
        # A JSON body is not part of an OAuth 1.0a signature; a form body is.
        form = "x-www-form-urlencoded" in request.headers.get("content-type", "")
        headers = {
            "Authorization": request.headers.get("authorization", ""),
            "Content-Type": request.headers.get("content-type", ""),
        }
        ok, signed = self.endpoint.validate_protected_resource_request(
            uri, request.method, request.body if form else None, headers
        )
        return signed.resource_owner_key if ok else None

    def _limits(self) -> dict:
        return {
            "x-rate-limit-limit": "200",
            "x-rate-limit-remaining": "199",
            "x-rate-limit-reset": str(int(time.time()) + 900),  # clock: allowed (the server's)
        }

    def tweet(self, request, _match) -> Reply:
        token = self._verify(request)
        if token is None:
            return Reply(
                401,
                {
                    "title": "Unauthorized",
                    "type": "about:blank",
                    "status": 401,
                    "detail": "Unauthorized",
                },
                self._limits(),
            )
        text = (request.json or {}).get("text", "")
        if x_weighted_length(text) > 280:
            return Reply(
                400,
                {
                    "title": "Invalid Request",
                    "detail": "One or more parameters to your request was invalid: text is too long",
                    "type": "https://api.twitter.com/2/problems/invalid-request",
                    "status": 400,
                },
                self._limits(),
            )
        username = self.accounts[token]["username"]
        ids = ((request.json or {}).get("media") or {}).get("media_ids") or []
        if len(ids) > 4 or any(
            self.media.get(str(i), {}).get("owner") != token
            or self.media[str(i)]["used"]
            or self.media[str(i)].get("state", "succeeded") != "succeeded"
            for i in ids
        ):
            return Reply(
                400,
                {
                    "title": "Invalid Request",
                    "detail": "One or more parameters to your request was invalid: media.media_ids",
                    "type": "https://api.twitter.com/2/problems/invalid-request",
                    "status": 400,
                },
                self._limits(),
            )
        if any(p["username"] == username and p["text"] == text for p in self.posts):
            return Reply(
                403,
                {
                    "detail": "You are not allowed to create a Tweet with duplicate content.",
                    "type": "about:blank",
                    "title": "Forbidden",
                    "status": 403,
                },
                self._limits(),
            )
        post_id = str(1346889436626259968 + len(self.posts))
        for i in ids:
            self.media[str(i)]["used"] = True
        self.posts.append(
            {
                "id": post_id,
                "username": username,
                "text": text,
                "photos": [self.media[str(i)]["sha"] for i in ids],
                "alts": [self.media[str(i)]["alt"] for i in ids],
                "subtitles": [self.media[str(i)].get("subtitles") for i in ids],
            }
        )
        return Reply(201, {"data": {"id": post_id, "text": text}}, self._limits())

    def me(self, request, _match) -> Reply:
        token = self._verify(request)
        if token is None:
            return Reply(401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"})
        account = self.accounts[token]
        return Reply(
            200,
            {
                "data": {
                    "id": "1",
                    "username": account["username"],
                    "public_metrics": {"followers_count": self.followers},
                }
            },
        )

    def lookup(self, request, _match) -> Reply:
        """``GET /2/tweets?ids=…&post.fields=public_metrics`` (``tweet.fields`` before 2.167)."""
        if self._verify(request) is None:
            return Reply(401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"})
        ids = [i for i in str(request.query.get("ids", "")).split(",") if i]
        if not ids or len(ids) > 100:
            return Reply(
                400,
                {"title": "Invalid Request", "status": 400, "detail": "ids: 1 to 100 ids"},
                self._limits(),
            )
        asked = request.query.get("post.fields") or request.query.get("tweet.fields") or ""
        fields = str(asked).split(",")
        data, errors = [], []
        for post_id in ids:
            post = next((p for p in self.posts if p["id"] == post_id), None)
            if post is None:
                errors.append(
                    {
                        "value": post_id,
                        "detail": f"Could not find tweet with ids: [{post_id}].",
                        "title": "Not Found Error",
                        "resource_type": "tweet",
                        "parameter": "ids",
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    }
                )
                continue
            item = {"id": post_id, "text": post["text"], "edit_history_tweet_ids": [post_id]}
            if "public_metrics" in fields:
                c = self.engagement(post_id)
                item["public_metrics"] = {
                    "retweet_count": c["shares"],
                    "reply_count": c["comments"],
                    "like_count": c["likes"],
                    "quote_count": c["quotes"],
                    "bookmark_count": 0,
                    "impression_count": c["views"],
                }
            data.append(item)
        body = {"data": data} if data else {}
        if errors:
            body["errors"] = errors
        return Reply(200, body, self._limits())

    def upload(self, request, _match) -> Reply:
        """``POST /2/media/upload``: one image in the multipart ``media`` part, at most 5 MB."""
        token = self._verify(request)
        if token is None:
            return Reply(401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"})
        part = request.files.get("media")
        if part is None or not part[1]:
            return Reply(
                400, {"title": "Invalid Request", "status": 400, "detail": "media is required"}
            )
        data = part[1]
        if len(data) > 5_000_000 or not data.startswith(b"\xff\xd8"):
            return Reply(
                400,
                {
                    "title": "Invalid Request",
                    "status": 400,
                    "detail": "media: not a JPEG under 5 MB",
                },
            )
        if request.form.get("media_category", "tweet_image") != "tweet_image":
            return Reply(
                400, {"title": "Invalid Request", "status": 400, "detail": "media_category"}
            )
        media_id = str(1880000000000000000 + len(self.media))
        self.media[media_id] = {
            "owner": token,
            "sha": hashlib.sha256(data).hexdigest(),
            "alt": "",
            "used": False,
        }
        return Reply(
            200,
            {
                "data": {
                    "id": media_id,
                    "media_key": f"3_{media_id}",
                    "size": len(data),
                    "expires_after_secs": 86400,
                    "image": {"image_type": "image/jpeg", "w": 1, "h": 1},
                }
            },
        )

    def metadata(self, request, _match) -> Reply:
        """``POST /2/media/metadata``: alt text (at most 1,000 characters) for an uploaded image."""
        token = self._verify(request)
        if token is None:
            return Reply(401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"})
        body = request.json or {}
        media = self.media.get(str(body.get("id")))
        alt = ((body.get("metadata") or {}).get("alt_text") or {}).get("text")
        if media is None or media["owner"] != token or not isinstance(alt, str) or len(alt) > 1000:
            return Reply(
                400, {"title": "Invalid Request", "status": 400, "detail": "id or alt_text"}
            )
        media["alt"] = alt
        return Reply(200, {"data": {"id": body["id"], "associated_metadata": True}})

    # -- chunked upload ----------------------------------------------------------------

    CHUNK_MAX = 5 * 1024 * 1024  # bytes per APPEND request
    VIDEO_MAX = 512 * 1024 * 1024
    CATEGORIES: ClassVar[dict] = {"tweet_video": "video/mp4", "subtitles": "text/srt"}

    def _bad(self, detail: str) -> Reply:
        return Reply(400, {"title": "Invalid Request", "status": 400, "detail": detail})

    def initialize(self, request, _match) -> Reply:
        """INIT: ``media_type``, ``total_bytes``, ``media_category`` as JSON; a media id."""
        token = self._verify(request)
        if token is None:
            return Reply(401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"})
        body = request.json or {}
        category, media_type = body.get("media_category"), body.get("media_type")
        total = body.get("total_bytes")
        if (
            self.CATEGORIES.get(category) != media_type
            or not isinstance(total, int)
            or not 0 < total <= self.VIDEO_MAX
        ):
            return self._bad("media_type, media_category or total_bytes")
        media_id = str(1880000000000000000 + len(self.media))
        self.media[media_id] = {"owner": token, "sha": "", "alt": "", "used": False, "category": category,
                                "total": total, "chunks": {}, "state": "uploading", "statuses": 0}  # fmt: skip
        return Reply(
            200,
            {"data": {"id": media_id, "media_key": f"7_{media_id}", "expires_after_secs": 86400}},
        )

    def append(self, request, match) -> Reply:
        """APPEND: multipart ``media`` and ``segment_index`` (0–999), in order, each ≤ 5 MB."""
        token = self._verify(request)
        media = self.media.get(match["id"])
        if (
            token is None
            or media is None
            or media["owner"] != token
            or media["state"] != "uploading"
        ):
            return self._bad("media_id")
        part = request.files.get("media")
        index = str(request.form.get("segment_index", ""))
        if (
            part is None
            or not index.isdigit()
            or int(index) > 999
            or int(index) != len(media["chunks"])
        ):
            return self._bad("segment_index")
        if len(part[1]) > self.CHUNK_MAX:
            return self._bad("media: chunk over 5 MB")
        media["chunks"][int(index)] = part[1]
        return Reply(204)

    def finalize(self, request, match) -> Reply:
        """FINALIZE: the chunks must add up to ``total_bytes``; a video starts processing."""
        token = self._verify(request)
        media = self.media.get(match["id"])
        if (
            token is None
            or media is None
            or media["owner"] != token
            or media["state"] != "uploading"
        ):
            return self._bad("media_id")
        data = b"".join(media["chunks"][i] for i in sorted(media["chunks"]))
        if len(data) != media["total"]:
            return self._bad("total_bytes does not match the uploaded bytes")
        media["sha"] = hashlib.sha256(data).hexdigest()
        media["bytes"] = data
        if media["category"] == "tweet_video":
            media["state"] = "pending"
            media["script"] = list(self.video_states)
            info = {"state": "pending", "check_after_secs": 1}
            return Reply(200, {"data": {"id": match["id"], "processing_info": info}})
        media["state"] = "succeeded"
        return Reply(200, {"data": {"id": match["id"]}})

    def status(self, request, _match) -> Reply:
        """STATUS: ``command=STATUS&media_id=…``; the next of ``video_states``."""
        token = self._verify(request)
        media = self.media.get(str(request.query.get("media_id", "")))
        if (
            token is None
            or request.query.get("command") != "STATUS"
            or media is None
            or media["owner"] != token
        ):
            return self._bad("media_id")
        media["statuses"] += 1
        if media["state"] in ("pending", "in_progress"):
            media["state"] = media["script"].pop(0) if media["script"] else "succeeded"
        info = {
            "state": media["state"],
            "progress_percent": 100 if media["state"] == "succeeded" else 40,
        }
        if media["state"] == "failed":
            info["error"] = {
                "code": 1,
                "name": "InvalidMedia",
                "message": "Unsupported video format",
            }
        return Reply(200, {"data": {"id": str(request.query["media_id"]), "processing_info": info}})

    def subtitles(self, request, _match) -> Reply:
        """Attach an uploaded SRT (category ``subtitles``) to a video."""
        token = self._verify(request)
        body = request.json or {}
        video = self.media.get(str(body.get("id")))
        sub = body.get("subtitles") or {}
        track = self.media.get(str(sub.get("id")))
        if (
            token is None
            or video is None
            or track is None
            or track.get("category") != "subtitles"
            or not sub.get("language_code")
            or video["owner"] != token
        ):
            return self._bad("id or subtitles")
        video["subtitles"] = {
            "language": sub["language_code"],
            "srt": track["bytes"].decode("utf-8"),
        }
        return Reply(200, {"data": {"associated_subtitles": True}})
