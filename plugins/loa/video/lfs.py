"""Git LFS pointers: a clip's bytes stay out of git history, and CI fetches only what it must.

A clip under ``content/videos/`` is stored by Git LFS (``.gitattributes``). In
a checkout without ``git lfs pull`` the file is a pointer of three lines
(https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md: ``version
https://git-lfs.github.com/spec/v1``, ``oid sha256:<64 hex>``, ``size <n>``).
Its ``oid`` is the SHA-256 of the clip — the very key of the encode cache
(``loa.video.encode``) — so a build whose cache already holds a clip's
renditions needs only the pointer, and ``loa.video.fetch`` lists the
clips whose renditions are missing, for ``git lfs pull --include``.
"""

from __future__ import annotations

import re
from pathlib import Path

from loa.video.probe import LFS_POINTER

POINTER_MAX = 1024  # a pointer is ~130 bytes
_OID = re.compile(rb"^oid sha256:([0-9a-f]{64})$", re.MULTILINE)
_SIZE = re.compile(rb"^size (\d{1,15})$", re.MULTILINE)


def pointer(path: Path | str) -> tuple[str, int] | None:
    """(sha256 oid, size) of a Git LFS pointer file, or None when the file is not one."""
    with open(path, "rb") as handle:
        head = handle.read(POINTER_MAX + 1)
    if not head.startswith(LFS_POINTER) or len(head) > POINTER_MAX:
        return None
    oid, size = _OID.search(head), _SIZE.search(head)
    if oid is None or size is None:
        return None
    return oid.group(1).decode(), int(size.group(1))
