// Photos as they come from a phone, made fit before Decap ever sees them.
//
// A phone's photo is 4032 × 3024, 2–6 MB, turned by an EXIF "orientation" tag
// and carrying the place it was taken (GPS). Before a picked file reaches
// Decap's media library, each photo is decoded with its orientation applied
// (createImageBitmap, imageOrientation "from-image":
// https://developer.mozilla.org/en-US/docs/Web/API/Window/createImageBitmap),
// scaled so that its long side is at most LONG_SIDE, and drawn on a canvas and
// re-encoded as JPEG (HTMLCanvasElement.toBlob) until it weighs at most the
// limit `loa check` sets — a canvas keeps pixels only, so no EXIF, GPS or other
// metadata survives. A file that cannot be decoded gets one Vietnamese sentence.
(function (root) {
  "use strict";

  var rules = { max_bytes: 1000000, long_side: 2048, min_width: 1200, min_height: 630 };
  var QUALITIES = [0.85, 0.78, 0.7, 0.62, 0.55];

  function PhotoProblem(message) { this.message = message; }

  function undecodable(file) {
    return new PhotoProblem("Không đọc được “" + file.name + "” thành ảnh: hãy chọn ảnh JPEG, PNG hoặc WebP " +
      "(trên iPhone, ảnh HEIC đổi được bằng Cài đặt › Camera › Định dạng › Tương thích nhất, hoặc chụp màn hình ảnh đó).");
  }

  function decode(file) {
    if (typeof createImageBitmap !== "function") return Promise.reject(undecodable(file));
    return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
      throw undecodable(file);
    });
  }

  function encode(bitmap, width, height, quality) {
    var canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent PNG becomes a JPEG on white, not on black
    context.fillRect(0, 0, width, height);
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, width, height);
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) { if (blob) resolve(blob); else reject(new Error("toBlob")); }, "image/jpeg", quality);
    });
  }

  // The name a photo is committed under: its own name in ASCII (as Decap's slug
  // settings would make it), ".jpg".
  function jpegName(name) {
    var base = (name || "anh").replace(/\.[^.]*$/, "");
    base = base.replace(/[đĐ]/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    return (base || "anh") + ".jpg";
  }

  // Each size, largest first, at each quality, until the photo weighs at most max_bytes.
  function shrink(bitmap, file) {
    var scale = Math.min(1, rules.long_side / Math.max(bitmap.width, bitmap.height));
    var attempts = [];
    for (var step = 0; step < 6; step++, scale *= 0.8) {
      for (var q = 0; q < QUALITIES.length; q++) attempts.push([scale, QUALITIES[q]]);
    }
    function next(i) {
      if (i >= attempts.length) return Promise.reject(new PhotoProblem("Ảnh “" + file.name + "” không thu nhỏ được dưới " + Math.round(rules.max_bytes / 1000) + " kB: hãy chọn ảnh khác."));
      var width = Math.max(1, Math.round(bitmap.width * attempts[i][0]));
      var height = Math.max(1, Math.round(bitmap.height * attempts[i][0]));
      return encode(bitmap, width, height, attempts[i][1]).then(function (blob) {
        return blob.size <= rules.max_bytes ? blob : next(i + 1);
      });
    }
    return next(0);
  }

  // A picked file as the site wants it: upright, at most long_side, under the limit, no metadata.
  function prepare(file) {
    return decode(file).then(function (bitmap) {
      return shrink(bitmap, file).then(function (blob) {
        if (bitmap.close) bitmap.close();
        return new File([blob], jpegName(file.name), { type: "image/jpeg", lastModified: file.lastModified });
      });
    });
  }

  function prepareAll(files) {
    var out = [];
    return files.reduce(function (chain, file) {
      return chain.then(function () { return prepare(file).then(function (made) { out.push(made); }); });
    }, Promise.resolve()).then(function () { return out; });
  }

  // -- One line at the top of the screen: what is happening, or what went wrong and what to do.
  var notice = null;
  function say(text, problem) {
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "loa-notice";
      document.body.appendChild(notice);
    }
    notice.setAttribute("role", problem ? "alert" : "status");
    notice.classList.toggle("loa-notice-problem", !!problem);
    notice.textContent = text || "";
    notice.hidden = !text;
  }

  function handOver(input, files) {
    // Decap's media library uploads the first file of each change event
    // (MediaLibrary.handlePersist): one event per prepared photo.
    files.forEach(function (file) {
      var list = new DataTransfer();
      list.items.add(file);
      input.files = list.files;
      input.loaPrepared = true;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.loaPrepared = false;
    });
  }

  // Every file input of the newsroom (Decap's media library, the album's "Thêm
  // nhiều ảnh") goes through prepare() first: the capturing listener on the
  // document runs before React's, which sits on the application's root.
  function intercept(event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || input.loaPrepared) return;
    if (!input.files || !input.files.length) return;
    event.stopImmediatePropagation();
    var picked = Array.prototype.slice.call(input.files);
    say(picked.length > 1 ? "Đang thu nhỏ " + picked.length + " ảnh…" : "Đang thu nhỏ ảnh…");
    prepareAll(picked).then(function (files) {
      say("");
      if (input.loaHandle) input.loaHandle(files);
      else handOver(input, files);
    }, function (problem) {
      input.value = "";
      say(problem instanceof PhotoProblem ? problem.message : "Không xử lý được ảnh này: hãy chọn lại.", true);
    });
  }

  function configure(given) {
    Object.keys(given || {}).forEach(function (key) { rules[key] = given[key]; });
  }

  if (typeof document !== "undefined") document.addEventListener("change", intercept, true);
  root.LoaPhotos = { prepare: prepare, prepareAll: prepareAll, configure: configure, say: say, jpegName: jpegName };
})(typeof window !== "undefined" ? window : globalThis);
