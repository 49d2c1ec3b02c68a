"""Slugs, folding, NFC and dates for Vietnamese text."""

from __future__ import annotations

import datetime as dt
import locale
import unicodedata

import pytest
from loa.vietnamese import find_invisible, fold, nfc, slugify, strip_invisible, vi_date

SLUGS = [
    ("Giá vàng 24/7", "gia-vang-24-7"),
    ("Nghị định 100/2019/NĐ-CP", "nghi-dinh-100-2019-nd-cp"),
    ("TP.HCM", "tp-hcm"),
    ("Đà Nẵng", "da-nang"),
    ("Công đoàn Cục Chuyển đổi số", "cong-doan-cuc-chuyen-doi-so"),
    ("Hội nghị lúc 10:30 sáng", "hoi-nghi-luc-10-30-sang"),
    ('"Mái ấm Công đoàn" về với đoàn viên!', "mai-am-cong-doan-ve-voi-doan-vien"),
    ("Kỷ niệm 20/10 — Ngày Phụ nữ Việt Nam", "ky-niem-20-10-ngay-phu-nu-viet-nam"),
    ("ĐẠI HỘI CÔNG ĐOÀN", "dai-hoi-cong-doan"),
    ("  khoảng   trắng   thừa  ", "khoang-trang-thua"),
    ("Luật số 50/2024/QH15", "luat-so-50-2024-qh15"),
    ("Thông tư 12.2025.TT-BTC", "thong-tu-12-2025-tt-btc"),
    ("Ưu đãi & hỗ trợ (2026)", "uu-dai-ho-tro-2026"),
    ("a/b/c", "a-b-c"),
    ("---gạch---đầu---", "gach-dau"),
    ("Quỹ xã hội: 180 triệu", "quy-xa-hoi-180-trieu"),
]


@pytest.mark.parametrize(("text", "expected"), SLUGS)
def test_slug_table(text, expected):
    assert slugify(text) == expected


@pytest.mark.parametrize(("text", "expected"), SLUGS)
def test_slug_is_the_same_for_nfd_text(text, expected):
    assert slugify(unicodedata.normalize("NFD", text)) == expected


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đà Nẵng", "da nang"),
        ("Công đoàn", "cong doan"),
        ("Đồng Nai", "dong nai"),
        ("NGƯỜI LAO ĐỘNG", "nguoi lao dong"),
        ("ỹ ỵ ỷ ỳ ý", "y y y y y"),
    ],
)
def test_fold_removes_tones_and_d_bar(text, folded):
    assert fold(text) == folded
    assert fold(unicodedata.normalize("NFD", text)) == folded


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Người lao động")
    assert decomposed != "Người lao động"
    assert nfc(decomposed) == "Người lao động"


def test_invisible_characters_are_found_and_removed():
    text = "Công\u200b đoàn\ufeff\u00ad viên\x07"
    assert [c for _, c in find_invisible(text)] == ["\u200b", "\ufeff", "\u00ad", "\x07"]
    assert strip_invisible(text) == "Công đoàn viên"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 26), "Thứ Năm, 26/11/2026"),
        (dt.date(2026, 11, 29), "Chủ Nhật, 29/11/2026"),
        (dt.date(2026, 11, 23), "Thứ Hai, 23/11/2026"),
        # 23:30 on Saturday in UTC is already Sunday in Vietnam.
        (dt.datetime(2026, 11, 28, 23, 30, tzinfo=dt.UTC), "Chủ Nhật, 29/11/2026"),
    ],
)
def test_vietnamese_dates_without_a_vi_locale(value, expected):
    saved = locale.setlocale(locale.LC_ALL)
    locale.setlocale(locale.LC_ALL, "C")
    try:
        assert vi_date(value) == expected
    finally:
        locale.setlocale(locale.LC_ALL, saved)
