"""How each platform counts the length of a text (the records in ``loa.platforms`` name one)."""

from __future__ import annotations

import html
import re
import unicodedata

# twitter-text config v3: these code point ranges weigh 1; everything else 2;
# every URL counts 23 whatever its length (spec §4.4).
_X_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
X_MAX = 280
X_URL_LENGTH = 23
_URL_RE = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


def _char_weight(char: str) -> int:
    code = ord(char)
    return 1 if any(lo <= code <= hi for lo, hi in _X_LIGHT) else 2


def x_weighted_length(text: str) -> int:
    """X's weighted length: NFC first, URLs 23, weight-2 outside twitter-text's light ranges.

    Emoji count 2 whatever their code points (a ZWJ sequence is one emoji).
    """
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in _URL_RE.finditer(text):
        total += _weigh(text[position : match.start()])
        total += X_URL_LENGTH
        position = match.end()
    return total + _weigh(text[position:])


def _weigh(text: str) -> int:
    total = 0
    skip_next = False
    for index, char in enumerate(text):
        if skip_next:
            skip_next = False
            continue
        code = ord(char)
        if code == 0x200D and index + 1 < len(text):
            # a zero-width joiner glues the next emoji to the previous one
            skip_next = True
            continue
        if 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF:
            continue  # variation selectors and skin tones belong to the emoji before
        total += _char_weight(char)
    return total


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units (TikTok counts this way)."""
    return len(text.encode("utf-16-le")) // 2


def telegram_length(text: str) -> int:
    """Telegram's length: UTF-16 code units after entity parsing (HTML tags do not count).

    The Bot API limits text (1-4096) and captions (0-1024) "after entities parsing"
    (core.telegram.org/bots/api#sendphoto, specs/telegram.json), and Telegram measures
    text in UTF-16 code units: "Entity length ... in UTF-16 code units"
    (core.telegram.org/api/entities#entity-length). An emoji outside the BMP is 2.
    """
    return utf16_length(html.unescape(re.sub(r"<[^>]+>", "", text)))


def _is_emoji_part(char: str) -> bool:
    code = ord(char)
    return (
        code >= 0x1F000
        or 0x2600 <= code <= 0x27BF  # miscellaneous symbols and dingbats
        or 0x2B00 <= code <= 0x2BFF
        or code in (0x200D, 0x20E3)  # zero-width joiner, keycap
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or unicodedata.category(char) == "So"
    )


def threads_length(text: str) -> int:
    """Threads' count: characters, except that an emoji counts as its UTF-8 bytes.

    "Text posts are limited to 500 characters. Emojis are counted as the number
    of UTF-8 bytes." — developers.facebook.com/documentation/threads/posts
    (updated 2026-04-14, read 2026-12-02). Joiners, selectors and keycaps of an
    emoji sequence count their bytes too: the conservative reading.
    """
    text = unicodedata.normalize("NFC", text)
    return sum(len(c.encode("utf-8")) if _is_emoji_part(c) else 1 for c in text)


def hashtags(text: str) -> list[str]:
    """The hashtags in ``text``."""
    return re.findall(r"(?<!\w)#\w+", text)
