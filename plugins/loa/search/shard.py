"""One search bundle, made outside the build's process: ``python shard.py`` serves jobs on stdin.

The build makes each shard's small HTML documents (``document``) and writes
them to scratch space (``write_documents``, in memory where there is some); a
helper process running this file runs Pagefind on them, puts the bundle in the
output and keeps a copy in the cache; it also unpacks cached bundles. Pagefind and the disk work stay out of the build's process: a thread
of the build that waits on the disk gets the interpreter lock back only every
few milliseconds while the build renders pages, which made indexing during
the build twice as slow.

The protocol is private to ``loa.search.plugin``: the build writes the path of
a pickled job, one per line; the helper answers one JSON line per job. Only
the standard library is imported, so the helper starts in a few milliseconds.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

if __package__:
    from loa.vietnamese.text import fold
else:  # run as a script: load the folding rules alone, without Pelican or Babel
    import importlib.util

    _spec = importlib.util.spec_from_file_location(
        "loa_text", Path(__file__).resolve().parent.parent / "vietnamese" / "text.py"
    )
    _text = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_text)
    fold = _text.fold

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")
FOLDED_WEIGHT = "0.5"
_OPTIONS = ("--force-language", "vi", "--silent")


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment or "")).split())


def folded_extras(title: str, body: str) -> tuple[str, str]:
    """What Pagefind cannot fold itself, and the word pairs two-word queries ask for.

    Pagefind already folds tone marks ("Nẵng" is found by "nang") but not "đ", so
    only words with "đ" get a folded copy ("Đà" → "da"). Pairs are kept only
    where one of the two folded words holds a "d": the same test the search page
    applies before asking for a pair (theme/static/js/search.js).
    """
    originals = _WORD.findall(f"{title} {body}".lower())
    folded = _FOLDED
    words = [folded.get(w) or _fold_word(w) for w in originals]
    extra = " ".join(sorted({f for w, f in zip(originals, words, strict=True) if "đ" in w}))
    pairs = " ".join(a + b for a, b in itertools.pairwise(words) if "d" in a or "d" in b)
    return extra, pairs


# Folded words, kept: Vietnamese is written in a few thousand syllables (the
# cap bounds what names and numbers add on a long-running preview server).
_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 100_000


def _fold_word(word: str) -> str:
    if len(_FOLDED) >= _FOLDED_MAX:
        _FOLDED.clear()
    value = _FOLDED[word] = fold(word)
    return value


# Pagefind keeps a filter value as text with entities decoded (even "&amp;lt;" becomes
# "<"), and its UI writes filter values into the page as HTML ({@html} in
# pagefind-ui's Filters.svelte): markup characters become their full-width look-alikes.
_FILTER_SAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})


def filter_value(name: str) -> str:
    """A unit's name as a search filter value that no browser reads as markup."""
    return name.translate(_FILTER_SAFE)


def document(record: dict) -> str:
    """The HTML Pagefind indexes for one article."""
    title, body = record["title"], record["text"]
    folded, pairs = folded_extras(title, body)
    meta = "".join(
        f'<meta data-pagefind-meta="{key}:{html.escape(value, quote=True)}">'
        for key, value in record["meta"].items()
        if value
    )
    return (
        f'<html lang="vi"><head>{meta}</head><body data-pagefind-body>'
        f'<span data-pagefind-filter="Đơn vị">{html.escape(filter_value(record["unit"]))}</span>'
        f"<h1>{html.escape(title)}</h1><div>{html.escape(body)}</div>"
        f'<div data-pagefind-weight="{FOLDED_WEIGHT}">{html.escape(folded)} {html.escape(pairs)}</div>'
        "</body></html>"
    )


def record(url: str, title: str, content: str, unit: str, date: str) -> dict:
    """What one article's document is made of (``document``)."""
    return {
        "url": "/" + url,
        "title": title,
        "text": plain_text(content),
        "unit": unit,
        "meta": {"title": title, "đăng ngày": date},
    }


def scratch_dir() -> str | None:
    """Memory-backed scratch space where there is some: a shard's documents are a few MB."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def write_documents(documents: list[tuple[str, bytes]], root: Path) -> None:
    """Documents as a site Pagefind can index: ``root/<folder>/index.html`` each."""
    for folder, body in documents:
        page = root / folder / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_bytes(body)


def index(
    binary: str,
    site: Path,
    target: Path,
    archive: Path | None,
    copies: list[threading.Thread],
    spare: list[int] | None = None,
) -> None:
    """Index the documents in ``site`` (``write_documents``; removed once indexed) into ``target``.

    The cache's copy (``archive``) is written by a thread appended to
    ``copies`` (join them before exiting), on the ``spare`` cores when given:
    this process's core is Pagefind's, for the next shard.
    """
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        result = subprocess.run(
            [binary, "--site", str(site), "--output-path", str(partial), *_OPTIONS],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        shutil.rmtree(site, ignore_errors=True)
    if result.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise RuntimeError(
            (result.stderr or result.stdout).strip()[-500:] or f"mã lỗi {result.returncode}"
        )
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    if archive is not None:
        copy = threading.Thread(target=_keep_copy, args=(target, archive, spare), daemon=True)
        copy.start()
        copies.append(copy)


def _keep_copy(bundle: Path, archive: Path, spare: list[int] | None) -> None:
    """The cache's copy of a bundle: one file, written whole or not at all."""
    if spare and hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, spare)  # this thread only
    pending = archive.with_name(archive.name + ".partial")
    try:
        with tarfile.open(pending, "w") as tar:
            tar.add(bundle, arcname=".")
        pending.rename(archive)
    except OSError as exc:  # no copy: the next build indexes this shard again
        pending.unlink(missing_ok=True)
        sys.stderr.write(f"loa: search bundle not cached ({exc})\n")


def unpack(archive: Path, target: Path) -> bool:
    """A cached bundle back into the output; False when the archive is unusable."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(partial, filter="data")
    except (OSError, tarfile.TarError):
        shutil.rmtree(partial, ignore_errors=True)
        return False
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return True


def serve(jobs, answers) -> None:
    """Answer each job named on ``jobs`` (a pickled dict's path) with one JSON line."""
    copies: list[threading.Thread] = []
    for line in jobs:
        path = line.strip()
        if not path:
            continue
        try:
            with open(path, "rb") as handle:
                job = pickle.load(handle)
            os.unlink(path)
            if job["kind"] == "index":
                archive = Path(job["archive"]) if job.get("archive") else None
                index(
                    job["binary"],
                    Path(job["site"]),
                    Path(job["target"]),
                    archive,
                    copies,
                    job.get("spare"),
                )
                answer = {"ok": True}
            else:
                answer = {"ok": unpack(Path(job["archive"]), Path(job["target"]))}
        except Exception as exc:  # reported by the build, which goes on without search
            answer = {"ok": False, "error": str(exc) or type(exc).__name__}
        try:
            answers.write(json.dumps(answer) + "\n")
            answers.flush()
        except (BrokenPipeError, ValueError):
            # The build has stopped (a content error ends it early): nobody is
            # listening, and nothing must be printed — least of all a traceback.
            _silence(answers)
            break
    for copy in copies:  # the build waits for this process to end
        copy.join()


def _silence(stream) -> None:
    """Point a closed pipe at /dev/null so that Python's exit has nothing to complain about."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
