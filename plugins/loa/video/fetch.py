"""Which clips CI must fetch from Git LFS: ``python -m loa.video.fetch [SITE]``.

Prints, comma-separated (for ``git lfs pull --include``), every clip under
``content/`` that is still a Git LFS pointer and whose renditions the encode
cache (``cache/loa-video``) does not hold — with its captions as they are now.
Prints nothing when the cache has them all: the build needs no clip's bytes,
and CI downloads nothing from LFS (LFS bandwidth is billed, Actions included).
"""

from __future__ import annotations

import sys
from pathlib import Path

from loa import contentfs
from loa.frontmatter import decode, parse_document
from loa.video import captions as cc
from loa.video import lfs
from loa.video.encode import cached


def needed(root: Path) -> list[str]:
    """Paths (relative to the site root) of the clips to fetch."""
    content, cache = root / "content", root / "cache" / "loa-video"
    out = []
    for path in sorted((content / "articles").rglob("*.md")):
        text, _problem = decode(path.read_bytes(), str(path))
        if text is None:
            continue
        doc = parse_document(text, str(path))
        video = doc.fields.get("video")
        if video is None or video.remote:
            continue
        try:
            source = contentfs.resolve_inside(content, video.src)
            found = lfs.pointer(source)
            if found is None:
                continue  # the bytes are here
            captions = contentfs.resolve_inside(content, video.captions)
            cues = cc.parse(cc.read_text(captions), cc.kind_of(video.captions))
            poster = contentfs.resolve_inside(content, video.poster) if video.poster else None
        except (contentfs.ContentProblem, cc.CaptionProblem, OSError):
            continue  # the gate says what is wrong
        if cached(found[0], cues, cache, poster, video.poster_time) is None:
            out.append(f"content/{video.src}")
    return out


if __name__ == "__main__":
    sys.stdout.write(",".join(needed(Path(sys.argv[1] if len(sys.argv) > 1 else "."))) + "\n")
