"""What templates may read: filters and functions handed the whole context make every name count."""

from __future__ import annotations

from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS
from jinja2.utils import _PassArg


def reads_context(env) -> bool:
    """Whether a filter, test or global function of ``env`` is handed the whole context."""
    functions = [*env.filters.values(), *env.tests.values(), *env.globals.values()]
    return any(
        getattr(f, "jinja_pass_arg", None) is _PassArg.context and id(f) not in _JINJA_OWN
        for f in functions
    )


# Jinja's own filters (map, select...) take the context only to call other filters.
_JINJA_OWN = {id(f) for f in (*DEFAULT_FILTERS.values(), *DEFAULT_TESTS.values())}
