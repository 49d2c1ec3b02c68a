"""Chatwoot: a unit whose members write to a Chatwoot inbox (``listening.source: chatwoot``)."""

from __future__ import annotations

from loa.listening.http import AccountFailed


def conversations(ctx, unit):
    """Not yet: Chatwoot's route is named in the summary, never silently empty."""
    raise AccountFailed("nguồn Chatwoot chưa được hỗ trợ trong phiên bản này")
