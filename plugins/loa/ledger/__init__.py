"""The ledger: the durable record of posts and follower counts, on a git branch (JSON Lines)."""

from loa.ledger.entries import (
    BOOTSTRAPPED,
    CLAIMED,
    DONE,
    DUPLICATE,
    FAILED,
    POSTED,
    UNKNOWN,
    Entry,
    PostState,
    now_iso,
    parse_lines,
    states,
)
from loa.ledger.git import Author, GitStore, LedgerConflict, LedgerError
from loa.ledger.ledger import (
    DEFAULT_BRANCH,
    FOLLOWERS_FILE,
    POSTS_FILE,
    FollowerSnapshot,
    Ledger,
    read_for_build,
    remote_from_env,
)

__all__ = [
    "BOOTSTRAPPED",
    "CLAIMED",
    "DEFAULT_BRANCH",
    "DONE",
    "DUPLICATE",
    "FAILED",
    "FOLLOWERS_FILE",
    "POSTED",
    "POSTS_FILE",
    "UNKNOWN",
    "Author",
    "Entry",
    "FollowerSnapshot",
    "GitStore",
    "Ledger",
    "LedgerConflict",
    "LedgerError",
    "PostState",
    "now_iso",
    "parse_lines",
    "read_for_build",
    "remote_from_env",
    "states",
]
