"""The composer: how a post's text is made from an article, written as data.

Each platform record (``loa.platforms.builtin``) carries ``compose``, a short
list of steps in a tiny expression language. The adapters'
``render`` (``loa.syndication.channels``) calls :func:`compose` with it, the
build writes the same steps into the newsroom's ``loa-config.json``
(``loa.cms.config.preview_data``), and ``cms/static/loa-plan.js`` interprets
them there: how a post is composed is written once, here and in the records.
What cannot be data lives twice, Python here and in ``counting.py``, JavaScript
in ``loa-plan.js``: the counting functions and the few primitives below
(shorten on a word, hashtag, lead text, HTML escape);
``tests/contract/test_composer_parity.py`` runs both on generated texts.

The language. A recipe is a sequence of steps ``[name, expression]``, evaluated
in order; each binds ``name``. After the last step, ``text`` is the post,
``limit`` the number it must fit in (by the record's counting rule) and
``title`` (when bound) a separate title field. An expression is a string or an
integer (itself) or a list ``[operator, argument…]``:

=================  ==================================================================
``get n``          a bound name or a fact: ``title``, ``lead`` (the channel's
                   ``social_text``, the shared one, else the summary), ``url``,
                   ``source``, ``image`` (has a cover), ``album`` (≥ 2 photos and
                   the platform takes albums)
``limit f``        the record's ``limits[f]``
``hashtags n``     the article's first ``n`` tags as hashtags, joined by spaces
``blocks a…``      the non-empty ones joined by a blank line
``cat a…``         joined as they are
``escape a``       ``&``, ``<``, ``>`` as HTML entities (Telegram's HTML mode)
``count c a``      ``a`` measured by counter ``c`` (:data:`COUNTERS`)
``shorten a n c``  ``a`` cut on a word boundary (with "…") to ``n`` by counter ``c``
``add``, ``sub``   integer sum; first minus the others
``half a``         ``a // 2``
``if c a b``       ``a`` when ``c`` is true (a non-empty string, non-zero), else ``b``
``and a…``         whether all are true
``le a b``         ``a <= b``; ``gt a b``: ``a > b``
=================  ==================================================================
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from loa.platforms.counting import (
    telegram_length,
    threads_length,
    utf16_length,
    x_weighted_length,
)

ELLIPSIS = "…"
MAX_HASHTAGS = 5

# The counting rules by the name the data uses; loa-plan.js has one function per name.
COUNTERS: dict[str, Callable[[str], int]] = {
    "length": len,
    "utf16": utf16_length,
    "telegram": telegram_length,
    "x": x_weighted_length,
    "threads": threads_length,
}

# Bound before every recipe: the attribution of a repost ("Nguồn: Báo Lao Động").
PRELUDE = (("attribution", ["if", ["get", "source"], ["cat", "Nguồn: ", ["get", "source"]], ""]),)

# Bounds on a recipe (a site's extension may bring one): steps, depth of an expression.
MAX_STEPS = 40
MAX_DEPTH = 12


# -- the primitives (their JavaScript twins are in loa-plan.js) ---------------------------------


def lead_text(article, channel: str) -> str:
    """The social text for ``channel``: its own ``social_text``, the shared one, else the summary."""
    social = article.social_text
    if isinstance(social, dict) and social.get(channel):
        return social[channel]
    if isinstance(social, str) and social:
        return social
    return article.summary


def hashtag(tag: str) -> str:
    """``#ThiĐuaKhenThưởng`` from "thi đua khen thưởng" (letters kept, words capitalised)."""
    words = re.findall(r"\w+", tag)
    return "#" + "".join(w[:1].upper() + w[1:] for w in words) if words else ""


def hashtags(article, limit: int = MAX_HASHTAGS) -> list[str]:
    """The article's tags as hashtags, at most ``limit``."""
    out = []
    for tag in article.tags:
        h = hashtag(tag)
        if h and h not in out:
            out.append(h)
    return out[:limit]


def attribution(article) -> str:
    """``Nguồn: …`` for an article reposted from an official source."""
    return f"Nguồn: {article.source}" if article.source else ""


def shorten(text: str, limit: int, measure=len) -> str:
    """``text`` cut on a word boundary so that ``measure`` of it (with "…") is within ``limit``."""
    if measure(text) <= limit:
        return text
    if limit <= 0:
        return ""
    words = text.split(" ")
    while words:
        words.pop()
        candidate = " ".join(words).rstrip(" ,;:.-–—") + ELLIPSIS
        if measure(candidate) <= limit:
            return candidate if words else ""
    return ""


def join_blocks(*blocks: str) -> str:
    """Non-empty blocks separated by a blank line."""
    return "\n\n".join(b for b in blocks if b)


def album(article, channel: str) -> list[dict]:
    """The album photos ``channel`` takes, in order (its record's ``album`` limit); [] for one photo.

    An album of one is a cover, not an album: the single-picture post is used.
    """
    from loa import platforms

    record = platforms.get(channel)
    photos = [p for p in article.gallery if isinstance(p, dict) and p.get("url")]
    if record is None or not record.can(platforms.ALBUM) or len(photos) < 2:
        return []
    return photos[: record.limits.get("album", len(photos))]


# -- the interpreter ---------------------------------------------------------------------------


class RecipeError(ValueError):
    """A recipe that does not follow the language (a programming error, named)."""


@dataclass(frozen=True)
class Composed:
    """A post's text as composed, with its count under the platform's rule."""

    text: str
    limit: int
    count: int
    unit: str  # what the count is, in the words ``loa check`` uses
    title: str = ""


def _counter(name) -> Callable[[str], int]:
    if name not in COUNTERS:
        raise RecipeError(f"unknown counter {name!r}")
    return COUNTERS[name]


def _integers(values) -> list[int]:
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise RecipeError(f"numbers expected, got {values!r}")
    return values


def _eval(expr, env: Mapping, limits: Mapping, article, depth: int = 0):
    if depth > MAX_DEPTH:
        raise RecipeError("expression too deep")
    if isinstance(expr, (str, int)):
        return expr
    if not isinstance(expr, (list, tuple)) or not expr or not isinstance(expr[0], str):
        raise RecipeError(f"not an expression: {expr!r}")
    op, args = expr[0], expr[1:]

    def ev(e):
        return _eval(e, env, limits, article, depth + 1)

    if op == "get":
        if args[0] not in env:
            raise RecipeError(f"unknown name {args[0]!r}")
        return env[args[0]]
    if op == "limit":
        return int(limits[args[0]])
    if op == "hashtags":
        return " ".join(hashtags(article, ev(args[0])))
    if op == "blocks":
        return join_blocks(*(ev(a) for a in args))
    if op == "cat":
        return "".join(ev(a) for a in args)
    if op == "escape":
        return html.escape(ev(args[0]), quote=False)
    if op == "count":
        return _counter(args[0])(ev(args[1]))
    if op == "shorten":
        return shorten(ev(args[0]), ev(args[1]), _counter(args[2]))
    if op == "add":
        return sum(_integers([ev(a) for a in args]))
    if op == "sub":
        first, *rest = _integers([ev(a) for a in args])
        return first - sum(rest)
    if op == "half":
        return _integers([ev(args[0])])[0] // 2
    if op == "if":
        return ev(args[1]) if bool(ev(args[0])) else ev(args[2])
    if op == "and":
        return all(bool(ev(a)) for a in args)
    if op in ("le", "gt"):
        a, b = _integers([ev(args[0]), ev(args[1])])
        return a <= b if op == "le" else a > b
    raise RecipeError(f"unknown operator {op!r}")


def facts(article, channel: str, **override) -> dict:
    """What a recipe may read of ``article`` for ``channel`` (``override`` replaces some)."""
    values = {
        "title": article.title,
        "lead": lead_text(article, channel),
        "url": article.url,
        "source": article.source or "",
        "image": bool(article.image),
        "album": bool(album(article, channel)),
    }
    values.update(override)
    return values


def run(steps, values: Mapping, limits: Mapping, article) -> dict:
    """Every name the recipe binds, after its last step."""
    if len(steps) > MAX_STEPS:
        raise RecipeError("too many steps")
    env = dict(values)
    for name, expr in (*PRELUDE, *steps):
        env[name] = _eval(expr, env, limits, article)
    return env


def compose(article, channel: str, **override) -> Composed:
    """The text ``channel`` gets for ``article``, by its record's recipe and counting rule.

    ``override`` replaces facts (an adapter that sends a video as the picture says
    ``image=True``).
    """
    from loa import platforms

    record = platforms.get(channel)
    if record is None or not record.compose:
        raise RecipeError(f"no recipe for {channel!r}")
    env = run(record.compose, facts(article, channel, **override), record.limits, article)
    text = env["text"]
    return Composed(
        text=text,
        limit=env["limit"],
        count=record.text.count(text),
        unit=record.text.unit,
        title=env.get("title", ""),
    )


def counter_name(count: Callable[[str], int]) -> str | None:
    """The data name of a counting function (None: one the browser does not have)."""
    return next((name for name, fn in COUNTERS.items() if fn is count), None)


def browser_data(record) -> dict | None:
    """What ``loa-plan.js`` needs to compose for ``record``: steps, counter, words, album.

    None when the record has no recipe or counts with a function the browser lacks:
    the preview then sends the reader to the pull request's plan.
    """
    from loa import platforms

    count = counter_name(record.text.count)
    if not record.compose or count is None:
        return None
    return {
        "steps": [list(step) for step in (*PRELUDE, *record.compose)],
        "count": count,
        "unit": record.text.unit,
        "album": record.can(platforms.ALBUM),
    }
