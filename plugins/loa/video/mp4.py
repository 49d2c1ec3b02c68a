"""What an MP4/MOV file declares, read from its boxes before a single frame is decoded.

A clip from a contributor is hostile input. Before ffmpeg touches it, the
ISO base media file structure (ISO/IEC 14496-12; QuickTime's is the same for
what is read here) is walked in pure Python: the top-level boxes must tile the
file exactly (a truncated upload, or a box declaring more bytes than the file
has, is refused), ``ftyp`` comes first (a text playlist or concat list renamed
``.mp4`` is refused), ``moov`` is bounded in size and read into memory, and
from it come the duration (``mvhd``), each track's kind (``hdlr``: ``vide``,
``soun``), codec (``stsd``) and its pixel size (``tkhd``, the sample entry),
turned by the track's rotation matrix as players show it.

Box layouts: ISO/IEC 14496-12 §4.2 (box header, 64-bit ``largesize``),
§8.2.2 ``mvhd``, §8.3.2 ``tkhd``, §8.4.2 ``mdhd``, §8.4.3 ``hdlr``, §8.5.2
``stsd`` and the visual sample entry (width and height at bytes 24–27 of the
entry's body); as read by ffmpeg's libavformat/mov.c.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

MAX_MOOV_BYTES = 16_000_000  # the index of a 90 s clip is well under 1 MB
MAX_BOXES = 10_000
MAX_DEPTH = 8
CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf"}


class Mp4Problem(Exception):
    """The file is not a usable MP4/MOV; ``str()`` says why, in Vietnamese."""


@dataclass
class Track:
    """One track of the file."""

    kind: str = ""  # the handler: vide, soun, meta, tmcd, text, …
    codec: str = ""
    width: int = 0
    height: int = 0
    rotation: int = 0
    duration: float = 0.0


@dataclass
class Movie:
    """What the file's boxes declare."""

    brand: str
    size: int
    duration: float
    tracks: list[Track] = field(default_factory=list)
    moov_first: bool = False  # moov before mdat: plays before it is fully downloaded

    def of_kind(self, kind: str) -> list[Track]:
        """The tracks with this handler."""
        return [t for t in self.tracks if t.kind == kind]

    @property
    def video(self) -> Track | None:
        """The first video track."""
        found = self.of_kind("vide")
        return found[0] if found else None

    @property
    def display_size(self) -> tuple[int, int]:
        """(width, height) as a player shows the video, rotation applied."""
        track = self.video
        if track is None:
            return 0, 0
        if track.rotation in (90, 270):
            return track.height, track.width
        return track.width, track.height


def _header(data: bytes, offset: int, end: int) -> tuple[int, bytes, int]:
    """(box size, type, header length) of the box at ``offset``; size 0 runs to ``end``."""
    if end - offset < 8:
        raise Mp4Problem("bị cắt cụt giữa chừng (thiếu phần cuối tệp)")
    size, kind = struct.unpack_from(">I4s", data, offset)
    header = 8
    if size == 1:
        if end - offset < 16:
            raise Mp4Problem("bị cắt cụt giữa chừng (thiếu phần cuối tệp)")
        (size,) = struct.unpack_from(">Q", data, offset + 8)
        header = 16
    elif size == 0:
        size = end - offset
    if size < header:
        raise Mp4Problem("có cấu trúc hỏng (một hộp MP4 khai báo kích thước sai)")
    return size, kind, header


def read_movie(path: Path | str) -> Movie:
    """The boxes of the file at ``path``; ``Mp4Problem`` for anything not a plain, whole MP4/MOV."""
    with open(path, "rb") as handle:
        total = os.fstat(handle.fileno()).st_size
        offset, count, moov, brand, first, mdat_at = 0, 0, None, "", True, None
        while offset < total:
            count += 1
            if count > MAX_BOXES:
                raise Mp4Problem("có quá nhiều hộp dữ liệu — không phải video quay từ điện thoại")
            handle.seek(offset)
            head = handle.read(16)
            size, kind, header = _header(head, 0, len(head))
            if int.from_bytes(head[:4], "big") == 0:  # the last box, to the end of the file
                size = total - offset
            if first and kind != b"ftyp":
                raise Mp4Problem("không bắt đầu bằng hộp “ftyp” — không phải tệp MP4/MOV thật")
            if offset + size > total:
                raise Mp4Problem(
                    f"khai báo {size:,} byte cho hộp “{_name(kind)}” nhưng tệp chỉ còn "
                    f"{total - offset:,} byte — tệp bị cắt cụt hoặc bị sửa".replace(",", ".")
                )
            if kind == b"ftyp":
                brand = _name(head[header : header + 4]).strip()
            elif kind == b"moov":
                if moov is not None:
                    raise Mp4Problem("có hai hộp “moov” — tệp bị ghép hoặc bị sửa")
                if size > MAX_MOOV_BYTES:
                    raise Mp4Problem(
                        "có phần chỉ mục (moov) quá lớn — không phải video ngắn thông thường"
                    )
                handle.seek(offset + header)
                moov = handle.read(size - header)
                moov_first = mdat_at is None
            elif kind == b"mdat" and mdat_at is None:
                mdat_at = offset
            first = False
            offset += size
    if moov is None:
        raise Mp4Problem("thiếu phần chỉ mục (moov) — tệp bị cắt cụt hoặc quay chưa xong")
    if mdat_at is None:
        raise Mp4Problem("không có dữ liệu hình và tiếng (mdat)")
    movie = Movie(brand=brand, size=total, duration=0.0, moov_first=moov_first)
    _read_moov(movie, moov)
    return movie


def _name(kind: bytes) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in kind.decode("latin-1"))


def _children(data: bytes, start: int, end: int, depth: int):
    if depth > MAX_DEPTH:
        raise Mp4Problem("có cấu trúc lồng nhau quá sâu")
    offset = start
    while offset < end:
        size, kind, header = _header(data, offset, end)
        if offset + size > end:
            raise Mp4Problem(f"có hộp “{_name(kind)}” vượt ra ngoài hộp chứa nó — tệp bị hỏng")
        yield kind, offset + header, offset + size
        offset += size


def _read_moov(movie: Movie, moov: bytes) -> None:
    for kind, start, end in _children(moov, 0, len(moov), 1):
        if kind == b"mvhd":
            movie.duration = _duration(moov, start, end, 12)
        elif kind == b"trak":
            track = Track()
            _read_box(track, moov, start, end, 2)
            movie.tracks.append(track)


def _read_box(track: Track, data: bytes, start: int, end: int, depth: int) -> None:
    for kind, body, stop in _children(data, start, end, depth):
        if kind in CONTAINERS:
            _read_box(track, data, body, stop, depth + 1)
        elif kind == b"tkhd":
            _tkhd(track, data, body, stop)
        elif kind == b"mdhd":
            track.duration = _duration(data, body, stop, 12)
        elif kind == b"hdlr" and stop - body >= 12:
            track.kind = data[body + 8 : body + 12].decode("latin-1")
        elif kind == b"stsd":
            _stsd(track, data, body, stop, depth + 1)


def _duration(data: bytes, body: int, stop: int, v0_offset: int) -> float:
    """Timescale and duration of ``mvhd``/``mdhd`` (version 0: 32-bit times, 1: 64-bit)."""
    version = data[body] if body < stop else 0
    try:
        if version == 1:
            scale, length = struct.unpack_from(">IQ", data, body + 20)
        else:
            scale, length = struct.unpack_from(">II", data, body + v0_offset)
    except struct.error:
        raise Mp4Problem("có phần thời lượng bị cắt cụt") from None
    if scale == 0:
        raise Mp4Problem("khai báo thang thời gian bằng 0 — tệp bị hỏng")
    return length / scale


def _tkhd(track: Track, data: bytes, body: int, stop: int) -> None:
    version = data[body] if body < stop else 0
    matrix_at = body + (52 if version == 1 else 40)
    if matrix_at + 44 > stop:
        raise Mp4Problem("có phần mô tả rãnh (tkhd) bị cắt cụt")
    a, b = struct.unpack_from(">ii", data, matrix_at)
    width, height = struct.unpack_from(">II", data, matrix_at + 36)
    track.width = max(track.width, width >> 16)
    track.height = max(track.height, height >> 16)
    if a == 0 and b > 0:
        track.rotation = 90
    elif a == 0 and b < 0:
        track.rotation = 270
    elif a < 0:
        track.rotation = 180


def _stsd(track: Track, data: bytes, body: int, stop: int, depth: int) -> None:
    # full box header (4) + entry count (4), then sample entries (boxes).
    for kind, entry, end in _children(data, body + 8, stop, depth):
        track.codec = track.codec or _name(kind)
        if track.kind == "vide" and end - entry >= 28:
            width, height = struct.unpack_from(">HH", data, entry + 24)
            track.width, track.height = max(track.width, width), max(track.height, height)
