"""The video gate: a good clip passes ``loa check``; each hostile or broken file is one sentence.

Clips are made by the bundled ffmpeg (tests/video/clips.py); the hostile ones are
made from them by cutting or patching bytes, or are text files wearing ``.mp4``.
"""

from __future__ import annotations

import http.server
import json
import struct
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from loa.rules import Site, run_check
from loa.video import captions as cc
from loa.video import ffmpeg
from loa.video.probe import probe

from tests.cli.test_cli import loa
from tests.conftest import SiteMaker, article
from tests.video.clips import SRT, TONES, make_clip

UNIT = "don-vi-a"


def video_yaml(src="videos/don-vi-a/clip.mp4", subs="videos/don-vi-a/clip.vi.srt", extra=""):
    return f"\n  src: {src}\n  captions: {subs}\n  poster_time: 1.5\n  transcript: true{extra}"


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "clip.mp4")


@pytest.fixture
def gate(tmp_path, clip):
    maker = SiteMaker(tmp_path / "site")
    maker.write(f"videos/{UNIT}/clip.mp4", clip.read_bytes())
    maker.write(f"videos/{UNIT}/clip.vi.srt", SRT)
    return maker


def findings_for(maker: SiteMaker, name: str, **fields) -> list:
    maker.write(f"articles/{UNIT}/2026-11-20-{name}.md", article(**fields))
    result = run_check((), Site(root=maker.root))
    return [f for f in result.findings if f.path.endswith(f"{name}.md") and f.is_error]


def one_sentence(found: list, code: str, file: str) -> str:
    assert len(found) == 1, [(f.code, f.message) for f in found]
    finding = found[0]
    assert finding.code == code and file in finding.message and "—" in finding.message
    assert "Traceback" not in finding.message
    return finding.message


def test_srt_with_every_tone_mark_parses_and_round_trips():
    cues = cc.parse(SRT, "srt", duration=4.0)
    assert [c.lines for c in cues][1] == (TONES[1], TONES[2])
    assert "ẵ" in cues[0].lines[1] and "Ự" in cues[3].lines[0]
    assert cc.parse(cc.to_vtt(cues), "vtt", 4.0) == [
        cc.Cue(c.start, c.end, c.lines, n) for c, n in zip(cues, (3, 7, 11, 15), strict=True)
    ]
    assert cc.to_srt(cues) == SRT


def test_a_good_clip_with_captions_passes(gate):
    assert findings_for(gate, "video-tot", video=video_yaml()) == []
    clip = probe(gate.content / "videos" / UNIT / "clip.mp4")
    assert (clip.width, clip.height, round(clip.duration)) == (270, 480, 4)


def test_captions_are_required_and_a_transcript_too(gate):
    found = findings_for(
        gate, "khong-phu-de", video="\n  src: videos/don-vi-a/clip.mp4\n  transcript: true"
    )
    assert [f.code for f in found] == ["video-captions"]
    found = findings_for(
        gate,
        "khong-loi",
        video="\n  src: videos/don-vi-a/clip.mp4\n  captions: videos/don-vi-a/clip.vi.srt",
    )
    assert [f.code for f in found] == ["video-transcript"]
    found = findings_for(gate, "than-rong", video=video_yaml(), body="")
    assert [f.code for f in found] == ["video-transcript"]


def test_a_path_out_of_content_is_refused(gate):
    found = findings_for(gate, "ra-ngoai", video=video_yaml(src="../../etc/passwd"))
    one_sentence(found, "video-path", "../../etc/passwd")


def patched(data: bytes, box: bytes, offset: int, value: bytes) -> bytes:
    """``data`` with ``value`` written ``offset`` bytes into the body of the first ``box``."""
    at = data.index(box) + 4  # past the type: the box body
    return data[: at + offset] + value + data[at + offset + len(value) :]


def hostile_files(clip: bytes) -> dict[str, tuple[bytes, str]]:
    mdat = clip.index(b"mdat") - 4
    (timescale,) = struct.unpack_from(">I", clip, clip.index(b"mvhd") + 4 + 12)
    return {
        "cat-cut": (clip[: len(clip) * 2 // 3], "cắt cụt"),
        "khai-khong-lo": (clip[:mdat] + struct.pack(">I", 0xFFFFFF00) + clip[mdat + 4 :], "cắt cụt"),
        "danh-sach-phat": (b"#EXTM3U\n#EXTINF:4,\nhttp://127.0.0.1:{port}/doan.ts\n", "ftyp"),
        "ghep-noi": (b"ffconcat version 1.0\nfile /etc/passwd\n", "ftyp"),
        "khung-khong-lo": (patched(clip, b"tkhd", 76, struct.pack(">II", 30000 << 16, 40000 << 16)), "quá lớn"),
        "qua-dai": (patched(clip, b"mvhd", 16, struct.pack(">I", timescale * 200)), "200.0 giây"),
        "con-tro-lfs": (b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 99\n", "git lfs pull"),
    }  # fmt: skip


class Seen(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self):
        Seen.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_hostile_clips_are_one_sentence_each_and_ffmpeg_opens_nothing(gate, clip):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Seen)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for name, (raw, words) in hostile_files(clip.read_bytes()).items():
            data = raw.replace(b"{port}", str(server.server_port).encode())
            gate.write(f"videos/{UNIT}/{name}.mp4", data)
            found = findings_for(gate, name, video=video_yaml(src=f"videos/{UNIT}/{name}.mp4"))
            message = one_sentence(found, "video-file", f"videos/{UNIT}/{name}.mp4")
            assert words in message, (name, message)
        # the playlist, handed to the raw probe as well: nothing was fetched
        with pytest.raises(Exception, match="ftyp"):
            probe(gate.content / "videos" / UNIT / "danh-sach-phat.mp4")
        # and the fenced ffmpeg itself, given the playlist past the box reader, fetches nothing
        with pytest.raises(ffmpeg.FfmpegError):
            ffmpeg.run([*ffmpeg.input_args(gate.content / "videos" / UNIT / "danh-sach-phat.mp4"),
                        "-f", "null", "-"], timeout=30)  # fmt: skip
        assert Seen.requests == []
    finally:
        server.shutdown()


def test_a_clip_without_sound_or_too_short_is_refused(gate, tmp_path):
    make_clip(gate.content / "videos" / UNIT / "cam.mp4", audio=False)
    found = findings_for(gate, "cam", video=video_yaml(src=f"videos/{UNIT}/cam.mp4"))
    assert "0 rãnh tiếng" in one_sentence(found, "video-file", "cam.mp4")
    make_clip(gate.content / "videos" / UNIT / "ngan.mp4", seconds=2)
    found = findings_for(gate, "ngan", video=video_yaml(src=f"videos/{UNIT}/ngan.mp4"))
    assert "từ 3 đến 90 giây" in one_sentence(found, "video-file", "ngan.mp4")


BAD_CAPTIONS = {
    "kich-ban": ("1\n00:00:00,000 --> 00:00:01,000\n<script>alert(1)</script>\n", "dòng 3"),
    "ass": ("1\n00:00:00,000 --> 00:00:01,000\n{\\pos(10,10)}Chào\n", "mã định dạng"),
    "ba-dong": ("1\n00:00:00,000 --> 00:00:01,000\nmột\nhai\nba\n", "tối đa 2 dòng"),
    "nguoc": (
        "1\n00:00:02,000 --> 00:00:03,000\nhai\n\n2\n00:00:01,000 --> 00:00:02,000\nmột\n",
        "dòng 5",
    ),
    "qua-clip": ("1\n00:00:01,000 --> 00:00:09,000\nquá dài\n", "video chỉ dài 4.0"),
    "nfd": ("1\n00:00:00,000 --> 00:00:01,000\nCo\u0302ng đoa\u0300n\n", "NFC"),
    "vtt-style": ("WEBVTT\n\nSTYLE\n::cue { color: red }\n", "STYLE"),
}


@pytest.mark.parametrize("name", sorted(BAD_CAPTIONS))
def test_bad_captions_are_one_sentence_naming_the_file_and_line(gate, name):
    text, words = BAD_CAPTIONS[name]
    suffix = "vtt" if name.startswith("vtt") else "srt"
    gate.write(f"videos/{UNIT}/{name}.vi.{suffix}", text)
    found = findings_for(gate, name, video=video_yaml(subs=f"videos/{UNIT}/{name}.vi.{suffix}"))
    message = one_sentence(found, "video-captions", f"{name}.vi.{suffix}")
    assert words in message, message


def test_loa_check_names_the_file_and_line_for_github(gate):
    gate.write(f"videos/{UNIT}/cut.mp4", b"\x00\x00\x00\x20ftypisom")
    gate.write(
        f"articles/{UNIT}/2026-11-20-cut.md",
        article(video=video_yaml(src=f"videos/{UNIT}/cut.mp4")),
    )
    result = loa("check", "--format", "json", cwd=gate.root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "video-file"]
    assert finding["path"].endswith("2026-11-20-cut.md") and finding["line"] == 6


def test_the_sanitiser_keeps_a_waiting_player_and_drops_autoplay():
    from loa.rules.html import sanitize

    html = sanitize(
        '<video autoplay loop muted controls preload="auto" playsinline poster="https://a.vn/p.jpg"'
        ' onplay="x()"><source src="https://a.vn/v.mp4" type="video/mp4">'
        '<track kind="captions" srclang="vi" default src="https://a.vn/c.vtt"></video>'
    )
    assert html == (
        '<video controls="" preload="none" playsinline="" poster="https://a.vn/p.jpg">'
        '<source src="https://a.vn/v.mp4" type="video/mp4">'
        '<track kind="captions" srclang="vi" default="" src="https://a.vn/c.vtt"></video>'
    )
