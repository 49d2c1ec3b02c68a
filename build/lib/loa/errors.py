"""Error types a user can cause, shared by every layer.

They carry one plain sentence (in Vietnamese, for contributors) that names the
file, the line and the fix; the CLI prints it and exits, never a traceback.
"""

from __future__ import annotations


class LoaError(Exception):
    """An error a user can cause and fix; its text is the whole message."""

    exit_code = 1


class UsageError(LoaError):
    """A command was called the wrong way (exit code 2)."""

    exit_code = 2


class BuildStopped(SystemExit):
    """Stops a Pelican build after its problems were logged.

    A ``SystemExit`` on purpose: Pelican's command line catches ``Exception`` and
    logs it with a traceback, whereas a ``SystemExit`` prints its one sentence
    and exits with status 1.
    """
