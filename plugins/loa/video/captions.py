r"""Caption files (SRT or WebVTT) read strictly, and written back clean.

Captions are written by a person (no speech-to-text model ships in a package,
spec/video-and-listening.md A10) and shown three ways: as the site's WebVTT
``<track>``, as the SRT file Facebook and X take, and burned into the picture
by libass for the networks that take no caption file. Each of those readers
understands markup — WebVTT's ``<c>``/``<v>`` tags, SRT's ``<font>``, libass's
``{\…}`` override blocks, which can move, hide or draw — so none is allowed
through: a cue is plain text, at most two lines, NFC, with timings that rise
and stay inside the clip. What Loa writes out is rebuilt from the parsed cues,
never the contributor's bytes.

Formats: SRT as SubRip writes it (index, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``,
text, blank line); WebVTT per https://www.w3.org/TR/webvtt1/ (the ``WEBVTT``
header, optional cue identifiers, ``.`` before milliseconds, hours optional;
NOTE, STYLE and REGION blocks are refused rather than interpreted).
Facebook's caption upload takes at most 200 KB
(https://developers.facebook.com/docs/graph-api/reference/video/captions/).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 200_000  # Facebook's limit for a caption file, and far above 90 s of speech
MAX_CUES = 1_000
MAX_LINES = 2
MAX_LINE_CHARS = 84  # two phone-width lines of 42
END_SLACK = 0.5  # seconds a cue may end past the clip (rounding in editors)

_TIME = r"(?:(\d{1,2}):)?(\d{2}):(\d{2})[,.](\d{3})"
TIMING = re.compile(rf"^{_TIME}\s+-->\s+{_TIME}(?:\s+.*)?$")
MARKUP = re.compile(r"<[^>]*>|\{\\|&[a-zA-Z#][a-zA-Z0-9]*;")


class CaptionProblem(Exception):
    """A caption file that cannot be used: the line and one Vietnamese sentence."""

    def __init__(self, line: int, message: str):
        """``line`` is 1-based in the caption file (0: the whole file)."""
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Cue:
    """One caption: when it shows, what it says (lines), and where it was written."""

    start: float
    end: float
    lines: tuple[str, ...]
    line: int = 0


def _seconds(groups) -> float:
    hours, minutes, seconds, millis = (int(g) if g else 0 for g in groups)
    if minutes > 59 or seconds > 59:
        raise ValueError
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def read_text(path: Path | str) -> str:
    """The caption file's text: UTF-8 (a BOM allowed), at most ``MAX_BYTES``."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CaptionProblem(
            0, f"nặng quá {MAX_BYTES // 1000} KB — phụ đề của một đoạn video ngắn chỉ vài KB"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaptionProblem(0, "không phải chữ UTF-8 — lưu lại tệp với bảng mã UTF-8") from None


def parse(text: str, kind: str, duration: float | None = None) -> list[Cue]:
    """The cues of an SRT (``kind`` "srt") or WebVTT ("vtt") text; ``CaptionProblem`` if unusable."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    if kind == "vtt":
        if not lines or not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
            raise CaptionProblem(
                1, "không bắt đầu bằng dòng “WEBVTT” — tệp .vtt phải mở đầu như vậy"
            )
        index = 1
    cues: list[Cue] = []
    while index < len(lines):
        while index < len(lines) and not lines[index].strip():
            index += 1
        if index >= len(lines):
            break
        block_start = index
        block = []
        while index < len(lines) and lines[index].strip():
            block.append(lines[index])
            index += 1
        cues.append(_cue(block, block_start + 1, kind))
        if len(cues) > MAX_CUES:
            raise CaptionProblem(
                block_start + 1, f"có hơn {MAX_CUES} câu phụ đề — quá nhiều cho một video ngắn"
            )
    if not cues:
        raise CaptionProblem(0, "không có câu phụ đề nào")
    _check_times(cues, duration)
    return cues


def _cue(block: list[str], first: int, kind: str) -> Cue:
    head = block[0].strip()
    if kind == "vtt" and head.split(" ", 1)[0] in ("NOTE", "STYLE", "REGION"):
        raise CaptionProblem(
            first,
            f"có khối “{head.split(' ', 1)[0]}” — chỉ ghi các câu phụ đề, không ghi chú hay kiểu chữ",
        )
    at = 0
    if not TIMING.match(head):
        at = 1  # an index (SRT) or a cue identifier (WebVTT)
        if kind == "srt" and not head.isdigit():
            raise CaptionProblem(first, f"dòng “{head[:40]}” phải là số thứ tự của câu phụ đề")
    if at >= len(block) or not (match := TIMING.match(block[at].strip())):
        raise CaptionProblem(
            first + at, "thiếu dòng thời gian dạng “00:00:01,000 --> 00:00:03,500”"
        )
    try:
        start, end = _seconds(match.groups()[:4]), _seconds(match.groups()[4:])
    except ValueError:
        raise CaptionProblem(first + at, "có thời gian sai (phút hoặc giây quá 59)") from None
    text = block[at + 1 :]
    if not text:
        raise CaptionProblem(first + at, "có câu phụ đề không có chữ")
    if len(text) > MAX_LINES:
        raise CaptionProblem(
            first + at + 1,
            f"có câu phụ đề {len(text)} dòng — tối đa {MAX_LINES} dòng; tách thành hai câu",
        )
    for number, line in enumerate(text, first + at + 1):
        _check_line(line, number)
    return Cue(start, end, tuple(t.strip() for t in text), first)


def _check_line(line: str, number: int) -> None:
    if MARKUP.search(line):
        raise CaptionProblem(
            number,
            "có mã định dạng (thẻ <…>, {\\…} hoặc &…;) — chỉ ghi chữ thường, không định dạng",
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch != "\t" for ch in line):
        raise CaptionProblem(number, "có ký tự điều khiển hoặc ký tự ẩn — xoá chúng đi")
    if unicodedata.normalize("NFC", line) != line:
        raise CaptionProblem(
            number, "không ở dạng Unicode dựng sẵn (NFC) — lưu lại bằng bộ gõ Unicode dựng sẵn"
        )
    if len(line) > MAX_LINE_CHARS:
        raise CaptionProblem(
            number,
            f"có dòng dài {len(line)} ký tự, quá {MAX_LINE_CHARS} — xuống dòng hoặc tách câu",
        )


def _check_times(cues: list[Cue], duration: float | None) -> None:
    previous = None
    for cue in cues:
        if cue.end <= cue.start:
            raise CaptionProblem(cue.line, "có câu kết thúc không sau lúc bắt đầu — sửa thời gian")
        if previous is not None and cue.start < previous.start:
            raise CaptionProblem(
                cue.line, "có câu bắt đầu trước câu đứng trên nó — xếp các câu theo thời gian"
            )
        if duration is not None and cue.end > duration + END_SLACK:
            raise CaptionProblem(
                cue.line,
                f"có câu kéo dài tới giây {cue.end:.1f} nhưng video chỉ dài {duration:.1f} giây — sửa thời gian",
            )
        previous = cue


def _stamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def to_srt(cues: list[Cue]) -> str:
    """The cues as a clean SRT file."""
    blocks = [
        f"{n}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n" + "\n".join(c.lines)
        for n, c in enumerate(cues, 1)
    ]
    return "\n\n".join(blocks) + "\n"


def to_vtt(cues: list[Cue]) -> str:
    """The cues as a clean WebVTT file."""
    blocks = [
        f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n" + "\n".join(c.lines) for c in cues
    ]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def kind_of(path: str) -> str | None:
    """``srt`` or ``vtt`` from the file name, else None."""
    suffix = Path(path).suffix.lower()
    return {".srt": "srt", ".vtt": "vtt"}.get(suffix)
