"""Keeping pages that did not change: a rebuild renders only what its inputs changed.

Every page the writer renders is recorded in ``CACHE_PATH/loa-pages.json`` with
a fingerprint of everything that went into it: the template and every template
it includes, the code of the plugins and the versions of Pelican, Jinja and
Markdown, all the settings, the page's own values (the article, the paginated
list...) and those values of the shared context its templates name. The next
build computes the same fingerprint before rendering; when it is unchanged, and
the file the last build wrote is still there untouched (same size, same time),
the file is kept instead of rendered again.

With ``DELETE_OUTPUT_DIRECTORY`` the build still starts from an empty output
folder, as Pelican does: the last build's output is moved aside in one rename
(``<output>.loa-previous``), kept pages are moved back one by one, and what is
left over is deleted at the end. So a deleted article, static file or search
bundle disappears exactly as with a clean build.

The fingerprint is conservative: an article counts with all its fields, the
articles it links to (two steps away) with theirs, and a value it cannot
describe the same way twice (an object known only by its address) makes the
page render again. Two narrowings keep list pages from all changing at once:
only the context names a template (or a template it includes) mentions count,
unless a filter could read any of them; and a paginator counts its articles by
address, since pages show their own (``articles_page.object_list``), unless a
template reads a paginator's whole list. ``LOA_KEEP_PAGES = False`` turns
keeping off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import hashlib
import io
import json
import logging
import os
import pickle
import shutil
import sys
import types
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from jinja2 import Template, meta
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS
from jinja2.utils import _PassArg
from markupsafe import Markup
from pelican.contents import Content
from pelican.paginator import Paginator

logger = logging.getLogger(__name__)

STORE_NAME = "loa-pages.json"
ASIDE_SUFFIX = ".loa-previous"
STORE_VERSION = 1
# Articles linked from a page (related, paginated lists) count with all their
# fields this many links away; further away, by their address only.
CONTENT_DEPTH = 2
# Nested objects and containers followed from a value (a unit's channels...).
REACH = 8
# Containers up to this size are digested again rather than remembered.
_MEMO_FROM = 16
_SKIP_FIELDS = frozenset({"_context", "settings", "_content", "_summary"})  # see _content_fields
# Settings that change how a build runs, never what it writes.
_NO_EFFECT = frozenset({"LOA_WORKERS", "LOA_PARALLEL_MIN_FILES", "LOA_KEEP_PAGES"})
_PACKAGES = ("pelican", "jinja2", "markdown", "markupsafe", "babel", "nh3")


def enabled(settings: Mapping) -> bool:
    """Whether kept pages are on (``LOA_KEEP_PAGES`` and a cache folder)."""
    return bool(settings.get("LOA_KEEP_PAGES", True)) and bool(settings.get("CACHE_PATH"))


def _hash() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=16)


class Unstable(Exception):
    """A value with no stable description: the page must be rendered."""


class Fingerprints:
    """Fingerprints of pages, sharing the work for objects many pages show (one per build)."""

    def __init__(self, settings: Mapping) -> None:
        """Empty caches for one build's settings."""
        self._memo: dict[tuple[int, int, int], bytes] = {}
        self._fields: dict[int, tuple[bytes, list]] = {}
        self._shared_memo: dict[tuple[int, int], bytes] = {}
        self._templates: dict[int, tuple[bytes, frozenset | None, bool]] = {}
        self._sources: dict[str, tuple[bytes, frozenset, tuple, bool]] = {}
        self._whole_lists = True
        self.base = self._base(settings)

    # -- what every page shares
    def _base(self, settings: Mapping) -> bytes:
        h = _hash()
        h.update(code_version())
        for name in sorted(settings):
            if name in _NO_EFFECT:
                continue
            try:
                h.update(name.encode() + b"=" + self.digest(settings[name], 0))
            except Unstable as exc:  # a setting we cannot describe: render everything
                logger.debug("loa: setting %s changes every build (%s)", name, exc)
                h.update(os.urandom(16))
        return h.digest()

    def _template(self, template: Template) -> tuple[bytes, frozenset | None, bool]:
        """Digest of a template and everything it includes, and the context names they use."""
        cached = self._templates.get(id(template))
        if cached is not None:
            return cached
        env = template.environment
        h = _hash()
        names: set[str] | None = set()
        whole_lists = False
        todo, seen = [template.name], set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            source, found, refs, lists = self._source(env, name)
            h.update(name.encode() + b"\0" + source + b"\0")
            whole_lists = whole_lists or lists
            if names is not None:
                names |= found
            for ref in refs:
                if ref is None:  # a template chosen at render time: count the whole context
                    names = None
                else:
                    todo.append(ref)
        if _reads_context(env):  # a filter or function that may read any name
            names = None
        result = (h.digest(), frozenset(names) if names is not None else None, whole_lists)
        self._templates[id(template)] = result
        return result

    def _source(self, env, name: str) -> tuple[bytes, frozenset, tuple, bool]:
        """What one template reads, parsed once however many pages include it.

        Its source, the names it reads, the templates it includes, and whether it
        reads whole paginated lists.
        """
        cached = self._sources.get(name)
        if cached is None:
            source, _filename, _uptodate = env.loader.get_source(env, name)
            ast = env.parse(source)
            cached = self._sources[name] = (
                source.encode(),
                frozenset(meta.find_undeclared_variables(ast)),
                tuple(meta.find_referenced_templates(ast)),
                "object_list" in source.replace("_page.object_list", ""),
            )
        return cached

    def page(self, template: Template, shared: Mapping, local: Mapping, path: str) -> str | None:
        """Hex fingerprint of one page; None when it cannot be known (render it)."""
        try:
            template_digest, names, whole_lists = self._template(template)
            if whole_lists != self._whole_lists:  # digests of paginators differ: start afresh
                self._memo.clear()
                self._shared_memo.clear()
                self._whole_lists = whole_lists
            h = _hash()
            h.update(self.base)
            h.update(template_digest)
            h.update(path.encode())
            h.update(self._shared(template, shared, names))
            # Only what the templates name: Pelican hands tag, author and unit
            # pages the whole list of articles too, which they never read.
            for name in sorted(local if names is None else names & local.keys()):
                h.update(name.encode() + b":" + self.digest(local[name], CONTENT_DEPTH))
            return h.hexdigest()
        except Unstable:
            return None
        except Exception as exc:  # never let keeping break a build: render instead
            logger.debug("loa: no fingerprint for %s: %s", path, exc)
            return None

    def _shared(self, template: Template, shared: Mapping, names) -> bytes:
        """Digest of the shared context values a template names.

        The writer shares one snapshot of the context between many pages: this is
        computed once for each.
        """
        key = (id(shared), id(template))
        cached = self._shared_memo.get(key)
        if cached is None:
            h = _hash()
            used = sorted(shared) if names is None else sorted(n for n in names if n in shared)
            for name in used:
                h.update(name.encode() + b"=" + self.digest(shared[name], CONTENT_DEPTH))
            cached = self._shared_memo[key] = h.digest()
        return cached

    # -- values
    # ``depth`` counts the articles still to follow from here (beyond: their
    # address only); ``reach`` the nested objects and containers (beyond: the
    # type only). Both only go down, so cycles end and every digest depends
    # on (value, depth, reach) alone, whichever page asked first.
    def digest(self, value, depth: int, reach: int = REACH) -> bytes:
        """The digest of ``value`` as far as ``depth`` and ``reach`` allow."""
        kind = type(value)
        atom = _ATOMS.get(kind)
        if atom is not None:
            return atom(value)
        if kind in _CONTAINERS:
            if reach <= 0:
                return b"deep:" + kind.__name__.encode()
            if len(value) <= _MEMO_FROM:
                return self._compound(value, depth, reach - 1)  # cheaper than remembering it
        elif isinstance(value, Content):
            reach = REACH  # articles are bounded by ``depth``: one digest per depth
        else:
            simple = _simple(value)
            if simple is not None:
                return simple
            if reach <= 0:
                return b"deep:" + kind.__qualname__.encode()
        key = (id(value), depth, reach)
        cached = self._memo.get(key)
        if cached is None:
            cached = self._memo[key] = self._compound(value, depth, reach - 1)
        return cached

    def _compound(self, value, depth: int, reach: int) -> bytes:
        h = _hash()
        h.update(type(value).__qualname__.encode())
        if isinstance(value, Content):
            if depth < 0:
                h.update(f"ref:{getattr(value, 'source_path', '')}:{value.url}".encode())
                return h.digest()
            flat, linked = self._content_fields(value)
            h.update(flat)
            for name, item in linked:
                h.update(name.encode() + self.digest(item, depth - 1))
        elif isinstance(value, (list, tuple)):
            for item in value:
                h.update(self.digest(item, depth, reach))
        elif isinstance(value, (set, frozenset)):
            for part in sorted(self.digest(item, depth, reach) for item in value):
                h.update(part)
        elif isinstance(value, Mapping):
            parts = sorted(
                (self.digest(k, depth, reach), self.digest(v, depth, reach))
                for k, v in value.items()
            )
            for k, v in parts:
                h.update(k + b"=" + v)
        elif isinstance(value, Paginator) and not self._whole_lists:
            # Pages show their own articles (``articles_page.object_list``); of
            # the whole list a paginator counts the addresses, in order.
            for name in ("name", "url", "per_page", "orphans"):
                h.update(self.digest(getattr(value, name, None), depth, reach))
            h.update(self.digest(value.object_list, -1, reach))
        elif isinstance(value, types.MethodType):
            h.update(self.digest(value.__func__, depth, reach))
            h.update(self.digest(value.__self__, depth, reach))
        else:
            fields = _fields(value)
            if fields is None:
                text = repr(value)
                if " at 0x" in text:
                    raise Unstable(type(value).__qualname__)
                h.update(text.encode())
            else:
                for name in sorted(fields):
                    if name not in _SKIP_FIELDS:
                        h.update(name.encode() + self.digest(fields[name], depth, reach))
        return h.digest()

    def _content_fields(self, content: Content) -> tuple[bytes, list]:
        """An article's own fields (digested once) and the fields that hold other articles."""
        cached = self._fields.get(id(content))
        if cached is not None:
            return cached
        h = _hash()
        linked = []
        own = {}
        fields = vars(content)
        for name in sorted(fields):
            if name in _SKIP_FIELDS:
                continue
            item = fields[name]
            if type(item) in _ATOMS or not _holds_content(item):
                own[name] = item
            else:
                linked.append((name, item))
        # Pickled by C, with our digest for anything that is not a plain value:
        # five times faster than walking the fields one by one.
        buffer = io.BytesIO()
        try:
            _FieldPickler(buffer, self).dump(own)
            h.update(buffer.getvalue())
        except RecursionError:  # a container that holds itself: the slow way
            h.update(self.digest(own, -1))
        # The HTML and summary as written; where they hold intrasite links
        # ({filename}..., resolved against the whole site), as resolved.
        for name, prop in (("_content", "content"), ("_summary", "summary")):
            raw = fields.get(name)
            if isinstance(raw, str) and ("{" in raw or "|" in raw):
                raw = _read(content, prop)
            h.update(name.encode() + b"=" + self.digest(raw, -1))
        h.update(b"url=" + self.digest(_read(content, "url"), -1))
        result = (h.digest(), linked)
        self._fields[id(content)] = result
        return result


class _FieldPickler(pickle.Pickler):
    """Pickles plain values (str, numbers, lists, dicts...) itself; anything else by digest."""

    def __init__(self, file, prints: Fingerprints) -> None:
        super().__init__(file, protocol=5)
        # No memo: whether two fields share one string object must not matter.
        self.fast = True
        self.prints = prints

    def reducer_override(self, obj):
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


_ATOMS = {
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
_CONTAINERS = frozenset({list, tuple, dict, set, frozenset})


def _simple(value) -> bytes | None:
    """Digest of a value that needs no walking (subclasses of the atoms, code...), else None."""
    for kind, encode in _ATOMS.items():  # bool before int, datetime before date
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


def _reads_context(env) -> bool:
    """Whether a filter, test or global function of ``env`` is handed the whole context."""
    functions = [*env.filters.values(), *env.tests.values(), *env.globals.values()]
    return any(
        getattr(f, "jinja_pass_arg", None) is _PassArg.context and id(f) not in _JINJA_OWN
        for f in functions
    )


# Jinja's own filters (map, select...) take the context only to call other filters.
_JINJA_OWN = {id(f) for f in (*DEFAULT_FILTERS.values(), *DEFAULT_TESTS.values())}


def _read(content: Content, name: str):
    try:
        return getattr(content, name)
    except Exception as exc:  # a property that fails here fails in the template too
        raise Unstable(name) from exc


def _fields(value) -> dict | None:
    try:
        return dict(vars(value))
    except TypeError:
        slots = [s for cls in type(value).__mro__ for s in getattr(cls, "__slots__", ())]
        if not slots:
            return None
        return {s: getattr(value, s) for s in slots if hasattr(value, s)}


def _holds_content(value, depth: int = 3) -> bool:
    if type(value) in _ATOMS:
        return False
    if isinstance(value, Content):
        return True
    if depth and isinstance(value, (list, tuple, set, frozenset)):
        return any(_holds_content(item, depth - 1) for item in value)
    if depth and isinstance(value, Mapping):
        return any(_holds_content(item, depth - 1) for item in value.values())
    return False


_CODE: list[bytes] = []


def code_version() -> bytes:
    """The plugins' source and the versions of the packages that shape a page.

    What the build makes from the same input changes when this does: pages
    (here) and search documents (``loa.search``) are made again.
    """
    if not _CODE:
        h = _hash()
        package = Path(__file__).resolve().parent
        for path in sorted(package.rglob("*.py")):
            h.update(str(path.relative_to(package)).encode() + path.read_bytes())
        for name in _PACKAGES:
            with contextlib.suppress(metadata.PackageNotFoundError):
                h.update(f"{name}={metadata.version(name)}".encode())
        h.update(sys.version.encode())
        _CODE.append(h.digest())
    return _CODE[0]


class PageStore:
    """The pages the last build wrote, and where its output now lies."""

    def __init__(self, settings: Mapping, output_path: str) -> None:
        """Read the last build's record of its pages, if it is there and for this output."""
        self.output = os.path.abspath(output_path)
        self.file = Path(settings["CACHE_PATH"]) / STORE_NAME
        self.previous_root = self.output  # moved aside by ``set_aside``
        self.previous: dict[str, list] = {}
        self.current: dict[str, list] = {}
        self.kept = 0
        self._folders: set[str] = set()  # folders of the output known to exist
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if data.get("version") == STORE_VERSION and data.get("output") == self.output:
                self.previous = data["pages"]
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def keep(self, path: str, fingerprint: str | None) -> bool:
        """Put the last build's file for ``path`` in place when its fingerprint is unchanged."""
        if fingerprint is None:
            return False
        rel = os.path.relpath(path, self.output)
        entry = self.previous.get(rel)
        if not entry or entry[0] != fingerprint:
            return False
        old = os.path.join(self.previous_root, rel)
        try:
            stat = os.stat(old)
            if [stat.st_size, stat.st_mtime_ns] != entry[1:]:
                return False  # changed since by someone else: render it
            if old != path:
                self._move(old, path)
        except OSError:
            return False
        self.current[rel] = entry
        self.kept += 1
        return True

    def _move(self, old: str, path: str) -> None:
        """Move a kept file back; a folder holding only that file moves whole (one rename)."""
        folder, old_folder = os.path.dirname(path), os.path.dirname(old)
        parent = os.path.dirname(folder)
        if (
            folder not in self._folders
            and os.path.basename(path) == "index.html"
            and os.listdir(old_folder) == ["index.html"]
            and not os.path.lexists(folder)
        ):
            if parent not in self._folders:
                os.makedirs(parent, exist_ok=True)
                self._folders.add(parent)
            os.rename(old_folder, folder)
        else:
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
            os.rename(old, path)
        self._folders.add(folder)

    def written(self, path: str, fingerprint: str | None) -> None:
        """Record a page written with ``fingerprint`` (its size and time too)."""
        if fingerprint is None:
            return
        try:
            stat = os.stat(path)
        except OSError:
            return
        rel = os.path.relpath(path, self.output)
        self.current[rel] = [fingerprint, stat.st_size, stat.st_mtime_ns]

    def save(self) -> None:
        """Write this build's record of its pages (whole or not at all)."""
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            partial = self.file.with_suffix(".partial")
            with open(partial, "w", encoding="utf-8") as handle:
                json.dump(
                    {"version": STORE_VERSION, "output": self.output, "pages": self.current},
                    handle,
                    separators=(",", ":"),
                )
            os.replace(partial, self.file)
        except OSError as exc:
            logger.warning(
                "Không lưu được danh sách trang đã dựng %s (%s): lần dựng sau sẽ dựng lại mọi trang.",
                self.file,
                exc,
            )


def set_aside(output: str, retention) -> str | None:
    """Move the last build's output aside in one rename and start an empty folder.

    Returns where it now lies, or None (nothing to move, or the rename is not
    possible: then Pelican's own clean-up runs).
    """
    output = os.path.abspath(output)
    aside = output.rstrip(os.sep) + ASIDE_SUFFIX
    shutil.rmtree(aside, ignore_errors=True)  # left by a build that stopped half-way
    if not os.path.isdir(output) or os.path.islink(output):
        return None
    try:
        os.rename(output, aside)
        os.mkdir(output)
    except OSError as exc:
        logger.debug("loa: could not move %s aside: %s", output, exc)
        if os.path.isdir(aside) and not os.path.exists(output):
            os.rename(aside, output)
        return None
    for name in retention or ():
        kept = os.path.join(aside, name)
        if os.path.lexists(kept):
            os.rename(kept, os.path.join(output, name))
    return aside


def remove_aside(aside: str | None) -> None:
    """Delete the last build's files set aside and not kept."""
    if aside:
        shutil.rmtree(aside, ignore_errors=True)
