"""HTTP discipline for every platform: one session, timeouts, errors classified, secrets masked.

A platform's answer is hostile input like any other: it is read as a stream
with a cap on the bytes on the wire *and* after decompression (a 1 MB gzip
answer can inflate to gigabytes), within an overall deadline per request (a
server that drips one byte inside every per-read timeout never trips the
socket timeout alone), parsed with a depth bound, and every string in it is
made safe (no lone surrogate, no line separator, no control character)
before any adapter reads it, so nothing odd reaches the ledger.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import threading
import unicodedata
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from loa.syndication.secrets import Secrets

# Error classes (spec §0): what the engine does with a failed call.
AUTH = "auth"  # token expired or invalid: renew the named variable
PERMISSION = "permission"  # missing scope, bot not admin, unaudited app
RATE_LIMITED = "rate_limited"  # wait for the hinted time
TRANSIENT = "transient"  # the platform failed: retry with backoff
CONTENT = "content"  # the post itself was refused: fix it
DUPLICATE = "duplicate"  # the platform already has it: never re-post
CONFIG = "config"  # our configuration is wrong (missing variable, unknown chat)
AMBIGUOUS = "unknown"  # the call may have succeeded (timeout after sending)

RETRYABLE_IN_RUN = frozenset({TRANSIENT, RATE_LIMITED})

# No platform answer Loa reads (a post's id, a follower count, a page of
# insights for 50 posts) comes near these.
MAX_BODY_BYTES = 4 * 1024 * 1024  # on the wire and decoded, each
DEADLINE_SECONDS = 120.0  # a whole request: connect, headers and body
MAX_DEPTH = 64  # JSON nesting in an answer
CHUNK = 16 * 1024

_LINE_BREAKS = re.compile("[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]")
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]")


def safe_text(value: str) -> str:
    """A platform's string made safe to keep: NFC, no lone surrogate, no line break, no control.

    A lone surrogate cannot be written as UTF-8 (it crashed the ledger's write
    after the posts were accepted); U+2028 splits a JSON line for some readers.
    Line breaks become spaces, the rest U+FFFD.
    """
    value = _UNSAFE.sub("\ufffd", _LINE_BREAKS.sub(" ", value))
    return unicodedata.normalize("NFC", value)


class _TooDeep(Exception):
    pass


def safe_json(value, depth: int = 0):
    """Every string (keys too) of a parsed answer made safe; ``_TooDeep`` past ``MAX_DEPTH``."""
    if depth > MAX_DEPTH:
        raise _TooDeep
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {safe_text(str(k)): safe_json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [safe_json(v, depth + 1) for v in value]
    return value


class _Watch:
    """The connection of the request under way, cut when its deadline passes."""

    def __init__(self) -> None:
        self.sock = None
        self.expired = False
        self.done = threading.Event()

    def run(self, seconds: float) -> None:
        if self.done.wait(seconds):
            return
        self.expired = True
        while not self.done.is_set():  # until the request gives up (a connect may be under way)
            sock = self.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self.done.wait(0.05)


_current = threading.local()


def _tell_watch(sock) -> None:
    watch = getattr(_current, "watch", None)
    if watch is not None and sock is not None:
        watch.sock = sock


def _watched(pool_class):
    """A pool whose connections tell the request's watch their socket (new or reused).

    The socket, not the connection: http.client drops ``conn.sock`` once the
    headers of a ``Connection: close`` answer are read, while the body is still
    coming through the same socket.
    """

    class WatchedConnection(pool_class.ConnectionCls):
        def connect(self) -> None:
            super().connect()
            _tell_watch(self.sock)

    class Watched(pool_class):
        ConnectionCls = WatchedConnection

        def _get_conn(self, timeout=None):
            conn = super()._get_conn(timeout)
            _tell_watch(getattr(conn, "sock", None))
            return conn

    return Watched


class _DeadlineAdapter(HTTPAdapter):
    """Pools that tell the request's watch which connection it uses."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _watched(HTTPConnectionPool),
            "https": _watched(HTTPSConnectionPool),
        }


def _session() -> requests.Session:
    session = requests.Session()
    for prefix in ("http://", "https://"):
        session.mount(prefix, _DeadlineAdapter())
    return session


class PostError(Exception):
    """A platform call that failed, classified, with a masked one-sentence message."""

    def __init__(
        self,
        error_class: str,
        message: str,
        retry_after: float | None = None,
        status: int | None = None,
    ):
        """A classified failure with its masked message."""
        super().__init__(message)
        self.error_class = error_class
        self.message = message
        self.retry_after = retry_after
        self.status = status


@dataclass
class Response:
    """A platform's answer: status, headers and JSON body (None when not JSON)."""

    status: int
    headers: dict
    data: dict | list | None
    text: str = ""


@dataclass
class Http:
    """The one HTTP session of a run."""

    secrets: Secrets
    timeout: tuple[float, float] = field(
        default_factory=lambda: (
            float(os.environ.get("LOA_HTTP_CONNECT_TIMEOUT", "10")),
            float(os.environ.get("LOA_HTTP_TIMEOUT", "30")),
        )
    )
    max_bytes: int = field(
        default_factory=lambda: int(os.environ.get("LOA_HTTP_MAX_BYTES") or MAX_BODY_BYTES)
    )
    deadline: float = field(
        default_factory=lambda: float(os.environ.get("LOA_HTTP_DEADLINE") or DEADLINE_SECONDS)
    )
    session: requests.Session = field(default_factory=_session)

    def __post_init__(self) -> None:
        """Name Loa in every request."""
        self.session.headers["User-Agent"] = "Loa/0.1 (+newsroom syndication)"

    def request(self, method: str, url: str, **kwargs) -> Response:
        """Send one request; network failures become ``PostError``s, never tracebacks."""
        kwargs.setdefault("timeout", self.timeout)
        kwargs["stream"] = True
        watch = _Watch()
        _current.watch = watch
        threading.Thread(target=watch.run, args=(self.deadline,), daemon=True).start()
        try:
            reply = self._send(method, url, watch, **kwargs)
            try:
                body = self._read(reply, watch)
            finally:
                reply.close()
        finally:
            watch.done.set()
            _current.watch = None
        return self._answer(reply, body)

    def _send(self, method: str, url: str, watch: _Watch, **kwargs) -> requests.Response:
        try:
            return self.session.request(method, url, **kwargs)
        except requests.ConnectTimeout:
            if watch.expired:
                raise self._late() from None
            raise PostError(
                TRANSIENT, "không kết nối được tới máy chủ (hết thời gian chờ kết nối)"
            ) from None
        except requests.ReadTimeout:
            raise PostError(
                AMBIGUOUS,
                "máy chủ không trả lời kịp — bài có thể đã được đăng, cần kiểm tra trước khi đăng lại",
            ) from None
        except requests.ConnectionError as exc:
            if watch.expired:
                raise self._late() from None
            text = str(exc)
            if (
                "refused" in text.lower()
                or "Name or service not known" in text
                or "NewConnectionError" in text
            ):
                raise PostError(TRANSIENT, "không kết nối được tới máy chủ") from None
            raise PostError(
                AMBIGUOUS,
                "kết nối bị ngắt giữa chừng — bài có thể đã được đăng, cần kiểm tra trước khi đăng lại",
            ) from None
        except requests.RequestException as exc:
            if watch.expired:
                raise self._late() from None
            raise PostError(
                TRANSIENT, self.secrets.mask(f"lỗi mạng ({exc.__class__.__name__})")
            ) from None

    def _late(self) -> PostError:
        return PostError(
            AMBIGUOUS,
            f"máy chủ trả lời quá thời hạn {self.deadline:g} giây — bài có thể đã được đăng, "
            "cần kiểm tra trước khi đăng lại",
        )

    def _too_big(self) -> PostError:
        return PostError(
            AMBIGUOUS,
            f"câu trả lời của máy chủ quá lớn (hơn {self.max_bytes // 1024} KB) — không đọc; "
            "bài có thể đã được đăng, cần kiểm tra trước khi đăng lại",
        )

    def _read(self, reply: requests.Response, watch: _Watch) -> bytes:
        """The body, streamed: at most ``max_bytes`` on the wire and decoded, within the deadline."""
        length = reply.headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) > self.max_bytes:
            raise self._too_big()
        chunks, total = [], 0
        try:
            # urllib3 decodes gzip/deflate/br chunk by chunk, bounded by the amount asked
            # (urllib3 2.6 changelog: "decompression bomb" — max_length on each decoder).
            for chunk in reply.raw.stream(CHUNK, decode_content=True):
                total += len(chunk)
                if total > self.max_bytes or reply.raw.tell() > self.max_bytes:
                    raise self._too_big()
                if watch.expired:
                    raise self._late()
                chunks.append(chunk)
        except PostError:
            raise
        except Exception as exc:  # urllib3's protocol, decode and socket errors alike
            if watch.expired:
                raise self._late() from None
            raise PostError(
                AMBIGUOUS,
                self.secrets.mask(
                    f"câu trả lời bị ngắt giữa chừng ({exc.__class__.__name__}) — bài có thể đã "
                    "được đăng, cần kiểm tra trước khi đăng lại"
                ),
            ) from None
        if watch.expired:
            raise self._late()
        return b"".join(chunks)

    @staticmethod
    def _answer(reply: requests.Response, body: bytes) -> Response:
        """Status, headers, the JSON with every string made safe (None when not JSON), some text."""
        try:
            data = safe_json(json.loads(body)) if body else None
        except (ValueError, RecursionError, _TooDeep):
            data = None
        try:
            text = body[:2000].decode(reply.encoding or "utf-8", "replace")
        except LookupError:
            text = body[:2000].decode("utf-8", "replace")
        headers = {safe_text(k): safe_text(v) for k, v in reply.headers.items()}
        return Response(reply.status_code, headers, data, safe_text(text[:500]))

    def close(self) -> None:
        """Close the session."""
        self.session.close()


def api_base(channel: str, default: str) -> str:
    """The platform's origin: ``LOA_API_BASE_<CHANNEL>`` when set (tests, proxies), else its own."""
    return (os.environ.get(f"LOA_API_BASE_{channel.upper()}") or default).rstrip("/")
