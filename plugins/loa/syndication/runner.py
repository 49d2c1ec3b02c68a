"""Publishing runs: claim in the ledger, post, record — at most once per post.

A post is claimed (committed and pushed) before the platform is called and its
result recorded after; a claim without a result (a crash, a timeout) stays
"unknown" and only ``loa syndicate retry`` posts it again. A rejected push means
another run got there first: re-read the ledger and plan again, never post.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from loa.errors import LoaError
from loa.ledger import (
    ANSWER_FIELDS,
    BOOTSTRAPPED,
    CLAIMED,
    DUPLICATE,
    FAILED,
    POSTED,
    PROCESSING,
    UNKNOWN,
    Entry,
    Ledger,
    LedgerConflict,
    renamed,
    with_renames,
)
from loa.syndication.channels import ADAPTERS, Adapter
from loa.syndication.channels.base import READY, Processing, Receipt
from loa.syndication.config import Config
from loa.syndication.http import (
    AMBIGUOUS,
    AUTH,
    CONFIG,
    PERMISSION,
    RATE_LIMITED,
    TRANSIENT,
    Http,
    PostError,
)
from loa.syndication.http import DUPLICATE as DUPLICATE_CLASS
from loa.syndication.manifest import Manifest
from loa.syndication.media import MediaSource, VideoSource
from loa.syndication.messages import Message, video_fallback
from loa.syndication.planner import Plan, Target, make_plan, routes
from loa.syndication.secrets import MissingSecret, Secrets
from loa.units import Registry
from loa.vietnamese import now as vietnam_now

logger = logging.getLogger(__name__)

MAX_CLAIM_ROUNDS = 5
MAX_RECORD_ROUNDS = 5
# After one of these, the account is not called again in this run.
ACCOUNT_STOPPERS = frozenset({AUTH, CONFIG, PERMISSION, RATE_LIMITED})


@dataclass
class Outcome:
    """What happened to one target in this run."""

    target: Target
    entry: Entry
    message: Message | None = None

    @property
    def ok(self) -> bool:
        """Posted, already there (duplicate), or a video the platform is processing."""
        return self.entry.state in (POSTED, DUPLICATE, PROCESSING)


@dataclass
class RunReport:
    """Everything a run did and did not do, for the terminal and the CI summary."""

    plan: Plan = field(default_factory=Plan)
    outcomes: list[Outcome] = field(default_factory=list)
    bootstrapped: int = 0
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def failed(self) -> list[Outcome]:
        """Outcomes that are not a success."""
        return [o for o in self.outcomes if not o.ok]


def no_adapter(platform: str) -> str:
    """The configuration error of a channel whose platform has a record but no adapter."""
    return (
        f"kênh “{platform}” có trong units.yml nhưng Loa chưa có bộ đăng bài cho nền tảng này — "
        "bỏ qua; thêm mô-đun của nền tảng vào LOA_PLATFORMS trong pelicanconf.py hoặc xoá kênh."
    )


class Syndicator:
    """One run of ``loa syndicate``: manifest + registry + ledger + adapters."""

    def __init__(
        self,
        manifest: Manifest,
        registry: Registry,
        ledger: Ledger,
        config: Config | None = None,
        secrets: Secrets | None = None,
        now: Callable[[], dt.datetime] = vietnam_now,
        sleep: Callable[[float], None] = time.sleep,
        media_folder: Path | None = None,
    ):
        """One run: what to post, where, what was posted, and how to post."""
        self.manifest = manifest
        self.registry = registry
        self.ledger = ledger
        self.config = config or Config()
        self.secrets = secrets or Secrets()
        self.http = Http(self.secrets)
        # Album photos for platforms that take an upload: the build's output folder, else the site.
        self.media = MediaSource(manifest.site, media_folder, self.http)
        # Video renditions: the build's social-video/ folder beside its output.
        self.videos = VideoSource(media_folder.parent if media_folder else None)
        self.now = now
        self.sleep = sleep
        self.run_id = os.environ.get("GITHUB_RUN_ID") or uuid.uuid4().hex[:12]
        self._adapters: dict[tuple[str, str], Adapter] = {}

    # -- adapters -----------------------------------------------------------------

    def adapter(self, target: Target) -> Adapter | None:
        """The adapter of a target's account (None when the platform is not supported)."""
        key = (target.channel.platform, target.channel.account)
        if key not in self._adapters:
            cls = ADAPTERS.get(target.channel.platform)
            if cls is None:
                return None
            self._adapters[key] = cls(
                target.channel,
                self.http,
                self.secrets,
                {
                    "graph_version": self.config.graph_version,
                    "config": self.config,
                    "media": self.media,
                    "videos": self.videos,
                },
            )
        return self._adapters[key]

    def render(self, target: Target) -> Message | None:
        """The message of a target, or None when its platform has no adapter.

        An article with a video, on a platform whose adapter sends none: the
        message says so in one line (the plan, the CI summary), never silently.
        """
        adapter = self.adapter(target)
        if adapter is None:
            return None
        message = adapter.render(target.article)
        if target.article.video and not message.video:
            message = replace(
                message,
                video=video_fallback(
                    adapter.record.label, "Loa chưa gửi video gốc lên nền tảng này"
                ),
            )
        return message

    # -- planning -----------------------------------------------------------------

    def post_states(self) -> dict:
        """The ledger's post states, with renamed articles' posts under their new ids."""
        renames = renamed(self.manifest.identities(), self.ledger.entries)
        return with_renames(self.ledger.states(), renames)

    def blocked(self) -> dict[str, str]:
        """Why the ledger cannot tell whether an article was posted, by article id (``"*"``: all)."""
        _named, unnamed = self.ledger.blocked()
        out = {}
        for problem in self.ledger.problems:
            if problem.article:
                out.setdefault(
                    problem.article,
                    f"{problem} — không đăng bài này cho tới khi dòng đó được sửa "
                    "(xem README, mục Sổ ghi).",
                )
        if unnamed:
            out["*"] = (
                f"{unnamed[0]} — không rõ dòng này ghi bài nào, nên không đăng bài nào cho tới "
                "khi dòng đó được sửa (xem README, mục Sổ ghi)."
            )
        return out

    def plan(self, only: set[str] | None = None, ignore_age: bool = False) -> Plan:
        """What a run would post now (videos beyond an account's daily quota wait)."""
        plan = make_plan(
            self.manifest,
            self.registry,
            self.post_states(),
            self.now(),
            self.config,
            only,
            ignore_age,
            self.blocked(),
        )
        return self.within_video_quota(plan)

    def within_video_quota(self, plan: Plan) -> Plan:
        """Move video posts over ``video_quota`` (uploads per account in 24 h) to the next runs."""
        quota = self.config.video_quota or {}
        since = self.now() - dt.timedelta(hours=24)
        used: dict[tuple[str, str], int] = {}
        for entry in self.ledger.entries:
            if entry.state == PROCESSING and entry.channel in quota:
                try:
                    when = dt.datetime.fromisoformat(entry.time.replace("Z", "+00:00"))
                except ValueError:
                    continue
                if when >= since:
                    used[(entry.channel, entry.account)] = (
                        used.get((entry.channel, entry.account), 0) + 1
                    )
        kept = []
        for target in plan.targets:
            key = (target.channel.platform, target.channel.account)
            limit = quota.get(key[0])
            if target.article.video and limit is not None and used.get(key, 0) >= limit:
                plan.waiting.append(target)
                plan.problems.append(
                    f"{target.article.id} → {target.channel.label} {target.channel.account}: đã tải "
                    f"{used[key]} video trong 24 giờ qua (giới hạn {limit}) — video chờ lần chạy sau."
                )
                continue
            if target.article.video and limit is not None:
                used[key] = used.get(key, 0) + 1
            kept.append(target)
        plan.targets = kept
        return plan

    # -- runs ---------------------------------------------------------------------------

    def bootstrap(self) -> RunReport:
        """Record every live article on every account as done, without posting anything."""
        report = RunReport()
        if self.ledger.refresh():
            raise LoaError(
                "Sổ ghi đã có — không cần --bootstrap; chạy “loa syndicate publish” để đăng bài mới."
            )
        now = self.now()
        entries = [
            Entry(
                article.id,
                channel.platform,
                channel.account,
                BOOTSTRAPPED,
                run=self.run_id,
                file=article.source_path,
                published=article.date,
                title=article.title,
                uid=article.uid,
            )
            for article in self.manifest.articles
            if article.published <= now
            for channel in routes(article, self.registry)
        ]
        try:
            self.ledger.append(
                entries, f"loa: khởi tạo sổ ghi — {len(entries)} bài đã có được coi là đã đăng"
            )
        except LedgerConflict:
            raise LoaError(
                "Một lần chạy khác vừa tạo sổ ghi — chạy lại “loa syndicate publish” (không cần --bootstrap)."
            ) from None
        report.bootstrapped = len(entries)
        return report

    def publish(self, dry_run: bool = False) -> RunReport:
        """Post every new article once to each of its accounts."""
        if not self.ledger.refresh():
            raise LoaError(
                "Chưa có sổ ghi đăng bài (nhánh "
                f"“{self.ledger.branch}”) — để tránh đăng lại hàng loạt bài cũ, chạy một lần "
                "“loa syndicate publish --bootstrap”: mọi bài đang có trên trang được ghi là đã đăng, không đăng gì."
            )
        report = RunReport(dry_run=dry_run)
        if not dry_run:
            report.outcomes.extend(self.check_processing(self.plan().processing, report))
        checked_notes = list(report.notes)
        for _ in range(MAX_CLAIM_ROUNDS):
            plan = self.plan()
            report.plan = plan
            postable = [t for t in plan.targets if self.adapter(t) is not None]
            report.notes = checked_notes + [
                f"{t.article.id} → {t.channel.label} {t.channel.account}: {no_adapter(t.channel.platform)}"
                for t in plan.targets
                if self.adapter(t) is None
            ]
            if dry_run or not postable:
                return report
            claims = [t.entry(CLAIMED, self.run_id) for t in postable]
            try:
                self.ledger.append(
                    claims, f"loa: nhận đăng {len(claims)} bài (lần chạy {self.run_id})"
                )
                break
            except LedgerConflict:
                logger.info("loa: another run updated the ledger; reading it again")
                self.ledger.refresh()
        else:
            raise LoaError(
                "Không giành được quyền ghi sổ sau nhiều lần (có lần chạy khác đang đăng) — chạy lại sau ít phút."
            )
        posted = self.post_all(postable)
        report.outcomes.extend(posted)
        self.record(
            [o.entry for o in posted],
            f"loa: kết quả đăng {len(report.outcomes)} bài (lần chạy {self.run_id})",
        )
        return report

    def retry(self, article_id: str, platform: str | None = None) -> RunReport:
        """Post again the unknown or failed posts of one article (an explicit, human decision)."""
        if not self.ledger.refresh():
            raise LoaError("Chưa có sổ ghi — không có gì để đăng lại.")
        article = self.manifest.get(article_id)
        if article is None:
            raise LoaError(
                f"Không có bài “{article_id}” trong manifest — ghi đúng mã bài dạng /don-vi/ten-bai/ (xem “loa syndicate status”)."
            )
        report = RunReport()
        states = self.post_states()
        blocked = self.blocked()
        reason = blocked.get(article.id) or blocked.get("*")
        if reason:
            raise LoaError(reason)
        targets = []
        for channel in routes(article, self.registry):
            if platform and channel.platform != platform:
                continue
            state = states.get((article.id, channel.platform, channel.account, "post"))
            if state is None or state.state in (UNKNOWN, FAILED):
                targets.append(Target(article, channel, (state.attempts if state else 0) + 1))
        if not targets:
            report.notes.append(
                f"{article.id}: không có bài nào ở trạng thái chưa rõ hoặc lỗi để đăng lại."
            )
            return report
        report.plan = Plan(targets=targets)
        claims = [t.entry(CLAIMED, self.run_id) for t in targets]
        try:
            self.ledger.append(claims, f"loa: đăng lại {article.id} (lần chạy {self.run_id})")
        except LedgerConflict:
            raise LoaError(
                "Sổ ghi vừa được một lần chạy khác cập nhật — chạy lại lệnh này."
            ) from None
        report.outcomes = self.post_all(targets)
        self.record([o.entry for o in report.outcomes], f"loa: kết quả đăng lại {article.id}")
        return report

    # -- posting ------------------------------------------------------------------------

    def post_all(self, targets: list[Target]) -> list[Outcome]:
        """Post each target; one account's failure never stops the others."""
        outcomes = []
        stopped: dict[tuple[str, str], PostError] = {}
        for target in targets:
            account = (target.channel.platform, target.channel.account)
            message = None
            if account in stopped:
                error = stopped[account]
                outcomes.append(
                    Outcome(
                        target,
                        target.entry(
                            FAILED,
                            self.run_id,
                            error=f"không thử: {error.message}",
                            error_class=error.error_class,
                        ),
                    )
                )
                continue
            adapter = self.adapter(target)
            message = None
            try:
                message = self.render(target)
            except Exception:  # an adapter bug must not cost the other accounts their posts
                logger.debug("render failure", exc_info=True)
            entry = self.attempt(
                target, lambda a=adapter, m=message: self.post_with_retries(a, m), stopped
            )
            # An answer may echo a token (in an id, a URL): masked before it is shown or kept.
            outcomes.append(
                Outcome(target, self.secrets.mask_fields(entry, ANSWER_FIELDS), message)
            )
        return outcomes

    def attempt(self, target: Target, call, stopped: dict) -> Entry:
        """The ledger entry of one platform call: posted, processing, failed, duplicate or unknown."""
        account = (target.channel.platform, target.channel.account)
        try:
            result = call()
            if not isinstance(result, Receipt):
                raise TypeError("no receipt")
            # The platform's answer, as the ledger may keep it (a safe id, its own hosts).
            result = result.kept(self.adapter(target).record)
            return target.entry(
                POSTED, self.run_id, remote_id=result.remote_id, remote_url=result.remote_url
            )
        except Processing as exc:
            handle = Receipt(exc.handle).kept(self.adapter(target).record).remote_id
            return target.entry(PROCESSING, self.run_id, remote_id=handle)
        except MissingSecret as exc:
            stopped[account] = PostError(CONFIG, str(exc))
            return target.entry(FAILED, self.run_id, error=str(exc), error_class=CONFIG)
        except PostError as exc:
            text = self.secrets.mask(exc.message)
            if exc.error_class == DUPLICATE_CLASS:
                return target.entry(DUPLICATE, self.run_id, error=text, error_class=exc.error_class)
            if exc.error_class == AMBIGUOUS:
                return target.entry(UNKNOWN, self.run_id, error=text, error_class=exc.error_class)
            if exc.error_class in ACCOUNT_STOPPERS:
                stopped[account] = PostError(exc.error_class, text)
            return target.entry(FAILED, self.run_id, error=text, error_class=exc.error_class)
        except Exception as exc:  # an adapter bug must not cost the other accounts their posts
            logger.debug("adapter failure", exc_info=True)
            return target.entry(
                UNKNOWN,
                self.run_id,
                error=self.secrets.mask(f"lỗi không lường trước: {exc.__class__.__name__}"),
                error_class=AMBIGUOUS,
            )

    def check_processing(self, waiting: list, report: RunReport) -> list[Outcome]:
        """Ask once about each video a platform was processing; publish the ready ones (claimed first).

        Still processing: nothing is written, unless it has been so for longer
        than ``processing_hours``. A failure (or that timeout) is recorded as
        failed: nothing was published, so the planner uploads it again while
        attempts remain (``max_attempts``). Ready: the publishing step is claimed in the
        ledger before it is made, so a crash there leaves it unknown, never twice.
        """
        outcomes, stopped = [], {}
        for target, state in waiting:
            adapter = self.adapter(target)
            if adapter is None:
                continue
            message = self.render(target)
            entry = self._checked(target, adapter, message, state, stopped, report)
            if entry is None:
                continue
            self.record([entry], f"loa: video {target.article.id} trên {target.channel.label}")
            outcomes.append(
                Outcome(target, self.secrets.mask_fields(entry, ANSWER_FIELDS), message)
            )
        return outcomes

    @staticmethod
    def _ask(adapter: Adapter, message: Message, handle: str):
        """``adapter.check``, where an answer that says nothing final means "still processing".

        The platform has the video (some publish it on their own once processed): a
        server error, a timeout, a rate limit or an unreadable answer to a status
        question is asked again next run — never a failure that uploads it twice —
        until ``processing_hours`` have passed.
        """
        try:
            return adapter.check(message, handle)
        except PostError as exc:
            if exc.error_class in (TRANSIENT, AMBIGUOUS, RATE_LIMITED):
                return None
            raise

    def _checked(self, target, adapter, message, state, stopped, report) -> Entry | None:
        handle = state.last.remote_id
        try:
            answer = self._ask(adapter, message, handle)
        except Exception as exc:  # a failure (or an adapter bug) is classified like a post's
            error = exc

            def again():
                raise error

            return self.attempt(target, again, stopped)
        if isinstance(answer, Receipt):
            return self.attempt(target, lambda: answer, stopped)
        if answer == READY:
            self.ledger.append([target.entry(CLAIMED, self.run_id, remote_id=handle)],
                               f"loa: nhận đăng video {target.article.id} (lần chạy {self.run_id})")  # fmt: skip
            return self.attempt(target, lambda: adapter.finish(message, handle), stopped)
        since = dt.datetime.fromisoformat(state.last.time.replace("Z", "+00:00"))
        if self.now() - since > dt.timedelta(hours=self.config.processing_hours):
            if adapter.publishes_when_processed:  # uploading again could show it twice
                return target.entry(
                    UNKNOWN, self.run_id, error_class=AMBIGUOUS,
                    error=f"{target.channel.label} xử lý video quá {self.config.processing_hours:g} giờ; "
                    "nền tảng tự đăng khi xử lý xong — kiểm tra tài khoản trước khi đăng lại",
                )  # fmt: skip
            return target.entry(
                FAILED, self.run_id, error_class=TRANSIENT,
                error=f"{target.channel.label} xử lý video quá {self.config.processing_hours:g} giờ — lần chạy sau tải lên lại",
            )  # fmt: skip
        report.notes.append(
            f"{target.article.id} → {target.channel.label} {target.channel.account}: "
            "video đang được nền tảng xử lý — lần chạy sau kiểm tra lại."
        )
        return None

    def post_with_retries(self, adapter: Adapter, message: Message):
        """Post; wait out a rate limit and retry a transient failure, within the configured bounds."""
        transient = 0
        waits = 0
        while True:
            try:
                return adapter.post(message)
            except PostError as exc:
                if (
                    exc.error_class == RATE_LIMITED
                    and exc.retry_after is not None
                    and exc.retry_after <= self.config.max_wait_seconds
                    and waits < 3
                ):
                    waits += 1
                    self.sleep(exc.retry_after)
                    continue
                if exc.error_class == TRANSIENT and transient < self.config.transient_retries:
                    self.sleep(self.config.backoff_seconds * (4**transient))
                    transient += 1
                    continue
                raise

    def record(self, entries: list[Entry], message: str) -> None:
        """Push results; on a conflict re-read and append again (results are independent lines)."""
        if not entries:
            return
        for _ in range(MAX_RECORD_ROUNDS):
            try:
                self.ledger.append(entries, message)
                return
            except LedgerConflict:
                self.ledger.refresh()
        raise LoaError(
            "Không ghi được kết quả vào sổ ghi sau nhiều lần — các bài đã đăng sẽ hiện là “chưa rõ”; kiểm tra rồi dùng “loa syndicate retry” nếu cần."
        )

    def close(self) -> None:
        """Release the HTTP session and the ledger's scratch repository."""
        self.http.close()
        self.ledger.close()

    def __enter__(self) -> Syndicator:
        """Use as a context manager: ``close`` at the end."""
        return self

    def __exit__(self, *_exc) -> None:
        """Release the HTTP session and the ledger."""
        self.close()
