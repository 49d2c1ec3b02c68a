"""The reading side's HTTP: bounded answers, failures as one Vietnamese sentence.

GET, except Telegram's relay of members' private messages to the bot
(``copyMessage``, ids only: the text never passes through Loa).

An answer body is never put into a message or a log: it may hold a member's
words. Only the status, the platform's error code and our own words are shown.
"""

from __future__ import annotations

import json
import os

import requests

from loa.errors import LoaError

MAX_BODY = 4 * 1024 * 1024  # bytes of one answer; a page of metadata is a few kB
MAX_PAGES = 50  # pages followed per list, per run


class AccountFailed(LoaError):
    """One account could not be read: the sentence says why (and which permission)."""


def api_base(channel: str, default: str) -> str:
    """``LOA_API_BASE_<CHANNEL>`` when set (tests, proxies), else the platform's own origin."""
    return (os.environ.get(f"LOA_API_BASE_{channel.upper()}") or default).rstrip("/")


class Reader:
    """One session for a ``loa listen`` run."""

    def __init__(self) -> None:
        """One session, Loa's user agent, the run's timeouts."""
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "Loa/0.1 (+listening, metadata only)"
        self.timeout = (
            float(os.environ.get("LOA_HTTP_CONNECT_TIMEOUT", "10")),
            float(os.environ.get("LOA_HTTP_TIMEOUT", "30")),
        )

    def get(self, url: str, params=None, headers=None) -> tuple[int, object]:
        """(status, parsed JSON or None); network trouble is ``AccountFailed``."""
        return self._send("GET", url, params=params, headers=headers)

    def post(self, url: str, payload: dict) -> tuple[int, object]:
        """A JSON POST (Telegram's ``copyMessage``); same bounds as ``get``."""
        return self._send("POST", url, json=payload)

    def _send(self, method: str, url: str, **kwargs) -> tuple[int, object]:
        try:
            with self.session.request(
                method,
                url,
                **kwargs,
                timeout=self.timeout,
                stream=True,
                allow_redirects=False,  # a token in the query never follows a redirect elsewhere
            ) as reply:
                body = reply.raw.read(MAX_BODY + 1, decode_content=True)
                status = reply.status_code
        except requests.RequestException as exc:
            raise AccountFailed(
                f"không kết nối được tới máy chủ ({exc.__class__.__name__})"
            ) from None
        if len(body) > MAX_BODY:
            raise AccountFailed(
                f"câu trả lời của nền tảng lớn quá {MAX_BODY // 1024 // 1024} MB, bỏ qua"
            )
        try:
            return status, json.loads(body or b"null")
        except (ValueError, RecursionError):
            return status, None

    def close(self) -> None:
        """Close the session."""
        self.session.close()
