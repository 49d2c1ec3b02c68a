"""The web newsroom (/quan-tri/) at 375 px: an officer writes, previews and submits an article.

Decap CMS, served by the site, talks to its local backend (decap-server in git
mode, npm, pinned) on a git repository made of the sample content: saving an
entry makes a branch with the article and its cover — what the GitHub backend
turns into a pull request. The file is then checked with the real ``loa check
--strict`` and built with Pelican. Every request the page makes must go to
127.0.0.1 (the site and the git backend).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import shutil
import subprocess
import sys
import tarfile
import threading
import time
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from loa.frontmatter import fields
from loa.platforms.counting import telegram_length, x_weighted_length
from loa.scaffold import article_path
from loa.vietnamese import localize
from PIL import Image, ImageDraw

from tests.browser.conftest import _Handler, free_port
from tests.conftest import NOW, REPO, SiteMaker

pytestmark = pytest.mark.browser

DECAP_SERVER = REPO / "node_modules" / ".bin" / "decap-server"
UNIT = "van-phong-cuc"
TITLE = "Hội thao Công đoàn Cục mừng Xuân: bóng bàn, cầu lông và kéo co"
SUMMARY = "Công đoàn Cục tổ chức hội thao mừng Xuân cho đoàn viên và người lao động toàn Cục."
SHOTS = os.environ.get("LOA_SCREENSHOTS")
MEDIA_INPUT = "input[type=file]:not(.loa-album-input)"  # the media library's upload


# A bound on failure, not a wait: every step waits for an event (an element, an
# address, a request); on a saturated machine (make test-loaded) preparing three
# 12-megapixel photos or a save through decap-server can take longer than
# Playwright's default 30 s, and only a hang should fail.
SLOW = 180_000


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, check=False, capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def branch_files(repo: Path, branch: str, into: Path) -> Path:
    """The branch's files, as a pull request's checkout, read from git's objects alone.

    Not ``git worktree add``: decap-server checks an entry's branch out in its
    repository for the length of each request about it (``runOnBranch`` in
    decap-server's localGit middleware), and git refuses to check out a branch
    that is checked out elsewhere — a race the test lost on a busy machine.
    """
    archive = subprocess.run(
        ["git", "archive", "--format=tar", branch], cwd=repo, check=True, capture_output=True
    ).stdout
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def cover(path: Path) -> Path:
    """A cover ``loa check --strict`` accepts: JPEG, 1200 × 630, well under 1 MB."""
    image = Image.new("RGB", (1200, 630), (24, 92, 160))
    ImageDraw.Draw(image).ellipse((420, 140, 780, 500), fill=(250, 200, 40))
    image.save(path, "JPEG", quality=85)
    return path


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory, browser):
    """The sample site in a git repository, its local git backend, and the built site served."""
    if not DECAP_SERVER.exists():
        pytest.skip("Thiếu decap-server: chạy “npm ci” (make test tự chạy khi có npm).")
    root = tmp_path_factory.mktemp("newsroom")
    repo = root / "repo"
    maker = SiteMaker(repo)
    shutil.rmtree(maker.content)
    shutil.copytree(REPO / "content", maker.content)
    (repo / ".gitignore").write_text("output/\ncache/\n*.loa-previous/\n", encoding="utf-8")
    for conf in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(REPO / conf, repo / conf)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Loa", "-c", "user.email=loa@example.invalid", "commit", "-qm", "Mẫu")
    backend_port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(root),
        "PORT": str(backend_port),
        "BIND_HOST": "127.0.0.1",
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(repo),
        "LOG_LEVEL": "warn",
        "GIT_AUTHOR_NAME": "Loa",
        "GIT_AUTHOR_EMAIL": "loa@example.invalid",
        "GIT_COMMITTER_NAME": "Loa",
        "GIT_COMMITTER_EMAIL": "loa@example.invalid",
    }
    log = (root / "decap-server.log").open("w")
    backend = subprocess.Popen([str(DECAP_SERVER)], env=env, stdout=log, stderr=subprocess.STDOUT)
    api = f"http://127.0.0.1:{backend_port}/api/v1"
    site_root = root / "site"
    site = SiteMaker(site_root)
    shutil.rmtree(site.content)
    shutil.copytree(REPO / "content", site.content)
    site.build(
        SITEURL="http://127.0.0.1:8000",
        LOA_CMS={"repo": "union/site", "branch": "main", "local_backend": api},
    )
    port = free_port()
    handler = functools.partial(_Handler, directory=str(site.output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    while backend.poll() is None:  # the backend answers once it listens (or has exited)
        try:
            urllib.request.urlopen(urllib.request.Request(api, data=b"{}"), timeout=5)
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.1)
    assert backend.poll() is None, (root / "decap-server.log").read_text(encoding="utf-8")
    yield {"repo": repo, "base": f"http://127.0.0.1:{port}", "site": site}
    server.shutdown()
    server.server_close()
    backend.terminate()
    backend.wait(timeout=60)
    log.close()


@pytest.fixture
def phone(browser, newsroom):
    """A 375 px phone in Vietnam, its clock at the suite's now, every request recorded."""
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    context.set_default_timeout(SLOW)
    page = context.new_page()
    page.clock.install(time=NOW)
    page.elsewhere = []  # requests to any host but 127.0.0.1
    page.on(
        "request",
        lambda r: (
            page.elsewhere.append(r.url)
            if urlsplit(r.url).hostname not in (None, "127.0.0.1")
            and not r.url.startswith(("blob:", "data:"))
            else None
        ),
    )
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def open_new_article(page, base: str) -> None:
    page.goto(f"{base}/quan-tri/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bộ sưu tập").first.wait_for()
    shot(page, "1-bo-suu-tap")
    page.goto(f"{base}/quan-tri/#/collections/{UNIT}/new")
    page.locator('[id^="title-field-"]').wait_for()


def upload_cover(page, path: Path) -> None:
    page.locator("[class*=FileWidgetButton]").first.click()
    page.get_by_role("button", name="Tải lên").wait_for()
    page.set_input_files(MEDIA_INPUT, str(path))
    choose = page.get_by_role("button", name="Lấy những cái đã chọn")
    choose.click()  # once enabled: the photo prepared, stored and selected
    choose.wait_for(state="detached")  # the library closed, the picture in the field


def branches(repo: Path) -> list[str]:
    return sorted(git(repo, "branch", "--format=%(refname:short)").split())


# Decap's notices go away after 4–8 s; a busy machine may not look at the screen
# within that time. Every text the page adds is kept from here on, so a notice
# that came and went is still seen.
KEEP_TEXTS = """() => {
  window.loaTexts = [];
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) window.loaTexts.push(node.textContent || "");
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def keep_texts(page) -> None:
    page.evaluate(KEEP_TEXTS)


def text_was_shown(page, text: str) -> None:
    page.wait_for_function("text => window.loaTexts.some((seen) => seen.includes(text))", arg=text)


def save(page) -> None:
    page.get_by_role("button", name="Lưu", exact=True).click()


def save_and_wait(page) -> None:
    """Save a new entry and wait until it is saved: the editor moves to the entry's own
    address (``…/entries/<slug>``) and shows its workflow status. Both stay; the
    "Đã lưu bài" notice goes away after a few seconds, and a busy machine can miss it."""
    save(page)
    page.wait_for_function("() => location.hash.includes('/entries/')", timeout=SLOW)
    page.get_by_text("Trạng thái: Bản nháp").wait_for(timeout=SLOW)


def test_an_officer_writes_an_article_with_a_cover_tags_an_event_and_a_channel(
    newsroom, phone, tmp_path
):
    page, repo = phone, newsroom["repo"]
    open_new_article(page, newsroom["base"])
    page.fill('[id^="title-field-"]', TITLE)
    # Today at 09:00, or now when that is still ahead (at 00:30 a 09:00 article is held back).
    written = min(localize(NOW).replace(hour=9, minute=0), localize(NOW).replace(second=0))
    page.fill('[id^="date-field-"]', written.strftime("%Y-%m-%dT%H:%M"))
    page.fill('[id^="author-field-"]', "Lê Thị Hoa")
    page.fill('[id^="summary-field-"]', SUMMARY)
    page.fill('[id^="tags-field-"]', "thể thao, sự kiện")
    upload_cover(page, cover(tmp_path / "hoi-thao.jpg"))
    page.fill('[id^="image_alt-field-"]', "Đoàn viên thi kéo co trên sân trụ sở Cục")
    page.click('[id^="syndicate-field-"]')
    page.keyboard.type("Telegram")
    page.keyboard.press("Enter")
    page.click('[id^="syndicate-field-"]')
    page.keyboard.type("X")
    page.get_by_text("X", exact=True).last.click()
    page.locator('[data-testid="expand-button"]').first.click()
    # A Saturday six to seven weeks after the suite's now: always ahead, on any day.
    start = localize(NOW).date() + dt.timedelta(days=42 + (5 - localize(NOW).weekday()) % 7)
    page.fill('[id^="start-field-"]', f"{start:%Y-%m-%d}T07:30")
    page.fill('[id^="location-field-"]', "Sân trụ sở Cục, Hà Nội")
    page.locator('[data-slate-editor="true"]').first.click()
    page.keyboard.type("Hội thao diễn ra sáng thứ Bảy với ba môn thi đấu.")
    shot(page, "2-viet-bai")

    # On a phone the preview is one tap away, at the screen's full height, instead of the form;
    # it shows what each channel will receive, counted as each platform counts.
    page.get_by_role("button", name="Xem trước").click()
    preview = page.frame_locator("iframe").first
    x_box = preview.locator(".loa-channel", has_text="X —").first
    x_box.wait_for()
    # Exactly the accounts of the two platforms chosen (the unit's, then the department's).
    headings = preview.locator(".loa-channel h3").all_inner_texts()
    assert len(headings) >= 2 and all(h.startswith(("Telegram — ", "X — ")) for h in headings)
    x_text = x_box.locator("pre").inner_text()
    assert SUMMARY[:40] in x_text and "#ThểThao" in x_text
    assert x_box.locator(".loa-count").inner_text().startswith(f"{x_weighted_length(x_text)}/280 ")
    telegram = preview.locator(".loa-channel", has_text="Telegram —").first
    telegram_text = telegram.locator("pre").inner_text()
    assert telegram_text.startswith(f"<b>{TITLE}</b>")
    # With a cover, Telegram sends a photo whose caption is limited to 1,024.
    count = telegram.locator(".loa-count").inner_text()
    assert count.startswith(f"{telegram_length(telegram_text)}/1024 ")
    frame = page.locator("#preview-pane")
    box = frame.bounding_box()
    assert box and box["height"] >= 0.7 * 812 and box["width"] >= 360
    assert not page.locator('[id^="title-field-"]').is_visible()
    if SHOTS:  # scrolled to the channels
        preview.locator(".loa-channels h2").evaluate("h => h.scrollIntoView({block: 'start'})")
        shot(page, "3-xem-truoc-cac-kenh")
    page.get_by_role("button", name="Quay lại soạn bài").click()
    page.locator('[id^="title-field-"]').wait_for()

    before = branches(repo)
    if SHOTS:  # the notice on the picture
        save(page)
        page.get_by_text("Đã lưu bài").first.wait_for()
        shot(page, "4-da-luu")
    else:
        save_and_wait(page)
    new = sorted(set(branches(repo)) - set(before))
    assert len(new) == 1 and new[0].startswith(f"cms/{UNIT}/")

    # The file: where `loa new` would put it, with the same slug rules.
    expected = article_path(Path("content/articles"), UNIT, TITLE, written)
    changed = git(repo, "diff", "--name-only", f"main...{new[0]}").split()
    assert sorted(changed) == sorted([str(expected), f"content/images/{UNIT}/hoi-thao.jpg"])
    text = git(repo, "show", f"{new[0]}:{expected}")
    assert "syndicate:\n  - telegram\n  - x" in text and f"event:\n  start: {start:%Y-%m-%d} 07:30" in text

    # It passes the gate and builds: the branch as a pull request's checkout.
    checkout = branch_files(repo, new[0], tmp_path / "pr")
    check = subprocess.run(
        [sys.executable, "-m", "loa.cli", "check", "--strict", str(expected)],
        check=False,
        cwd=checkout,
        capture_output=True,
        text=True,
        env={**os.environ, "LOA_NOW": NOW.isoformat()},
    )
    assert check.returncode == 0, check.stdout + check.stderr
    built = SiteMaker(tmp_path / "built")
    shutil.rmtree(built.content)
    shutil.copytree(checkout / "content", built.content)
    built.build()
    slug = expected.stem[len("YYYY-MM-DD-") :]
    article = built.read(f"{UNIT}/{slug}/index.html")
    assert "Hội thao Công đoàn Cục mừng Xuân" in article
    assert "hoi-thao" in article  # the cover, from the branch
    assert (built.output / "images" / UNIT / "hoi-thao.jpg").exists()
    assert page.elsewhere == [], page.elsewhere
    assert page.errors == []


def test_the_form_refuses_what_loa_check_refuses_and_writes_nothing(newsroom, phone, tmp_path):
    page, repo = phone, newsroom["repo"]
    before = (branches(repo), git(repo, "log", "--all", "--format=%H"))
    saves = []  # every save the page sends to the git backend
    page.on(
        "request",
        lambda r: saves.append(r.url) if "persistEntry" in (r.post_data or "") else None,
    )
    open_new_article(page, newsroom["base"])
    long_title = "Công đoàn " * 16  # 160 characters, over Zalo's 150
    page.fill('[id^="title-field-"]', long_title)
    page.fill('[id^="date-field-"]', "2026-12-02T09:00")
    page.fill('[id^="author-field-"]', "Lê Thị Hoa")
    page.fill('[id^="summary-field-"]', SUMMARY)
    # A file that is no picture gets one sentence saying what to do, and nothing is uploaded.
    broken = tmp_path / "hong.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not a photo" * 100)
    page.locator("[class*=FileWidgetButton]").first.click()
    page.get_by_role("button", name="Tải lên").wait_for()
    page.set_input_files(MEDIA_INPUT, str(broken))
    problem = page.get_by_role("alert").filter(has_text="Không đọc được “hong.jpg” thành ảnh")
    problem.wait_for()
    assert "hãy chọn ảnh JPEG, PNG hoặc WebP" in problem.inner_text()
    page.keyboard.press("Escape")
    upload_cover(page, cover(tmp_path / "khong-mo-ta.jpg"))
    page.locator('[data-slate-editor="true"]').first.click()
    page.keyboard.type("Nội dung.")
    save(page)
    length = len(long_title.strip())
    title_message = fields.BY_NAME["title"].too_long_message(length)
    page.get_by_text(title_message).wait_for()
    shot(page, "5-loi-truoc-khi-luu")
    # Shortened, the title passes; the cover still has no description.
    page.fill('[id^="title-field-"]', "Công đoàn Cục")
    page.get_by_text(title_message).wait_for(state="detached")
    save(page)
    # Said by the field itself, before anything is sent.
    page.locator("li", has_text=fields.IMAGE_ALT_MISSING).wait_for()
    page.locator('[id^="image_alt-field-"]').scroll_into_view_if_needed()
    shot(page, "6-thieu-mo-ta-anh")
    assert saves == []  # neither save was sent: the form stopped both
    assert page.get_by_text("Không thể giữ lại mục").count() == 0
    assert (branches(repo), git(repo, "log", "--all", "--format=%H")) == before
    assert not (repo / "content" / "images" / UNIT / "khong-mo-ta.jpg").exists()
    assert not (repo / "content" / "images" / UNIT / "hong.jpg").exists()
    assert page.elsewhere == [], page.elsewhere


def test_an_officer_signs_in_with_a_token_that_only_the_git_api_sees(browser, served_site):
    """Without an OAuth service, the page asks for a GitHub token; it goes to GitHub's API only."""
    base, _maker = served_site
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="vi-VN")
    page = context.new_page()
    page.clock.install(time=NOW)  # the day asked for is after the suite's today
    token = "github_pat_11AAAA_thu-nghiem"
    seen: list[tuple[str, str]] = []

    def github(route):
        request = route.request
        seen.append((request.url, request.headers.get("authorization", "")))
        path = urlsplit(request.url).path
        if request.headers.get("authorization") != f"token {token}":
            route.fulfill(status=401, json={"message": "Bad credentials"})
        elif path == "/user":
            route.fulfill(json={"login": "lehoa", "name": "Lê Hoa", "avatar_url": ""})
        elif (
            path == "/repos/loa-example/loa"
        ):  # GitHub's "get a repository", the fields Decap reads
            route.fulfill(
                json={
                    "name": "loa",
                    "full_name": "loa-example/loa",
                    "owner": {"login": "loa-example"},
                    "permissions": {"admin": False, "push": True, "pull": True},
                    "default_branch": "main",
                }
            )
        else:
            route.fulfill(status=404, json={"message": "Not Found"})

    context.route("https://api.github.com/**", github)
    elsewhere = []
    page.on(
        "request",
        lambda r: (
            elsewhere.append(r.url)
            if urlsplit(r.url).hostname not in ("127.0.0.1", "api.github.com")
            and not r.url.startswith(("blob:", "data:"))
            else None
        ),
    )
    page.goto(f"{base}/quan-tri/")
    # The guide to making a token is one tap away, in the repository's CONTRIBUTING.md.
    guide = page.get_by_role("link", name="cách tạo mã, từng bước").get_attribute("href")
    assert guide == "https://github.com/loa-example/loa/blob/main/CONTRIBUTING.md#dang-nhap"
    page.get_by_label("Mã truy cập GitHub").fill("sai")
    page.get_by_label("Ngày hết hạn của mã").fill((localize(NOW).date() + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("GitHub không nhận mã này (401)").wait_for()
    shot(page, "0-dang-nhap-bang-ma")
    page.get_by_label("Mã truy cập GitHub").fill(token)
    page.get_by_role("button", name="Đăng nhập").click()
    page.locator(".loa-signin").wait_for(state="detached")
    # Decap, signed in with that token, asks GitHub about the repository and opens the
    # collections (their contents are not served here); the sign-in holds.
    page.get_by_text("Bộ sưu tập").first.wait_for()
    assert any(url.endswith("/repos/loa-example/loa") for url, _ in seen)
    stored = page.evaluate("JSON.parse(localStorage.getItem('decap-cms-user'))")
    assert stored["token"] == token and stored["backendName"] == "github"
    assert all(token not in url for url, _ in seen)  # in the header only, never in an address
    assert elsewhere == []
    context.close()
