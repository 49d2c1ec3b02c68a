"""The fingerprint of a page: template, code, settings, the page's values and the context it names."""

from __future__ import annotations

import io
import logging
import os
import types
from collections.abc import Mapping

from jinja2 import Template, meta
from pelican.contents import Content
from pelican.paginator import Paginator

from loa.codeversion import code_version
from loa.pagestore.digest import (
    ATOMS,
    CONTAINERS,
    CONTENT_DEPTH,
    MEMO_FROM,
    REACH,
    SKIP_FIELDS,
    FieldPickler,
    Unstable,
    fields_of,
    holds_content,
    new_hash,
    read_field,
    simple_digest,
)
from loa.pagestore.templates import reads_context

logger = logging.getLogger(__name__)

# Settings that change how a build runs, never what it writes.
_NO_EFFECT = frozenset({"LOA_WORKERS", "LOA_PARALLEL_MIN_FILES", "LOA_KEEP_PAGES"})


def enabled(settings: Mapping) -> bool:
    """Whether kept pages are on (``LOA_KEEP_PAGES`` and a cache folder)."""
    return bool(settings.get("LOA_KEEP_PAGES", True)) and bool(settings.get("CACHE_PATH"))


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
        h = new_hash()
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
        h = new_hash()
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
        if reads_context(env):  # a filter or function that may read any name
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
            h = new_hash()
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
            h = new_hash()
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
        atom = ATOMS.get(kind)
        if atom is not None:
            return atom(value)
        if kind in CONTAINERS:
            if reach <= 0:
                return b"deep:" + kind.__name__.encode()
            if len(value) <= MEMO_FROM:
                return self._compound(value, depth, reach - 1)  # cheaper than remembering it
        elif isinstance(value, Content):
            reach = REACH  # articles are bounded by ``depth``: one digest per depth
        else:
            simple = simple_digest(value)
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
        h = new_hash()
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
            fields = fields_of(value)
            if fields is None:
                text = repr(value)
                if " at 0x" in text:
                    raise Unstable(type(value).__qualname__)
                h.update(text.encode())
            else:
                for name in sorted(fields):
                    if name not in SKIP_FIELDS:
                        h.update(name.encode() + self.digest(fields[name], depth, reach))
        return h.digest()

    def _content_fields(self, content: Content) -> tuple[bytes, list]:
        """An article's own fields (digested once) and the fields that hold other articles."""
        cached = self._fields.get(id(content))
        if cached is not None:
            return cached
        h = new_hash()
        linked = []
        own = {}
        fields = vars(content)
        for name in sorted(fields):
            if name in SKIP_FIELDS:
                continue
            item = fields[name]
            if type(item) in ATOMS or not holds_content(item):
                own[name] = item
            else:
                linked.append((name, item))
        # Pickled by C, with our digest for anything that is not a plain value:
        # five times faster than walking the fields one by one.
        buffer = io.BytesIO()
        try:
            FieldPickler(buffer, self).dump(own)
            h.update(buffer.getvalue())
        except RecursionError:  # a container that holds itself: the slow way
            h.update(self.digest(own, -1))
        # The HTML and summary as written; where they hold intrasite links
        # ({filename}..., resolved against the whole site), as resolved.
        for name, prop in (("_content", "content"), ("_summary", "summary")):
            raw = fields.get(name)
            if isinstance(raw, str) and ("{" in raw or "|" in raw):
                raw = read_field(content, prop)
            h.update(name.encode() + b"=" + self.digest(raw, -1))
        h.update(b"url=" + self.digest(read_field(content, "url"), -1))
        result = (h.digest(), linked)
        self._fields[id(content)] = result
        return result
