"""What every channel adapter is: render an article, post it, read followers and interactions.

An adapter registers itself by naming its platform: ``class Threads(Adapter):
platform = "threads"`` puts it in ``ADAPTERS``. Its platform must have a record
in ``loa.platforms`` (the record says what the platform can do; the adapter
does it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loa import platforms
from loa.syndication.http import (
    AMBIGUOUS,
    CONTENT,
    DUPLICATE,
    Http,
    PostError,
    api_base,
    safe_text,
)
from loa.syndication.manifest import ManifestArticle
from loa.syndication.messages import Message
from loa.syndication.secrets import Secrets
from loa.units import Channel

# The interaction counts Loa keeps, whatever each platform calls them:
# reactions (likes, reactions), comments (comments, replies), shares (shares,
# reposts, retweets, quotes), views (views, impressions, plays).
METRICS = ("reactions", "comments", "shares", "views")
INTERACTION_METRICS = ("reactions", "comments", "shares")

ADAPTERS: dict[str, type[Adapter]] = {}

# A platform answer is input like any other: a count is a plain non-negative integer.
MAX_COUNT = 10**12


def count(value) -> int | None:
    """A count from a platform's answer, or None when it is not one (never a guess)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit() and len(value) <= 13:
        value = int(value)
    if isinstance(value, int) and 0 <= value < MAX_COUNT:
        return value
    return None


def dig(data, *keys):
    """``data[k1][k2]...`` through dicts only; None when a level is missing or of another type.

    A platform's answer may put a list or a string where an object belongs:
    that value is unknown, it never crashes the reading of the account.
    """
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def code_of(value) -> int:
    """An error code from an answer as an int (0 when it is not a plain number)."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 12:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return 0


MAX_REMOTE_ID = 200

# An id that goes back into a request (a path segment, a form field): letters, digits and
# ``_.:~-`` only, so an answer cannot steer a later call (``../``, a space, a line break).
_ID = re.compile(r"[A-Za-z0-9_.:~-]{1,200}")
DIGITS = re.compile(r"[0-9]{1,40}")


def text_id(value, pattern: re.Pattern = _ID) -> str:
    """An id from an answer as text, or "" when it is not a plain string/number of that form."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    value = str(value)
    return value if pattern.fullmatch(value) else ""


def offset_of(value, size: int) -> int | None:
    """A byte offset from an answer, inside a file of ``size`` bytes (None when it is not one)."""
    found = count(value)
    return found if found is not None and found <= size else None


def counts(**values) -> dict[str, int]:
    """The metrics that are real counts (a missing or malformed one is left out, not zero)."""
    return {k: v for k, v in ((k, count(v)) for k, v in values.items()) if v is not None}


def each_post(posts, fetch) -> dict[str, dict[str, int]]:
    """``fetch(post)`` for each post; a post the platform refuses (deleted, hidden) is skipped.

    An error about the account (token, permission, rate limit, the server) stops
    the account: the caller keeps every last snapshot of it.
    """
    out = {}
    for post in posts:
        try:
            found = fetch(post)
        except PostError as exc:
            if exc.error_class in (CONTENT, DUPLICATE, AMBIGUOUS):
                continue
            raise
        if found:
            out[post.remote_id] = found
    return out


class Processing(Exception):
    """The platform took the video and is processing it: check ``handle`` in a later run."""

    def __init__(self, handle: str, note: str = ""):
        """``handle``: what the platform gave to ask about it (a media, container or publish id)."""
        super().__init__(note or handle)
        self.handle = handle


READY = "ready"  # ``check``: processed; the publishing step may be claimed and made


class Unsupported(Exception):
    """The platform's API does not offer this (no view counts on Telegram, say)."""


@dataclass(frozen=True)
class Receipt:
    """What the platform gave back for a post."""

    remote_id: str
    remote_url: str = ""

    def kept(self, record: platforms.Platform) -> Receipt:
        """The receipt as the ledger may keep it: a safe id, an address on the platform's hosts.

        The post is accepted whatever these look like: an odd id is kept made
        safe (never lost, never a "chưa rõ"), an address elsewhere is dropped.
        """
        remote_id = safe_text(str(self.remote_id)).strip()[:MAX_REMOTE_ID]
        return Receipt(remote_id, record.own_url(safe_text(str(self.remote_url)).strip()))


@dataclass(frozen=True)
class PostRef:
    """A post Loa made, as the ledger knows it (for reading its interactions)."""

    article: str
    remote_id: str
    remote_url: str = ""


class Adapter:
    """One platform account. Subclasses set ``platform`` and implement ``render`` and ``post``."""

    platform = ""
    default_base = ""
    # The platform publishes a video on its own once processed (no ``finish`` step): a video
    # that processes past ``processing_hours`` is then "unknown", never uploaded again.
    publishes_when_processed = False

    def __init_subclass__(cls, **kwargs):
        """Register an adapter that names its platform (the platform must have a record)."""
        super().__init_subclass__(**kwargs)
        if cls.platform:
            if platforms.get(cls.platform) is None:
                raise TypeError(
                    f"adapter {cls.__name__}: no record for platform {cls.platform!r} "
                    "(register a loa.platforms.Platform first)"
                )
            ADAPTERS[cls.platform] = cls

    def __init__(
        self, account: Channel, http: Http, secrets: Secrets, settings: dict | None = None
    ):
        """One account, the run's HTTP session and secrets, and the run's settings."""
        self.account = account
        self.http = http
        self.secrets = secrets
        self.settings = settings or {}

    @property
    def record(self) -> platforms.Platform:
        """What Loa knows about this platform."""
        return platforms.get(self.platform)

    @property
    def base(self) -> str:
        """The API's origin: ``LOA_API_BASE_<PLATFORM>`` when set, else the record's."""
        return api_base(self.platform, self.default_base or self.record.api_base)

    @property
    def label(self) -> str:
        """The account as people read it: ``Telegram @congdoan``."""
        return f"{self.account.label} {self.account.account}"

    def token_names(self) -> list[str]:
        """The environment variables this account needs."""
        return list(self.account.env_names.values())

    def render(self, article: ManifestArticle) -> Message:
        """The exact message this account would get."""
        raise NotImplementedError

    def preview(self, message: Message) -> str:
        """What a reviewer sees of the message in the plan (the fields that are sent)."""
        return message.text

    def post(self, message: Message) -> Receipt:
        """Publish; raise ``PostError`` on failure."""
        raise NotImplementedError

    def check(self, message: Message, handle: str) -> Receipt | str | None:
        """Where a video that raised ``Processing`` stands.

        ``None``: still processing; ``READY``: to be published (``finish``); a
        ``Receipt`` when the platform published it itself; ``PostError`` when
        processing failed.
        """
        raise PostError(CONTENT, f"{self.record.label}: không có bước xử lý video để kiểm tra")

    def finish(self, message: Message, handle: str) -> Receipt:
        """Publish a processed video (called after the step is claimed in the ledger)."""
        raise PostError(CONTENT, f"{self.record.label}: không có bước đăng video")

    def followers(self) -> int:
        """The account's follower count; ``Unsupported`` when the API has none."""
        raise Unsupported(f"{self.record.label} không cho đọc số người theo dõi qua API")

    def follower_count(self, value) -> int:
        """A follower count from an answer; ``PostError`` when it is missing or not a count."""
        found = count(value)
        if found is None:
            raise PostError(
                CONTENT, f"{self.record.label} trả số người theo dõi không hợp lệ — bỏ qua lần này"
            )
        return found

    def insights(self, posts: list[PostRef]) -> dict[str, dict[str, int]]:
        """Counts per post (by remote id), keys from ``METRICS``; a post left out is unknown.

        ``Unsupported`` when the platform's API offers no per-post counts;
        ``PostError`` when the call failed (the last snapshot is kept).
        """
        raise Unsupported(f"{self.record.label} không cho đọc lượt tương tác từng bài qua API")
