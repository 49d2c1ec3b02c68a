"""A fake Zalo OA article API and OAuth (spec §5.8): create, verify (asynchronous), getdetail, refresh."""

from __future__ import annotations

import secrets

from tests.fakes import contract
from tests.fakes.server import App, Reply


class ZaloFake(App):
    """OAs by access token; verify answers "processing" ``processing`` times first."""

    contract = contract.load("zalo")

    def __init__(self, tokens: dict[str, str], processing: int = 1, followers: int = 2024):
        super().__init__()
        self.tokens = dict(tokens)  # access token -> OA id
        self.expired: set[str] = set()
        self.processing = processing
        self.followers = followers
        self.pending: dict[str, dict] = {}
        self.articles: dict[str, dict] = {}
        self.posts: list[dict] = []
        self.broadcasts: list[dict] = []
        # OAuth: app id -> secret key; refresh token -> OA id (single use)
        self.apps: dict[str, str] = {}
        self.refresh_tokens: dict[str, str] = {}
        self.used_refresh_tokens: set[str] = set()
        self.route("POST", r"/v2\.0/article/create", self.create)
        self.route("POST", r"/v2\.0/article/verify", self.verify)
        self.route("GET", r"/v2\.0/article/getdetail", self.detail)
        self.route("POST", r"/v2\.0/oa/message", self.message)
        self.route("GET", r"/v2\.0/oa/getoa", self.getoa)
        self.route("POST", r"/v4/oa/access_token", self.refresh)
        # Video articles (spec A7): preparevideo (multipart ≤ 50 MB), upload_video/verify.
        self.videos: dict[str, dict] = {}
        self.video_statuses: list[int] = [3, 1]  # what verify answers for each new video
        self.route("POST", r"/v2\.0/article/upload_video/preparevideo", self.prepare_video)
        self.route("GET", r"/v2\.0/article/upload_video/verify", self.verify_video)

    def refuse(self, check) -> Reply:
        """Zalo's envelope (HTTP 200, a negative error) for what the SDK would never send."""
        return Reply(
            200, {"error": -201, "message": f"Parameters are invalid: {check.problems[0]}"}
        )

    def _oa(self, request) -> str | None:
        token = request.headers.get("access_token", "")
        if not token or token in self.expired:
            return None
        return self.tokens.get(token)

    def _bad_token(self) -> Reply:
        return Reply(200, {"error": -216, "message": "Access token is invalid"})

    def create(self, request, _match) -> Reply:
        oa = self._oa(request)
        if oa is None:
            return self._bad_token()
        body = request.json or {}
        problems = []
        if body.get("type") == "video":
            video = next(
                (v for v in self.videos.values() if v["video_id"] == body.get("video_id")), None
            )
            if video is None or video["oa"] != oa or video["status"] != 1:
                problems.append("video_id")
            if not body.get("avatar"):
                problems.append("avatar")
            body = {
                **body,
                "author": "-",
                "cover": {"photo_url": body.get("avatar")},
                "body": ["video"],
            }
        elif body.get("type") != "normal":
            problems.append("type")
        if not body.get("title") or len(body["title"]) > 150:
            problems.append("title")
        if not body.get("author") or len(body["author"]) > 50:
            problems.append("author")
        if not body.get("description") or len(body["description"]) > 300:
            problems.append("description")
        if not (body.get("cover") or {}).get("photo_url"):
            problems.append("cover")
        if not body.get("body"):
            problems.append("body")
        if body.get("status") not in ("show", "hide"):
            problems.append("status")
        if problems:
            return Reply(200, {"error": -201, "message": f"Invalid params: {', '.join(problems)}"})
        token = f"t{len(self.pending) + 1}"
        self.pending[token] = {"oa": oa, "body": body, "reads": 0}
        return Reply(200, {"error": 0, "message": "Success", "data": {"token": token}})

    def verify(self, request, _match) -> Reply:
        if self._oa(request) is None:
            return self._bad_token()
        token = (request.json or {}).get("token", "")
        pending = self.pending.get(token)
        if pending is None:
            return Reply(200, {"error": -201, "message": "Invalid token"})
        pending["reads"] += 1
        if pending["reads"] <= self.processing:
            return Reply(200, {"error": -214, "message": "Media is being processed"})
        if "id" not in pending:
            pending["id"] = f"a{len(self.articles) + 1}"
            self.articles[pending["id"]] = pending
            self.posts.append({"id": pending["id"], "oa": pending["oa"], **pending["body"]})
        return Reply(200, {"error": 0, "message": "Success", "data": {"id": pending["id"]}})

    def detail(self, request, _match) -> Reply:
        if self._oa(request) is None:
            return self._bad_token()
        article = self.articles.get(request.param("id", ""))
        if article is None:
            return Reply(200, {"error": -201, "message": "Article not found"})
        return Reply(
            200,
            {
                "error": 0,
                "message": "Success",
                "data": {
                    "id": article["id"],
                    "title": article["body"]["title"],
                    "link_view": f"https://zalo.me/oa/article/{article['id']}",
                },
            },
        )

    def message(self, request, _match) -> Reply:
        if self._oa(request) is None:
            return self._bad_token()
        self.broadcasts.append(request.json or {})
        return Reply(
            200,
            {"error": 0, "message": "Success", "data": {"message_id": f"b{len(self.broadcasts)}"}},
        )

    def getoa(self, request, _match) -> Reply:
        oa = self._oa(request)
        if oa is None:
            return self._bad_token()
        return Reply(
            200,
            {
                "error": 0,
                "message": "Success",
                "data": {"oa_id": oa, "num_follower": self.followers},
            },
        )

    def refresh(self, request, _match) -> Reply:
        app_id, secret = request.param("app_id", ""), request.headers.get("secret_key", "")
        if self.apps.get(app_id) != secret:
            return Reply(
                400,
                {
                    "error": -14002,
                    "error_name": "invalid_app",
                    "error_reason": "app_id or secret_key is invalid",
                    "error_description": "Invalid app",
                },
            )
        old = request.param("refresh_token", "")
        if (
            request.param("grant_type") != "refresh_token"
            or old in self.used_refresh_tokens
            or old not in self.refresh_tokens
        ):
            return Reply(
                400,
                {
                    "error": -14014,
                    "error_name": "invalid_grant",
                    "error_reason": "refresh token is invalid or was used",
                    "error_description": "Invalid refresh token",
                },
            )
        oa = self.refresh_tokens.pop(old)
        self.used_refresh_tokens.add(old)
        # Opaque, as Zalo's are: a token says nothing of the OA it belongs to.
        access, refresh = f"zalo-at-{secrets.token_hex(12)}", f"zalo-rt-{secrets.token_hex(12)}"
        self.tokens[access] = oa
        self.refresh_tokens[refresh] = oa
        return Reply(200, {"access_token": access, "refresh_token": refresh, "expires_in": "90000"})

    VIDEO_MAX = 50 * 1024 * 1024

    def prepare_video(self, request, _match) -> Reply:
        oa = self._oa(request)
        if oa is None:
            return self._bad_token()
        part = request.files.get("file")
        if part is None or not part[1] or len(part[1]) > self.VIDEO_MAX or part[1][4:8] != b"ftyp":
            return Reply(200, {"error": -201, "message": "Invalid video file (mp4, at most 50 MB)"})
        token = secrets.token_hex(8)
        self.videos[token] = {"oa": oa, "bytes": len(part[1]), "video_id": f"v{len(self.videos) + 1}",
                              "statuses": list(self.video_statuses), "status": 3}  # fmt: skip
        return Reply(200, {"error": 0, "message": "Success", "data": {"token": token}})

    def verify_video(self, request, _match) -> Reply:
        oa = self._oa(request)
        video = self.videos.get(str(request.param("token", "")))
        if oa is None:
            return self._bad_token()
        if video is None or video["oa"] != oa:
            return Reply(200, {"error": -201, "message": "Invalid token"})
        if video["statuses"]:
            video["status"] = video["statuses"].pop(0)
        data = {"status": video["status"], "convert_percent": 100 if video["status"] == 1 else 40}
        if video["status"] == 1:
            data["video_id"] = video["video_id"]
        return Reply(200, {"error": 0, "message": "Success", "data": data})
