"""Every ``loa`` command's arguments; its handler is imported only when it runs.

Parsing the command line (``loa --help`` included) imports none of the
subpackages: a handler module (``loa.cli.content``, ``syndicate``, ``admin``)
and everything it imports are loaded by ``later`` once the command is chosen.
"""

from __future__ import annotations

import argparse
import importlib

from loa import platforms
from loa.cli.vietnamese import vietnamese


def group_help(parser: argparse.ArgumentParser):
    """A group's handler when no subcommand is given: its help (in Vietnamese), exit 2."""

    def run(_args) -> int:
        with vietnamese():
            parser.print_help()
        return 2

    return run


def later(group: str, name: str):
    """The handler ``name`` of ``loa.cli.<group>``, imported when the command runs."""

    def run(args) -> int:
        return getattr(importlib.import_module(f"loa.cli.{group}"), name)(args)

    return run


def content_commands(sub) -> None:
    """Add this group's commands to ``loa``'s parser."""
    new = sub.add_parser(
        "new",
        help="tạo bài viết mới đúng chỗ, đúng mẫu",
        description="Tạo bài viết mới trong thư mục của đơn vị, với phần thông tin đầu bài hợp lệ.",
    )
    new.add_argument("--unit", help="slug của đơn vị (tên thư mục)")
    new.add_argument("--title", help="tiêu đề bài viết")
    new.add_argument("--author", help="họ và tên tác giả")
    new.add_argument("--summary", help="một câu tóm tắt (dưới 300 ký tự)")
    new.set_defaults(func=later("content", "cmd_new"))

    check = sub.add_parser(
        "check",
        help="kiểm tra bài viết trước khi gửi",
        description="Kiểm tra danh sách đơn vị và các bài viết mà không cần dựng trang.",
    )
    check.add_argument(
        "paths", nargs="*", help="tệp hoặc thư mục cần kiểm tra (mặc định: toàn bộ nội dung)"
    )
    check.add_argument(
        "--format",
        choices=("human", "github", "json"),
        default="human",
        help="cách trình bày kết quả",
    )
    check.add_argument("--errors-only", action="store_true", help="chỉ hiện lỗi, bỏ qua cảnh báo")
    check.add_argument(
        "--strict",
        action="store_true",
        help="coi các cảnh báo trong LOA_STRICT_RULES (publishconf.py) là lỗi, như khi đăng thật",
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help="sửa tự động: chuyển văn bản sang NFC, xoá ký tự ẩn và BOM (không đụng tới nội dung khác)",
    )
    check.set_defaults(func=later("content", "cmd_check"))

    report = sub.add_parser(
        "report",
        help="nhịp đăng bài theo tuần và bảng xếp hạng",
        description="Số bài mỗi tuần của từng đơn vị so với mục tiêu, chuỗi tuần đạt, bảng xếp hạng tác giả và đơn vị.",
    )
    report.add_argument(
        "--period",
        choices=("week", "month", "quarter", "year"),
        default="quarter",
        help="kỳ báo cáo (mặc định: quý hiện tại)",
    )
    report.add_argument("--since", help="từ ngày (YYYY-MM-DD)")
    report.add_argument("--until", help="đến ngày (YYYY-MM-DD)")
    report.add_argument(
        "--format",
        choices=("auto", "table", "compact", "csv", "json", "markdown"),
        default="auto",
        help="auto (mặc định): bảng đầy đủ khi đủ rộng, nếu không thì bảng gọn vừa khung; "
        "table: luôn bảng đầy đủ; compact: luôn bảng gọn",
    )
    report.add_argument(
        "--no-ledger",
        action="store_true",
        help="không đọc sổ ghi (bỏ cột kênh đã đăng, người theo dõi)",
    )
    report.set_defaults(func=later("content", "cmd_report"))


def syndicate_commands(sub) -> None:
    """Add this group's commands to ``loa``'s parser."""
    synd = sub.add_parser(
        "syndicate",
        help="đăng bài lên mạng xã hội (mỗi bài một lần)",
        description="Đăng mỗi bài mới đúng một lần lên các kênh của đơn vị và của Công đoàn Cục.",
    )
    synd_sub = synd.add_subparsers(dest="action", metavar="VIỆC")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--manifest",
        default="output/loa/manifest.json",
        help="manifest do bản dựng tạo (mặc định: output/loa/manifest.json)",
    )

    plan = synd_sub.add_parser(
        "plan",
        parents=[common],
        help="xem trước nội dung sẽ đăng lên từng kênh",
        description="In chính xác nội dung, liên kết và ảnh mỗi kênh sẽ nhận.",
    )
    plan.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    plan.add_argument(
        "--file",
        action="append",
        default=[],
        help="chỉ các bài từ tệp này (đường dẫn trong kho, ví dụ từ git diff); lặp lại được",
    )
    plan.add_argument(
        "--article",
        action="append",
        default=[],
        help="chỉ bài này (mã dạng /don-vi/ten-bai/); lặp lại được",
    )
    plan.add_argument(
        "--no-ledger",
        action="store_true",
        help="không đọc sổ ghi (ví dụ trong pull request): coi mọi bài là mới",
    )
    plan.set_defaults(func=later("syndicate", "cmd_syndicate_plan"))

    publish = synd_sub.add_parser(
        "publish",
        parents=[common],
        help="đăng các bài mới",
        description="Đăng mỗi bài mới một lần lên từng tài khoản; ghi kết quả vào sổ ghi.",
    )
    publish.add_argument(
        "--bootstrap",
        action="store_true",
        help="lần đầu: ghi mọi bài đang có là đã đăng, không đăng gì",
    )
    publish.add_argument(
        "--dry-run", action="store_true", help="chỉ in kế hoạch, không đăng, không ghi sổ"
    )
    publish.set_defaults(func=later("syndicate", "cmd_syndicate_publish"))

    status = synd_sub.add_parser(
        "status", parents=[common], help="xem bài nào đã đăng, lỗi, chưa rõ, đang chờ"
    )
    status.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    status.set_defaults(func=later("syndicate", "cmd_syndicate_status"))

    retry = synd_sub.add_parser(
        "retry",
        parents=[common],
        help="đăng lại bài ở trạng thái chưa rõ hoặc lỗi",
        description="Đăng lại (sau khi đã kiểm tra kênh) các lượt đăng chưa rõ hoặc lỗi của một bài.",
    )
    retry.add_argument("article", help="mã bài, dạng /don-vi/ten-bai/")
    retry.add_argument(
        "channel",
        nargs="?",
        choices=platforms.names(),
        help="chỉ kênh này",
    )
    retry.set_defaults(func=later("syndicate", "cmd_syndicate_retry"))
    followers = synd_sub.add_parser(
        "followers",
        help="ghi số người theo dõi của mọi tài khoản vào sổ ghi",
        description="Đọc số người theo dõi của mỗi tài khoản và ghi vào sổ ghi; lỗi không làm hỏng lần triển khai.",
    )
    followers.set_defaults(func=later("syndicate", "cmd_syndicate_followers"))
    insights = synd_sub.add_parser(
        "insights",
        help="ghi lượt tương tác (cảm xúc, bình luận, chia sẻ, lượt xem) của các bài gần đây",
        description="Đọc số cảm xúc, bình luận, chia sẻ và lượt xem của mỗi bài đã đăng trong N ngày qua "
        "và ghi vào sổ ghi; nền tảng không cho số liệu được ghi là “không có”, không phải 0; "
        "lỗi không làm hỏng lần triển khai.",
    )
    insights.add_argument(
        "--days",
        type=float,
        default=None,
        help="chỉ các bài đăng trong chừng ấy ngày (mặc định: insights_days trong LOA_SYNDICATION, 30)",
    )
    insights.set_defaults(func=later("syndicate", "cmd_syndicate_insights"))
    synd.set_defaults(func=group_help(synd))


def listen_command(sub) -> None:
    """``loa listen``."""
    listen = sub.add_parser(
        "listen",
        help="đo thời gian trả lời đoàn viên (chỉ siêu dữ liệu, không lưu tin nhắn)",
        description="Đọc thời điểm đoàn viên viết và thời điểm trả lời đầu tiên ở mỗi tài khoản; "
        "ghi vào sổ ghi chỉ mã băm có muối (LOA_LISTEN_SALT) và thời điểm; in các con số.",
    )
    listen.add_argument(
        "--retention-months",
        type=int,
        default=13,
        help="giữ dữ liệu bao nhiêu tháng (mặc định 13); tháng cũ hơn bị xoá khỏi sổ ghi",
    )
    listen.add_argument(
        "--only",
        choices=("telegram",),
        default="",
        help="chỉ đọc bot Telegram (chạy hằng giờ: Telegram chỉ giữ tin chưa đọc 24 giờ)",
    )
    listen.set_defaults(func=later("listen", "cmd_listen"))


def admin_commands(sub) -> None:
    """Add this group's commands to ``loa``'s parser."""
    owners = sub.add_parser(
        "codeowners",
        help="ghi .github/CODEOWNERS từ danh sách đơn vị",
        description="Ghi .github/CODEOWNERS: ban quản trị mỗi đơn vị duyệt thư mục của đơn vị; ban quản trị Cục duyệt phần còn lại.",
    )
    owners.add_argument(
        "--check", action="store_true", help="chỉ kiểm tra tệp hiện có có khớp không (CI)"
    )
    owners.add_argument("--output", default=".github/CODEOWNERS")
    owners.set_defaults(func=later("admin", "cmd_codeowners"))

    secrets = sub.add_parser(
        "secrets",
        help="các secret (token) mà units.yml cần",
        description="Liệt kê tên các biến môi trường chứa token mà units.yml khai báo; --check kiểm tra một workflow có chuyển đủ chúng không.",
    )
    secrets.add_argument(
        "--check", metavar="WORKFLOW", help="tệp workflow phải chuyển đủ các secret này"
    )
    secrets.set_defaults(func=later("admin", "cmd_secrets"))

    reposts = sub.add_parser(
        "reposts",
        help="đăng lại bài của nguồn chính thống (có ghi nguồn)",
        description="Xem bài mới của các nguồn chính thống và nhập một bài thành bản nháp để viết lại, ghi nguồn.",
    )
    reposts_sub = reposts.add_subparsers(dest="action", metavar="VIỆC")
    listing = reposts_sub.add_parser("list", help="bài mới trong các nguồn tin (RSS/Atom)")
    listing.add_argument("source", nargs="?", help="chỉ nguồn này (slug trong sources.yml)")
    listing.add_argument("--limit", type=int, default=30, help="số bài tối đa (mặc định 30)")
    listing.set_defaults(func=later("admin", "cmd_reposts_list"))
    importing = reposts_sub.add_parser(
        "import", help="nhập một bài thành bản nháp trong thư mục đơn vị"
    )
    importing.add_argument("url", help="địa chỉ bài gốc (thuộc nguồn trong sources.yml)")
    importing.add_argument("--unit", required=True, help="đơn vị đăng lại (slug)")
    importing.add_argument("--author", default="Ban Biên tập", help="người biên tập bài đăng lại")
    importing.set_defaults(func=later("admin", "cmd_reposts_import"))
    reposts.set_defaults(func=group_help(reposts))

    ledger = sub.add_parser(
        "ledger",
        help="sổ ghi đăng bài",
        description="Sổ ghi đăng bài (nhánh loa-ledger).",
    )
    ledger_sub = ledger.add_subparsers(dest="action", metavar="VIỆC")
    exporting = ledger_sub.add_parser(
        "export",
        help="chép sổ ghi ra một thư mục cho bản dựng (bản dựng không cần token)",
        description="Chép posts.jsonl và followers.jsonl của nhánh sổ ghi vào THƯ_MỤC; dựng trang với LOA_LEDGER_COPY=THƯ_MỤC.",
    )
    exporting.add_argument("folder", metavar="THƯ_MỤC")
    exporting.set_defaults(func=later("admin", "cmd_ledger_export"))
    ruleset = ledger_sub.add_parser(
        "ruleset",
        help="kiểm tra nhánh sổ ghi đã được bảo vệ để chỉ lần triển khai ghi được",
        description=(
            "Đọc bộ quy tắc (ruleset) của kho qua API GitHub và nói còn thiếu gì: chặn cập nhật, "
            "xoá và đẩy đè nhánh sổ ghi, chỉ khoá triển khai được miễn. Cần GITHUB_REPOSITORY và "
            "LOA_GITHUB_ADMIN_TOKEN (quyền “Administration: read”)."
        ),
    )
    ruleset.set_defaults(func=later("admin", "cmd_ledger_ruleset"))
    ledger.set_defaults(func=group_help(ledger))

    listen_command(sub)

    tokens = sub.add_parser(
        "tokens",
        help="làm mới token mạng xã hội",
        description="Làm mới token và lưu cặp token mới (Zalo chỉ cho dùng refresh token một lần).",
    )
    tokens_sub = tokens.add_subparsers(dest="action", metavar="VIỆC")
    refresh = tokens_sub.add_parser(
        "refresh",
        help="đổi refresh token lấy cặp token mới và lưu lại",
        description="Đổi refresh token lấy access token và refresh token mới, lưu ngay vào Secrets của kho (LOA_GITHUB_SECRETS_TOKEN) hoặc LOA_TOKEN_STORE=file:đường/dẫn.",
    )
    refresh.add_argument("platform", choices=("zalo",), help="nền tảng")
    refresh.add_argument("--unit", help="chỉ tài khoản của đơn vị này")
    refresh.set_defaults(func=later("admin", "cmd_tokens_refresh"))
    tokens.set_defaults(func=group_help(tokens))
