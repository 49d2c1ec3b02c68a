"""Faster inline Markdown with the same output: skip text that no inline pattern can match.

Python-Markdown tries every inline pattern (about 25, and 20 more for smarty's
quotes and dashes, in a second pass) on every piece of text, one regular
expression and a few Python calls each. Most Vietnamese prose holds none of the
characters those patterns need (``*``, ``[``, ``<``, quotes, ``--``...), so that
work finds nothing, and it was half the time of reading an article.

For each pattern we work out, from its compiled regular expression, strings of
which every match must contain at least one (``'`` for the quote patterns, ``[``
for links, two spaces and a newline for a hard line break). A piece of text that
contains none of those strings for any pattern cannot change, so the processor
returns it as it is. A pattern we cannot analyse (a negated class, a
case-insensitive literal...) turns the shortcut off for its processor, so the
output is always what Python-Markdown alone would give.
"""

from __future__ import annotations

import re

# Private to Python (3.11): the parse tree of a compiled pattern. Pinned, with the
# private Markdown method overridden below, by tests/test_upstream_pins.py.
from re import _constants as C
from re import _parser

from markdown import Markdown
from markdown.treeprocessors import InlineProcessor

# A character class larger than this is not a useful necessary set.
_MAX_CLASS = 8


def _class_chars(items) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            chars.add(chr(av))
        elif op is C.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY (\s, \w), large ranges
            return None
    return chars if len(chars) <= _MAX_CLASS else None


def _score(strings: set[str]) -> tuple:
    """Prefer sets of rare, long strings: letters, digits and spaces are everywhere."""
    common = any(all(ch.isalnum() or ch.isspace() for ch in s) for s in strings)
    return (not common, min(len(s) for s in strings), -len(strings))


def _sequence(items) -> set[str] | None:
    """Strings of which any match of this sequence contains one, or None if unknown."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append({"".join(run)})
            run = []
        found = _item(op, av)
        if found:
            candidates.append(found)
    if run:
        candidates.append({"".join(run)})
    return max(candidates, key=_score) if candidates else None


def _item(op, av) -> set[str] | None:
    if op is C.LITERAL:
        return {chr(av)}
    if op is C.IN:
        return _class_chars(av)
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE:
            return None
        return _sequence(sub)
    if op is C.ATOMIC_GROUP:
        return _sequence(av)
    if op is C.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _sequence(branch)
            if not found:
                return None
            union |= found
        return union
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _high, sub = av
        if low < 1:
            return None
        if len(sub) == 1 and sub[0][0] is C.LITERAL:  # r"\.{3}": three dots in a row
            return {chr(sub[0][1]) * min(low, 4)}
        return _sequence(sub)
    if op is C.ASSERT:  # a look-ahead or look-behind still reads the text
        return _sequence(av[1])
    return None  # ANY, AT, NOT_LITERAL, ASSERT_NOT, group references...


def necessary_strings(compiled: re.Pattern) -> set[str] | None:
    """Strings of which every match of ``compiled`` contains one; None when we cannot tell."""
    if compiled.flags & re.IGNORECASE or not isinstance(compiled.pattern, str):
        return None
    try:
        parsed = _parser.parse(compiled.pattern, compiled.flags)
    except Exception:  # a pattern the parser of this Python cannot read back
        return None
    return _sequence(parsed)


def trigger_for(patterns) -> re.Pattern | None:
    """One expression that finds text any of ``patterns`` might match; None: try them all."""
    strings: set[str] = set()
    for pattern in patterns:
        found = necessary_strings(pattern.getCompiledRegExp())
        if not found:
            return None
        strings |= found
    if not strings:
        return None
    alternatives = sorted(strings, key=lambda s: (-len(s), s))
    return re.compile("|".join(re.escape(s) for s in alternatives))


class GatedInlineProcessor(InlineProcessor):
    """Python-Markdown's inline processor, returning at once text no pattern can match."""

    _trigger: re.Pattern | None = None
    _trigger_key: tuple = ()

    def run(self, tree, ancestors=None):
        """Build the trigger of this Markdown's patterns once, then run the usual processor."""
        # Extensions may register patterns after set-up: the key follows them.
        key = tuple(id(p) for p in self.inlinePatterns)
        if key != self._trigger_key:
            self._trigger_key = key
            self._trigger = trigger_for(self.inlinePatterns)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        trigger = self._trigger
        if trigger is not None and not trigger.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


def gate_inline(md: Markdown) -> Markdown:
    """Give ``md``'s inline passes (the main one and smarty's) the shortcut; returns ``md``."""
    for processor in md.treeprocessors:
        if type(processor) is InlineProcessor:
            processor.__class__ = GatedInlineProcessor
    return md
