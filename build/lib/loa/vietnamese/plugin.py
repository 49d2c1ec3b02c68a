"""Pelican side of ``loa.vietnamese``: slugs, Vietnamese dates and NFC on content."""

from __future__ import annotations

import logging

from pelican import signals

from loa.vietnamese.dates import LONG_DATE, SHORT_DATE, vi_date
from loa.vietnamese.slug import SLUG_REGEX_SUBSTITUTIONS, slugify
from loa.vietnamese.text import fold, nfc

logger = logging.getLogger(__name__)

_SUBSTITUTION_SETTINGS = (
    "SLUG_REGEX_SUBSTITUTIONS",
    "CATEGORY_REGEX_SUBSTITUTIONS",
    "TAG_REGEX_SUBSTITUTIONS",
    "AUTHOR_REGEX_SUBSTITUTIONS",
)


def vi_short_date(value) -> str:
    """``26/11/2026``: a module-level function, since Pelican pickles settings in its cache."""
    return vi_date(value, SHORT_DATE)


def configure(pelican) -> None:
    """Install Vietnamese slug rules and Jinja filters (``initialized``: before any reading)."""
    settings = pelican.settings
    for name in _SUBSTITUTION_SETTINGS:
        settings[name] = list(SLUG_REGEX_SUBSTITUTIONS)
    filters = settings.setdefault("JINJA_FILTERS", {})
    filters.setdefault("vi_date", vi_date)
    filters.setdefault("vi_short_date", vi_short_date)
    filters.setdefault("fold", fold)
    filters.setdefault("slugify_vi", slugify)


def localize_content(content) -> None:
    """Give each article and page a Vietnamese ``locale_date`` (``content_object_init``).

    Pelican formats ``locale_date`` with ``strftime``, which needs an installed
    vi_VN locale; Babel does not.
    """
    if hasattr(content, "date"):
        content.locale_date = vi_date(content.date, LONG_DATE)
    if hasattr(content, "modified"):
        content.locale_modified = vi_date(content.modified, LONG_DATE)
    if isinstance(getattr(content, "title", None), str):
        content.title = nfc(content.title)


def register() -> None:
    """Connect the Vietnamese text handlers."""
    signals.initialized.connect(configure)
    signals.content_object_init.connect(localize_content)
