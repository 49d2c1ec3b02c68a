"""Whether this deploy run has anything to do: the hourly schedule's first step.

An hourly run rebuilds and posts only when something could have changed since
the last run that finished: a new commit, an article or an event reminder that
came due, a post waiting for a retry or over a run's cap. The last finished run
leaves a small state file (restored from the Actions cache, keyed by the commit):

    {"sha": "<the commit it deployed>", "next_due": "<ISO time>" | ""}

``next_due`` is what ``loa syndicate publish`` computed (``loa.syndication.planner.next_due``):
the first moment a later run would post something, empty when only a new commit can
bring work. Everything but the hourly schedule (a push, the daily run, a manual
run) always runs, and so does any run whose state is missing, unreadable, of
another commit or already due: in doubt, run.

Standard library only (plus ``loa.clock``, which is too): it runs before anything
is installed, so a run with nothing to do ends in seconds. It writes ``run=true``
or ``run=false`` to ``GITHUB_OUTPUT`` and one Vietnamese line to the run summary.

    python3 scripts/due.py --event schedule --schedule "7 * * * *" --sha "$GITHUB_SHA" --state state.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from loa import clock

HOURLY = "7 * * * *"
MAX_STATE_BYTES = 4096


def decide(event: str, schedule: str, sha: str, state_file: Path | None) -> tuple[bool, str]:
    """(run?, the reason in one Vietnamese sentence)."""
    if event != "schedule" or schedule != HOURLY:
        return True, "Chạy đầy đủ: lần chạy này không phải lần kiểm tra hằng giờ."
    state = _read(state_file)
    if state is None:
        return True, "Chạy đầy đủ: chưa có kết quả của lần chạy trước cho bản này."
    if state["sha"] != sha:
        return True, "Chạy đầy đủ: nội dung đã đổi từ lần chạy trước."
    due = state["next_due"]
    if due is None:
        return (
            False,
            "Không có việc: không có bài mới, bài hẹn giờ hay bài chờ đăng lại — bỏ qua lần này.",
        )
    now = clock.now()
    if due <= now:
        return True, f"Chạy đầy đủ: có việc đến hạn từ {clock.localize(due):%H:%M %d/%m/%Y}."
    return False, (
        f"Không có việc tới {clock.localize(due):%H:%M %d/%m/%Y} (giờ Việt Nam) — bỏ qua lần này."
    )


def _read(path: Path | None) -> dict | None:
    """The last run's state, shape-checked; None when missing or not trustworthy."""
    if path is None or not path.is_file() or path.stat().st_size > MAX_STATE_BYTES:
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    sha, due = data.get("sha"), data.get("next_due")
    if not isinstance(sha, str) or not sha or not isinstance(due, str):
        return None
    if not due:
        return {"sha": sha, "next_due": None}
    try:
        return {"sha": sha, "next_due": clock.parse(due)}
    except clock.ClockError:
        return None


def write_state(path: Path, sha: str, next_due: str) -> None:
    """The state a finished run leaves for the next hourly check."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"sha": sha, "next_due": next_due}) + "\n", encoding="utf-8")


def _append(variable: str, text: str) -> None:
    target = os.environ.get(variable)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")


def main(argv: list[str] | None = None) -> int:
    """Decide (or, with ``--write``, record this run's state); exit 2 on a usage error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--event", default=os.environ.get("GITHUB_EVENT_NAME", ""))
    parser.add_argument("--schedule", default="")
    parser.add_argument("--sha", default=os.environ.get("GITHUB_SHA", ""))
    parser.add_argument("--state", type=Path, default=None)
    parser.add_argument(
        "--write",
        metavar="NEXT_DUE",
        default=None,
        help="record this run's state (next_due from loa syndicate publish)",
    )
    args = parser.parse_args(argv)
    if args.write is not None:
        if args.state is None or not args.sha:
            print("due: --write cần --state và --sha.", file=sys.stderr)
            return 2
        write_state(args.state, args.sha, args.write)
        return 0
    try:
        run, why = decide(args.event, args.schedule, args.sha, args.state)
    except clock.ClockError as exc:
        print(f"due: {exc}", file=sys.stderr)
        return 2
    print(why)
    _append("GITHUB_OUTPUT", f"run={'true' if run else 'false'}")
    _append("GITHUB_STEP_SUMMARY", why)
    return 0


if __name__ == "__main__":
    sys.exit(main())
