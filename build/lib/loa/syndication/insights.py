"""Reading what each post earned: ``loa syndicate insights`` (daily, like followers).

For every post in the ledger younger than ``insights_days``, ask its platform
for the counts it offers and append one dated snapshot per post to
``interactions.jsonl``. A platform without per-post counts gets one
"unavailable" snapshot per post (never a zero); an account whose call fails
gets nothing appended, so its last snapshots stand. Nothing here fails a deploy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from loa import platforms
from loa.ledger import POSTED, InteractionSnapshot, latest, now_iso
from loa.syndication.channels import PostRef, Unsupported
from loa.syndication.http import PostError
from loa.syndication.planner import Target
from loa.syndication.runner import Syndicator, no_adapter
from loa.syndication.secrets import MissingSecret
from loa.units import Channel


@dataclass
class InsightsRun:
    """What one reading found: snapshots to append and a line per account."""

    snapshots: list[InteractionSnapshot] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def recent_posts(syndicator: Syndicator, days: float) -> dict[tuple[str, str], list[PostRef]]:
    """Posts made in the last ``days`` days, by (platform, account)."""
    since = syndicator.now().astimezone(dt.UTC) - dt.timedelta(days=days)
    out: dict[tuple[str, str], list[PostRef]] = {}
    for (article, channel, account, kind), state in syndicator.ledger.states().items():
        posted = state.posted
        if kind != "post" or state.state != POSTED or posted is None or not posted.remote_id:
            continue
        try:
            when = dt.datetime.fromisoformat(posted.time)
        except ValueError:
            continue
        when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
        if when < since:
            continue
        out.setdefault((channel, account), []).append(
            PostRef(article, posted.remote_id, posted.remote_url)
        )
    return out


def _accounts(syndicator: Syndicator) -> dict[tuple[str, str], Channel]:
    found = {}
    for unit in syndicator.registry.all():
        for channel in unit.channels:
            found.setdefault((channel.platform, channel.account), channel)
    return found


def _unit(article: str) -> str:
    return article.strip("/").split("/")[0]


def read_insights(syndicator: Syndicator, days: float | None = None) -> InsightsRun:
    """Ask each account for the counts of its recent posts."""
    days = syndicator.config.insights_days if days is None else days
    run = InsightsRun()
    accounts = _accounts(syndicator)
    last = latest(syndicator.ledger.interactions())
    moment = now_iso()
    for (platform, account), posts in sorted(recent_posts(syndicator, days).items()):
        channel = accounts.get((platform, account))
        name = f"{platforms.label(platform)} {account}"
        if channel is None:
            run.lines.append(f"– {name}: không còn trong units.yml, bỏ qua {len(posts)} bài.")
            continue
        adapter = syndicator.adapter(Target(None, channel))
        if adapter is None:
            run.lines.append(f"✗ {name}: {no_adapter(platform)}")
            continue

        def snapshot(
            post: PostRef, metrics=None, available=True, platform=platform, account=account
        ) -> InteractionSnapshot:
            return InteractionSnapshot(
                post.article,
                platform,
                account,
                _unit(post.article),
                post.remote_id,
                moment,
                dict(metrics or {}),
                available,
            )

        try:
            if not channel.record.can(platforms.INTERACTIONS):
                raise Unsupported(f"{channel.label} không cho đọc lượt tương tác từng bài qua API")
            found = adapter.insights(posts)
        except Unsupported as exc:
            fresh = [
                p
                for p in posts
                if (p.article, platform, account) not in last
                or last[(p.article, platform, account)].available
            ]
            run.snapshots += [snapshot(p, available=False) for p in fresh]
            run.lines.append(f"– {name}: {exc} — ghi “không có số liệu”, không ghi số 0.")
            continue
        except (PostError, MissingSecret) as exc:
            message = syndicator.secrets.mask(getattr(exc, "message", str(exc)))
            run.lines.append(f"✗ {name}: {message} — giữ số liệu lần trước.")
            continue
        except Exception as exc:  # an adapter bug costs this account its reading, nothing more
            run.lines.append(
                f"✗ {name}: lỗi không lường trước ({exc.__class__.__name__}) — giữ số liệu lần trước."
            )
            continue
        taken = [snapshot(p, found[p.remote_id]) for p in posts if p.remote_id in found]
        run.snapshots += taken
        total = sum(s.interactions or 0 for s in taken)
        run.lines.append(
            f"✓ {name}: {len(taken)}/{len(posts)} bài, {total} lượt tương tác"
            + (
                f" ({len(posts) - len(taken)} bài không có số liệu lần này)"
                if len(taken) < len(posts)
                else ""
            )
        )
    if not run.lines:
        run.lines.append(f"Không có bài nào đăng trong {days:g} ngày qua.")
    return run
