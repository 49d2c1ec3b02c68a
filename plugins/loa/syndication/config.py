"""Syndication settings (``LOA_SYNDICATION`` in pelicanconf.py), merged with defaults."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from loa.errors import LoaError


@dataclass(frozen=True)
class Config:
    """How much a run may post, how often it retries, how long it waits."""

    max_age_days: float = 7
    max_posts_per_run: int = 10
    max_attempts: int = 3
    transient_retries: int = 2
    backoff_seconds: float = 2.0
    max_wait_seconds: float = 120.0
    graph_version: str = "v25.0"
    ledger_author: str = "Loa <loa@users.noreply.github.com>"
    poll_seconds: float = 3.0
    poll_attempts: int = 10
    insights_days: float = 30  # read the interactions of posts younger than this
    # The ledger's trust (loa.ledger.trust): the allowed-signers file, relative to
    # the site, and a commit trusted as it is (a ledger that predates signing, or
    # one repaired by hand), changed only through a reviewed pull request.
    ledger_signers: str = ".github/ledger-signers"
    ledger_trusted_root: str = ""
    # A video still processing after this many hours has failed (IG/Threads containers expire at 24 h).
    processing_hours: float = 24
    # Videos uploaded per account in any 24 h, enforced here before the platform does:
    # Facebook's 30 API-published reels a Page (developers.facebook.com/docs/video-api/
    # guides/reels-publishing, applied to Page videos too); TikTok's unpublished daily cap
    # (spam_risk_too_many_posts; integrators report 15–25, so 15).
    video_quota: dict = field(default_factory=lambda: {"facebook": 30, "tiktok": 15})

    @classmethod
    def from_settings(cls, settings: dict) -> Config:
        """Read ``LOA_SYNDICATION``; an unknown key is a usage error naming it."""
        values = dict(settings.get("LOA_SYNDICATION") or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise LoaError(
                f"LOA_SYNDICATION có khoá không hợp lệ: {', '.join(unknown)} — các khoá: {', '.join(sorted(known))}."
            )
        return cls(**values)
