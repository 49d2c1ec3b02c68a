"""``loa listen``: read every account's metadata, keep hashes and times, say counts only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from loa.listening import adapters
from loa.listening.figures import Overdue, overdue
from loa.listening.http import AccountFailed, Reader
from loa.listening.records import Hasher, Record, merge, news

LOOKBACK_DAYS = 35  # each daily run looks this far back (an answer may come days later)
POSTS_DAYS = 60  # comments are read under Loa's posts of this many days


@dataclass
class ListenRun:
    """What one run found: new lines for the ledger, failures (one sentence per account), counts."""

    new: list[Record] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    read: list[str] = field(
        default_factory=list
    )  # "Facebook 1000…: 12 cuộc trò chuyện, 3 bình luận"
    overdue: list[Overdue] = field(default_factory=list)
    all: dict[str, Record] = field(default_factory=dict)


def _native(ctx, unit, run: ListenRun, found: list[Record]) -> None:
    for channel in unit.channels:
        readers = []
        if channel.platform == "facebook":
            readers = [
                lambda c=channel: adapters.meta_conversations(ctx, c, unit.slug, "messenger"),
                lambda c=channel: adapters.meta_comments(ctx, c, unit.slug),
            ]
        elif channel.platform == "instagram":
            readers = [
                lambda c=channel: adapters.meta_conversations(ctx, c, unit.slug, "instagram"),
                lambda c=channel: adapters.meta_comments(ctx, c, unit.slug),
            ]
        elif channel.platform == "zalo":
            readers = [lambda c=channel: adapters.zalo_conversations(ctx, c, unit.slug)]
        for read in readers:
            _try(run, found, f"{channel.label} {channel.account} ({unit.short_name})", read)


def _try(run: ListenRun, found: list[Record], label: str, read) -> None:
    try:
        records = read()
    except AccountFailed as exc:
        run.failures.append(f"✗ {label}: {exc}")
        return
    found.extend(records)
    conversations = sum(1 for r in records if r.kind == "conversation")
    comments = len(records) - conversations
    run.read.append(f"✓ {label}: {conversations} cuộc trò chuyện, {comments} bình luận")


def _telegram(ctx, units, run: ListenRun, found: list[Record]) -> None:
    """One read per bot token: the bot's updates are shared by every unit it serves."""
    by_token: dict[str, list] = {}
    for unit in units:
        channel = unit.channel("telegram")
        if channel is not None and unit.listening.configured and unit.listening.source == "native":
            by_token.setdefault(channel.get("token_env") or "", []).append((unit, channel))
    for pairs in by_token.values():
        groups = {
            u.listening.telegram_group: (u.slug, c.account)
            for u, c in pairs
            if u.listening.telegram_group
        }
        owners = [(u, c) for u, c in pairs if "telegram" in u.listening.contacts]
        business = (owners[0][0].slug, owners[0][1].account) if len(owners) == 1 else None
        admin_chat = owners[0][0].listening.telegram_admin_chat if len(owners) == 1 else ""
        if not groups and business is None:
            continue
        channel = pairs[0][1]
        names = ", ".join(u.short_name for u, _ in pairs)
        _try(
            run,
            found,
            f"Telegram ({names})",
            lambda c=channel, g=groups, b=business, a=admin_chat: adapters.telegram_updates(
                ctx, c, g, b, a
            ),
        )


def listen(
    registry,
    known: list[Record],
    posts,
    environ,
    now: dt.datetime,
    salt: bytes,
    reader=None,
    only: str = "",
) -> ListenRun:
    """Read every configured unit's accounts (``only="telegram"``: the bot only); return what is new."""
    from loa.listening import chatwoot

    run = ListenRun()
    own = reader is None
    reader = reader or Reader()
    ctx = adapters.Context(
        reader,
        Hasher(salt),
        now - dt.timedelta(days=LOOKBACK_DAYS),
        dict(environ),
        list(posts),
        now=now,
    )
    found: list[Record] = []
    units = [u for u in registry.all() if u.listening.configured]
    try:
        for unit in units if only != "telegram" else []:
            if unit.listening.source == "chatwoot":
                _try(
                    run,
                    found,
                    f"Chatwoot ({unit.short_name})",
                    lambda u=unit: chatwoot.conversations(ctx, u),
                )
            else:
                _native(ctx, unit, run, found)
        if only in ("", "telegram"):
            _telegram(ctx, units, run, found)
    finally:
        if own:
            reader.close()
    run.read.extend(ctx.notes)
    old = merge(known)
    # An answer seen without its comment (Telegram) only completes a comment already recorded;
    # an answer delivered by the relay only completes a request recorded before or now.
    found = [
        r for r in found if r.post or r.kind != "comment" or r.key in old or r.channel != "telegram"
    ]
    recorded = set(old) | {r.key for r in found}
    found += [r for r in ctx.completions if r.key in recorded]
    # A completing line keeps the time the member wrote (its month's file may expire first).
    found = [
        replace(r, received=old[r.key].received)
        if r.key in old and old[r.key].received_at < r.received_at
        else r
        for r in found
    ]
    run.new = news(found, old)
    run.all = merge([*known, *run.new])
    promises = {u.slug: u.listening.promise_hours for u in units}
    run.overdue = overdue(run.all.values(), promises, now)
    return run
