"""The ``video:`` field: one short clip on an article, with its captions, poster and transcript.

```yaml
video:
  src: videos/<unit>/clip.mp4          # under content/ (Git LFS), or an https address
  captions: videos/<unit>/clip.vi.srt  # or .vtt; required
  poster: images/<unit>/clip.jpg       # optional: else a frame (poster_time: 3.5)
  transcript: true                     # the body is the transcript; or the text itself
```

This reads the field's shape only (keys, paths inside ``content/``, types);
the clip, the caption file and the poster are measured by ``loa.rules.video``,
which ``loa check`` and the build both run.
"""

from __future__ import annotations

from dataclasses import dataclass

from loa import yamlfile
from loa.contentfs import content_relative
from loa.frontmatter.fields import VIDEO_KEYS
from loa.vietnamese import nfc

EXAMPLE = (
    "viết “video:” rồi các dòng thụt lề “src: videos/<đơn-vị>/ten-video.mp4”, "
    "“captions: videos/<đơn-vị>/ten-video.vi.srt”, “transcript: true”"
)
DEFAULT_POSTER_TIME = 1.0
MAX_TRANSCRIPT = 20_000
TRANSCRIPT_MISSING = (
    "Video thiếu lời thoại (“transcript”) cho người không nghe được — ghi “transcript: true” "
    "nếu nội dung bài đã thuật lại lời nói và hình ảnh, hoặc ghi lời thoại vào đó."
)


def missing_message(key: str) -> str:
    """What ``loa check`` (and the newsroom's form) says when the video has no ``src`` or ``captions``."""
    what = "tệp video" if key == "src" else "tệp phụ đề tiếng Việt (.srt hoặc .vtt)"
    return f"Video thiếu “{key}” ({what}) — {EXAMPLE}."


@dataclass(frozen=True)
class Video:
    """The video of an article, as written (paths relative to content/)."""

    src: str
    captions: str
    poster: str | None = None
    poster_time: float = DEFAULT_POSTER_TIME
    transcript: str | bool = True  # True: the article's body is the transcript
    line: int = 0

    @property
    def remote(self) -> bool:
        """The clip is named by an address, not a file in the repository."""
        return self.src.startswith("https://")


def parse_video(doc, data) -> Video | None:
    """The article's video, each problem a finding with its line."""
    value = data.get("video")
    if value is None:
        return None
    line = doc.line_of("video")
    if not isinstance(value, yamlfile.LineDict):
        doc.add(line, f"Trường “video” phải là một nhóm khoá — {EXAMPLE}.", "video")
        return None
    for key in value:
        if key not in VIDEO_KEYS:
            doc.add(
                value.line_of(key),
                f"Trường “video” có khoá “{key}” không hợp lệ — chỉ dùng {', '.join(VIDEO_KEYS)}.",
                "video",
            )
    ok = True
    src = _path(doc, value, "src", line, remote_ok=True)
    captions = _path(doc, value, "captions", line)
    poster = _path(doc, value, "poster", line, required=False)
    if src is None or captions is None:
        ok = False
    elif not captions.lower().endswith((".srt", ".vtt")):
        doc.add(
            value.line_of("captions"),
            f"Phụ đề “{captions}” phải là tệp .srt hoặc .vtt — xuất phụ đề dạng SRT hoặc WebVTT.",
            "video-captions",
        )
        ok = False
    poster_time = value.get("poster_time", DEFAULT_POSTER_TIME)
    if (
        isinstance(poster_time, bool)
        or not isinstance(poster_time, (int, float))
        or poster_time < 0
    ):
        doc.add(
            value.line_of("poster_time"),
            "“poster_time” phải là số giây (ví dụ 3.5) — giây của khung hình dùng làm ảnh đại diện.",
            "video",
        )
        ok, poster_time = False, DEFAULT_POSTER_TIME
    transcript = _transcript(doc, value, line)
    if transcript is None:
        ok = False
    if not ok:
        return None
    return Video(src, captions, poster, float(poster_time), transcript, line)


def _path(doc, value, key: str, line: int, remote_ok: bool = False, required: bool = True):
    raw = value.get(key)
    where = value.line_of(key) if key in value else line
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            doc.add(where, missing_message(key), f"video-{key}")
        return None
    if not isinstance(raw, str):
        doc.add(where, f"“{key}” của video phải là một đường dẫn — {EXAMPLE}.", "video")
        return None
    text = nfc(raw.strip())
    if text.startswith(("http://", "https://")):
        if remote_ok and text.startswith("https://"):
            return text
        doc.add(
            where,
            f"“{key}” của video phải là tệp trong kho (content/videos/<đơn-vị>/…)"
            + (", hoặc địa chỉ https://" if remote_ok else "")
            + " — tải tệp lên và ghi đường dẫn từ “videos/”.",
            "video-path",
        )
        return None
    relative = content_relative(text)
    if relative is None:
        doc.add(
            where,
            f"“{key}” của video “{text}” nằm ngoài thư mục content/ — đặt tệp vào "
            "content/videos/<đơn-vị>/ và ghi đường dẫn từ “videos/”.",
            "video-path",
        )
        return None
    return relative


def _transcript(doc, value, line: int) -> str | bool | None:
    raw = value.get("transcript")
    where = value.line_of("transcript") if "transcript" in value else line
    if raw is True:
        return True
    if isinstance(raw, str) and raw.strip():
        text = nfc(raw.strip())
        if len(text) > MAX_TRANSCRIPT:
            doc.add(
                where,
                f"Lời thoại dài quá {MAX_TRANSCRIPT} ký tự — đưa vào phần nội dung bài và ghi “transcript: true”.",
                "video-transcript",
            )
            return None
        return text
    doc.add(where, TRANSCRIPT_MISSING, "video-transcript")
    return None
