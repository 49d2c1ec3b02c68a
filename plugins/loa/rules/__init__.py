"""Editorial rules: what ``loa check`` and the build enforce on every article."""

from loa.rules.check import RULES, CheckResult, Site, check_file, collect, run_check
from loa.rules.report import format_github, format_human, format_json

__all__ = [
    "RULES",
    "CheckResult",
    "Site",
    "check_file",
    "collect",
    "format_github",
    "format_human",
    "format_json",
    "run_check",
]
