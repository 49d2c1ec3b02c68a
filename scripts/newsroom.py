"""``make newsroom``: try the whole newsroom locally without touching this checkout.

A scratch clone of the repository (its committed state, in a temporary
folder) is what Decap's local git backend (decap-server, ``MODE=git``, npm,
pinned) writes to: every save makes a branch there, as a pull request would on
GitHub. The site is built from that clone with the newsroom pointed at the
backend, and served with gzip (as a web host serves it) on
http://127.0.0.1:8000/quan-tri/. Ctrl+C stops both; the scratch folder is kept
and its path printed, to look at the branches made.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from serve import make_server  # noqa: E402 — the site served as `make serve` serves it (gzip, 404.html)

BIN = Path(sys.executable).parent
DECAP_SERVER = REPO / "node_modules" / ".bin" / "decap-server"


def wait_for_backend(api: str, process: subprocess.Popen) -> None:
    """Return once decap-server answers (or stop with a sentence if it died)."""
    while process.poll() is None:
        try:
            urllib.request.urlopen(urllib.request.Request(api, data=b"{}"), timeout=1)
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)  # the backend is starting; poll its port again
            continue
        return
    raise SystemExit("decap-server dừng ngay khi chạy: xem thông báo phía trên.")


def main() -> int:
    """Clone, start decap-server, build, serve."""
    parser = argparse.ArgumentParser(description="Thử phòng biên tập trên một bản sao tạm của kho.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--backend-port", type=int, default=8081)
    args = parser.parse_args()
    if not DECAP_SERVER.exists():
        raise SystemExit("Thiếu decap-server: chạy “make install” (cần Node.js và npm) rồi chạy lại.")
    scratch = Path(tempfile.mkdtemp(prefix="loa-newsroom-"))
    repo = scratch / "repo"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(repo)], check=True)
    api = f"http://127.0.0.1:{args.backend_port}/api/v1"
    site = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(repo),
        "PORT": str(args.backend_port),
        "BIND_HOST": "127.0.0.1",
        "GIT_AUTHOR_NAME": os.environ.get("GIT_AUTHOR_NAME", "Phòng biên tập (thử)"),
        "GIT_AUTHOR_EMAIL": os.environ.get("GIT_AUTHOR_EMAIL", "thu@example.invalid"),
        "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME", "Phòng biên tập (thử)"),
        "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL", "thu@example.invalid"),
    }
    backend = subprocess.Popen([str(DECAP_SERVER)], env=env)
    signal.signal(signal.SIGTERM, _stop)  # a plain kill stops decap-server too
    try:
        wait_for_backend(api, backend)
        cms = {
            "repo": "loa-example/loa",
            "branch": "main" if "main" in _branches(repo) else _branches(repo)[0],
            "local_backend": api,
            "bundle": str(REPO / "node_modules" / "decap-cms" / "dist"),
        }
        output = scratch / "output"
        subprocess.run(
            [
                str(BIN / "pelican"), str(repo / "content"), "-o", str(output), "-s", str(repo / "pelicanconf.py"),
                "-e", f"LOA_CMS={json.dumps(cms)}", f"SITEURL={json.dumps(site)}", "RELATIVE_URLS=true",
            ],
            check=True,
            cwd=repo,
        )
        server = make_server(str(output), "127.0.0.1", args.port, quiet=True)
        sys.stdout.write(
            f"Phòng biên tập: {site}/quan-tri/  — bài lưu thành nhánh trong {repo} (Ctrl+C để dừng)\n"
        )
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
        server.server_close()
    except KeyboardInterrupt:
        pass
    finally:
        backend.terminate()
        backend.wait(timeout=10)
    return 0


def _stop(*_args):
    raise KeyboardInterrupt


def _branches(repo: Path) -> list[str]:
    names = subprocess.run(
        ["git", "branch", "--format=%(refname:short)"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.split()
    return names or ["main"]


if __name__ == "__main__":
    sys.exit(main())
