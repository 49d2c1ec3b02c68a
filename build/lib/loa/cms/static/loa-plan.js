// What each channel will receive for an article, as the contributor types it.
//
// A line-for-line port of the Python that writes the syndication plan:
// loa/syndication/messages.py (lead, hashtags, shorten, join_blocks),
// loa/platforms/counting.py (how each platform counts) and each adapter's
// render() in loa/syndication/channels/. tests/browser/test_newsroom_plan.py runs
// both on the same articles in Chromium and fails on any difference: change
// one, change the other.
(function (root) {
  "use strict";

  var ELLIPSIS = "\u2026";
  var X_URL_LENGTH = 23;
  var X_LIGHT = [[0x0000, 0x10ff], [0x2000, 0x200d], [0x2010, 0x201f], [0x2032, 0x2037]];
  var URL_RE = /https?:\/\/[^\s<>"]+/gi;

  function chars(text) { return Array.from(text || ""); }
  function len(text) { return chars(text).length; }
  function nfc(text) { return (text || "").normalize("NFC"); }

  function utf16Length(text) { return (text || "").length; }

  function weigh(text) {
    var cs = chars(text), total = 0;
    for (var i = 0; i < cs.length; i++) {
      var code = cs[i].codePointAt(0);
      if (code === 0x200d && i + 1 < cs.length) { i++; continue; }
      if ((code >= 0xfe00 && code <= 0xfe0f) || (code >= 0x1f3fb && code <= 0x1f3ff)) continue;
      var light = X_LIGHT.some(function (r) { return code >= r[0] && code <= r[1]; });
      total += light ? 1 : 2;
    }
    return total;
  }

  function xWeightedLength(text) {
    text = nfc(text);
    var total = 0, position = 0, match;
    URL_RE.lastIndex = 0;
    while ((match = URL_RE.exec(text)) !== null) {
      total += weigh(text.slice(position, match.index)) + X_URL_LENGTH;
      position = match.index + match[0].length;
    }
    return total + weigh(text.slice(position));
  }

  var decoder = null;
  function unescapeHtml(text) {
    if (typeof document === "undefined") return text;
    decoder = decoder || document.createElement("textarea");
    decoder.innerHTML = text;
    return decoder.value;
  }

  function telegramLength(text) { return len(unescapeHtml(text.replace(/<[^>]+>/g, ""))); }

  function isEmojiPart(ch) {
    var code = ch.codePointAt(0);
    return code >= 0x1f000 || (code >= 0x2600 && code <= 0x27bf) || (code >= 0x2b00 && code <= 0x2bff) ||
      code === 0x200d || code === 0x20e3 || (code >= 0xfe00 && code <= 0xfe0f) || /\p{So}/u.test(ch);
  }

  function threadsLength(text) {
    var total = 0;
    chars(nfc(text)).forEach(function (ch) {
      total += isEmojiPart(ch) ? new TextEncoder().encode(ch).length : 1;
    });
    return total;
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function joinBlocks() {
    return Array.prototype.filter.call(arguments, function (b) { return b; }).join("\n\n");
  }

  function rstrip(text, set) {
    var cs = chars(text);
    while (cs.length && set.indexOf(cs[cs.length - 1]) >= 0) cs.pop();
    return cs.join("");
  }

  function shorten(text, limit, measure) {
    measure = measure || len;
    if (measure(text) <= limit) return text;
    if (limit <= 0) return "";
    var words = text.split(" ");
    while (words.length) {
      words.pop();
      var candidate = rstrip(words.join(" "), " ,;:.-\u2013\u2014") + ELLIPSIS;
      if (measure(candidate) <= limit) return words.length ? candidate : "";
    }
    return "";
  }

  function hashtag(tag) {
    var words = tag.match(/[\p{L}\p{N}_]+/gu) || [];
    if (!words.length) return "";
    return "#" + words.map(function (w) {
      var cs = chars(w);
      return cs[0].toUpperCase() + cs.slice(1).join("");
    }).join("");
  }

  function hashtags(article, limit) {
    var out = [];
    (article.tags || []).forEach(function (tag) {
      var h = hashtag(tag);
      if (h && out.indexOf(h) < 0) out.push(h);
    });
    return out.slice(0, limit === undefined ? 5 : limit);
  }

  function leadText(article, channel) {
    var social = article.social_text;
    if (social && typeof social === "object" && social[channel]) return social[channel];
    if (typeof social === "string" && social) return social;
    return article.summary || "";
  }

  function attribution(article) { return article.source ? "Nguồn: " + article.source : ""; }

  function albumSize(article, channel, limits) {
    var photos = (article.gallery || []).length;
    if (photos < 2 || !limits.album) return 0;
    return Math.min(photos, limits.album);
  }

  // Each returns {text, count, limit, measure} — the text exactly as the plan has it.
  var RENDER = {
    facebook: function (a, limits) {
      var tail = joinBlocks(attribution(a), hashtags(a).join(" "));
      var lead = shorten(leadText(a, "facebook"), limits.message - len(a.title) - len(tail) - 4);
      var text = joinBlocks(a.title, lead, tail);
      if (albumSize(a, "facebook", limits)) text = joinBlocks(text, a.url);
      return { text: text, count: len(text), limit: limits.message, measure: "ký tự" };
    },
    zalo: function (a, limits) {
      var description = shorten(leadText(a, "zalo"), limits.description);
      return { text: description, count: len(description), limit: limits.description, measure: "ký tự",
        title: shorten(a.title, limits.title) };
    },
    telegram: function (a, limits) {
      var limit = a.image ? limits.caption : limits.text;
      var title = "<b>" + escapeHtml(a.title) + "</b>";
      var tail = joinBlocks(escapeHtml(attribution(a)), a.url, hashtags(a).join(" "));
      var room = limit - telegramLength(joinBlocks(title, "x", tail)) + 1;
      var lead = shorten(leadText(a, "telegram"), room);
      var text = joinBlocks(title, escapeHtml(lead), tail);
      return { text: text, count: telegramLength(text), limit: limit, measure: "ký tự (không tính thẻ HTML)" };
    },
    x: function (a, limits) {
      var max = limits.text, tail = "\n\n" + a.url, tags = hashtags(a, 3);
      var lead = shorten(leadText(a, "x"), max - xWeightedLength(tail), xWeightedLength);
      var text = lead ? lead + tail : a.url;
      [attribution(a), tags.join(" ")].forEach(function (piece) {
        if (piece && xWeightedLength(text + "\n" + piece) <= max) text = text + "\n" + piece;
      });
      return { text: text, count: xWeightedLength(text), limit: max,
        measure: "điểm theo cách đếm của X (chữ có dấu tính 2, đường dẫn 23)" };
    },
    instagram: function (a, limits) {
      var tail = joinBlocks(attribution(a), "Đọc toàn bài: " + a.url, hashtags(a, limits.hashtags).join(" "));
      var lead = shorten(leadText(a, "instagram"), limits.caption - len(a.title) - len(tail) - 4);
      var text = joinBlocks(a.title, lead, tail);
      return { text: text, count: len(text), limit: limits.caption, measure: "ký tự" };
    },
    tiktok: function (a, limits) {
      var tail = joinBlocks(attribution(a), a.url, hashtags(a).join(" "));
      var lead = shorten(leadText(a, "tiktok"), limits.description - utf16Length(tail) - 2, utf16Length);
      var text = joinBlocks(lead, tail);
      return { text: text, count: utf16Length(text), limit: limits.description, measure: "đơn vị UTF-16",
        title: shorten(a.title, limits.title, utf16Length) };
    },
    threads: function (a, limits) {
      var max = limits.text;
      var tail = joinBlocks(a.url, attribution(a), hashtags(a, 1).join(" "));
      var room = max - threadsLength(joinBlocks(a.title, "x", tail)) + 1;
      var lead = shorten(leadText(a, "threads"), room, threadsLength);
      var text = joinBlocks(a.title, lead, tail);
      if (threadsLength(text) > max) text = joinBlocks(shorten(a.title, Math.floor(max / 2), threadsLength), tail);
      return { text: text, count: threadsLength(text), limit: max,
        measure: "ký tự (biểu tượng cảm xúc tính theo số byte)" };
    },
  };

  function render(platform, article, limits) {
    var fn = RENDER[platform];
    return fn ? fn(article, limits || {}) : null;
  }

  function slugify(text) {
    return nfc(text).replace(/[đĐ]/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  root.LoaPlan = {
    render: render, shorten: shorten, hashtags: hashtags, slugify: slugify,
    xWeightedLength: xWeightedLength, threadsLength: threadsLength, telegramLength: telegramLength,
    utf16Length: utf16Length, length: len,
  };
})(typeof window !== "undefined" ? window : globalThis);
