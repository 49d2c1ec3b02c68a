"""YAML that remembers where each value came from, for messages that name the line.

Dates stay strings (each contract parses its own dates and insists on a timezone),
and a key written twice in one mapping is an error instead of silently winning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml


class LineDict(dict):
    """A mapping with the 1-based line of itself and of each key."""

    line: int = 1
    lines: dict

    def line_of(self, key, default: int | None = None) -> int:
        """The line of ``key``, else of the mapping itself."""
        return self.lines.get(key, default if default is not None else self.line)


class LineList(list):
    """A sequence with the 1-based line of itself and of each item."""

    line: int = 1
    lines: list


@dataclass
class YamlProblem(Exception):
    """Malformed YAML: the 1-based line and column and what is wrong, in Vietnamese."""

    line: int
    column: int
    problem: str
    # The file's other syntax problems, found by parsing again without each problem's line.
    more: list[YamlProblem] = field(default_factory=list)

    def all(self) -> list[YamlProblem]:
        """This problem and the others of the same file, in line order."""
        return sorted([self, *self.more], key=lambda p: (p.line, p.column))

    def __str__(self) -> str:
        """The problem and its line, as people read it."""
        return self.problem


# libyaml's parser when PyYAML was built with it (the wheels are): ten times
# faster on front matter, which matters for a 10,000-article site.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """SafeLoader without timestamp resolution: dates are parsed by their contract."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_PROBLEMS_VI = {
    "mapping values are not allowed in this context": "dấu “:” đặt sai chỗ (giá trị có dấu “:” cần đặt trong ngoặc kép)",
    "found character that cannot start any token": "có ký tự không hợp lệ ở đầu giá trị (thường là phím Tab — chỉ dùng dấu cách để thụt lề)",
    "did not find expected ',' or ']'": "thiếu dấu “]” đóng danh sách",
    "did not find expected ',' or '}'": "thiếu dấu “}” đóng",
    "mapping values are not allowed here": "dấu “:” đặt sai chỗ (giá trị có dấu “:” cần đặt trong ngoặc kép)",
    "could not find expected ':'": "thiếu dấu “:” sau tên trường",
    "found character '\\t' that cannot start any token": "có ký tự Tab (chỉ dùng dấu cách để thụt lề)",
    "found a tab character that violates indentation": "dòng thụt lề bằng phím Tab — chỉ dùng dấu cách để thụt lề",
    "found a tab character where an indentation space is expected": "dòng thụt lề bằng phím Tab — chỉ dùng dấu cách để thụt lề",
    "found undefined alias": "có bí danh (*) không xác định",
    "did not find expected key": "thụt lề không đều hoặc thiếu dấu “:”",
    "found unexpected end of stream": "thiếu dấu ngoặc kép đóng",
    "found unexpected ':'": "dấu “:” đặt sai chỗ",
    "expected <block end>, but found": "thụt lề không đều",
    "while scanning a quoted scalar": "thiếu dấu ngoặc kép đóng",
    "found duplicate anchor": "trùng tên neo (&)",
    "exceeded maximum nesting depth": "lồng quá nhiều cấp ngoặc hoặc danh sách",
}


def _vietnamese_problem(exc: yaml.MarkedYAMLError) -> str:
    text = f"{exc.context or ''} {exc.problem or ''}"
    for english, vietnamese in _PROBLEMS_VI.items():
        if english in text:
            return vietnamese
    return "cú pháp YAML không hợp lệ — xem lại dấu “:”, ngoặc kép và thụt lề (chỉ dùng dấu cách)"


MAX_PROBLEMS = 10


def _problem(exc: yaml.MarkedYAMLError, text: str, line_offset: int) -> YamlProblem:
    """Where a person should look, and what is wrong, in Vietnamese."""
    mark = exc.problem_mark or exc.context_mark
    # An unclosed list or quote is found at the end of the text; where it
    # was opened is the line a person needs.
    if exc.context_mark is not None and (
        mark is None
        or mark.line >= text.rstrip("\n").count("\n")
        or "flow" in (exc.context or "")  # an unclosed "[" or "{": the line that opened it
    ):
        mark = exc.context_mark
    index = mark.line if mark else 0
    column = mark.column + 1 if mark else 1
    message = _vietnamese_problem(exc)
    if "tab" in f"{exc.problem or ''} {exc.context or ''}".lower():
        # libyaml marks the end of the line before a tab-indented one: name the tab's line.
        lines = text.split("\n")
        for n in range(index, len(lines)):
            if "\t" in lines[n]:
                index, column = n, lines[n].index("\t") + 1
                break
    return YamlProblem(index + 1 + line_offset, column, message)


def _other_problems(text: str, first: YamlProblem, line_offset: int) -> list[YamlProblem]:
    """The problems after ``first``: parse again with each problem's line left blank."""
    lines = text.split("\n")
    seen = {first.line}
    found: list[YamlProblem] = []
    blank = first.line - 1 - line_offset
    while len(found) < MAX_PROBLEMS and 0 <= blank < len(lines):
        lines[blank] = ""
        attempt = "\n".join(lines)
        try:
            for _ in yaml.parse(attempt, Loader=_Base):
                pass
            return found
        except yaml.MarkedYAMLError as exc:
            problem = _problem(exc, attempt, line_offset)
        except yaml.YAMLError:
            return found
        if problem.line in seen:
            return found
        seen.add(problem.line)
        found.append(problem)
        blank = problem.line - 1 - line_offset
    return found


def _convert(loader: _Loader, node: yaml.Node, line_offset: int):
    line = node.start_mark.line + 1 + line_offset
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out = LineDict()
        out.line, out.lines = line, {}
        for key_node, value_node in node.value:
            key = _convert(loader, key_node, line_offset)
            key_line = key_node.start_mark.line + 1 + line_offset
            if isinstance(key, (list, dict)):
                raise YamlProblem(
                    key_line, key_node.start_mark.column + 1, "tên trường không hợp lệ"
                )
            if key in out:
                raise YamlProblem(
                    key_line,
                    key_node.start_mark.column + 1,
                    f"trường “{key}” được khai báo hai lần (dòng {out.lines[key]} và dòng {key_line})",
                )
            out[key] = _convert(loader, value_node, line_offset)
            out.lines[key] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        out = LineList()
        out.line = line
        out.lines = []
        for item in node.value:
            out.append(_convert(loader, item, line_offset))
            out.lines.append(item.start_mark.line + 1 + line_offset)
        return out
    return loader.construct_object(node, deep=True)


# Nesting deeper than any contract needs (a unit's channel's key is five deep)
# is refused before the document is composed: composing is recursive.
MAX_DEPTH = 12
_DEEP = re.compile(r"^[ \t]{16,}\S", re.MULTILINE)  # eight levels of two-space indentation


def _screen(text: str, line_offset: int) -> None:
    """Refuse anchors and aliases, and nesting deeper than ``MAX_DEPTH``, from the event stream.

    An alias makes one node appear many times: a few hundred bytes of nested
    aliases ("billion laughs") expand to gigabytes, and an alias inside its own
    anchor never ends. No Loa file needs them, so none is accepted. The events
    come from libyaml's iterative parser, which holds no recursion.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Base):
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlProblem(
                mark.line + 1 + line_offset,
                mark.column + 1,
                "có neo “&” hoặc bí danh “*” — không được dùng ở đây; viết thẳng giá trị "
                "(đặt trong ngoặc kép nếu giá trị bắt đầu bằng “&” hay “*”)",
            )
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(
                    mark.line + 1 + line_offset,
                    mark.column + 1,
                    f"lồng quá {MAX_DEPTH} cấp — bớt số cấp danh sách và ngoặc",
                )
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def load(text: str, line_offset: int = 0):
    """Parse one YAML document; mappings and lists carry their line numbers.

    ``line_offset`` is added to every line (front matter starts after ``---``).
    Raises ``YamlProblem`` with a Vietnamese description and the line.
    """
    loader = _Loader(text)
    try:
        # An anchor needs "&", an alias "*"; a deep nesting, many brackets or
        # indentation. Ordinary front matter has none and is parsed only once.
        if (
            "&" in text
            or "*" in text
            or text.count("[") + text.count("{") > 40
            or _DEEP.search(text)
        ):
            _screen(text, line_offset)
        node = loader.get_single_node()
        if node is None:
            return None
        return _convert(loader, node, line_offset)
    except yaml.MarkedYAMLError as exc:
        first = _problem(exc, text, line_offset)
        first.more = _other_problems(text, first, line_offset)
        raise first from None
    except yaml.reader.ReaderError as exc:  # control characters
        before = text[: exc.position]
        raise YamlProblem(
            before.count("\n") + 1 + line_offset,
            len(before) - before.rfind("\n"),
            f"có ký tự không được phép (mã U+{exc.character:04X}) — xoá ký tự này"
            if isinstance(exc.character, int)
            else "có ký tự không được phép — xoá ký tự này",
        ) from None
    except yaml.YAMLError:
        raise YamlProblem(1 + line_offset, 1, "YAML không đọc được") from None
    except RecursionError:
        raise YamlProblem(1 + line_offset, 1, f"lồng quá {MAX_DEPTH} cấp") from None
    finally:
        loader.dispose()
