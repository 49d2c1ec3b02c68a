"""Listening to members: how fast each unit answers, measured without keeping what members write.

``loa listen`` (``run.listen``) reads each account's conversation and comment
metadata through ``adapters`` (or a unit's Chatwoot, ``chatwoot``), keeps salted
hashes and times in the ledger (``records``), and ``figures`` turns them into
the counts the site and ``loa report`` show, small cells suppressed.
"""

from loa.lazy import lazy
from loa.listening.figures import Cell, cells, duration, month_label, overdue, unanswered_comments
from loa.listening.records import (
    DEFAULT_RETENTION_MONTHS,
    SALT_ENV,
    Record,
    SaltMissing,
    expired,
    merge,
    parse_records,
    salt_from_env,
)

__all__ = [
    "DEFAULT_RETENTION_MONTHS",
    "SALT_ENV",
    "Cell",
    "Record",
    "SaltMissing",
    "cells",
    "duration",
    "expired",
    "merge",
    "month_label",
    "overdue",
    "parse_records",
    "register",
    "salt_from_env",
    "unanswered_comments",
]

register = lazy(__name__)[0]
