"""Reading time and related articles, computed once per build (never in templates)."""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict

_TAG = re.compile(r"<[^>]+>")
WORDS_PER_MINUTE = 200  # a comfortable pace for Vietnamese news on a phone


def words(html: str) -> int:
    """How many words an HTML fragment holds."""
    return len(_TAG.sub(" ", html or "").split())


def reading_minutes(html: str) -> int:
    """Minutes to read, at least one."""
    return max(1, math.ceil(words(html) / WORDS_PER_MINUTE))


def related_articles(articles: list, count: int = 3, window: int = 12) -> dict[int, list]:
    """For each article, up to ``count`` others of the same unit, those sharing most tags first.

    Tags are looked up in an index of the unit's articles sorted by date, and
    only the ``window`` nearest in time on each side are considered, so a
    common tag on thousands of articles costs the same as a rare one.
    """
    by_unit: dict[str, list] = defaultdict(list)
    for article in articles:
        by_unit[article.category.slug].append(article)
    out: dict[int, list] = {}
    for unit_articles in by_unit.values():
        unit_articles.sort(key=lambda a: a.date)
        position = {id(a): i for i, a in enumerate(unit_articles)}
        by_tag: dict[str, list[int]] = defaultdict(list)
        for index, article in enumerate(unit_articles):
            for tag in getattr(article, "tags", ()) or ():
                by_tag[tag.slug].append(index)
        for index, article in enumerate(unit_articles):
            scores: dict[int, int] = defaultdict(int)
            for tag in getattr(article, "tags", ()) or ():
                indices = by_tag[tag.slug]
                at = bisect.bisect_left(indices, index)
                for other in indices[max(0, at - window) : at + window + 1]:
                    if other != index:
                        scores[other] += 1
            ranked = sorted(scores, key=lambda o: (-scores[o], abs(o - index), -o))[:count]
            if len(ranked) < count:
                for other in range(len(unit_articles) - 1, -1, -1):  # newest of the unit
                    if other != index and other not in ranked:
                        ranked.append(other)
                    if len(ranked) == count:
                        break
            out[id(article)] = [unit_articles[o] for o in ranked]
        del position
    return out
