"""How a value is described for a fingerprint: atoms, containers, content objects, pickles.

A value that cannot be described the same way twice raises ``Unstable``: the
page that shows it is rendered again.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import pickle
import types
from collections.abc import Mapping
from typing import Protocol

from jinja2 import Template
from markupsafe import Markup
from pelican.contents import Content


class Digester(Protocol):
    """What ``FieldPickler`` needs to stand a value in by its digest (``Fingerprints`` is one)."""

    def digest(self, value, depth: int) -> bytes:
        """The digest of ``value``, following links ``depth`` levels (-1: by address only)."""

# Articles linked from a page (related, paginated lists) count with all their
# fields this many links away; further away, by their address only.
CONTENT_DEPTH = 2

# Nested objects and containers followed from a value (a unit's channels...).
REACH = 8

# Containers up to this size are digested again rather than remembered.
MEMO_FROM = 16

SKIP_FIELDS = frozenset({"_context", "settings", "_content", "_summary"})  # see _content_fields


def new_hash() -> hashlib.blake2b:
    """The hash every fingerprint uses (BLAKE2b, 16 bytes)."""
    return hashlib.blake2b(digest_size=16)


class Unstable(Exception):
    """A value with no stable description: the page must be rendered."""


class FieldPickler(pickle.Pickler):
    """Pickles plain values (str, numbers, lists, dicts...) itself; anything else by digest."""

    def __init__(self, file, prints: Digester) -> None:
        """Pickle into ``file``; values that are not plain go through ``prints.digest``."""
        super().__init__(file, protocol=5)
        # No memo: whether two fields share one string object must not matter.
        self.fast = True
        self.prints = prints

    def reducer_override(self, obj):
        """Plain values as pickle writes them; other str kinds by text; anything else by digest."""
        kind = type(obj)
        if kind in _PICKLED or isinstance(obj, _BY_NAME):
            return NotImplemented
        if isinstance(obj, str):  # Markup and other str subclasses: kind and text
            return _digested, (kind.__qualname__ + ":" + str(obj),)
        # Sets (their order varies between runs) and objects: by digest.
        return _digested, (self.prints.digest(obj, -1),)


def _digested(value):
    """Stands for a value in a pickled fingerprint (never called)."""
    return value


# Pickled as they are (exact types: what pickle writes for them is stable), or
# by their qualified name.
_PICKLED = frozenset({dt.datetime, dt.date, dt.time, dt.timedelta, bytes, str})

_BY_NAME = (type, types.FunctionType, types.BuiltinFunctionType, types.ModuleType)


def _text(value: str) -> bytes:
    return b"s:" + value.encode("utf-8", "surrogatepass")


def _plain(value) -> bytes:
    return f"{type(value).__name__}:{value!r}".encode()


def _moment(value) -> bytes:
    return f"{type(value).__name__}:{value.isoformat()}:{value.tzinfo}".encode()


ATOMS = {
    str: _text,
    Markup: _text,
    type(None): _plain,
    bool: _plain,
    int: _plain,
    float: _plain,
    complex: _plain,
    bytes: lambda value: b"b:" + value,
    dt.datetime: _moment,
    dt.time: _moment,
    dt.date: lambda value: f"date:{value.isoformat()}".encode(),
    dt.timedelta: lambda value: f"td:{value.total_seconds()}".encode(),
}

CONTAINERS = frozenset({list, tuple, dict, set, frozenset})


def simple_digest(value) -> bytes | None:
    """Digest of a value that needs no walking (subclasses of the atoms, code...), else None."""
    for kind, encode in ATOMS.items():  # bool before int, datetime before date
        if isinstance(value, kind):
            return encode(value)
    if isinstance(value, enum.Enum):
        return f"enum:{type(value).__qualname__}.{value.name}".encode()
    if isinstance(value, _BY_NAME):
        name = getattr(value, "__qualname__", None) or value.__name__
        return f"code:{getattr(value, '__module__', '')}.{name}".encode()
    if isinstance(value, Template):
        return f"template:{value.name}".encode()
    return None


def read_field(content: Content, name: str):
    """``content.name``; a property that fails makes the page ``Unstable`` (rendered again)."""
    try:
        return getattr(content, name)
    except Exception as exc:  # a property that fails here fails in the template too
        raise Unstable(name) from exc


def fields_of(value) -> dict | None:
    """An object's fields (its ``__dict__`` or slots), or None when it has neither."""
    try:
        return dict(vars(value))
    except TypeError:
        slots = [s for cls in type(value).__mro__ for s in getattr(cls, "__slots__", ())]
        if not slots:
            return None
        return {s: getattr(value, s) for s in slots if hasattr(value, s)}


def holds_content(value, depth: int = 3) -> bool:
    """Whether ``value`` is, or holds within ``depth`` levels, a Pelican content object."""
    if type(value) in ATOMS:
        return False
    if isinstance(value, Content):
        return True
    if depth and isinstance(value, (list, tuple, set, frozenset)):
        return any(holds_content(item, depth - 1) for item in value)
    if depth and isinstance(value, Mapping):
        return any(holds_content(item, depth - 1) for item in value.values())
    return False
