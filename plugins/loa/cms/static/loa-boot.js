// Loa's newsroom, first: what the officer needs before Decap CMS is there.
//
// Decap's bundle is 1.5 MB gzipped and ~2.5 s of script on a mid phone; the
// sign-in screen needs none of it. So this small script runs first: it asks for
// loa-config.json at once (the page preloads it), shows the token sign-in
// itself when nobody is signed in — while the browser fetches Decap's bundle
// at low priority without running it — and loads Decap and Loa's other
// scripts (in order, fetched side by side) only when they are needed: at once
// for a signed-in officer, the OAuth route or the local backend; after
// sign-in otherwise. Decap starts when loa-cms.js has the configuration
// (CMS_MANUAL_INIT, https://decapcms.org/docs/manual-initialization/).
(function () {
  "use strict";
  window.CMS_MANUAL_INIT = true;
  var me = document.currentScript, here = new URL(".", me.src);
  var SCRIPTS = (me.getAttribute("data-scripts") || "").split(/\s+/).filter(Boolean);
  var USER_KEY = "decap-cms-user"; // where Decap keeps the signed-in user
  var EXPIRY_KEY = "loa-token-expires", WARN_DAYS = 7, DAY = 86400000;

  // Later visits start from the cache of the pinned bundle (loa-sw.js).
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(new URL("loa-sw.js", here).href, { scope: here.pathname }).catch(function () {});
  }

  var config = fetch(new URL("loa-config.json", here)).then(function (r) { return r.json(); });

  // Decap and Loa's scripts, executed in the page's order, downloaded side by side.
  var loading = null;
  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      SCRIPTS.forEach(function (name, i) {
        var tag = document.createElement("script");
        tag.src = new URL(name, here).href;
        tag.async = false;
        if (i === SCRIPTS.length - 1) { tag.onload = resolve; tag.onerror = reject; }
        document.body.appendChild(tag);
      });
    });
    return loading;
  }

  // The bundle into the browser's cache while the officer signs in; run later.
  function prefetch() {
    SCRIPTS.slice(0, 1).forEach(function (name) {
      var link = document.createElement("link");
      link.rel = "prefetch"; link.as = "script"; link.href = new URL(name, here).href;
      document.head.appendChild(link);
    });
  }

  // -- The day a token ends: GitHub tells it only in a response header
  // (GitHub-Authentication-Token-Expiration) that its CORS policy does not
  // expose to a page (Access-Control-Expose-Headers lists ETag, Link,
  // x-ratelimit-*, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval:
  // https://docs.github.com/en/rest/using-the-rest-api/using-cors-and-jsonp-to-make-cross-origin-requests),
  // so the sign-in asks the officer for the day GitHub showed; it is kept on
  // this browser beside Decap's user, and loa-cms.js reminds from WARN_DAYS before.
  function dayOf(iso) { var p = iso.split("-"); return new Date(+p[0], +p[1] - 1, +p[2]); }
  function daysLeft(iso) {
    var now = new Date();
    return Math.round((dayOf(iso) - new Date(now.getFullYear(), now.getMonth(), now.getDate())) / DAY);
  }
  function showDay(iso) { return iso.split("-").reverse().join("/"); } // as the site writes dates
  function remember(login, expires) { localStorage.setItem(EXPIRY_KEY, JSON.stringify({ login: login, expires: expires })); }
  function remembered(login) {
    try {
      var kept = JSON.parse(localStorage.getItem(EXPIRY_KEY) || "null");
      return kept && kept.login === login && /^\d{4}-\d{2}-\d{2}$/.test(kept.expires) ? kept.expires : null;
    } catch (problem) { return null; }
  }
  function guideLink(cfg) {
    var repo = cfg.backend.repo || "", branch = cfg.backend.branch || "main";
    return repo
      ? "https://github.com/" + repo + "/blob/" + encodeURIComponent(branch) + "/CONTRIBUTING.md#dang-nhap"
      : new URL("../", here).href;
  }

  // -- Sign-in with a fine-grained token (without an OAuth service of the union's own).
  // The form asks for the token and the day GitHub says it ends. `replacing`: the
  // officer renews a token from the reminder; the page then starts again with it.
  function tokenForm(cfg, start, replacing, notice) {
    var box = document.createElement("main");
    box.className = "loa-signin" + (replacing ? " loa-signin-over" : "");
    box.innerHTML =
      '<h1>' + (replacing ? "Đổi mã truy cập" : "Phòng biên tập") + '</h1>' +
      (notice ? '<p class="loa-expired" role="alert"></p>' : '') +
      '<p>Đăng nhập bằng mã truy cập GitHub (fine-grained token) của bạn. Chưa có mã, hoặc mã đã hết hạn: ' +
      '<a class="loa-guide" href="">cách tạo mã, từng bước</a> (chọn đúng <i>Resource owner</i>, mã chỉ hiện một lần, ghi ngày hết hạn).</p>' +
      '<form><label for="loa-token">Mã truy cập GitHub</label>' +
      '<input id="loa-token" name="token" type="password" autocomplete="off" required>' +
      '<label for="loa-token-expires">Ngày hết hạn của mã</label>' +
      '<input id="loa-token-expires" name="expires" type="date" required aria-describedby="loa-expires-hint">' +
      '<p id="loa-expires-hint" class="loa-count">GitHub ghi ngày này ở mục <i>Expiration</i> khi tạo mã (và trong danh sách mã của bạn). ' +
      'Phòng biên tập nhắc bạn đổi mã từ ' + WARN_DAYS + ' ngày trước ngày đó.</p>' +
      '<button type="submit">Đăng nhập</button>' +
      (replacing ? ' <button type="button" class="loa-later">Để sau</button>' : '') +
      '<p class="loa-error" role="alert"></p></form>';
    box.querySelector(".loa-guide").href = guideLink(cfg);
    if (notice) box.querySelector(".loa-expired").textContent = notice;
    var form = box.querySelector("form"), error = box.querySelector(".loa-error");
    if (replacing) box.querySelector(".loa-later").addEventListener("click", function () { box.remove(); });
    document.body.appendChild(box);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var token = form.token.value.trim(), expires = form.expires.value;
      if (daysLeft(expires) < 0) {
        error.textContent = "Ngày hết hạn " + showDay(expires) + " đã qua: mã này không dùng được nữa — tạo mã mới theo hướng dẫn ở trên.";
        return;
      }
      var api = (cfg.backend.api_root || "https://api.github.com").replace(/\/$/, "");
      fetch(api + "/user", { headers: { Authorization: "token " + token } }).then(function (answer) {
        if (!answer.ok) throw new Error(String(answer.status));
        return answer.json();
      }).then(function (user) {
        localStorage.setItem(USER_KEY, JSON.stringify({
          token: token, backendName: "github", login: user.login, name: user.name, avatar_url: user.avatar_url,
        }));
        remember(user.login, expires);
        box.remove();
        if (replacing) location.reload(); // Decap holds the old token in memory; it starts again with the new one
        else start();
      }).catch(function (problem) {
        error.textContent = "GitHub không nhận mã này (" + problem.message + ") — kiểm tra mã còn hạn và có quyền Contents, Pull requests trên kho của trang.";
      });
    });
  }

  function isLocal(cfg) {
    return Boolean(cfg.local_backend) && ["localhost", "127.0.0.1"].indexOf(location.hostname) >= 0;
  }

  window.LoaBoot = {
    config: config, load: load, tokenForm: tokenForm, guideLink: guideLink, isLocal: isLocal,
    daysLeft: daysLeft, showDay: showDay, remember: remember, remembered: remembered,
    USER_KEY: USER_KEY, WARN_DAYS: WARN_DAYS,
  };

  // A token whose day has passed cannot open the newsroom: the sign-in says so at once.
  function expiredNotice() {
    try { var user = JSON.parse(localStorage.getItem(USER_KEY) || "null"); } catch (problem) { return ""; }
    var expires = user && user.backendName === "github" && remembered(user.login || "");
    if (!expires || daysLeft(expires) >= 0) return "";
    return "Mã truy cập GitHub bạn dùng đã hết hạn ngày " + showDay(expires) +
      ": GitHub không nhận nó nữa. Tạo mã mới theo hướng dẫn dưới đây rồi đăng nhập lại; bài đã lưu không mất.";
  }

  config.then(function (payload) {
    var cfg = payload.config, notice = "";
    var other = isLocal(cfg) || cfg.backend.base_url;
    if (other || (localStorage.getItem(USER_KEY) && !(notice = expiredNotice()))) { load(); return; }
    var waiting = document.getElementById("loa-loading");
    if (waiting) waiting.remove();
    tokenForm(cfg, function () {
      var box = document.createElement("p");
      box.id = "loa-loading"; box.className = "loa-loading"; box.setAttribute("role", "status");
      box.textContent = "Đã đăng nhập. Đang mở phòng biên tập…";
      document.body.appendChild(box);
      load();
    }, false, notice);
    prefetch();
  });
})();
