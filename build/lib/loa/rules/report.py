"""How ``loa check`` shows its findings: for people, for GitHub annotations, as JSON."""

from __future__ import annotations

import json
from itertools import groupby

from loa.findings import Finding

SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo"}


def _escape_github(value: str, is_property: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(findings: list[Finding]) -> str:
    """GitHub workflow commands: ``::error file=…,line=…,col=…::message``."""
    lines = []
    for f in findings:
        props = [f"file={_escape_github(f.path, True)}"]
        if f.line:
            props.append(f"line={f.line}")
        if f.column:
            props.append(f"col={f.column}")
        props.append(f"title={_escape_github('loa check: ' + f.code, True)}")
        lines.append(f"::{f.severity} {','.join(props)}::{_escape_github(f.message)}")
    return "\n".join(lines)


def format_json(findings: list[Finding], files: int) -> str:
    """Machine-readable findings."""
    return json.dumps(
        {
            "files": files,
            "errors": sum(f.is_error for f in findings),
            "warnings": sum(not f.is_error for f in findings),
            "findings": [f.as_dict() for f in findings],
        },
        ensure_ascii=False,
        indent=2,
    )


def format_human(findings: list[Finding], files: int, colour: bool = False) -> str:
    """Findings grouped by file, then a one-line summary in Vietnamese."""
    red, yellow, bold, reset = (
        ("\033[31m", "\033[33m", "\033[1m", "\033[0m") if colour else ("",) * 4
    )
    out = []
    for path, group in groupby(findings, key=lambda f: f.path):
        out.append(f"{bold}{path}{reset}")
        for f in group:
            where = (
                f"dòng {f.line}" + (f", cột {f.column}" if f.column else "") if f.line else "cả tệp"
            )
            tint = red if f.is_error else yellow
            out.append(f"  {where}: {tint}{SEVERITY_VI[f.severity]}{reset}: {f.message}")
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    if not findings:
        out.append(f"Đã kiểm tra {files} tệp: không có lỗi.")
    else:
        out.append(f"Đã kiểm tra {files} tệp: {errors} lỗi, {warnings} cảnh báo.")
    return "\n".join(out)
