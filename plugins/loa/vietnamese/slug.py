"""Slugs for Vietnamese titles, tags and names: "Nghị định 100/2019/NĐ-CP" → nghi-dinh-100-2019-nd-cp."""

from __future__ import annotations

from functools import lru_cache

# Pelican's default substitutions, preceded by one rule of ours: "/", "." and ":"
# separate words ("24/7", "TP.HCM", "10:30") instead of being deleted, which
# would glue numbers and words together ("247", "tphcm").
SLUG_REGEX_SUBSTITUTIONS: list[tuple[str, str]] = [
    (r"[/.:\\]", " "),
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s_]+", "-"),
    (r"^-+|-+$", ""),
]


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """The URL slug of ``text``: ASCII, lower case, words joined by hyphens.

    Pelican's own ``slugify`` (Unidecode turns "đ" into "d") with Loa's rules, so
    the site and the ``loa`` command always agree on a slug.
    """
    from pelican.utils import slugify as pelican_slugify  # with the build's Pelican, on first use

    return pelican_slugify(str(text), regex_subs=SLUG_REGEX_SUBSTITUTIONS)
