"""argparse's own words in Vietnamese: "usage:", the group titles, the help option, its errors.

argparse looks its strings up through gettext (``argparse._`` and ``argparse.ngettext``;
"How to translate the argparse output",
https://docs.python.org/3/howto/argparse.html#how-to-translate-the-argparse-output).
``vietnamese()`` swaps those two names for the time the ``loa`` parser is built and
used, and puts them back after, so no other parser in the process changes. The
placeholders argparse makes from option names (``--root ROOT``) get Vietnamese ones.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

MESSAGES = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tuỳ chọn",
    "optional arguments": "tuỳ chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show program's version number and exit": "hiện số phiên bản rồi thoát",
    "subcommands": "lệnh con",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "giá trị %(value)r không có trong danh sách (chọn một trong: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ (cần kiểu %(type)s)",
    "expected one argument": "cần đúng một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tuỳ chọn %(option)s không rõ: có thể là %(matches)s"
    ),
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "ignored explicit argument %r": "tuỳ chọn này không nhận giá trị: %r",
    "unexpected option string: %s": "tuỳ chọn không mong đợi: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "không có lệnh %(parser_name)r (các lệnh: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "không mở được “%(filename)s”: %(error)s",
    "cannot have multiple subparser arguments": "chỉ được một nhóm lệnh con",
}
PLURALS = {
    "expected %s argument": "cần %s giá trị",
    "conflicting option string: %s": "tuỳ chọn bị trùng: %s",
}


def translate(message):
    """The Vietnamese of one of argparse's strings (others unchanged)."""
    return MESSAGES.get(message, message) if isinstance(message, str) else message


def translate_plural(singular: str, plural: str, count: int) -> str:
    """The Vietnamese of a string with a plural (Vietnamese has one form)."""
    return PLURALS.get(singular, singular if count == 1 else plural)


@contextlib.contextmanager
def vietnamese() -> Iterator[None]:
    """Within this block argparse speaks Vietnamese."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = translate, translate_plural
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


# The placeholder shown after an option or for an argument, by its destination's name.
METAVARS = {
    "root": "THƯ_MỤC",
    "units": "TỆP",
    "unit": "ĐƠN_VỊ",
    "title": "TIÊU_ĐỀ",
    "author": "TÁC_GIẢ",
    "summary": "TÓM_TẮT",
    "since": "NGÀY",
    "until": "NGÀY",
    "limit": "SỐ",
    "output": "TỆP",
    "manifest": "TỆP",
    "file": "TỆP",
    "article": "BÀI",
    "folder": "THƯ_MỤC",
    "platform": "NỀN_TẢNG",
    "source": "NGUỒN",
    "url": "ĐỊA_CHỈ",
    "paths": "ĐƯỜNG_DẪN",
    "channel": "KÊNH",
    "account": "TÀI_KHOẢN",
    "days": "SỐ_NGÀY",
    "since_days": "SỐ_NGÀY",
}


def name_placeholders(parser: argparse.ArgumentParser) -> None:
    """Vietnamese placeholders for every option and argument of ``parser`` and its subcommands."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                name_placeholders(child)
            continue
        if action.metavar is not None or action.choices is not None or action.nargs == 0:
            continue
        action.metavar = METAVARS.get(action.dest, "GIÁ_TRỊ")
