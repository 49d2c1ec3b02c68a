"""Counts only for what the ledger recorded: followers of known accounts, interactions of its posts.

Above ``shapes`` (each field's shape) and ``entries`` (the post states), which
it reads; nothing in the ledger's lower modules imports it back.
"""

from __future__ import annotations

from dataclasses import replace

from loa.ledger.entries import DONE
from loa.ledger.shapes import channel_problem, time_problem


def recorded_accounts(entries) -> set[tuple[str, str]]:
    """(channel, account) of every post the ledger recorded as done."""
    return {(e.channel, e.account) for e in entries if e.state in DONE}


def counted_followers(snapshots, entries, accounts: dict | None = None) -> list:
    """Follower snapshots worth counting.

    Not future-dated, of a known platform, of an account of the registry
    (``accounts``: (channel, account) → unit, whose unit wins) or of a recorded post.
    """
    accounts = accounts or {}
    recorded = recorded_accounts(entries)
    out = []
    for snap in snapshots:
        if time_problem(snap.time) or channel_problem(snap.channel):
            continue
        key = (snap.channel, snap.account)
        if key in accounts:
            out.append(snap if snap.unit == accounts[key] else replace(snap, unit=accounts[key]))
        elif key in recorded:
            out.append(snap)
    return out


def counted_interactions(snapshots, post_states: dict) -> list:
    """Interaction snapshots of posts the ledger recorded as posted (same remote id), not future-dated."""
    out = []
    for snap in snapshots:
        if time_problem(snap.time) or channel_problem(snap.channel):
            continue
        state = post_states.get((*snap.key, "post"))
        posted = state.posted if state is not None else None
        if posted is None:
            continue
        if snap.remote_id and posted.remote_id and snap.remote_id != posted.remote_id:
            continue
        out.append(snap)
    return out


def registry_accounts(registry) -> dict[tuple[str, str], str]:
    """(platform, account) → unit slug of every channel account of a registry (duck-typed)."""
    out: dict[tuple[str, str], str] = {}
    if registry is None:
        return out
    try:
        units = registry.all()
    except (AttributeError, TypeError):
        return out
    for unit in units:
        for channel in getattr(unit, "channels", ()):
            out.setdefault((channel.platform, str(channel.account)), unit.slug)
    return out
