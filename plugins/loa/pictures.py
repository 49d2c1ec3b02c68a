"""A picture (or PDF) judged by reading it whole, not by its first bytes; decoded at the size needed.

``problem(path, kind)`` walks the file's own structure to its end marker and
decodes it (a JPEG at 1/8 scale, so the check costs little): a truncated file,
a corrupted chunk, bytes after the end (where a polyglot keeps its script or
page), a script-opening comment in a JPEG header or a GIF comment, markup
anywhere, JavaScript or launch actions in a PDF, and a location (GPS) still in
a photo are each one sentence. ``open_reduced`` opens a picture decoded no
larger than the output needs (JPEG draft, then ``reduce``), so a 7000×7000
photo costs a few megabytes, not 150.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zlib
from functools import lru_cache
from pathlib import Path

# Bytes that make a file something a browser could run or render as a page.
# Long enough that compressed picture data (near-random bytes) holds one by
# chance less than once in thousands of 10 MB files.
_MARKUP = re.compile(
    rb"(?i)<(?:script|html|body|iframe|object|embed|meta|!doctype)|<svg[\s>/]|javascript:"
)
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
GPS_IFD = 0x8825
_XMP_GPS = re.compile(rb"GPS(?:Latitude|Longitude)")

REDO = "lưu lại ảnh bằng một trình sửa ảnh (hoặc chụp màn hình) rồi thay tệp"
TRUNCATED = f"bị cắt cụt hoặc hỏng, không giải mã trọn được — {REDO}"
TRAILING = "có dữ liệu lạ sau phần cuối của ảnh (tệp “hai mặt”: vừa là ảnh vừa là mã) — " + REDO
GPS = (
    "còn vị trí GPS nơi chụp trong ảnh (lộ nơi ở, nơi làm việc của người chụp) — chạy "
    "“loa check --fix” để xoá thông tin vị trí, hoặc tắt vị trí trong máy ảnh rồi xuất lại ảnh"
)


class _Bad(Exception):
    pass


def _png(data: bytes) -> None:
    """Chunks with their checksums up to IEND, and nothing after it; no location in eXIf."""
    pos = 8
    while True:
        if pos + 12 > len(data):
            raise _Bad(TRUNCATED)
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise _Bad(TRUNCATED)
        body = data[pos + 4 : pos + 8 + length]
        if zlib.crc32(body) != struct.unpack(">I", data[end - 4 : end])[0]:
            raise _Bad(TRUNCATED)
        pos = end
        if kind == b"eXIf" and _gps_in(body[4:]):
            raise _Bad(GPS)
        if kind == b"IEND":
            break
    if pos != len(data):
        raise _Bad(TRAILING)


def _jpeg(data: bytes) -> None:
    """Header segments before the scan: none may close or open a script comment."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise _Bad(TRUNCATED)
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        segment = data[pos + 4 : pos + 2 + length]
        if marker == 0xFE and (b"*/" in segment or b"/*" in segment):
            raise _Bad(TRAILING)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        pos += 2 + length


def _gif_blocks(data: bytes, pos: int) -> int:
    while True:
        if pos >= len(data):
            raise _Bad(TRUNCATED)
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _gif(data: bytes) -> None:
    """Blocks to the trailer, which must be the last byte; comments hold no script."""
    if len(data) < 13:
        raise _Bad(TRUNCATED)
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    while True:
        if pos >= len(data):
            raise _Bad(TRUNCATED)
        block = data[pos]
        if block == 0x3B:
            pos += 1
            break
        if block == 0x21:  # extension: label, sub-blocks
            if data[pos + 1 : pos + 2] == b"\xfe":
                end = _gif_blocks(data, pos + 2)
                if b"*/" in data[pos:end] or b"/*" in data[pos:end]:
                    raise _Bad(TRAILING)
                pos = end
            else:
                pos = _gif_blocks(data, pos + 2)
        elif block == 0x2C:  # image: descriptor, local table, LZW size, sub-blocks
            if pos + 10 > len(data):
                raise _Bad(TRUNCATED)
            local = data[pos + 9]
            pos += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1
            pos = _gif_blocks(data, pos)
        else:
            raise _Bad(TRUNCATED)
    if pos != len(data):
        raise _Bad(TRAILING)


def _webp(data: bytes) -> None:
    declared = struct.unpack("<I", data[4:8])[0] + 8
    if declared > len(data):
        raise _Bad(TRUNCATED)
    if len(data) - declared > 1:
        raise _Bad(TRAILING)


def _pdf(data: bytes) -> None:
    if _PDF_ACTIVE.search(data):
        raise _Bad(
            "có mã JavaScript hoặc lệnh tự chạy bên trong — in lại tệp ra PDF (“In → Lưu thành PDF”) "
            "rồi thay tệp"
        )
    if b"%%EOF" not in data[-1024:]:
        raise _Bad("bị cắt cụt (thiếu phần cuối %%EOF) — xuất lại tệp PDF rồi thay tệp")


STRUCTURE = {"png": _png, "jpeg": _jpeg, "gif": _gif, "webp": _webp, "pdf": _pdf}


def _gps_in(exif_bytes: bytes) -> bool:
    """Whether EXIF bytes hold a latitude or a longitude."""
    from PIL import Image

    exif = Image.Exif()
    try:
        exif.load(exif_bytes)
        gps = exif.get_ifd(GPS_IFD)
    except Exception:
        return False
    return bool(gps.get(2) or gps.get(4))


def _decode(data: bytes, kind: str) -> None:
    """Decode the pixels (a JPEG at 1/8 scale): a truncated or corrupt picture raises.

    A PNG's pixels are not decoded here (its chunks and their checksums were);
    the build decodes it once, reduced.
    """
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        exif = image.info.get("exif")
        if exif and _gps_in(exif):
            raise _Bad(GPS)
        if kind == "png":
            return
        if image.format == "JPEG":
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
        image.load()


@lru_cache(maxsize=4096)
def _judged(path: str, size: int, mtime: int, kind: str) -> str | None:
    from loa.contentfs import MAX_STATIC_BYTES, ContentProblem, read_limited

    try:
        data = read_limited(path, MAX_STATIC_BYTES)
    except (OSError, ContentProblem) as exc:
        return str(exc)
    if _MARKUP.search(data):
        return "có đoạn mã HTML hoặc JavaScript bên trong (tệp “hai mặt”) — " + (
            "xuất lại tệp PDF rồi thay tệp" if kind == "pdf" else REDO
        )
    try:
        STRUCTURE[kind](data)
        if kind == "pdf":
            return None
        if _XMP_GPS.search(data):
            raise _Bad(GPS)
        _decode(data, kind)
    except _Bad as exc:
        return str(exc)
    except Exception:  # Pillow's errors for a broken file are many and not one family
        return TRUNCATED
    return None


def static_problem(path: Path | str) -> str | None:
    """Why a static file may not be published: the file's checks (``contentfs``), then a picture's."""
    from loa import contentfs

    found = contentfs.static_problem(path)
    if found is not None:
        return found
    kind = contentfs.STATIC_TYPES[os.path.splitext(str(path))[1].lower()]
    return problem(path, kind)


def problem(path: Path | str, kind: str) -> str | None:
    """Why a file whose first bytes say ``kind`` may not be published, or None (cached per version)."""
    try:
        info = Path(path).stat()
    except OSError:
        return "không đọc được tệp"
    return _judged(str(path), info.st_size, info.st_mtime_ns, kind)


def open_reduced(path: Path | str, needed: int):
    """The picture decoded so that its shorter side is still at least ``needed`` pixels.

    A JPEG is decoded at 1/2, 1/4 or 1/8 scale (libjpeg's DCT scaling, Pillow's
    ``draft``); any other picture is decoded, then ``reduce``d by a whole
    factor at once, so no full-size copy is made after the decode.
    """
    from loa.contentfs import open_image

    image = open_image(path)
    try:
        shorter = min(image.size)
        if image.format == "JPEG" and shorter >= 2 * needed:
            scale = max(1, shorter // needed)
            image.draft("RGB", (image.width // scale, image.height // scale))
        image.load()
        factor = min(image.size) // needed if needed else 1
        if factor >= 2:
            reduced = image.reduce(factor)
            reduced.format = image.format
            reduced.info = image.info
            image.close()
            return reduced
        return image
    except Exception:
        image.close()
        raise


def _without_gps(exif_bytes: bytes) -> bytes:
    """EXIF bytes (the ``Exif`` marker and TIFF) with the GPS directory taken out."""
    from PIL import Image

    exif = Image.Exif()
    exif.load(exif_bytes)
    exif.pop(GPS_IFD, None)
    return exif.tobytes()


def _strip_jpeg(data: bytes) -> bytes:
    """The JPEG with its location removed, pixels untouched (only header segments are rewritten)."""
    out, pos = [data[:2]], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        segment = data[pos : pos + 2 + length]
        body = segment[4:]
        if marker == 0xDA:
            break
        if marker == 0xE1 and body.startswith(b"Exif\0\0") and _gps_in(body):
            fresh = _without_gps(body)
            segment = b"\xff\xe1" + struct.pack(">H", len(fresh) + 2) + fresh
        elif marker == 0xE1 and _XMP_GPS.search(body):
            segment = b""  # an XMP packet with a location: dropped whole
        out.append(segment)
        pos += 2 + length
    out.append(data[pos:])
    return b"".join(out)


def _strip_png(data: bytes) -> bytes:
    """The PNG without the chunks that hold a location (eXIf with GPS, XMP with GPS)."""
    out, pos = [data[:8]], 8
    while pos + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        body = data[pos + 8 : end - 4]
        if kind == b"eXIf" and _gps_in(body):
            fresh = _without_gps(body).removeprefix(b"Exif\0\0")
            out.append(
                struct.pack(">I", len(fresh))
                + kind
                + fresh
                + struct.pack(">I", zlib.crc32(kind + fresh))
            )
        elif not (kind in (b"iTXt", b"tEXt", b"zTXt") and _XMP_GPS.search(body)):
            out.append(data[pos:end])
        pos = end
    out.append(data[pos:])
    return b"".join(out)


def _strip_other(path: Path) -> bytes:
    """WebP (and anything else): saved again by Pillow with the EXIF minus GPS, no XMP."""
    from PIL import Image

    with Image.open(path) as image:
        exif = image.getexif()
        exif.pop(GPS_IFD, None)
        out = io.BytesIO()
        image.save(out, image.format, exif=exif.tobytes(), quality=92)
        return out.getvalue()


def strip_gps(path: Path | str) -> bool:
    """Remove the location from a picture in place; True when it had one (``loa check --fix``)."""
    from loa.contentfs import MAX_STATIC_BYTES, ContentProblem, read_limited, sniff

    path = Path(path)
    try:
        data = read_limited(path, MAX_STATIC_BYTES)
    except (OSError, ContentProblem):
        return False
    kind = sniff(data[:16])
    if kind not in ("jpeg", "png", "webp") or problem(path, kind) != GPS:
        return False
    fixed = {"jpeg": _strip_jpeg, "png": _strip_png}.get(kind)
    new = fixed(data) if fixed else _strip_other(path)
    path.write_bytes(new)
    _judged.cache_clear()
    return problem(path, kind) != GPS


# Decoding work an article may cost the build, in decoded pixels: a JPEG is
# decoded at 1/2, 1/4 or 1/8 scale when the output needs no more, any other
# picture whole. 300 million is ~50 phone photos (JPEG) or 6 pictures of
# 7000×7000 in PNG; past it the build would take minutes, not seconds.
ARTICLE_BUDGET = 300_000_000
LARGEST_NEEDED = 1440  # the widest size any output takes (album photos for the platforms)


def decode_cost(kind: str, size: tuple[int, int], needed: int = LARGEST_NEEDED) -> int:
    """Pixels decoded to make every output of a picture of ``size`` (see ``open_reduced``)."""
    width, height = size
    scale = 1
    if kind == "JPEG":
        while scale < 8 and min(width, height) // (scale * 2) >= needed:
            scale *= 2
    return (width // scale) * (height // scale)


def workers() -> int:
    """Pictures made at once: the cores this process may use, at most two.

    Pillow lets go of the interpreter while it decodes, resizes and encodes, so
    threads share the work; two at most, so that two pictures decoded at full
    size (a PNG) still keep the build under its memory budget.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores, int(os.environ.get("LOA_WORKERS") or cores)))


def each(make, items: list) -> list:
    """``[make(item) for item in items]``, made by ``workers()`` threads, in order."""
    if len(items) < 2 or workers() == 1:
        return [make(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers()) as pool:
        return list(pool.map(make, items))


def atomic_target(target: Path) -> Path:
    """A temporary name beside ``target`` for this thread (then ``os.replace``d onto it)."""
    import threading

    return target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
