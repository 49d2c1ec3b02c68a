// Loa's words over Decap's Vietnamese locale (decap-cms-locales/src/vi): the
// phrases Decap 3.16.3 has only in English, and the ones Loa says its own way —
// the workflow's states are "Bản nháp" → "Gửi duyệt" → "Đã đăng" (publishing is
// the unit admins' merge on the pull request, never a button here), a failed
// save says "lưu" and what to do. Registered with CMS.registerLocale
// (https://decapcms.org/docs/configuration-options/#locale), merged into
// Decap's own "vi" phrases. tests/cms/test_locale.py checks that every English
// phrase has a Vietnamese one.
(function (root) {
  "use strict";

  var WORDS = {
    auth: { loginWithAzure: "Đăng nhập bằng Azure", loginWithForgejo: "Đăng nhập bằng Forgejo" },
    app: {
      header: { media: "Ảnh" },
    },
    collection: {
      // "＋" (U+FF0B) is missing from many phones' fonts: a box before the label.
      collectionTop: { newButton: "+ Viết %{collectionLabel}", viewAsList: "Xem dạng danh sách", viewAsGrid: "Xem dạng lưới", groupBy: "Nhóm theo" },
      entries: { unpublishedHeader: "Bài đang chờ duyệt" },
      groups: { other: "Khác", negateLabel: "Không %{label}" },
    },
    editor: {
      editorControl: { field: { widgetLabel: "Trường %{widgetLabel}" } },
      editorControlPane: {
        i18n: {
          writingInLocale: "Đang viết bằng %{locale}",
          copyFromLocale: "Điền từ ngôn ngữ khác",
          copyFromLocaleConfirm: "Điền dữ liệu từ ngôn ngữ %{locale}?\nMọi nội dung đang có sẽ bị thay thế.",
        },
      },
      editorInterface: {
        toggleI18n: "Bật/tắt đa ngôn ngữ",
        togglePreview: "Bật/tắt xem trước",
        toggleScrollSync: "Cuộn cùng nhau",
        toggleNotes: "Bật/tắt ghi chú",
      },
      editorNotesPane: {
        title: "Ghi chú", emptyState: "Chưa có ghi chú.", addNote: "Thêm ghi chú",
        addPlaceholder: "Viết ghi chú…", editPlaceholder: "Sửa ghi chú…", save: "Lưu", cancel: "Huỷ",
        edit: "Sửa", delete: "Xoá", resolve: "Đã xong", unresolve: "Mở lại",
        confirmDelete: "Xoá ghi chú này?", shortcut: "Mẹo: Ctrl+Enter để thêm nhanh ghi chú",
      },
      editorToolbar: {
        draft: "Bản nháp",
        inReview: "Gửi duyệt",
        ready: "Sẵn sàng đăng",
        status: "Trạng thái: %{status}",
        publish: "Đăng",
        published: "Đã đăng",
        statusInfoTooltipDraft:
          "Bài đang là bản nháp, ban quản trị của đơn vị chưa thấy. Khi viết xong, chọn “Gửi duyệt”.",
        statusInfoTooltipInReview:
          "Bài đã gửi duyệt: ban quản trị của đơn vị sẽ xem và đăng. Bạn vẫn có thể sửa trong lúc chờ.",
        deleteUnpublishedEntry: "Xoá bài chưa đăng này",
        deleteUnpublishedChanges: "Xoá những thay đổi chưa đăng",
      },
      editorWidgets: {
        markdown: {
          bold: "Đậm", italic: "Nghiêng", strikethrough: "Gạch ngang", code: "Mã", link: "Liên kết",
          linkPrompt: "Nhập địa chỉ của liên kết", headings: "Tiêu đề mục", quote: "Trích dẫn",
          bulletedList: "Danh sách chấm", numberedList: "Danh sách số", addComponent: "Thêm thành phần",
          toggleMode: { rich: "Chuyển sang soạn thảo trực quan", markdown: "Chuyển sang Markdown" },
        },
        image: {
          chooseMultiple: "Chọn ảnh", chooseUrl: "Chèn từ địa chỉ", replaceUrl: "Thay bằng địa chỉ",
          promptUrl: "Nhập địa chỉ của ảnh", addMore: "Thêm ảnh", removeAll: "Bỏ mọi ảnh",
        },
        file: {
          chooseUrl: "Chèn từ địa chỉ", chooseMultiple: "Chọn tập tin", replaceUrl: "Thay bằng địa chỉ",
          promptUrl: "Nhập địa chỉ của tập tin", addMore: "Thêm tập tin", removeAll: "Bỏ mọi tập tin",
        },
        datetime: { setToNow: "Đặt %{fieldLabel} là bây giờ" },
        list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
        object: { expand: "Mở ra", collapse: "Thu gọn" },
      },
    },
    mediaLibrary: {
      mediaLibrary: {
        fileTooLarge: "Ảnh quá nặng (hơn %{size} kB) sau khi thu nhỏ: hãy chọn ảnh khác hoặc chụp lại.",
      },
      mediaLibraryCard: { copy: "Chép", copyUrl: "Chép địa chỉ", copyPath: "Chép đường dẫn", copyName: "Chép tên", copied: "Đã chép" },
      mediaLibraryModal: { close: "Đóng", deleteSelected: "Xoá ảnh đã chọn" },
    },
    ui: {
      settingsDropdown: { account: "Tài khoản" },
      toast: {
        noteAdded: "Đã thêm ghi chú", onFailToAddNote: "Không thêm được ghi chú: %{details}",
        noteUpdated: "Đã sửa ghi chú", onFailToUpdateNote: "Không sửa được ghi chú: %{details}",
        noteDeleted: "Đã xoá ghi chú", onFailToDeleteNote: "Không xoá được ghi chú: %{details}",
        noteResolved: "Ghi chú đã xong", noteReopened: "Đã mở lại ghi chú",
        onFailToToggleNote: "Không đổi được ghi chú: %{details}",
        onFailToPersist:
          "Chưa lưu được bài (%{details}). Bài vẫn còn trong trình duyệt này: kiểm tra mạng và quyền đăng nhập, rồi bấm “Lưu” lần nữa.",
        onFailToLoadEntries:
          "Không tải được danh sách bài (%{details}): kiểm tra mạng rồi tải lại trang.",
        entrySaved: "Đã lưu bài: nó nằm trong một pull request chờ ban quản trị của đơn vị duyệt.",
        onFailToPublishEntry:
          "Không đăng từ đây được (%{details}): bài được đăng khi ban quản trị của đơn vị duyệt pull request.",
        onFailToUpdateStatus: "Không đổi được trạng thái (%{details}): kiểm tra mạng rồi thử lại.",
      },
    },
    workflow: {
      workflow: {
        description:
          "%{smart_count} bài đang chờ duyệt. |||| %{smart_count} bài đang chờ duyệt.",
        dateFormat: "DD/MM/YYYY", // as the site writes dates (vietnamese/dates.SHORT_DATE)
      },
      workflowCard: { publishChanges: "Đăng thay đổi", publishNewEntry: "Đăng bài mới" },
      workflowList: {
        readyHeader: "Sẵn sàng đăng",
        inReviewHeader: "Gửi duyệt",
        draftHeader: "Bản nháp",
      },
    },
  };

  function merge(base, over) {
    var out = Array.isArray(base) ? base.slice() : Object.assign({}, base);
    Object.keys(over).forEach(function (key) {
      var value = over[key];
      out[key] = value && typeof value === "object" && base && typeof base[key] === "object"
        ? merge(base[key], value) : value;
    });
    return out;
  }

  function register(cms) {
    cms.registerLocale("vi", merge(cms.getLocale("vi") || {}, WORDS));
  }

  root.LoaLocale = { words: WORDS, merge: merge, register: register };
})(typeof window !== "undefined" ? window : globalThis);
