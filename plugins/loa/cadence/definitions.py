"""The words under every table of figures: one sentence per figure, shared by the page and the report.

A module of its own, importing nothing, so the report's text, Markdown and
terminal layouts (``report``, ``textual``) read the same sentences as the page
without importing the figures they describe (that would be a circle:
``figures`` builds a ``report.Report``).
"""

from __future__ import annotations

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
