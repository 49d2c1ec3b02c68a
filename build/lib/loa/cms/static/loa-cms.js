// Loa's newsroom: the form's checks, the preview of each channel's text, and
// sign-in with a GitHub token, around Decap CMS (window.CMS, window.h,
// window.createClass: https://decapcms.org/docs/custom-widgets/).
(function () {
  "use strict";
  var here = new URL(".", document.currentScript.src);
  var USER_KEY = "decap-cms-user"; // where Decap keeps the signed-in user

  function count(text) { return Array.from((text || "").normalize("NFC").trim()).length; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : ""; });
  }

  // -- Widgets: a string or text whose length is counted as `loa check` counts it
  function input(tag, props) {
    return h(tag, {
      id: props.forID, className: props.classNameWrapper, value: props.value || "",
      onChange: function (e) { props.onChange(e.target.value); },
      onFocus: props.setActiveStyle, onBlur: props.setInactiveStyle,
      rows: tag === "textarea" ? 4 : undefined,
    });
  }

  function textControl(tag) {
    return createClass({
      isValid: function () {
        var field = this.props.field, value = this.props.value || "";
        var max = field.get("loa_max"), n = count(value);
        if (field.get("required") && !n && field.get("loa_missing")) {
          return { error: { type: "CUSTOM", message: field.get("loa_missing") } };
        }
        if (max && n > max) {
          return { error: { type: "CUSTOM", message: fill(field.get("loa_message"), { length: n, limit: max, photo: "" }) } };
        }
        return true;
      },
      render: function () {
        var props = this.props, max = props.field.get("loa_max"), n = count(props.value);
        if (!max) return input(tag, props);
        return h("div", null, input(tag, props), h("p", {
          className: "loa-count" + (n > max ? " loa-over" : ""), "aria-live": "polite",
        }, n + "/" + max + " ký tự"));
      },
    });
  }

  // The cover's description: required once there is a cover (the same sentence as `loa check`).
  // Decap re-renders a control only when its own value changes, unless the
  // control says otherwise: this one follows the entry, so that its check sees
  // the cover chosen after it. The same check runs on the whole entry just
  // before saving (preSave, below).
  var AltControl = createClass({
    shouldComponentUpdate: function (next) {
      return next.value !== this.props.value || next.entry !== this.props.entry ||
        next.classNameWrapper !== this.props.classNameWrapper || next.hasActiveStyle !== this.props.hasActiveStyle;
    },
    isValid: function () {
      var entry = this.props.entry, image = entry && entry.getIn(["data", "image"]);
      if (image && !count(this.props.value)) {
        return { error: { type: "CUSTOM", message: this.props.field.get("loa_message") } };
      }
      return true;
    },
    render: function () { return input("input", this.props); },
  });

  function plain(props) { return h("span", null, props.value || ""); }

  // -- Preview: the page with the site's stylesheet, then what each channel receives
  function entryArticle(entry, unit, data, getAsset) {
    var d = entry.get("data");
    var get = function (key) { var v = d.get(key); return v && v.toJS ? v.toJS() : v; };
    var gallery = get("gallery") || [];
    var image = get("image") || (gallery[0] && gallery[0].image) || "";
    var slug = LoaPlan.slugify(get("title") || "") || "bai-viet";
    var path = data.article_url.replace("{category}", unit).replace("{slug}", slug);
    return {
      title: (get("title") || "").normalize("NFC").trim(),
      summary: (get("summary") || "").normalize("NFC").trim(),
      social_text: (get("social_text") || "").normalize("NFC").trim(),
      tags: get("tags") || [],
      source: get("source") || "",
      image: image, gallery: gallery,
      image_url: image ? String(getAsset(image)) : "",
      url: data.site_url + "/" + path,
    };
  }

  function channelBox(channel, article, data) {
    var record = data.platforms[channel.platform] || { label: channel.platform, limits: {} };
    var result = LoaPlan.render(channel.platform, article, record.limits);
    var heading = h("h3", null, record.label + " — " + channel.account);
    if (!result) {
      return h("section", { className: "loa-channel" }, heading,
        h("p", null, "Nội dung gửi lên kênh này có trong kế hoạch đăng ở pull request."));
    }
    var over = result.count > result.limit;
    return h("section", { className: "loa-channel" + (over ? " loa-over" : "") }, heading,
      result.title ? h("p", { className: "loa-channel-title" }, "Tiêu đề: " + result.title) : null,
      h("pre", null, result.text),
      h("p", { className: "loa-count" }, result.count + "/" + result.limit + " " + result.measure));
  }

  function previewFor(unit, data) {
    return createClass({
      render: function () {
        var props = this.props, info = data.units[unit];
        var article = entryArticle(props.entry, unit, data, props.getAsset);
        return h("div", { className: "loa-preview" },
          h("article", { className: "article" },
            h("h1", null, article.title),
            article.summary ? h("p", { className: "summary" }, article.summary) : null,
            article.image_url ? h("img", { src: article.image_url, alt: props.entry.getIn(["data", "image_alt"]) || "" }) : null,
            props.widgetFor("body")),
          h("aside", { className: "loa-channels", "aria-label": "Các kênh sẽ nhận" },
            h("h2", null, "Các kênh sẽ nhận"),
            info.channels.map(function (channel) { return channelBox(channel, article, data); })));
      },
    });
  }

  // -- Sign-in with a fine-grained token (without an OAuth service of the union's own)
  function tokenForm(config, start) {
    var box = document.createElement("main");
    box.className = "loa-signin";
    box.innerHTML =
      '<h1>Phòng biên tập</h1>' +
      '<p>Đăng nhập bằng mã truy cập GitHub (fine-grained token) của bạn — cách tạo mã: xem CONTRIBUTING.md, mục “Viết bài trên điện thoại”.</p>' +
      '<form><label for="loa-token">Mã truy cập GitHub</label>' +
      '<input id="loa-token" name="token" type="password" autocomplete="off" required>' +
      '<button type="submit">Đăng nhập</button><p class="loa-error" role="alert"></p></form>';
    document.body.appendChild(box);
    var form = box.querySelector("form"), error = box.querySelector(".loa-error");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var token = form.token.value.trim();
      var api = (config.backend.api_root || "https://api.github.com").replace(/\/$/, "");
      fetch(api + "/user", { headers: { Authorization: "token " + token } }).then(function (answer) {
        if (!answer.ok) throw new Error(String(answer.status));
        return answer.json();
      }).then(function (user) {
        localStorage.setItem(USER_KEY, JSON.stringify({
          token: token, backendName: "github", login: user.login, name: user.name, avatar_url: user.avatar_url,
        }));
        box.remove();
        start();
      }).catch(function (problem) {
        error.textContent = "GitHub không nhận mã này (" + problem.message + ") — kiểm tra mã còn hạn và có quyền Contents, Pull requests trên kho của trang.";
      });
    });
  }

  fetch(new URL("loa-config.json", here)).then(function (r) { return r.json(); }).then(function (payload) {
    var config = payload.config, data = payload.data;
    CMS.registerWidget("loa-string", textControl("input"), plain);
    CMS.registerWidget("loa-text", textControl("textarea"), plain);
    CMS.registerWidget("loa-alt", AltControl, plain);
    CMS.registerPreviewStyle(new URL("../theme/css/loa.css", here).href);
    CMS.registerPreviewStyle(new URL("loa-cms.css", here).href);
    Object.keys(data.units).forEach(function (unit) { CMS.registerPreviewTemplate(unit, previewFor(unit, data)); });
    // Nothing is written while a rule of `loa check` that spans two fields fails:
    // a thrown value stops the save and Decap shows it after “Không thể giữ lại mục:”.
    CMS.registerEventListener({
      name: "preSave",
      handler: function (event) {
        var d = event.entry.get("data");
        if (d.get("image") && !count(d.get("image_alt"))) throw data.image_alt_missing;
      },
    });
    var start = function () { CMS.init({ config: config }); };
    var local = config.local_backend && ["localhost", "127.0.0.1"].indexOf(location.hostname) >= 0;
    if (local || config.backend.base_url || localStorage.getItem(USER_KEY)) start();
    else tokenForm(config, start);
  });
})();
