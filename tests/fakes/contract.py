"""Every request a fake receives, checked against the platform's own specification extract.

The extracts live in ``specs/<platform>.json`` (docs/contracts.md): each names
its source repository, path and commit, and lists request *shapes*::

    "shapes": {"sendPhoto": {"method": "POST", "path": "/bot{token}/sendPhoto",
                             "body": ["json", "form", "query"], "additional": false,
                             "params": {"caption": {"type": "string", "max_length": 1024,
                                                    "unit": "telegram"}, ...}}}

A param may carry ``type`` (string, integer, boolean, number, array, object, json, file,
or a list of them), ``required``, ``enum``, ``pattern``, ``min_length``/``max_length``
counted in ``unit``, ``min_items``/``max_items``, ``items`` (one param), ``items_any``
(refs, the first that fits), ``items_by`` (a discriminator field -> ref), ``ref`` (a
named type in ``types``) and ``encoding`` (csv, json or csv_or_json for arrays sent as
text). ``additional: false`` refuses unknown params. Adding a request shape is one entry.

The fakes' server (``tests/fakes/server.py``) checks each request before the fake sees it
and answers a refused one with the platform's own error, so a fake cannot agree with a
wrong adapter; every check is recorded (``RECORD``) for the contract tests' figures.

The lengths are measured here, independently of ``loa.platforms.counting`` where the
platform's unit is plain (UTF-16 code units, code points); X's weighted count and Threads'
emoji-as-bytes count are the platform record's functions (stated in docs/contracts.md).
"""

from __future__ import annotations

import functools
import html
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

SPECS = Path(__file__).resolve().parents[2] / "specs"


def utf16_units(text: str) -> int:
    """UTF-16 code units: what Telegram's entity offsets and TikTok's limits count."""
    return len(text.encode("utf-16-le")) // 2


def telegram_units(text: str, parse_mode: str | None) -> int:
    """Telegram's length after entity parsing: HTML markup removed, entities decoded, UTF-16."""
    if parse_mode == "HTML":
        text = html.unescape(re.sub(r"<[^>]*>", "", text))
    return utf16_units(text)


def measure(unit: str, text: str, context: dict) -> int:
    """``text``'s length in a platform's unit."""
    if unit == "telegram":
        return telegram_units(text, context.get("parse_mode"))
    if unit == "utf16":
        return utf16_units(text)
    if unit == "x":
        from loa.platforms.counting import x_weighted_length

        return x_weighted_length(text)
    if unit == "threads":
        from loa.platforms.counting import threads_length

        return threads_length(text)
    return len(text)  # "chars": code points


@functools.cache
def load(platform: str) -> Contract:
    """The extract of one platform."""
    data = json.loads((SPECS / f"{platform}.json").read_text("utf-8"))
    return Contract(platform, data)


def _path_regex(template: str) -> re.Pattern:
    """``/v{version}/{post_id:\\d+_\\d+}/insights`` -> a regex (a variable is one segment)."""
    out, position = [], 0
    for match in re.finditer(r"\{(\w+)(?::([^}]+))?\}", template):
        out.append(re.escape(template[position : match.start()]))
        out.append(f"(?P<{match[1]}>{match[2] or '[^/]+'})")
        position = match.end()
    out.append(re.escape(template[position:]))
    return re.compile("".join(out))


@dataclass
class Check:
    """What the checker found for one request."""

    platform: str
    method: str
    path: str
    shape: str | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems


class Record:
    """Every check made, process-wide (the contract tests read and reset it)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checks: list[Check] = []

    def add(self, check: Check) -> None:
        """Keep one check."""
        with self.lock:
            self.checks.append(check)

    def clear(self) -> None:
        """Forget every check."""
        with self.lock:
            self.checks.clear()

    def snapshot(self) -> list[Check]:
        """The checks so far."""
        with self.lock:
            return list(self.checks)


RECORD = Record()


class Contract:
    """One platform's extract, able to check a request."""

    def __init__(self, platform: str, data: dict, shapes: dict | None = None):
        self.platform = platform
        self.data = data
        self.types = data.get("types", {})
        self.shapes = shapes if shapes is not None else data["shapes"]
        self._paths = {
            name: (shape["method"], _path_regex(shape["path"]))
            for name, shape in self.shapes.items()
        }

    def version(self, version: str) -> Contract:
        """The same platform at an older published version (X keeps its previous description)."""
        if version == self.data.get("version"):
            return self
        return Contract(self.platform, self.data, self.data["older_versions"][version])

    def check(self, request) -> Check:
        """Check one recorded request (``tests.fakes.server.Request``)."""
        candidates = [
            name
            for name, (method, regex) in self._paths.items()
            if method == request.method and regex.fullmatch(request.path)
        ]
        if not candidates:
            return Check(
                self.platform,
                request.method,
                request.path,
                None,
                [f"{request.method} {request.path}: no such endpoint in the specification"],
            )
        best = None
        for name in candidates:  # Graph's GET /{id} is many shapes: the request fits one of them
            problems = self._check_shape(self.shapes[name], request)
            if best is None or len(problems) < len(best.problems):
                best = Check(self.platform, request.method, request.path, name, problems)
            if not problems:
                break
        return best

    # -- one shape -------------------------------------------------------------------------

    def _check_shape(self, shape: dict, request) -> list[str]:
        problems: list[str] = []
        if "query" in shape:  # OpenAPI: query params and a body apart
            problems += self._object(shape["query"], False, dict(request.query), "query", text=True)
            body, text = self._body(request)
            if shape.get("params") is not None and (body or shape.get("body_required")):
                problems += self._object(
                    shape["params"], shape.get("additional", True), body, "body", text
                )
            return problems
        values, text = self._body(request)
        for key, value in request.query.items():
            values.setdefault(key, value)
        return self._object(shape["params"], shape.get("additional", True), values, "", text)

    @staticmethod
    def _body(request) -> tuple[dict, bool]:
        """The request's parameters and whether they arrived as text (form, multipart)."""
        if isinstance(request.json, dict):
            return dict(request.json), False
        values = dict(request.form)
        for name in request.files:
            values[name] = _FILE
        return values, True

    def _object(
        self, params: dict, additional: bool, values: dict, where: str, text: bool
    ) -> list[str]:
        problems = []
        prefix = f"{where}." if where else ""
        for name, spec in params.items():
            if spec.get("required") and name not in values:
                problems.append(f"{prefix}{name}: required")
        if not additional:
            unknown = sorted(set(values) - set(params))
            problems += [f"{prefix}{name}: unknown parameter" for name in unknown]
        for name, value in values.items():
            if name in params:
                problems += self._value(params[name], value, f"{prefix}{name}", text, values)
        return problems

    def _ref(self, ref: str, value, where: str, text: bool) -> list[str]:
        kind = self.types.get(ref)
        if kind is None:
            return [f"{where}: type {ref} not in the extract"]
        if not isinstance(value, dict):
            return [f"{where}: expected an object ({ref})"]
        problems = self._object(kind["params"], kind.get("additional", True), value, where, text)
        need = kind.get("one_of_required")
        if need and not any(n in value for n in need):
            problems.append(f"{where}: one of {', '.join(need)} required")
        return problems

    def _value(self, spec: dict, value, where: str, text: bool, context: dict) -> list[str]:
        kinds = spec.get("type", "string")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        value, error = _coerce(kinds, value, text, spec.get("encoding"))
        if error:
            return [f"{where}: {error}"]
        problems = []
        if "enum" in spec and not isinstance(value, list | dict) and value not in spec["enum"]:
            problems.append(f"{where}: {value!r} not one of {spec['enum']}")
        if isinstance(value, str):
            if "pattern" in spec and not re.search(spec["pattern"], value):
                problems.append(f"{where}: does not match {spec['pattern']}")
            if "max_length" in spec or "min_length" in spec:
                unit = spec.get("unit", "chars")
                length = measure(unit, value, context)
                if length > spec.get("max_length", length):
                    problems.append(
                        f"{where}: {length} {unit} units, more than {spec['max_length']}"
                    )
                if length < spec.get("min_length", 0):
                    problems.append(
                        f"{where}: {length} {unit} units, fewer than {spec['min_length']}"
                    )
        if isinstance(value, dict) and "ref" in spec:
            problems += self._ref(spec["ref"], value, where, text)
        if isinstance(value, dict) and "params" in spec:
            problems += self._object(
                spec["params"], spec.get("additional", True), value, where, text
            )
        if isinstance(value, list):
            problems += self._items(spec, value, where, text)
        return problems

    def _items(self, spec: dict, items: list, where: str, text: bool) -> list[str]:
        problems = []
        if len(items) > spec.get("max_items", len(items)):
            problems.append(f"{where}: {len(items)} items, more than {spec['max_items']}")
        if len(items) < spec.get("min_items", 0):
            problems.append(f"{where}: {len(items)} items, fewer than {spec['min_items']}")
        for n, item in enumerate(items):
            here = f"{where}[{n}]"
            if "items" in spec:
                problems += self._value(spec["items"], item, here, text, {})
            elif "items_by" in spec:
                by = spec["items_by"]
                ref = by["refs"].get(item.get(by["field"])) if isinstance(item, dict) else None
                problems += (
                    self._ref(ref, item, here, text) if ref else [f"{here}: unknown {by['field']}"]
                )
            elif "items_any" in spec:
                tries = [self._ref(option["ref"], item, here, text) for option in spec["items_any"]]
                if all(tries):
                    problems += min(tries, key=len)
        return problems


_FILE = object()


def _coerce(kinds: list[str], value, text: bool, encoding: str | None):
    """``(value, error)``: the value in its JSON type (form and query values are text)."""
    if value is _FILE:
        return (value, None) if "file" in kinds else (None, "a file where the spec has no file")
    if encoding == "graph_fields" and isinstance(value, str):
        # fields=reactions.summary(total_count).limit(0),shares: the names before any modifier
        return [re.match(r"\w*", part).group(0) for part in _top_level(value)], None
    if "array" in kinds and isinstance(value, str) and (text or encoding):
        if encoding in ("json", "csv_or_json") and value.startswith("["):
            try:
                return json.loads(value), None
            except ValueError:
                return None, "not a JSON array"
        return list(value.split(",")), None
    for kind in kinds:
        ok, converted = _as(kind, value, text)
        if ok:
            return converted, None
    return None, f"{type(value).__name__} {str(value)[:40]!r} is not {' or '.join(kinds)}"


def _top_level(value: str) -> list[str]:
    """Split on commas outside parentheses and braces."""
    parts, depth, current = [], 0, ""
    for char in value:
        depth += char in "({"
        depth -= char in ")}"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _as(kind: str, value, text: bool):
    if kind == "string":
        return isinstance(value, str), value
    if kind == "integer":
        if isinstance(value, bool):
            return False, None
        if isinstance(value, int):
            return True, value
        return (
            isinstance(value, str) and text and re.fullmatch(r"-?\d+", value) is not None
        ), value
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool), value
    if kind == "boolean":
        if isinstance(value, bool):
            return True, value
        return (text and value in ("true", "false", "1", "0")), value
    if kind == "array":
        return isinstance(value, list), value
    if kind in ("object", "json"):
        if isinstance(value, dict | list):
            return True, value
        if isinstance(value, str) and text:
            if kind == "json":
                return True, value
            try:
                parsed = json.loads(value)
            except ValueError:
                return False, None
            return isinstance(parsed, dict), parsed
        return False, None
    if kind == "file":
        return False, None
    return False, None
