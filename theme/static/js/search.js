// Pagefind's search UI in Vietnamese; the query from the header's search box (?q=) runs at once.
(function () {
  "use strict";
  var element = document.getElementById("tim-kiem");
  if (!element || typeof PagefindUI === "undefined") { return; }
  var ui = new PagefindUI({
    element: "#tim-kiem",
    bundlePath: element.getAttribute("data-bundle"),
    // A large site's index is built in several bundles (see loa.search); search them all.
    mergeIndex: (element.getAttribute("data-merge") || "").split(" ").filter(Boolean).map(function (path) { return { bundlePath: path }; }),
    showSubResults: false,
    showImages: false,
    resetStyles: false,
    // "da" should rank "Đà" (folded "da") above "đàm" (folded "dam"): penalise longer prefix matches.
    ranking: { termSimilarity: 8.0 },
    // A two-word query also asks for its folded pair ("da nang" or "Đà Nẵng" → "danang"),
    // which the index holds only where the two words stand side by side: this keeps
    // "Đà Nẵng" above "đàm … năng", since Pagefind matches word prefixes.
    processTerm: function (term) {
      var words = term.trim().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().split(/\s+/);
      // The index keeps only pairs with a "d" in one of the two words (loa.search).
      if (words.length !== 2 || (words[0].indexOf("d") < 0 && words[1].indexOf("d") < 0)) { return term; }
      return term + " " + words.join("");
    },
    translations: {
      placeholder: "Tìm bài viết (có dấu hoặc không dấu)",
      clear_search: "Xoá",
      load_more: "Xem thêm kết quả",
      search_label: "Tìm trong trang tin",
      filters_label: "Lọc",
      zero_results: "Không tìm thấy kết quả cho [SEARCH_TERM]",
      many_results: "[COUNT] kết quả cho [SEARCH_TERM]",
      one_result: "[COUNT] kết quả cho [SEARCH_TERM]",
      alt_search: "Không có kết quả cho [SEARCH_TERM]. Kết quả cho [DIFFERENT_TERM]",
      search_suggestion: "Không có kết quả cho [SEARCH_TERM]. Thử tìm:",
      searching: "Đang tìm [SEARCH_TERM]…"
    }
  });
  // Pagefind's input carries only a title; give it a real label for screen readers.
  function label(tries) {
    var input = element.querySelector(".pagefind-ui__search-input");
    if (!input) { if (tries > 0) { window.requestAnimationFrame(function () { label(tries - 1); }); } return; }
    input.id = input.id || "o-tim-kiem";
    input.setAttribute("aria-label", "Tìm trong trang tin");
    var text = document.createElement("label");
    text.className = "visually-hidden";
    text.htmlFor = input.id;
    text.textContent = "Tìm trong trang tin";
    input.parentNode.insertBefore(text, input);
  }
  label(120);
  // On a phone the results come first: Pagefind opens a lone filter group, so it is
  // closed once when it appears (one tap on "Đơn vị" opens it).
  function collapse(tries) {
    var group = element.querySelector("details.pagefind-ui__filter-block");
    if (!group) { if (tries > 0) { window.setTimeout(function () { collapse(tries - 1); }, 100); } return; }
    group.open = false;
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
    // The header's search box carries the query on the results page.
    var header = document.getElementById("tim-kiem-nhanh");
    if (header) { header.value = query; }
  }
  collapse(150);
})();
