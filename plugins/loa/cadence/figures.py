"""One definition of every figure, shared by the statistics page, ``loa report`` and the charts.

The page, its printable quarters, the report (text, CSV, JSON, Markdown) and the
charts all take their numbers from ``figures`` and their words from ``DEFINITIONS``:

- an article counts when readers can see it: published, dated no later than now, not a
  draft, not an unfinished ``loa new`` file (``stats.counts``);
- the period's weeks are the ISO weeks (Monday to Sunday, Vietnam time) holding one of
  its days, up to the week in progress (``stats.period_weeks``); every "x/N weeks" has
  that N, for units and authors alike;
- a week with a post holds at least one counted article of the period; a week met the
  target when it holds at least the unit's minimum; a missed week is over and did not;
- an author is a name in the front matter of a counted article (co-authors each count it).
"""

from __future__ import annotations

import datetime as dt

from loa.cadence.report import Report
from loa.cadence.stats import Record, author_board, published, top_posts, unit_board, unit_weeks
from loa.vietnamese import localize

# One sentence per figure, in the words readers and officers see under each table.
DEFINITIONS = {
    "articles": "Số bài: bài đã đăng trên trang trong kỳ, không tính bài nháp, bài hẹn ngày "
    "chưa đến và bài còn để nguyên chữ mẫu chưa viết xong.",
    "weeks": "Tuần tính từ thứ Hai đến Chủ nhật theo giờ Việt Nam; số tuần của kỳ gồm mọi "
    "tuần có ngày thuộc kỳ, tính đến tuần đang diễn ra.",
    "active_weeks": "Tuần có bài: số tuần của kỳ có ít nhất một bài.",
    "met_weeks": "Tuần đạt: tuần có số bài từ mức tối thiểu của đơn vị trở lên; tỉ lệ tuần "
    "đạt là số tuần đạt chia cho số tuần của kỳ.",
    "missed_weeks": "Tuần thiếu: tuần đã kết thúc mà chưa đủ số bài tối thiểu; tuần đang "
    "diễn ra chưa bị tính là thiếu.",
    "streak": "Chuỗi tuần đạt: số tuần đạt liền nhau tính ngược từ tuần gần nhất.",
    "authors": "Tác giả: người đứng tên trong bài được tính; bài viết chung tính cho mỗi tác giả.",
    "channels": "Kênh đã đăng: số tài khoản mạng xã hội đã đăng ít nhất một bài của kỳ, "
    "theo sổ ghi đăng bài.",
    "followers": "Người theo dõi tăng: chênh lệch giữa lần ghi đầu và cuối trong kỳ của các "
    "tài khoản của đơn vị.",
    "interactions": "Lượt tương tác: tổng cảm xúc, bình luận và chia sẻ mà các bài của kỳ "
    "nhận được, theo số liệu mới nhất các nền tảng cho đọc.",
}

# Which definitions stand under which table.
TABLES = {
    "weeks": ("articles", "weeks", "met_weeks", "missed_weeks", "streak"),
    "units": ("articles", "weeks", "active_weeks", "met_weeks", "channels", "followers"),
    "authors": ("authors", "articles", "active_weeks", "channels"),
    "top": ("interactions",),
}


def definitions(table: str, interactions: bool = False) -> list[str]:
    """The sentences that stand under ``table`` (with the interactions one when shown)."""
    keys = list(TABLES[table])
    if interactions and "interactions" not in keys:
        keys.append("interactions")
    return [DEFINITIONS[key] for key in keys]


def figures(
    records: list[Record],
    registry,
    start: dt.date,
    end: dt.date,
    moment: dt.datetime,
    post_states: dict | None = None,
    followers: list | None = None,
    latest: dict | None = None,
) -> Report:
    """Every figure of the period ``start``–``end`` as seen at ``moment`` (Vietnam time)."""
    today = localize(moment).date()
    counted = published(records, moment)
    return Report(
        start,
        end,
        unit_weeks(counted, registry, start, end, today),
        author_board(counted, start, end, post_states, latest, today=today),
        unit_board(counted, registry, start, end, today, post_states, followers, latest),
        top_posts(counted, start, end, latest, post_states),
    )
