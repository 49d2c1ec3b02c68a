"""The front-matter contract, field by field: one definition read by the reader, ``loa check`` and the web newsroom.

Each ``Field`` says what a field is called (its key, its Vietnamese label and
hint), what it holds (the widget the newsroom's form shows), whether it is
required and how long it may be, and the one sentence a contributor reads
when it is wrong. ``loa.frontmatter.parse`` takes its list of accepted keys,
its limits and its messages from here; ``loa.cms`` builds the form of
``/quan-tri/`` from the same records, and the form's checks show the same
sentences. Change a limit or a message here and all three follow.
"""

from __future__ import annotations

from dataclasses import dataclass

SUMMARY_MAX = 300
TITLE_MAX = 150  # Zalo OA's limit for an article's title
GALLERY_MAX = 50  # photos in one album: a page of thumbnails, not an archive
CAPTION_MAX = 300
QUESTION_MAX = 1000
# A cover (``image:``): what ``loa check`` accepts and the newsroom's picker asks for.
COVER_MAX_BYTES = 1_000_000  # Zalo OA rejects covers over 1 MB
COVER_MIN_SIZE = (1200, 630)  # the social card size of Facebook, X and Zalo
PHOTO_MIN_SIZE = (640, 480)  # an album photo: sharp on a phone and in a carousel
STATUSES = ("published", "draft")


@dataclass(frozen=True)
class Field:
    """One front-matter key: its meaning for a contributor, its limits and its messages."""

    name: str
    label: str  # the form's label, and the field's name in messages (lower-cased)
    widget: str  # what the form shows: string, text, datetime, list, image, select, object, boolean, number
    hint: str = ""
    required: bool = False
    max_length: int | None = None  # characters, counted after NFC (Python's len)
    too_long: str = ""  # the message when longer: {length} and {limit} are filled in
    fix: str = ""  # how to add it when it is missing
    children: tuple[Field, ...] = ()  # an object's or a list item's fields

    @property
    def noun(self) -> str:
        """The field's name inside a sentence."""
        return self.label[0].lower() + self.label[1:]

    def missing_message(self) -> str:
        """The sentence ``loa check`` and the form show when a required field is empty."""
        return f"Thiếu trường “{self.name}” ({self.noun}) — {self.fix or 'thêm trường này.'}"

    def too_long_message(self, length: int, photo: str = "") -> str:
        """The sentence shown when the value is ``length`` characters long, over the limit."""
        return self.too_long.format(length=length, limit=self.max_length, photo=photo)


EVENT_FIELDS = (
    Field("start", "Bắt đầu", "datetime", "Giờ Việt Nam; chỉ ghi ngày nếu diễn ra cả ngày.", required=True),
    Field("end", "Kết thúc", "datetime", "Bỏ trống: 2 giờ sau lúc bắt đầu (hoặc hết ngày)."),
    Field("location", "Địa điểm", "string"),
    Field("online", "Đường dẫn tham dự trực tuyến", "string"),
    Field("registration", "Đường dẫn đăng ký", "string"),
    Field("organiser", "Đơn vị tổ chức", "string", "Tên thư mục (slug) của đơn vị tổ chức."),
    Field("reminder", "Nhắc lại trên các kênh một ngày trước", "boolean"),
)  # fmt: skip

GALLERY_FIELDS = (
    Field("image", "Ảnh", "image", required=True),
    Field("alt", "Mô tả ảnh", "string", "Một câu mô tả ảnh cho người khiếm thị.", required=True),
    Field("caption", "Chú thích", "string", max_length=CAPTION_MAX,
          too_long="Chú thích {photo}dài {length} ký tự, quá {limit} — rút gọn."),
)  # fmt: skip

VIDEO_FIELDS = (
    Field("src", "Tệp video", "string", "MP4 từ điện thoại, 3–90 giây: videos/<đơn-vị>/ten-video.mp4.",
          required=True),
    Field("captions", "Phụ đề tiếng Việt", "string",
          "Tệp .srt hoặc .vtt cạnh video: videos/<đơn-vị>/ten-video.vi.srt; bắt buộc.", required=True),
    Field("poster", "Ảnh đại diện", "image", "Bỏ trống: lấy một khung hình (ghi giây ở “poster_time”)."),
    Field("poster_time", "Giây lấy ảnh đại diện", "number", "Ví dụ 3.5; mặc định giây thứ 1."),
    Field("transcript", "Lời thoại đầy đủ", "text",
          "Ghi “true” nếu phần nội dung bài đã là lời thoại và mô tả hình ảnh; hoặc ghi lời thoại ở đây.",
          required=True),
)  # fmt: skip

# In the order ``loa check`` lists them ("các trường: …").
ARTICLE = (
    Field("title", "Tiêu đề", "string", "Ngắn gọn, đủ ý; tối đa 150 ký tự (giới hạn của Zalo).",
          required=True, max_length=TITLE_MAX,
          too_long="Tiêu đề dài {length} ký tự, quá giới hạn {limit} (giới hạn của Zalo) — rút gọn tiêu đề.",
          fix="thêm dòng “title: Tiêu đề bài viết”."),
    Field("date", "Ngày đăng", "datetime", "Giờ Việt Nam.", required=True,
          fix="thêm dòng “date: 2026-11-26 08:00” (giờ Việt Nam)."),
    Field("author", "Tác giả", "string", "Họ và tên người viết.", required=True,
          fix="thêm dòng “author: Họ và tên” (hoặc “authors:” với danh sách)."),
    Field("authors", "Các đồng tác giả", "list", "Khi bài có nhiều người viết: họ tên, cách nhau bằng dấu phẩy."),
    Field("summary", "Tóm tắt", "text", "Một hai câu, tối đa 300 ký tự: hiện trong danh sách bài và trên mạng xã hội.",
          required=True, max_length=SUMMARY_MAX,
          too_long="Tóm tắt dài {length} ký tự, quá giới hạn {limit} — rút gọn còn một hai câu.",
          fix=f"thêm một câu tóm tắt dưới {SUMMARY_MAX} ký tự."),
    Field("tags", "Chủ đề", "list", "Cách nhau bằng dấu phẩy."),
    Field("image", "Ảnh bìa", "image", "JPEG, PNG hoặc WebP, tối đa 1 MB, ít nhất 1200 × 630 điểm ảnh."),
    Field("image_alt", "Mô tả ảnh bìa", "string", "Một câu mô tả ảnh cho người khiếm thị; bắt buộc khi có ảnh bìa."),
    Field("status", "Trạng thái", "select", "Nháp: không hiện trên trang, không đăng lên mạng xã hội."),
    Field("syndicate", "Đăng lên các kênh", "select",
          "Bỏ trống: đăng lên mọi kênh của đơn vị và của Công đoàn cấp trên."),
    Field("social_text", "Lời dẫn trên mạng xã hội", "text",
          "Bỏ trống: dùng tóm tắt. Xem bên phải từng kênh sẽ nhận gì."),
    Field("source", "Nguồn", "string", "Bài đăng lại: tên cơ quan, tờ báo của bài gốc."),
    Field("source_url", "Địa chỉ bài gốc", "string", "Chỉ các nguồn chính thức trong content/sources.yml."),
    Field("source_author", "Tác giả bài gốc", "string"),
    Field("source_date", "Ngày đăng bài gốc", "string"),
    Field("source_full_text", "Đăng lại toàn văn", "boolean", "Chỉ khi nguồn đã cho phép."),
    Field("slug", "Đường dẫn", "string", "Bỏ trống: lấy từ tên tệp (ngày và tiêu đề)."),
    Field("modified", "Ngày sửa", "datetime", "Chỉ khi sửa lại bài đã đăng."),
    Field("event", "Sự kiện", "object", "Chỉ khi bài giới thiệu một sự kiện.", children=EVENT_FIELDS),
    Field("question", "Câu hỏi của đoàn viên (bài hỏi đáp)", "text",
          "Viết lại câu hỏi, bỏ mọi chi tiết giúp nhận ra người hỏi (tên, đơn vị nhỏ, số điện thoại). Thân bài là câu trả lời.",
          max_length=QUESTION_MAX, too_long="Câu hỏi dài {length} ký tự, quá {limit} — rút gọn."),
    Field("topic", "Chủ đề hỏi đáp", "string", "Một chủ đề trong mục “topics” của content/units.yml (ví dụ “luong”)."),
    Field("legal_basis", "Căn cứ pháp lý", "list",
          "Địa chỉ văn bản pháp luật (https://…, thuộc nguồn chính thống trong content/sources.yml), cách nhau bằng dấu phẩy."),
    Field("gallery", "Album ảnh", "list", f"Tối đa {GALLERY_MAX} ảnh; ảnh đầu là ảnh bìa nếu không chọn ảnh bìa.",
          max_length=GALLERY_MAX, children=GALLERY_FIELDS),
    Field("video", "Video ngắn", "object", "Một đoạn 3–90 giây, có phụ đề tiếng Việt và lời thoại.",
          children=VIDEO_FIELDS),
    Field("id", "Mã bài", "string",
          "Tự tạo khi viết bài mới; giữ nguyên khi đổi tên tệp hay tiêu đề — để bài không bị đăng lại lên các kênh."),
)  # fmt: skip

PAGE_ONLY = (
    Field("template", "Mẫu trang", "string", "Bỏ trống: mẫu trang thường."),
    Field("order", "Thứ tự trong trình đơn", "number"),
)
_PAGE_ORDER = (
    "title",
    "summary",
    "slug",
    "status",
    "template",
    "order",
    "modified",
    "image",
    "image_alt",
)

BY_NAME = {f.name: f for f in ARTICLE + PAGE_ONLY}
PAGE = tuple(BY_NAME[name] for name in _PAGE_ORDER)

ARTICLE_FIELDS = tuple(f.name for f in ARTICLE)
PAGE_FIELDS = tuple(f.name for f in PAGE)
EVENT_KEYS = tuple(f.name for f in EVENT_FIELDS)
ITEM_KEYS = tuple(f.name for f in GALLERY_FIELDS)
VIDEO_KEYS = tuple(f.name for f in VIDEO_FIELDS)

# What ``loa check`` says of a cover without its description; the form says the same.
IMAGE_ALT_MISSING = (
    "Có ảnh bìa nhưng thiếu “image_alt” — thêm một câu mô tả ảnh cho người khiếm thị."
)
