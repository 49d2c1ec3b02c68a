"""The records of the networks Loa posts to out of the box.

Each fact is from the vendor's page named in ``evidence`` (read 2026-12-02) or
from ``shared/spec/social-apis.md`` (section named); the adapters in
``loa.syndication.channels`` cite the endpoint pages they call.
"""

from __future__ import annotations

from loa.platforms import (
    ALBUM,
    FOLLOWERS,
    INTERACTIONS,
    LINK,
    PHOTO,
    VIDEO,
    VIDEO_BY_ADDRESS,
    Platform,
    TextLimit,
    register,
)
from loa.platforms.counting import (
    X_MAX,
    X_URL_LENGTH,
    hashtags,
    telegram_length,
    threads_length,
    utf16_length,
    x_weighted_length,
)

TIKTOK_PRIVACY = ("SELF_ONLY", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "PUBLIC_TO_EVERYONE")
INSTAGRAM_HASHTAGS = 5


def _instagram_hashtags(text: str) -> str | None:
    count = len(hashtags(text))
    if count > INSTAGRAM_HASHTAGS:
        return f"Lời dẫn cho Instagram có {count} hashtag, quá {INSTAGRAM_HASHTAGS} — bớt hashtag."
    return None


def _threads_topics(text: str) -> str | None:
    count = len(hashtags(text))
    if count > 1:
        return f"Lời dẫn cho Threads có {count} chủ đề (#), Threads chỉ nhận một — giữ một hashtag."
    return None


# -- How each post is composed (the language: loa.platforms.compose). The adapters run
# these steps, and so does the newsroom's preview, from loa-config.json.
def _get(name: str) -> list:
    return ["get", name]


def _fitted_lead(measure: str, room: list) -> list:
    """The lead cut on a word to ``room`` by ``measure``."""
    return ["shorten", _get("lead"), room, measure]


def _append_if_fits(piece: list) -> tuple:
    """X: ``piece`` on a line of its own after the text, when there is one and it fits."""
    longer = ["cat", _get("text"), "\n", piece]
    fits = ["and", piece, ["le", ["count", "x", longer], _get("limit")]]
    return ("text", ["if", fits, longer, _get("text")])


# Title, lead, source and hashtags; the link is the post's link card (an album: in the text).
FACEBOOK_POST = (
    ("limit", ["limit", "message"]),
    ("tail", ["blocks", _get("attribution"), ["hashtags", 5]]),
    (
        "room",
        [
            "sub",
            _get("limit"),
            ["count", "length", _get("title")],
            ["count", "length", _get("tail")],
            4,
        ],
    ),
    ("lead", _fitted_lead("length", _get("room"))),
    ("text", ["blocks", _get("title"), _get("lead"), _get("tail")]),
    ("text", ["if", _get("album"), ["blocks", _get("text"), _get("url")], _get("text")]),
)
# The article's title and description (the post's text); the body is the article's.
ZALO_POST = (
    ("limit", ["limit", "description"]),
    ("title", ["shorten", _get("title"), ["limit", "title"], "length"]),
    ("text", _fitted_lead("length", ["limit", "description"])),
)
# HTML mode: bold title, lead, source, link, hashtags; a caption under a picture, else a message.
TELEGRAM_POST = (
    ("limit", ["if", _get("image"), ["limit", "caption"], ["limit", "text"]]),
    ("head", ["cat", "<b>", ["escape", _get("title")], "</b>"]),
    ("tail", ["blocks", ["escape", _get("attribution")], _get("url"), ["hashtags", 5]]),
    (
        "room",
        [
            "add",
            [
                "sub",
                _get("limit"),
                ["count", "telegram", ["blocks", _get("head"), "x", _get("tail")]],
            ],
            1,
        ],
    ),
    ("lead", _fitted_lead("utf16", _get("room"))),  # the lead is escaped after: UTF-16 units
    ("text", ["blocks", _get("head"), ["escape", _get("lead")], _get("tail")]),
)
# The lead cut on a word, then the link (never cut), then what fits of the source and 3 hashtags.
X_POST = (
    ("limit", ["limit", "text"]),
    ("tail", ["cat", "\n\n", _get("url")]),
    ("lead", _fitted_lead("x", ["sub", _get("limit"), ["count", "x", _get("tail")]])),
    ("text", ["if", _get("lead"), ["cat", _get("lead"), _get("tail")], _get("url")]),
    _append_if_fits(_get("attribution")),
    _append_if_fits(["hashtags", 3]),
)
# A caption: title, lead, source, the link as words (captions have no live link), ≤ 5 hashtags.
INSTAGRAM_POST = (
    ("limit", ["limit", "caption"]),
    (
        "tail",
        [
            "blocks",
            _get("attribution"),
            ["cat", "Đọc toàn bài: ", _get("url")],
            ["hashtags", ["limit", "hashtags"]],
        ],
    ),
    (
        "room",
        [
            "sub",
            _get("limit"),
            ["count", "length", _get("title")],
            ["count", "length", _get("tail")],
            4,
        ],
    ),
    ("lead", _fitted_lead("length", _get("room"))),
    ("text", ["blocks", _get("title"), _get("lead"), _get("tail")]),
)
# A photo post: a title, and a description of lead, source, link, hashtags (UTF-16 units).
TIKTOK_POST = (
    ("limit", ["limit", "description"]),
    ("title", ["shorten", _get("title"), ["limit", "title"], "utf16"]),
    ("tail", ["blocks", _get("attribution"), _get("url"), ["hashtags", 5]]),
    ("lead", _fitted_lead("utf16", ["sub", _get("limit"), ["count", "utf16", _get("tail")], 2])),
    ("text", ["blocks", _get("lead"), _get("tail")]),
)
# Title, lead, the link (the first URL: the preview), source, one topic; a title alone
# too long is cut to half the limit so the link stays whole.
THREADS_POST = (
    ("limit", ["limit", "text"]),
    ("tail", ["blocks", _get("url"), _get("attribution"), ["hashtags", ["limit", "topics"]]]),
    (
        "room",
        [
            "add",
            [
                "sub",
                _get("limit"),
                ["count", "threads", ["blocks", _get("title"), "x", _get("tail")]],
            ],
            1,
        ],
    ),
    ("lead", _fitted_lead("threads", _get("room"))),
    ("text", ["blocks", _get("title"), _get("lead"), _get("tail")]),
    (
        "short",
        ["blocks", ["shorten", _get("title"), ["half", _get("limit")], "threads"], _get("tail")],
    ),
    (
        "text",
        [
            "if",
            ["gt", ["count", "threads", _get("text")], _get("limit")],
            _get("short"),
            _get("text"),
        ],
    ),
)


FACEBOOK = register(
    Platform(
        name="facebook",
        label="Facebook",
        account_key="page_id",
        required=("page_id", "token_env"),
        optional=("graph_version",),
        profile_url="https://www.facebook.com/{page_id}",
        post_url="https://www.facebook.com/{id}",
        share_url="https://www.facebook.com/sharer/sharer.php?u={url}",
        text=TextLimit("message", 63206),
        limits={"message": 63206, "album": 20},  # album: not documented by Meta; kept modest
        capabilities=frozenset({LINK, PHOTO, ALBUM, VIDEO, FOLLOWERS, INTERACTIONS}),
        api_base="https://graph.facebook.com",
        compose=FACEBOOK_POST,
        evidence=(
            "shared/spec/social-apis.md §1 (Pages API feed and photos)",
            "https://developers.facebook.com/docs/graph-api/reference/page/feed/",
            "https://developers.facebook.com/docs/platforminsights/page/deprecated-metrics",
        ),
    )
)

ZALO = register(
    Platform(
        name="zalo",
        label="Zalo OA",
        account_key="oa_id",
        required=("oa_id", "token_env"),
        optional=("refresh_token_env", "app_id_env", "secret_key_env", "broadcast", "comments"),
        booleans=("broadcast", "comments"),
        profile_url="https://zalo.me/{oa_id}",
        # Zalo has no share address for the web: the theme's own script shares.
        text=TextLimit("description", 300, unit="ký tự (phần mô tả bài trên Zalo)", link_room=0),
        limits={"title": 150, "author": 50, "description": 300, "album": 50},  # photos in the body
        # No per-article statistics in the OA article API (spec §11.3 [U]): no INTERACTIONS.
        capabilities=frozenset({LINK, PHOTO, ALBUM, VIDEO, FOLLOWERS}),
        api_base="https://openapi.zalo.me",
        compose=ZALO_POST,
        evidence=("shared/spec/social-apis.md §5 (OA article API)",),
    )
)

TELEGRAM = register(
    Platform(
        name="telegram",
        label="Telegram",
        account_key="chat_id",
        required=("chat_id", "token_env"),
        optional=("username",),
        profile_url="https://t.me/{username}",
        post_url="{profile}/{id}",
        share_url="https://t.me/share/url?url={url}&text={title}",
        text=TextLimit(
            "caption", 1024, telegram_length, "đơn vị UTF-16 (emoji tính 2) kể cả liên kết"
        ),
        limits={"text": 4096, "caption": 1024, "album": 10},  # sendMediaGroup: 2–10
        # The Bot API gives no view counts for channel posts (spec §11.3): no INTERACTIONS.
        capabilities=frozenset({LINK, PHOTO, ALBUM, VIDEO, FOLLOWERS}),
        api_base="https://api.telegram.org",
        compose=TELEGRAM_POST,
        evidence=("https://core.telegram.org/bots/api#sendphoto", "shared/spec/social-apis.md §3"),
    )
)

X = register(
    Platform(
        name="x",
        label="X",
        account_key="username",
        required=(
            "username",
            "consumer_key_env",
            "consumer_secret_env",
            "access_token_env",
            "access_token_secret_env",
        ),
        profile_url="https://x.com/{username}",
        post_url="{profile}/status/{id}",
        share_url="https://x.com/intent/post?url={url}&text={title}",
        text=TextLimit(
            "text",
            X_MAX,
            x_weighted_length,
            "điểm theo cách đếm của X (chữ có dấu thanh như “ệ”, “ộ” tính 2, liên kết tính 23)",
            link_room=1 + X_URL_LENGTH,
        ),
        limits={"text": X_MAX, "album": 4},  # media_ids: up to 4 images
        capabilities=frozenset({LINK, PHOTO, ALBUM, FOLLOWERS, INTERACTIONS}),
        api_base="https://api.x.com",
        compose=X_POST,
        evidence=(
            "https://docs.x.com/x-api/fundamentals/data-dictionary/reference (public_metrics)",
            "shared/spec/social-apis.md §4",
        ),
    )
)

INSTAGRAM = register(
    Platform(
        name="instagram",
        label="Instagram",
        account_key="ig_user_id",
        required=("ig_user_id", "token_env"),
        optional=("username", "graph_version"),
        profile_url="https://www.instagram.com/{username}/",
        text=TextLimit("caption", 2200, unit="ký tự kể cả liên kết"),
        limits={"caption": 2200, "hashtags": INSTAGRAM_HASHTAGS, "album": 10},  # carousel: 2–10
        capabilities=frozenset({PHOTO, ALBUM, VIDEO, FOLLOWERS, INTERACTIONS}),
        api_base="https://graph.facebook.com",
        text_checks=(_instagram_hashtags,),
        compose=INSTAGRAM_POST,
        evidence=(
            "https://developers.facebook.com/documentation/instagram-platform/reference/instagram-media/insights",
            "shared/spec/social-apis.md §2",
        ),
    )
)

TIKTOK = register(
    Platform(
        name="tiktok",
        label="TikTok",
        account_key="username",
        required=("username", "token_env"),
        optional=("privacy_level", "disable_comment"),
        booleans=("disable_comment",),
        choices={"privacy_level": TIKTOK_PRIVACY},
        profile_url="https://www.tiktok.com/@{username}",
        post_url="{profile}/photo/{id}",
        text=TextLimit("description", 4000, utf16_length, link_room=0),
        limits={"title": 90, "description": 4000, "album": 35},  # photo_images: 1–35
        capabilities=frozenset({PHOTO, ALBUM, VIDEO, FOLLOWERS, INTERACTIONS}),
        api_base="https://open.tiktokapis.com",
        compose=TIKTOK_POST,
        evidence=(
            "https://developers.tiktok.com/doc/tiktok-api-v2-video-query",
            "shared/spec/social-apis.md §6",
        ),
    )
)

THREADS = register(
    Platform(
        name="threads",
        label="Threads",
        account_key="threads_user_id",
        required=("threads_user_id", "token_env"),
        optional=("username",),
        profile_url="https://www.threads.com/@{username}",
        post_url="{profile}/post/{id}",
        share_url="https://www.threads.com/intent/post?text={title}%20{url}",
        # 500 characters, emojis counted as their UTF-8 bytes; the link is in the text.
        text=TextLimit("text", 500, threads_length, "ký tự theo cách đếm của Threads"),
        limits={"text": 500, "posts_per_24h": 250, "topics": 1, "album": 20},  # carousel: 2–20
        # A video only by video_url: "We will cURL your video using the URL provided so
        # it must be on a public server" (developers.facebook.com/docs/threads/posts).
        capabilities=frozenset({LINK, PHOTO, ALBUM, VIDEO, VIDEO_BY_ADDRESS, FOLLOWERS, INTERACTIONS}),
        api_base="https://graph.threads.net",
        text_checks=(_threads_topics,),
        compose=THREADS_POST,
        evidence=(
            "https://developers.facebook.com/documentation/threads/posts (updated 2026-04-14)",
            "https://developers.facebook.com/documentation/threads/overview (rate limiting, 2025-12-22)",
            "https://developers.facebook.com/documentation/threads/insights (updated 2026-01-30)",
        ),
    )
)
