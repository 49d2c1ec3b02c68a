// What each channel will receive for an article, as the contributor types it.
//
// How a post is composed is data: each platform's steps (loa/platforms/builtin.py,
// the language in loa/platforms/compose.py), which the adapters run in Python and
// the build writes into loa-config.json; the interpreter below runs them here. What
// cannot be data is written twice, here and in Python: the counting functions
// (loa/platforms/counting.py) and the composer's primitives (shorten, hashtag, lead
// text, escape). tests/contract/test_composer_parity.py runs both, in Node, over
// every platform and generated texts, and fails on any difference.
(function (root) {
  "use strict";

  var ELLIPSIS = "\u2026";
  var X_URL_LENGTH = 23;
  var X_LIGHT = [[0x0000, 0x10ff], [0x2000, 0x200d], [0x2010, 0x201f], [0x2032, 0x2037]];
  var URL_RE = /https?:\/\/[^\s<>"]+/gi;

  // One counter per platform for Python and the browser: where the browser's Unicode
  // data is newer than Python's (3.11: Unicode 14.0), Python's answer wins — it is what
  // `loa check` refuses on — so the browser sets aside what Python does not know yet.
  // tests/contract/test_counting_parity.py recomputes both tables from Node and Python
  // over every code point and fails when a newer browser needs a longer one.
  // So (other symbols) in newer Unicode, unassigned in Unicode 14.0:
  var SO_AFTER_PYTHON = [
    [0x2427, 0x2429], [0x2b96, 0x2b96], [0x2ffc, 0x2fff], [0x31e4, 0x31e5], [0x31ef, 0x31ef],
    [0xfbc3, 0xfbd2], [0xfd90, 0xfd91], [0xfdc8, 0xfdce], [0x10ed1, 0x10ed8], [0x1cc00, 0x1ccef],
    [0x1ccfa, 0x1ccfc], [0x1cd00, 0x1ceb3], [0x1ceba, 0x1ced0], [0x1cee0, 0x1ceef],
    [0x1f6d8, 0x1f6d8], [0x1f6dc, 0x1f6dc], [0x1f774, 0x1f77f], [0x1f7d9, 0x1f7d9],
    [0x1f8b2, 0x1f8bb], [0x1f8c0, 0x1f8c1], [0x1fa54, 0x1fa57], [0x1fa75, 0x1fa77],
    [0x1fa87, 0x1fa8a], [0x1fa8e, 0x1fa8f], [0x1faad, 0x1faaf], [0x1fabb, 0x1fabf],
    [0x1fac6, 0x1fac6], [0x1fac8, 0x1fac8], [0x1facd, 0x1facf], [0x1fada, 0x1fadc],
    [0x1fadf, 0x1fadf], [0x1fae8, 0x1faea], [0x1faef, 0x1faef], [0x1faf7, 0x1faf8],
    [0x1fbcb, 0x1fbef], [0x1fbfa, 0x1fbfa],
  ];
  // Canonical composites added after Unicode 14.0: Python's NFC neither makes nor splits them.
  var COMPOSITES_AFTER_PYTHON = [
    0x105c9, 0x105e4, 0x11383, 0x11385, 0x1138e, 0x11391, 0x113c5, 0x113c7, 0x113c8,
    0x16121, 0x16122, 0x16123, 0x16124, 0x16125, 0x16126, 0x16127, 0x16128,
    0x16d68, 0x16d69, 0x16d6a,
  ];

  function inRanges(code, ranges) {
    return ranges.some(function (r) { return code >= r[0] && code <= r[1]; });
  }

  function chars(text) { return Array.from(text || ""); }
  function len(text) { return chars(text).length; }

  // NFC as Python 3.11 does it: composites Python does not know are kept as typed (a
  // private-use stand-in during normalisation), and never made from their parts.
  function nfc(text) {
    text = text || "";
    // the stand-ins are plane-15 private-use characters: a text using those is left to the browser
    if (/[\u{f0000}-\u{10ffff}]/u.test(text)) return text.normalize("NFC");
    var kept = [];
    var marked = chars(text).map(function (ch) {
      if (COMPOSITES_AFTER_PYTHON.indexOf(ch.codePointAt(0)) < 0) return ch;
      kept.push(ch);
      return String.fromCodePoint(0xf0000 + kept.length - 1);
    }).join("").normalize("NFC");
    return chars(marked).map(function (ch) {
      var code = ch.codePointAt(0);
      if (code >= 0xf0000 && code < 0xf0000 + kept.length) return kept[code - 0xf0000];
      return COMPOSITES_AFTER_PYTHON.indexOf(code) >= 0 ? ch.normalize("NFD") : ch;
    }).join("");
  }

  // UTF-16 code units: a JavaScript string's own length (Telegram, TikTok).
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

  // The entities the renderers write (escapeHtml) and numeric ones, decoded in one pass as
  // Python's html.unescape does them; no DOM, so the same code counts in Node and a browser.
  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'" };
  function unescapeHtml(text) {
    return text.replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);/g, function (whole, name) {
      if (name[0] === "#") {
        var code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "\ufffd";
      }
      return Object.prototype.hasOwnProperty.call(ENTITIES, name) ? ENTITIES[name] : whole;
    });
  }

  // Telegram: UTF-16 code units after entity parsing (tags dropped, entities decoded);
  // core.telegram.org/api/entities#entity-length. An emoji outside the BMP counts 2.
  function telegramLength(text) { return utf16Length(unescapeHtml(text.replace(/<[^>]+>/g, ""))); }

  function isEmojiPart(ch) {
    var code = ch.codePointAt(0);
    return code >= 0x1f000 || (code >= 0x2600 && code <= 0x27bf) || (code >= 0x2b00 && code <= 0x2bff) ||
      code === 0x200d || code === 0x20e3 || (code >= 0xfe00 && code <= 0xfe0f) ||
      (/\p{So}/u.test(ch) && !inRanges(code, SO_AFTER_PYTHON));
  }

  function threadsLength(text) {
    var total = 0;
    chars(nfc(text)).forEach(function (ch) {
      total += isEmojiPart(ch) ? new TextEncoder().encode(ch).length : 1;
    });
    return total;
  }

  // -- The primitives of the composer (twins of loa/platforms/compose.py's) --------------
  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function joinBlocks(blocks) {
    return blocks.filter(function (b) { return b; }).join("\n\n");
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

  // Python's \w in a str pattern: letters, digits (Unicode), the underscore.
  function hashtag(tag) {
    var words = String(tag).match(/[\p{L}\p{N}_]+/gu) || [];
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
    return out.slice(0, limit === undefined ? 5 : Math.max(limit, 0));
  }

  function leadText(article, channel) {
    var social = article.social_text;
    if (social && typeof social === "object" && social[channel]) return social[channel];
    if (typeof social === "string" && social) return social;
    return article.summary || "";
  }

  function photoCount(article) {
    return (article.gallery || []).filter(function (p) {
      return p && typeof p === "object" && (p.url || p.image);
    }).length;
  }

  // -- The interpreter of the recipes the build writes (loa-config.json: data.platforms[name].compose;
  // the language is described in loa/platforms/compose.py) --------------------------------
  var COUNTERS = { length: len, utf16: utf16Length, telegram: telegramLength, x: xWeightedLength, threads: threadsLength };
  var MAX_STEPS = 41, MAX_DEPTH = 12; // compose.py's bounds (its 40 steps and the prelude)

  function counter(name) {
    if (!Object.prototype.hasOwnProperty.call(COUNTERS, name)) throw new Error("unknown counter " + name);
    return COUNTERS[name];
  }

  function integers(values) {
    values.forEach(function (v) { if (typeof v !== "number") throw new Error("numbers expected"); });
    return values;
  }

  function evaluate(expr, env, limits, article, depth) {
    if (depth > MAX_DEPTH) throw new Error("expression too deep");
    if (typeof expr === "string" || typeof expr === "number") return expr;
    if (!Array.isArray(expr) || typeof expr[0] !== "string") throw new Error("not an expression");
    var op = expr[0], args = expr.slice(1);
    var ev = function (e) { return evaluate(e, env, limits, article, depth + 1); };
    switch (op) {
      case "get":
        if (!Object.prototype.hasOwnProperty.call(env, args[0])) throw new Error("unknown name " + args[0]);
        return env[args[0]];
      case "limit":
        if (typeof limits[args[0]] !== "number") throw new Error("unknown limit " + args[0]);
        return limits[args[0]];
      case "hashtags": return hashtags(article, ev(args[0])).join(" ");
      case "blocks": return joinBlocks(args.map(ev));
      case "cat": return args.map(ev).join("");
      case "escape": return escapeHtml(ev(args[0]));
      case "count": return counter(args[0])(ev(args[1]));
      case "shorten": return shorten(ev(args[0]), ev(args[1]), counter(args[2]));
      case "add": return integers(args.map(ev)).reduce(function (a, b) { return a + b; }, 0);
      case "sub":
        var values = integers(args.map(ev));
        return values.slice(1).reduce(function (a, b) { return a - b; }, values[0]);
      case "half": return Math.floor(integers([ev(args[0])])[0] / 2);
      case "if": return ev(args[0]) ? ev(args[1]) : ev(args[2]);
      case "and": return args.every(function (a) { return !!ev(a); });
      case "le": return integers([ev(args[0]), ev(args[1])]).reduce(function (a, b) { return a <= b; });
      case "gt": return integers([ev(args[0]), ev(args[1])]).reduce(function (a, b) { return a > b; });
    }
    throw new Error("unknown operator " + op);
  }

  // What a recipe may read of an article (loa/platforms/compose.facts).
  function facts(name, article, record) {
    var limits = record.limits || {};
    return {
      title: article.title || "", lead: leadText(article, name), url: article.url || "",
      source: article.source || "", image: !!article.image,
      album: !!record.compose.album && photoCount(article) >= 2 && limits.album !== 0,
    };
  }

  // What channel `name` receives for `article`, composed by the recipe in `record` (the platform's
  // entry in loa-config.json): {text, title, count, limit, measure}; null without a recipe (or
  // with one this interpreter cannot run: the preview then points to the pull request's plan).
  function render(name, article, record) {
    var recipe = record && record.compose;
    if (!recipe || !Array.isArray(recipe.steps) || recipe.steps.length > MAX_STEPS) return null;
    var limits = record.limits || {};
    var env = facts(name, article, record);
    try {
      recipe.steps.forEach(function (step) { env[step[0]] = evaluate(step[1], env, limits, article, 0); });
      var text = env.text;
      return { text: text, title: env.title || "", count: counter(recipe.count)(text), limit: env.limit,
        measure: recipe.unit };
    } catch (error) {
      if (root.console) root.console.warn("loa-plan: " + name + ": " + error.message);
      return null;
    }
  }

  function slugify(text) {
    return nfc(text).replace(/[đĐ]/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  root.LoaPlan = {
    render: render, evaluate: evaluate, shorten: shorten, hashtag: hashtag, hashtags: hashtags, slugify: slugify,
    xWeightedLength: xWeightedLength, threadsLength: threadsLength, telegramLength: telegramLength,
    utf16Length: utf16Length, length: len,
  };
})(typeof window !== "undefined" ? window : globalThis);
