"""A fake Facebook Graph API for Pages (spec §1.10): feed posts, permalinks, followers."""

from __future__ import annotations

import hashlib
import json

from tests.fakes import contract
from tests.fakes.server import App, Reply


def graph_error(
    code: int,
    message: str,
    status: int = 400,
    subcode: int | None = None,
    kind: str = "OAuthException",
) -> Reply:
    """An error in the §1.6 shape."""
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode:
        error["error_subcode"] = subcode
    return Reply(status, {"error": error})


def refuse_graph(check) -> Reply:
    """Graph's answer to a parameter its specification does not allow (error 100)."""
    if check.shape is None:
        return graph_error(
            100, "Unsupported request - method type or path not found", kind="GraphMethodException"
        )
    return graph_error(100, f"(#100) Invalid parameter: {check.problems[0]}")


def insights_reply(node: str, values: dict[str, int], asked: list[str], period="lifetime") -> Reply:
    """A Graph insights answer: one ``{name, period, values: [{value}]}`` per asked metric."""
    return Reply(
        200,
        {
            "data": [
                {
                    "name": m,
                    "period": period,
                    "values": [{"value": values[m]}],
                    "title": m,
                    "id": f"{node}/insights/{m}/{period}",
                }
                for m in asked
            ]
        },
    )


def quota_reply(usage: int, total: int) -> Reply:
    """A 24-hour publishing limit answer (Instagram, Threads)."""
    return Reply(
        200,
        {
            "data": [
                {"quota_usage": usage, "config": {"quota_total": total, "quota_duration": 86400}}
            ]
        },
    )


def _first_url(text: str) -> str:
    return next((w for w in text.split() if w.startswith(("http://", "https://"))), "")


class FacebookFake(App):
    """Pages (by id) with their Page tokens."""

    contract = contract.load("facebook")

    def __init__(self, pages: dict[str, str], followers: int = 1234):
        super().__init__()
        self.pages = dict(pages)  # page id -> token
        self.expired: set[str] = set()
        self.followers = followers
        self.posts: list[dict] = []
        self.last_message: dict[str, str] = {}
        self.insights_for: set[str] = set()  # pages with Page Insights (100+ likes)
        self.photos: dict[str, dict] = {}  # unpublished photos, by id
        self.route("POST", r"/v\d+\.0/(?P<page>\d+)/feed", self.feed)
        self.route("POST", r"/v\d+\.0/(?P<page>\d+)/photos", self.photo)
        self.route("GET", r"/v\d+\.0/(?P<post>\d+_\d+)/insights", self.post_insights)
        # Page videos, chunked (upload_phase start/transfer/finish), their captions and status.
        self.videos: dict[str, dict] = {}
        self.video_statuses: list[str] = ["processing", "ready"]  # what status answers, per video
        self.route("POST", r"/v\d+\.0/(?P<page>\d+)/videos", self.video)
        self.route("POST", r"/v\d+\.0/(?P<video>9\d+)/captions", self.captions)
        self.route("GET", r"/v\d+\.0/(?P<video>9\d{5,})", self.video_node)
        self.route("GET", r"/v\d+\.0/(?P<node>[\d_]+)", self.node)

    def refuse(self, check) -> Reply:
        """Graph's error 100 for what the specification refuses."""
        return refuse_graph(check)

    def _auth(self, request, page: str) -> Reply | None:
        token = request.param("access_token")
        if not token or token in self.expired:
            return graph_error(
                190, "Error validating access token: Session has expired.", subcode=463
            )
        if self.pages.get(page) != token:
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        return None

    def feed(self, request, match) -> Reply:
        page = match["page"]
        if page not in self.pages:
            return graph_error(100, "(#100) Unsupported post request.", kind="GraphMethodException")
        problem = self._auth(request, page)
        if problem:
            return problem
        message, link = request.param("message", ""), request.param("link", "")
        attached = []
        if request.param("attached_media"):
            try:
                wanted = json.loads(request.param("attached_media"))
            except ValueError:
                wanted = None
            if not isinstance(wanted, list):
                return graph_error(100, "(#100) attached_media must be an array")
            for item in wanted:
                photo = self.photos.get(str((item or {}).get("media_fbid")))
                if photo is None or photo["page"] != page or photo["attached"]:
                    return graph_error(100, "(#100) Invalid media_fbid in attached_media")
                attached.append(photo)
            if link:
                return graph_error(
                    100, "(#100) A post with attached_media cannot also carry a link"
                )
        if not message and not link and not attached:
            return graph_error(100, "(#100) Missing message or attachment", kind="OAuthException")
        if self.last_message.get(page) == message:
            return graph_error(506, "(#506) Duplicate status message", kind="OAuthException")
        self.last_message[page] = message
        number = str(len(self.posts) + 1000)
        for photo in attached:
            photo["attached"] = True
        self.posts.append(
            {
                "page": page,
                "id": f"{page}_{number}",
                "message": message,
                "link": link or _first_url(message),
                "photos": [p["url"] for p in attached],
                "alts": [p["alt"] for p in attached],
            }
        )
        return Reply(200, {"id": f"{page}_{number}"})

    def node(self, request, match) -> Reply:
        node = match["node"]
        page = node.split("_")[0]
        if page not in self.pages:
            return graph_error(100, "Unsupported get request.", kind="GraphMethodException")
        problem = self._auth(request, page)
        if problem:
            return problem
        fields = request.param("fields", "")
        if "_" in node:
            post = next((p for p in self.posts if p["id"] == node), None)
            if post is None:
                return graph_error(100, "Object does not exist", kind="GraphMethodException")
            if "reactions" in fields or "comments" in fields:
                counts = self.engagement(node)
                answer = {
                    "id": node,
                    "reactions": {"data": [], "summary": {"total_count": counts["likes"]}},
                    "comments": {"data": [], "summary": {"total_count": counts["comments"]}},
                }
                if counts["shares"]:  # Facebook leaves "shares" out when nobody shared
                    answer["shares"] = {"count": counts["shares"]}
                return Reply(200, answer)
            return Reply(
                200,
                {
                    "id": node,
                    "permalink_url": f"https://www.facebook.com/{page}/posts/{node.split('_')[1]}",
                },
            )
        if "followers_count" in fields:
            return Reply(200, {"id": page, "followers_count": self.followers})
        return Reply(200, {"id": page})

    def post_insights(self, request, match) -> Reply:
        """``post_media_view`` (lifetime) for Pages with Page Insights, else error 100."""
        node = match["post"]
        page = node.split("_")[0]
        if page not in self.pages:
            return graph_error(100, "Unsupported get request.", kind="GraphMethodException")
        problem = self._auth(request, page)
        if problem:
            return problem
        if page not in self.insights_for:
            return graph_error(
                100,
                "(#100) The object does not have enough likes for insights",
                kind="OAuthException",
            )
        if request.param("metric") != "post_media_view":
            return graph_error(100, "(#100) The value must be a valid insights metric")
        value = self.engagement(node)["views"]
        return insights_reply(node, {"post_media_view": value}, ["post_media_view"])

    def photo(self, request, match) -> Reply:
        """``POST /{page-id}/photos``: ``published=false`` keeps it hidden until a post attaches it."""
        page = match["page"]
        if page not in self.pages:
            return graph_error(100, "(#100) Unsupported post request.", kind="GraphMethodException")
        problem = self._auth(request, page)
        if problem:
            return problem
        url = str(request.param("url", ""))
        if not url.startswith(("http://", "https://")):
            return graph_error(324, "(#324) Requires upload file")
        if str(request.param("published", "true")).lower() != "false":
            return graph_error(100, "(#100) This fake only takes unpublished photos for albums")
        photo_id = str(900000 + len(self.photos))
        self.photos[photo_id] = {
            "page": page,
            "url": url,
            "alt": str(request.param("alt_text_custom", "")),
            "attached": False,
        }
        return Reply(200, {"id": photo_id})

    CHUNK = 1024 * 1024  # what the fake asks per transfer (Facebook chooses the offsets)

    def video(self, request, match) -> Reply:
        page = match["page"]
        if page not in self.pages:
            return graph_error(100, "(#100) Unsupported post request.", kind="GraphMethodException")
        problem = self._auth(request, page)
        if problem:
            return problem
        phase = request.param("upload_phase")
        if phase == "start":
            size = int(request.param("file_size") or 0)
            if size <= 0:
                return graph_error(100, "(#100) file_size is required")
            video_id = str(900000 + len(self.videos))
            session = f"s{video_id}"
            self.videos[video_id] = {"page": page, "session": session, "size": size, "data": b"",
                                     "published": False, "captions": None,
                                     "statuses": list(self.video_statuses)}  # fmt: skip
            return Reply(200, {"video_id": video_id, "upload_session_id": session,
                               "start_offset": "0", "end_offset": str(min(size, self.CHUNK))})  # fmt: skip
        video = next(
            (v for v in self.videos.values() if v["session"] == request.param("upload_session_id")),
            None,
        )
        if video is None or video["page"] != page:
            return graph_error(100, "(#100) Invalid upload_session_id")
        if phase == "transfer":
            chunk = (request.files.get("video_file_chunk") or (None, b""))[1]
            if int(request.param("start_offset") or -1) != len(video["data"]) or not chunk:
                return graph_error(6001, "(#6001) There was a problem uploading your video file")
            video["data"] += chunk
            start = len(video["data"])
            return Reply(
                200,
                {
                    "start_offset": str(start),
                    "end_offset": str(min(video["size"], start + self.CHUNK)),
                },
            )
        if phase == "finish":
            if len(video["data"]) != video["size"]:
                return graph_error(6001, "(#6001) The video file is incomplete")
            video["published"] = True
            video_id = next(k for k, v in self.videos.items() if v is video)
            self.posts.append({"page": page, "id": video_id, "message": request.param("description", ""),
                               "link": _first_url(request.param("description", "")), "photos": [], "alts": [],
                               "video_sha": hashlib.sha256(video["data"]).hexdigest()})  # fmt: skip
            return Reply(200, {"success": True})
        return graph_error(100, "(#100) upload_phase")

    def captions(self, request, match) -> Reply:
        video = self.videos.get(match["video"])
        if video is None:
            return graph_error(100, "(#100) Unknown video")
        problem = self._auth(request, video["page"])
        if problem:
            return problem
        part = request.files.get("captions_file")
        if (
            part is None
            or not part[0].endswith(".srt")
            or "." not in part[0][:-4]
            or len(part[1]) > 200_000
        ):
            return graph_error(100, "(#100) captions_file must be name.locale.srt under 200K")
        video["captions"] = {
            "locale": part[0][:-4].rsplit(".", 1)[1],
            "srt": part[1].decode("utf-8"),
        }
        return Reply(200, {"success": True})

    def video_node(self, request, match) -> Reply:
        video = self.videos.get(match["video"])
        if video is None:
            return self.node(request, {"node": match["video"]})
        problem = self._auth(request, video["page"])
        if problem:
            return problem
        state = video["statuses"].pop(0) if video["statuses"] else "ready"
        video["state"] = state
        return Reply(200, {"id": match["video"], "status": {"video_status": state},
                           "permalink_url": f"/{video['page']}/videos/{match['video']}/"})  # fmt: skip
