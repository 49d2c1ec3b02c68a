"""Vietnamese text: NFC, slugs (đ→d, "24/7"→24-7), Babel dates, diacritic folding."""

from loa.lazy import lazy
from loa.vietnamese.dates import LONG_DATE, SHORT_DATE, TIMEZONE, localize, now, tz, vi_date
from loa.vietnamese.slug import SLUG_REGEX_SUBSTITUTIONS, slugify
from loa.vietnamese.text import INVISIBLE, find_invisible, fold, nfc, nfc_deep, strip_invisible

__all__ = [
    "INVISIBLE",
    "LONG_DATE",
    "SHORT_DATE",
    "SLUG_REGEX_SUBSTITUTIONS",
    "TIMEZONE",
    "find_invisible",
    "fold",
    "localize",
    "nfc",
    "nfc_deep",
    "now",
    "register",
    "slugify",
    "strip_invisible",
    "tz",
    "vi_date",
]

register = lazy(__name__)[0]
