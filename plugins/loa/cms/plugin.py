"""Pelican side of ``loa.cms``: ``/quan-tri/``, the web newsroom, written with the site.

The page is Decap CMS (npm ``decap-cms``, pinned in package-lock.json) served
from the site itself — its script and the chunks it loads, copied from
``node_modules`` — with Loa's own script (``static/loa-cms.js``: the form's
checks, the preview of what each channel receives, sign-in with a token) and a
generated ``loa-config.json``. The page has a security policy of its own (the
git host's API is the only other address it may reach), says ``noindex`` and
is written outside Pelican's writer, so it is in no sitemap, feed, search
index or menu.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals

from loa.cms.config import build_config, preview_data

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
REPO = Path(__file__).resolve().parents[3]
DEFAULT_BUNDLE = REPO / "node_modules" / "decap-cms" / "dist"
GIT_HOST_API = "https://api.github.com"
# Decap's pictures of the signed-in user come from GitHub's avatar host.
GIT_HOST_IMAGES = "https://avatars.githubusercontent.com"
_SCRIPTS = ("loa-boot.js", "loa-plan.js", "loa-photos.js", "loa-routes.js", "loa-locale.js", "loa-cms.js")


def folder(settings) -> str:
    """Where the newsroom is written in the output (``LOA_CMS["path"]``, ``quan-tri/``)."""
    cms = settings.get("LOA_CMS") or {}
    return str(cms.get("path", "quan-tri/")).strip("/") or "quan-tri"


def bundle_dir(settings) -> Path:
    """Decap CMS's ``dist`` folder (``LOA_CMS["bundle"]``, else this repository's node_modules)."""
    cms = settings.get("LOA_CMS") or {}
    return Path(cms["bundle"]) if cms.get("bundle") else DEFAULT_BUNDLE


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def security_policy(config: dict) -> str:
    """The page's Content-Security-Policy: the site, the git host's API and sign-in, nothing else.

    Decap validates its configuration with AJV, which compiles the schema
    (``unsafe-eval``), and styles its components at run time (``unsafe-inline``
    styles); no script of another origin runs.
    """
    connect = ["'self'", "blob:", "data:", GIT_HOST_API]
    for url in (
        config.get("local_backend", {}).get("url", ""),
        config["backend"].get("base_url", ""),
    ):
        origin = _origin(url)
        if origin and origin not in connect:
            connect.append(origin)
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {GIT_HOST_IMAGES}",
            "font-src 'self' data:",
            f"connect-src {' '.join(connect)}",
            "media-src 'self' blob:",
            "frame-src 'self' blob:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        )
    )


def page(settings, config: dict) -> str:
    """The newsroom's HTML page (its files by absolute address in production, relative in development)."""
    title = html.escape(f"Phòng biên tập — {settings.get('SITENAME', '')}")
    policy = html.escape(security_policy(config))
    site_url = str(settings.get("SITEURL") or "")
    base = (
        "" if settings.get("RELATIVE_URLS") or not site_url else f"{site_url}/{folder(settings)}/"
    )
    base = html.escape(base)
    # After the "loading" sentence, which the browser paints at once. loa-boot.js
    # shows the sign-in itself and loads the rest (Decap's bundle first, then
    # Loa's scripts, in this order) only when it is needed; the configuration
    # both need is asked for with the page (preload).
    later = " ".join(("vendor/decap-cms.js", *_SCRIPTS[1:]))
    scripts = f'<script src="{base}loa-boot.js" data-scripts="{later}"></script>'
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="same-origin">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<title>{title}</title>
<link rel="stylesheet" href="{base}loa-cms.css">
<link rel="preload" href="{base}loa-config.json" as="fetch" crossorigin="anonymous">
<link rel="icon" href="{base}favicon.svg" type="image/svg+xml">
</head>
<body>
<noscript>Phòng biên tập cần JavaScript. Bạn vẫn có thể gửi bài theo hướng dẫn trong CONTRIBUTING.md.</noscript>
<p id="loa-loading" class="loa-loading" role="status">Đang mở phòng biên tập… Lần đầu trên mạng chậm có thể mất khoảng nửa phút; những lần sau nhanh hơn.</p>
{scripts}
</body>
</html>
"""


def _place(source: Path, target: Path) -> None:
    """``source`` at ``target``: a hard link where the file system allows, else a copy."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def copy_bundle(bundle: Path, target: Path) -> int:
    """Decap's script, the chunks it loads and its licence notices (no source maps); how many files."""
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for item in sorted(bundle.iterdir()):
        name = item.name
        wanted = (
            name == "decap-cms.js"
            or name.endswith(".decap-cms.js")
            or name.endswith(".wasm")
            or name == "decap-cms.js.LICENSE.txt"
        )
        if wanted and item.is_file():
            _place(item, target / name)
            count += 1
    return count


def _tags(generators) -> list[str]:
    """The site's tags, the most used first (the form names them)."""
    for generator in generators:
        tags = getattr(generator, "tags", None)
        if tags:
            ranked = sorted(tags.items(), key=lambda item: (-len(item[1]), str(item[0])))
            return [str(tag) for tag, _ in ranked]
    return []


def write_newsroom(generators) -> None:
    """Write ``/quan-tri/`` once every generator has its context (``all_generators_finalized``)."""
    if not generators:
        return
    settings = generators[0].settings
    cms = settings.get("LOA_CMS")
    registry = settings.get("LOA_UNITS")
    if not cms or cms.get("enabled") is False or registry is None:
        return
    bundle = bundle_dir(settings)
    if not (bundle / "decap-cms.js").is_file():
        logger.warning(
            "Không có Decap CMS ở %s — trang /%s/ chưa được dựng; chạy “make install” (npm ci) rồi dựng lại.",
            bundle,
            folder(settings),
        )
        return
    target = Path(settings["OUTPUT_PATH"]) / folder(settings)
    shutil.rmtree(target, ignore_errors=True)
    files = copy_bundle(bundle, target / "vendor")
    config = build_config(registry, settings, _tags(generators))
    payload = {"config": config, "data": preview_data(registry, settings)}
    (target / "loa-config.json").write_text(
        json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8"
    )
    (target / "index.html").write_text(page(settings, config), encoding="utf-8")
    # favicon.svg: the newsroom's icon (else the browser asks for a /favicon.ico there is not).
    for name in (*_SCRIPTS, "loa-cms.css", "favicon.svg"):
        shutil.copyfile(STATIC / name, target / name)
    # The service worker's cache is named after the pinned bundle: a new Decap, a new cache.
    version = hashlib.sha256((bundle / "decap-cms.js").read_bytes()).hexdigest()[:16]
    worker = (STATIC / "loa-sw.js").read_text(encoding="utf-8").replace("__LOA_VERSION__", version)
    (target / "loa-sw.js").write_text(worker, encoding="utf-8")
    logger.debug("loa: newsroom at /%s/ (%d files of Decap CMS)", folder(settings), files)


def register() -> None:
    """Write the newsroom when the generators are done."""
    signals.all_generators_finalized.connect(write_newsroom)
