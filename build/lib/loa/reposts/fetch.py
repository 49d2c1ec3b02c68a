"""Fetching pages and feeds of official sources: timeout, size limit, any encoding to NFC text."""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from urllib.parse import urljoin, urlsplit

import requests
from bs4 import UnicodeDammit

from loa.errors import LoaError
from loa.units.sources import Sources
from loa.vietnamese import nfc

MAX_BYTES = 3_000_000
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
TIMEOUT = (5.0, float(os.environ.get("LOA_HTTP_TIMEOUT", "20")))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([\w-]+)""", re.IGNORECASE)
HEADERS = {
    "User-Agent": "Loa/0.1 (+repost of official sources, with attribution)",
    "Accept-Language": "vi,en;q=0.5",
}


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_address(url: str, sources: Sources | None, what: str) -> None:
    """Refuse ``url`` unless it is allowed.

    It must be http(s), on the allowlist (https when its rule says so), and its
    host must not be a private, loopback or link-local address.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme not in ("http", "https") or not host:
        raise LoaError(f"Không tải {what} {url}: chỉ tải địa chỉ http(s):// của trang chính thống.")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None and not _public(host):
        raise LoaError(f"Không tải {what} {url}: địa chỉ mạng nội bộ ({host}) không được phép.")
    if sources is not None:
        rule = sources.rule_for(host)
        if rule is None:
            raise LoaError(
                f"Không tải {what} {url}: “{host}” không thuộc danh sách nguồn chính thống "
                f"({sources.path}) — chỉ theo liên kết trong danh sách."
            )
        if rule.https and parts.scheme != "https":
            raise LoaError(
                f"Không tải {what} {url}: nguồn này chỉ được tải qua https:// "
                f"(ghi “https: false” cho nguồn trong {sources.path} nếu nguồn chưa có https)."
            )
    if literal is None and not requests.utils.get_environ_proxies(url):
        # Without a proxy this machine resolves the name: it must not lead inside.
        try:
            infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError):
            return  # the request itself will say the name does not resolve
        for info in infos:
            address = info[4][0]
            if not _public(address):
                raise LoaError(
                    f"Không tải {what} {url}: tên miền {host} trỏ tới địa chỉ mạng nội bộ "
                    f"({address}) — không được phép."
                )


def fetch(
    url: str, what: str = "trang", sources: Sources | None = None
) -> tuple[bytes, str | None]:
    """The bytes of ``url`` and the charset its server declared; a plain error otherwise.

    Redirects are followed by hand, at most ``MAX_REDIRECTS``: every address on
    the way is checked like the first (``check_address``) before it is asked.
    """
    try:
        for _ in range(MAX_REDIRECTS + 1):
            check_address(url, sources, what)
            with requests.get(
                url, headers=HEADERS, timeout=TIMEOUT, stream=True, allow_redirects=False
            ) as reply:
                if reply.status_code in REDIRECTS and reply.headers.get("Location"):
                    url = urljoin(url, reply.headers["Location"])
                    continue
                if reply.status_code >= 300:
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
        raise LoaError(
            f"Không tải được {what}: chuyển hướng quá {MAX_REDIRECTS} lần — kiểm tra lại địa chỉ."
        )
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
