"""Fetching pages and feeds of official sources: timeout, size limit, any encoding to NFC text."""

from __future__ import annotations

import os
import re

import requests
from bs4 import UnicodeDammit

from loa.errors import LoaError
from loa.vietnamese import nfc

MAX_BYTES = 3_000_000
TIMEOUT = (5.0, float(os.environ.get("LOA_HTTP_TIMEOUT", "20")))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([\w-]+)""", re.IGNORECASE)
HEADERS = {
    "User-Agent": "Loa/0.1 (+repost of official sources, with attribution)",
    "Accept-Language": "vi,en;q=0.5",
}


def fetch(url: str, what: str = "trang") -> tuple[bytes, str | None]:
    """The bytes of ``url`` and the charset its server declared; a plain error otherwise."""
    try:
        with requests.get(
            url, headers=HEADERS, timeout=TIMEOUT, stream=True, allow_redirects=True
        ) as reply:
            if reply.status_code >= 400:
                raise LoaError(
                    f"Không tải được {what} {url}: máy chủ trả lỗi {reply.status_code} — kiểm tra lại địa chỉ."
                )
            chunks, size = [], 0
            for chunk in reply.iter_content(65536):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise LoaError(
                        f"{what.capitalize()} {url} lớn hơn {MAX_BYTES // 1_000_000} MB — không tải."
                    )
                chunks.append(chunk)
            charset = (
                requests.utils.get_encoding_from_headers(reply.headers)
                if "charset" in reply.headers.get("Content-Type", "").lower()
                else None
            )
            return b"".join(chunks), charset
    except requests.Timeout:
        raise LoaError(f"Hết thời gian chờ khi tải {what} {url} — thử lại sau.") from None
    except requests.RequestException as exc:
        raise LoaError(
            f"Không kết nối được tới {url} ({exc.__class__.__name__}) — kiểm tra mạng hoặc địa chỉ."
        ) from None


def decode(data: bytes, declared: str | None) -> str:
    """Text in NFC, whatever the page's encoding (UTF-8, Windows-1258 with combining marks, VISCII…)."""
    candidates = [
        c.decode("ascii", "ignore")
        for c in (*_META_CHARSET.findall(data[:4096]), *_XML_ENCODING.findall(data[:200]))
    ]
    if declared:
        candidates.insert(0, declared)
    dammit = UnicodeDammit(
        data, known_definite_encodings=[c for c in candidates if c], is_html=True
    )
    text = (
        dammit.unicode_markup
        if dammit.unicode_markup is not None
        else data.decode("utf-8", "replace")
    )
    return nfc(text)
