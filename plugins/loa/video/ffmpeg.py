"""The one way Loa runs ffmpeg: the binary of a pinned wheel, fenced in.

The binary is the static build inside ``imageio-ffmpeg`` (pinned in
pyproject.toml and requirements.lock): it installs from PyPI with the rest of
the project and never downloads anything at run time. Only the bundled file is
used — not ``IMAGEIO_FFMPEG_EXE``, not a system ``ffmpeg`` — so every machine
encodes with the same build (libx264, libass, the ``subtitles`` filter).

Every run reads hostile bytes (a contributor's clip), so every run is fenced:

- each input is a path Loa resolved inside ``content/`` (or its own cache),
  read with ``-protocol_whitelist file`` (ffmpeg-protocols, "Protocol Options":
  https://ffmpeg.org/ffmpeg-protocols.html#Protocol-Options) and the input
  format forced to ``mov`` so that no HLS playlist or concat list is ever
  parsed, whatever the file holds; the MOV demuxer's external references stay
  off (``enable_drefs`` is 0 unless asked, libavformat/mov.c);
- the process gets an empty environment (no token can be read by it), no
  standard input, its own temporary ``HOME``, a wall-clock limit, a CPU-time
  limit and a limit on the size of any file it writes (``RLIMIT_FSIZE``);
- what it prints is read up to a bound.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

MAX_SECONDS = 900  # one encode of a 90 s clip on a 2-core runner is a few minutes
MAX_OUTPUT_BYTES = 200_000_000  # no rendition comes near it (the social ones stay under 50 MB)
MAX_LOG_BYTES = 200_000  # what ffmpeg prints, kept for messages

INPUT_FENCE = ("-protocol_whitelist", "file", "-f", "mov")


class FfmpegError(Exception):
    """ffmpeg failed, timed out or is missing; ``str()`` is one Vietnamese sentence."""


@lru_cache(maxsize=1)
def executable() -> str:
    """The bundled ffmpeg binary of the ``imageio-ffmpeg`` wheel."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise FfmpegError(
            "thiếu gói imageio-ffmpeg (ffmpeg đi kèm) để mã hoá video — chạy “make install-video” (hoặc “make install”)"
        ) from None
    folder = Path(imageio_ffmpeg.__file__).parent / "binaries"
    found = sorted(p for p in folder.glob("ffmpeg-*") if p.is_file() and os.access(p, os.X_OK))
    if not found:
        raise FfmpegError(
            "gói imageio-ffmpeg không có sẵn ffmpeg cho máy này — chạy “make install”"
        )
    return str(found[-1])


def input_args(path: Path | str) -> list[str]:
    """``-i`` for one clip, fenced: local files only, read as MP4/MOV whatever its content."""
    return [*INPUT_FENCE, "-i", f"file:{os.path.abspath(path)}"]


def _limits(cpu_seconds: int, output_bytes: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
        resource.setrlimit(resource.RLIMIT_FSIZE, (output_bytes, output_bytes))

    return apply


def run(
    args: list[str],
    *,
    cwd: Path | str | None = None,
    timeout: float = MAX_SECONDS,
    output_bytes: int = MAX_OUTPUT_BYTES,
    progress=None,
) -> str:
    """Run ffmpeg with ``args`` (after the fixed options); return what it printed (bounded).

    ``progress``, when given, is called with the seconds of output written so
    far, as ffmpeg reports them (``-progress pipe:1``).
    """
    command = [executable(), "-hide_banner", "-nostdin", "-y", *args]
    if progress is not None:
        command[1:1] = ["-progress", "pipe:1", "-stats_period", "1"]
    with tempfile.TemporaryDirectory(prefix="loa-ffmpeg-") as home:
        env = {"HOME": home, "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
        try:
            process = subprocess.Popen(
                command,
                cwd=cwd or home,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE if progress is not None else subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                preexec_fn=_limits(int(timeout) * 2, output_bytes),  # noqa: PLW1509 (no threads here)
            )
        except OSError as exc:
            raise FfmpegError(f"không chạy được ffmpeg ({exc.strerror})") from None
        return _wait(process, timeout, progress)


def _wait(process: subprocess.Popen, timeout: float, progress) -> str:
    log = bytearray()
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        process.kill()

    def drain_stderr() -> None:
        while chunk := process.stderr.read(65536):
            if len(log) < MAX_LOG_BYTES:
                log.extend(chunk[: MAX_LOG_BYTES - len(log)])

    timer = threading.Timer(timeout, stop)
    timer.start()
    reader = threading.Thread(target=drain_stderr, daemon=True)
    reader.start()
    try:
        if progress is not None:
            for raw in process.stdout:
                line = raw.decode("ascii", "replace").strip()
                if line.startswith("out_time_us=") and line[12:].isdigit():
                    progress(int(line[12:]) / 1_000_000)
        process.wait()
        reader.join()
    finally:
        timer.cancel()
    if timed_out.is_set():
        raise FfmpegError(f"ffmpeg chạy quá {int(timeout)} giây nên đã bị dừng")
    text = log.decode("utf-8", "replace")
    if process.returncode != 0:
        last = [line for line in text.splitlines() if line.strip()][-1:] or ["(không có thông báo)"]
        raise FfmpegError(f"ffmpeg báo lỗi (mã {process.returncode}): {last[0][:200]}")
    return text
