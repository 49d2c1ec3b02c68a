"""A secret is masked after the trivial transforms a log or a platform applies to it.

Upper- or lower-cased (a platform that shouts its error), reversed, URL-encoded,
base64 (an ``Authorization: Basic`` header echoed back, at any alignment inside
a longer encoded string) or hex-dumped: none of these may show the secret.
"""

from __future__ import annotations

import base64
import binascii

import pytest
from loa import masking

SECRET = "EAAGm0PX4ZCpsBAKZCZBf7Rx9kLq"


@pytest.fixture
def known(monkeypatch):
    monkeypatch.setattr(masking, "_KNOWN", set())
    monkeypatch.setattr(masking, "_windows", set())
    masking.remember(SECRET)
    return masking


def _b64(prefix: bytes, suffix: bytes = b"", alt: bool = False) -> str:
    raw = prefix + SECRET.encode() + suffix
    return (base64.urlsafe_b64encode(raw) if alt else base64.b64encode(raw)).decode()


@pytest.mark.parametrize(
    "shown",
    [
        SECRET.upper(),
        SECRET.lower(),
        SECRET.swapcase(),
        SECRET[::-1],
        SECRET[::-1].upper(),
        SECRET[::-1][3:15],  # a piece, reversed
        _b64(b""),
        _b64(b"u:"),
        _b64(b"ab:"),
        _b64(b"user:", b"&x=1"),
        _b64(b"k", alt=True),
        binascii.hexlify(SECRET.encode()).decode(),
        binascii.hexlify(SECRET.encode()).decode().upper(),
    ],
)
def test_a_transformed_secret_is_masked(known, shown):
    text = f"lỗi từ nền tảng: {shown} — thử lại"
    masked = known.mask(text)
    for piece in (shown[i : i + 12] for i in range(0, max(1, len(shown) - 12), 4)):
        assert piece not in masked, (shown, masked)
    assert masked.startswith("lỗi từ nền tảng: ") and masked.endswith(" — thử lại")


def test_a_piece_in_another_case_is_not_a_secret(known):
    """Pieces are matched in their case (whole forms in any case): a name stays readable."""
    known.remember("fb_token-05x-opaque")
    assert "FB_TOKEN_CUC" in known.mask("lưu vào biến FB_TOKEN_CUC")


def test_ordinary_words_stay(known):
    text = "Công đoàn cơ sở Đơn vị A: 1.234 người theo dõi, https://www.facebook.com/123/posts/456"
    assert known.mask(text) == text
