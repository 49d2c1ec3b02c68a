"""HTTP discipline for every platform: one session, timeouts, errors classified, secrets masked."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import requests

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
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        """Name Loa in every request."""
        self.session.headers["User-Agent"] = "Loa/0.1 (+newsroom syndication)"

    def request(self, method: str, url: str, **kwargs) -> Response:
        """Send one request; network failures become ``PostError``s, never tracebacks."""
        kwargs.setdefault("timeout", self.timeout)
        try:
            reply = self.session.request(method, url, **kwargs)
        except requests.ConnectTimeout:
            raise PostError(
                TRANSIENT, "không kết nối được tới máy chủ (hết thời gian chờ kết nối)"
            ) from None
        except requests.ReadTimeout:
            raise PostError(
                AMBIGUOUS,
                "máy chủ không trả lời kịp — bài có thể đã được đăng, cần kiểm tra trước khi đăng lại",
            ) from None
        except requests.ConnectionError as exc:
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
            raise PostError(
                TRANSIENT, self.secrets.mask(f"lỗi mạng ({exc.__class__.__name__})")
            ) from None
        try:
            data = reply.json()
        except (ValueError, json.JSONDecodeError):
            data = None
        return Response(reply.status_code, dict(reply.headers), data, reply.text[:500])

    def close(self) -> None:
        """Close the session."""
        self.session.close()


def api_base(channel: str, default: str) -> str:
    """The platform's origin: ``LOA_API_BASE_<CHANNEL>`` when set (tests, proxies), else its own."""
    return (os.environ.get(f"LOA_API_BASE_{channel.upper()}") or default).rstrip("/")
