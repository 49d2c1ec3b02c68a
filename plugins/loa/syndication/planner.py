"""What to post now: new articles × their channel accounts, minus what the ledger already has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from loa.frontmatter import Event
from loa.ledger import DONE, FAILED, PROCESSING, UNKNOWN, Entry, PostState
from loa.syndication.config import Config
from loa.syndication.manifest import Manifest, ManifestArticle
from loa.units import Channel, Registry
from loa.vietnamese import localize, vi_date


@dataclass(frozen=True)
class Target:
    """One post to make: an article on one channel account."""

    article: ManifestArticle
    channel: Channel
    attempt: int = 1
    kind: str = "post"

    @property
    def key(self) -> tuple[str, str, str, str]:
        """The ledger key of this post."""
        return (self.article.id, self.channel.platform, self.channel.account, self.kind)

    def entry(self, state: str, run: str, **fields) -> Entry:
        """A ledger entry for this post (its key, attempt and the article's identity filled in)."""
        return Entry(
            self.article.id,
            self.channel.platform,
            self.channel.account,
            state,
            attempt=self.attempt,
            kind=self.kind,
            run=run,
            file=self.article.source_path,
            published=self.article.date,
            title=self.article.title,
            uid=self.article.uid,
            **fields,
        )


@dataclass
class Plan:
    """The outcome of planning: what to post, and why everything else is not posted."""

    targets: list[Target] = field(default_factory=list)
    waiting: list[Target] = field(default_factory=list)  # over this run's limit: next run
    unknown: list[tuple[Target, PostState]] = field(default_factory=list)
    # Videos a platform is still processing: checked by this run, never uploaded again.
    processing: list[tuple[Target, PostState]] = field(default_factory=list)
    exhausted: list[tuple[Target, PostState]] = field(default_factory=list)
    too_old: list[ManifestArticle] = field(default_factory=list)
    future: list[ManifestArticle] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Articles a broken ledger line may be the record of: never posted on its word.
    blocked: list[tuple[ManifestArticle, str]] = field(default_factory=list)

    def articles(self) -> list[ManifestArticle]:
        """The articles this run posts, in order."""
        seen: dict[str, ManifestArticle] = {}
        for target in self.targets:
            seen.setdefault(target.article.id, target.article)
        return list(seen.values())


def routes(article: ManifestArticle, registry: Registry) -> list[Channel]:
    """The accounts an article goes to: its unit's and the department's, minus its exclusions."""
    return list(registry.routes(article.unit, article.syndicate))


def make_plan(
    manifest: Manifest,
    registry: Registry,
    post_states: dict,
    now: dt.datetime,
    config: Config,
    only: set[str] | None = None,
    ignore_age: bool = False,
    blocked: dict[str, str] | None = None,
) -> Plan:
    """Plan one run (at most ``max_posts_per_run`` articles, none older than ``max_age_days``).

    ``blocked`` maps article ids (or ``"*"``, every article) to why the ledger
    cannot tell whether they were posted: those are planned for no account.
    """
    plan = Plan()
    blocked = blocked or {}
    oldest = now - dt.timedelta(days=config.max_age_days)
    candidates: list[list[Target]] = []
    for article in sorted(manifest.articles, key=lambda a: (a.published, a.id)):
        if only is not None and article.id not in only:
            continue
        if registry.get(article.unit) is None:
            plan.problems.append(
                f"{article.id}: đơn vị “{article.unit}” không còn trong units.yml — bài không được đăng."
            )
            continue
        if article.published > now:
            plan.future.append(article)
            continue
        reason = blocked.get(article.id) or blocked.get("*")
        if reason and routes(article, registry):
            plan.blocked.append((article, reason))
            continue
        too_old = article.published < oldest and not ignore_age
        targets = []
        for channel in routes(article, registry):
            key = (article.id, channel.platform, channel.account, "post")
            state = post_states.get(key)
            if state is None:
                if not too_old:
                    targets.append(Target(article, channel, 1))
            elif state.state in DONE:
                continue
            elif state.state == UNKNOWN:
                plan.unknown.append((Target(article, channel, state.attempts), state))
            elif state.state == PROCESSING:
                plan.processing.append((Target(article, channel, state.attempts), state))
            elif state.state == FAILED:
                if too_old:
                    continue
                if state.attempts >= config.max_attempts:
                    plan.exhausted.append((Target(article, channel, state.attempts), state))
                else:
                    targets.append(Target(article, channel, state.attempts + 1))
        if too_old and not targets:
            plan.too_old.append(article)
        if targets:
            candidates.append(targets)
    candidates.extend(reminder_candidates(manifest, registry, post_states, now, config, plan, only))
    for index, targets in enumerate(candidates):
        if index < config.max_posts_per_run:
            plan.targets.extend(targets)
        else:
            plan.waiting.extend(targets)
    return plan


def reminder_article(article: ManifestArticle, event: Event, now: dt.datetime) -> ManifestArticle:
    """The reminder of an event, as an article every channel can render."""
    start = localize(event.start)
    when = "Hôm nay" if start.date() == localize(now).date() else "Ngày mai"
    hour = "" if event.all_day else f", {start:%H:%M}"
    place = event.location or (f"trực tuyến: {event.online}" if event.online else "")
    text = f"{when} ({vi_date(start)}{hour}): {article.title}. {'Địa điểm: ' + place + '.' if place else ''}"
    if event.registration:
        text += f" Đăng ký: {event.registration}"
    return replace(
        article, title=f"Nhắc lịch: {article.title}", summary=text.strip(), social_text=text.strip()
    )


def reminder_candidates(
    manifest, registry, post_states, now, config, plan, only
) -> list[list[Target]]:
    """Reminder posts due now: from 00:00 the day before an event until it starts, once per account."""
    out = []
    blocked = {a.id for a, _ in plan.blocked}
    for article in sorted(manifest.articles, key=lambda a: (a.published, a.id)):
        if article.id in blocked:
            continue
        if (
            not article.event
            or not article.event.get("reminder")
            or (only is not None and article.id not in only)
        ):
            continue
        if article.published > now or registry.get(article.unit) is None:
            continue
        event = Event.from_dict(article.event)
        if not (event.reminder_opens() <= now < event.start):
            continue
        reminder = reminder_article(article, event, now)
        targets = []
        for channel in routes(article, registry):
            state = post_states.get((article.id, channel.platform, channel.account, "reminder"))
            if state is None:
                targets.append(Target(reminder, channel, 1, "reminder"))
            elif state.state == UNKNOWN:
                plan.unknown.append((Target(reminder, channel, state.attempts, "reminder"), state))
            elif state.state == FAILED and state.attempts < config.max_attempts:
                targets.append(Target(reminder, channel, state.attempts + 1, "reminder"))
        if targets:
            out.append(targets)
    return out


def next_due(plan: Plan, manifest: Manifest, registry: Registry, now: dt.datetime) -> dt.datetime | None:
    """When a run could next have something to post, given ``plan`` (this moment's plan).

    ``now`` when the plan still has posts to make (a retry, an article over this
    run's cap, an article a broken ledger line blocks); else the earliest of a
    future article's time (in the manifest, or held back by the build) and an
    event reminder's opening; ``None`` when only a new commit can bring work. The
    hourly deploy skips its run until then (``scripts/due.py``).
    """
    if plan.targets or plan.waiting or plan.blocked:
        return now  # a blocked article waits for a fix on the ledger branch: keep looking hourly
    times = [a.published for a in plan.future if routes(a, registry)]
    if manifest.next_article is not None and manifest.next_article > now:
        times.append(manifest.next_article)  # held back by the build: the next build posts it
    for article in manifest.articles:
        if not article.event:
            continue
        event = Event.from_dict(article.event)
        # The site says whether an event is upcoming, on or over: rebuild when that changes.
        times += [t for t in (event.start, event.end) if t is not None and t > now]
        if event.reminder and routes(article, registry):
            opens = max(event.reminder_opens(), article.published)
            if now < opens < event.start:
                times.append(opens)
    return min(times) if times else None
