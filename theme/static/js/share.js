// Share buttons without third-party scripts: the phone's own share sheet (where
// Zalo is) when the browser has one, else the link is copied to paste in Zalo.
(function () {
  "use strict";
  var status = document.querySelector(".share-status");
  function say(text) { if (status) { status.textContent = text; } }
  function copy(url, done) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () { say(done); }, function () { say("Không chép được, hãy chép địa chỉ trên thanh trình duyệt."); });
    } else {
      say("Hãy chép địa chỉ trên thanh trình duyệt: " + url);
    }
  }
  document.querySelectorAll("[data-share]").forEach(function (button) {
    button.addEventListener("click", function () {
      var url = button.getAttribute("data-url");
      if (button.getAttribute("data-share") === "copy") {
        copy(url, "Đã chép liên kết.");
        return;
      }
      if (navigator.share) {
        navigator.share({ title: button.getAttribute("data-title") || document.title, url: url }).catch(function () {});
      } else {
        copy(url, "Đã chép liên kết — mở Zalo và dán để chia sẻ.");
      }
    });
  });
})();
