// The album viewer: a <dialog> over the page, operable with the keyboard
// (← →, Escape), the buttons and a swipe; focus returns to the photo it came
// from. Without JavaScript each thumbnail is a plain link to the large photo.
(function () {
  "use strict";
  var album = document.querySelector(".album");
  var dialog = album && album.querySelector(".album-viewer");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var links = Array.prototype.slice.call(album.querySelectorAll(".album-link"));
  var caption = dialog.querySelector(".album-viewer-caption");
  var title = dialog.querySelector(".album-viewer-title");
  // The large picture is made here: without JavaScript the links open each photo.
  var image = document.createElement("img");
  image.className = "album-viewer-image";
  image.draggable = false;  // a swipe over the photo turns the page, it does not drag the picture
  caption.parentNode.insertBefore(image, caption);
  var current = 0;
  var opener = null;

  function show(index) {
    current = (index + links.length) % links.length;
    var link = links[current];
    var thumb = link.querySelector("img");
    image.src = link.getAttribute("href");
    image.alt = thumb ? thumb.alt : "";
    caption.textContent = link.getAttribute("data-album-caption") || "";
    title.textContent = "Ảnh " + (current + 1) + "/" + links.length;
  }

  function open(index, from) {
    opener = from;
    show(index);
    dialog.showModal();
    dialog.querySelector('[data-album="next"]').focus();
  }

  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
      event.preventDefault();
      open(index, link);
    });
  });

  dialog.addEventListener("click", function (event) {
    var action = event.target.getAttribute && event.target.getAttribute("data-album");
    if (action === "prev") { show(current - 1); }
    if (action === "next") { show(current + 1); }
    if (action === "close") { dialog.close(); }
  });
  var buttons = dialog.querySelectorAll("button");
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { event.preventDefault(); show(current - 1); }
    if (event.key === "ArrowRight") { event.preventDefault(); show(current + 1); }
    if (event.key === "Tab") {  // keep focus in the viewer (the page behind is inert)
      var first = buttons[0];
      var last = buttons[buttons.length - 1];
      if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    }
  });
  dialog.addEventListener("close", function () {
    if (opener) { opener.focus(); }
  });

  var startX = null;
  dialog.addEventListener("pointerdown", function (event) { startX = event.clientX; });
  dialog.addEventListener("pointerup", function (event) {
    if (startX === null) { return; }
    var moved = event.clientX - startX;
    startX = null;
    if (Math.abs(moved) > 50) { show(current + (moved < 0 ? 1 : -1)); }
  });
})();
