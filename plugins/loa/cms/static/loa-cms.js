// Loa's newsroom: the form's checks, the preview of each channel's text, and
// sign-in with a GitHub token, around Decap CMS (window.CMS, window.h,
// window.createClass: https://decapcms.org/docs/custom-widgets/).
(function () {
  "use strict";
  var here = new URL(".", document.currentScript.src);
  var USER_KEY = window.LoaBoot.USER_KEY; // where Decap keeps the signed-in user

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

  // -- Where to post: Decap's multiple select of the unit's platforms, and a box
  // that writes `syndicate: false` (post nowhere) — a value a select cannot hold.
  function syndicateControl(SelectControl) {
    return createClass({
      render: function () {
        var props = this.props, off = props.value === false, id = "khong-dang-" + props.forID;
        return h("div", null,
          h("p", { className: "loa-off" },
            h("input", { type: "checkbox", id: id, checked: off, onChange: function (event) {
              props.onChange(event.target.checked ? false : null);
            } }),
            h("label", { htmlFor: id }, " " + props.field.get("loa_off"))),
          off ? null : h(SelectControl, Object.assign({}, props, { value: props.value || null })));
      },
    });
  }

  // -- The video's transcript: `true` (the article's body already tells what is
  // said and shown) or the text itself, as frontmatter/video.py reads it.
  var TranscriptControl = createClass({
    render: function () {
      var props = this.props, whole = props.value === true, id = "loi-thoai-" + props.forID;
      return h("div", null,
        h("p", { className: "loa-off" },
          h("input", { type: "checkbox", id: id, checked: whole, onChange: function (event) {
            props.onChange(event.target.checked ? true : "");
          } }),
          h("label", { htmlFor: id }, " " + props.field.get("loa_body"))),
        whole ? null : input("textarea", Object.assign({}, props, { value: typeof props.value === "string" ? props.value : "" })));
    },
  });

  function transcriptPreview(props) {
    return h("span", null, props.value === true ? props.field.get("loa_body") : props.value || "");
  }

  // A video block filled in part is what `loa check` refuses: the same sentence,
  // under the block (its control's check) and again just before saving (preSave).
  // An empty block is no video: it is left out of the file.
  function videoFilled(v) {
    return Object.keys(v).some(function (key) {
      var value = v[key];
      return value === true || (value !== false && value !== null && value !== undefined && String(value).trim() !== "");
    });
  }

  function videoProblem(video, messages) {
    var v = video && video.toJS ? video.toJS() : null;
    if (!v || !videoFilled(v)) return "";
    if (!String(v.src || "").trim()) return messages.src;
    if (!String(v.captions || "").trim()) return messages.captions;
    if (v.transcript !== true && !String(v.transcript || "").trim()) return messages.transcript;
    return "";
  }

  function checkVideo(data, messages) {
    var video = data.get("video");
    if (!video || !video.toJS) return data;
    if (!videoFilled(video.toJS())) return data.delete("video");
    var problem = videoProblem(video, messages);
    if (problem) throw problem;
    return data;
  }

  // Decap's object control, with the video block's own check on top of its fields'.
  function objectControl(ObjectControl) {
    return createClass({
      isValid: function () {
        var messages = this.props.field.get("loa_video");
        var problem = messages && videoProblem(this.props.value, messages.toJS ? messages.toJS() : messages);
        if (problem) return { error: { type: "CUSTOM", message: problem } };
        return this.inner && this.inner.isValid ? this.inner.isValid() : true;
      },
      render: function () {
        var self = this;
        return h(ObjectControl, Object.assign({}, this.props, { ref: function (node) { self.inner = node; } }));
      },
    });
  }

  // The video in the preview as the site shows it: the player (no autoplay,
  // nothing loaded before play), Vietnamese captions on by default — an SRT
  // file is turned into WebVTT here, the only format a <track> reads — and the
  // transcript under it.
  function toVtt(text) {
    if (/^\uFEFF?WEBVTT/.test(text)) return text;
    return "WEBVTT\n\n" + text.replace(/\r/g, "").replace(/(\d\d:\d\d:\d\d),(\d\d\d)/g, "$1.$2");
  }

  var VideoPreview = createClass({
    getInitialState: function () { return { vtt: "" }; },
    componentDidMount: function () { this.load(); },
    componentDidUpdate: function (before) { if (before.captions !== this.props.captions) this.load(); },
    load: function () {
      var self = this, url = this.props.captions;
      if (!url) { self.setState({ vtt: "" }); return; }
      fetch(url).then(function (answer) { return answer.ok ? answer.text() : ""; }).then(function (text) {
        self.setState({ vtt: text ? URL.createObjectURL(new Blob([toVtt(text)], { type: "text/vtt" })) : "" });
      }).catch(function () { self.setState({ vtt: "" }); });
    },
    render: function () {
      var props = this.props, words = props.transcript;
      return h("figure", { className: "video loa-video" },
        h("figcaption", { className: "video-title" }, "Video: " + props.title + " (có phụ đề tiếng Việt)"),
        h("video", { controls: true, preload: "none", playsInline: true, poster: props.poster || undefined, src: props.src },
          this.state.vtt ? h("track", { kind: "captions", srcLang: "vi", label: "Tiếng Việt", src: this.state.vtt, default: true }) : null),
        words === true
          ? h("p", { className: "video-note" }, "Lời thoại và mô tả hình ảnh của video nằm trong bài viết dưới đây.")
          : h("section", { className: "video-transcript" }, h("h2", null, "Lời thoại và mô tả video"),
            String(words || "").split("\n\n").map(function (part, i) { return h("p", { key: i }, part); })));
    },
  });

  // The files are named from content/ (videos/<unit>/…), where Decap's media
  // library does not look: the preview reads them from the site (a clip, poster
  // or caption file already published) or from their https address. A file that
  // is only in this pull request is not there yet: the player and the
  // transcript still show, without captions.
  function videoFor(entry, title) {
    var video = entry.getIn(["data", "video"]), v = video && video.toJS ? video.toJS() : null;
    if (!v || !String(v.src || "").trim()) return null;
    var file = function (path) {
      path = String(path || "").trim();
      if (!path) return "";
      return /^https:\/\//.test(path) ? path : new URL("../" + path.replace(/^\/+/, ""), here).href;
    };
    return h(VideoPreview, {
      title: title, src: file(v.src), captions: file(v.captions), poster: file(v.poster), transcript: v.transcript,
    });
  }

  // -- The album: Decap's own list, with "Thêm nhiều ảnh" above it — several
  // photos picked at once, each prepared by loa-photos.js, stored with the entry
  // (they travel in its pull request) and added as the album's next items.
  function albumControl(ListControl) {
    return createClass({
      getInitialState: function () { return { generation: 0 }; },
      isValid: function () { return this.inner && this.inner.isValid ? this.inner.isValid() : true; },
      add: function (files) {
        var props = this.props, self = this, field = props.field;
        var imageField = field.get("fields").find(function (f) { return f.get("name") === "image"; });
        var folder = (props.collection && props.collection.get("public_folder")) || "";
        var items = props.value && props.value.size !== undefined ? props.value : field.get("fields").clear();
        return files.reduce(function (chain, file) {
          return chain.then(function () {
            return Promise.resolve(props.onPersistMedia(file, { field: imageField })).then(function (done) {
              var name = (done && done.payload && done.payload.name) || file.name;
              items = items.push(field.clear().set("image", folder ? folder + "/" + name : name).set("alt", ""));
            });
          });
        }, Promise.resolve()).then(function () {
          props.onChange(items);
          self.setState({ generation: self.state.generation + 1 }); // Decap's list keeps one key per item it was given
        });
      },
      pickerRef: function (node) {
        var self = this;
        if (node) node.loaHandle = function (files) { self.add(files); };
      },
      render: function () {
        var self = this, props = this.props;
        // After photos are added, the album opens every item: each needs its description.
        var list = h(ListControl, Object.assign({}, props, {
          key: "album-" + this.state.generation, ref: function (node) { self.inner = node; },
          field: this.state.generation ? props.field.set("collapsed", false) : props.field,
        }));
        if (!props.field.get("loa_album")) return list;
        var id = "nhieu-anh-" + props.forID;
        return h("div", null,
          h("div", { className: "loa-album-pick" },
            h("input", { id: id, type: "file", accept: "image/*", multiple: true, ref: this.pickerRef, className: "loa-album-input" }),
            h("label", { htmlFor: id, className: "loa-album-button" }, "Thêm nhiều ảnh vào album"),
            h("p", { className: "loa-count" }, "Chọn một lần nhiều ảnh từ điện thoại; ảnh được thu nhỏ, xoay đúng chiều và bỏ vị trí chụp trước khi tải lên.")),
          list);
      },
    });
  }

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
    var result = LoaPlan.render(channel.platform, article, record);
    var heading = h("h3", null, record.label + " — " + channel.name);
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
        var channels = LoaRoutes.routes(info, props.entry.getIn(["data", "syndicate"]));
        return h("div", { className: "loa-preview" },
          h("article", { className: "article" },
            h("h1", null, article.title),
            article.summary ? h("p", { className: "summary" }, article.summary) : null,
            article.image_url ? h("img", { src: article.image_url, alt: props.entry.getIn(["data", "image_alt"]) || "" }) : null,
            videoFor(props.entry, article.title),
            props.widgetFor("body")),
          h("aside", { className: "loa-channels", "aria-label": "Các kênh sẽ nhận" },
            h("h2", null, "Các kênh sẽ nhận"),
            channels.length ? channels.map(function (channel) { return channelBox(channel, article, data); })
              : h("p", { className: "loa-none" }, "Bài này không đăng lên kênh nào (chỉ hiện trên trang).")));
      },
    });
  }

  // -- Nothing here writes to the default branch. In the editorial workflow an
  // article and the photos picked while writing it go to the entry's branch
  // (its pull request); only these backend calls write to the default branch:
  // an upload or deletion from the standalone media library, deleting a
  // published article or picture, and "publish" (a merge that would bypass the
  // unit's reviewers). They are refused whatever the screen offers
  // (Backend in decap-cms-core/src/backend.ts calls implementation.persistMedia,
  // deleteFiles and publishUnpublishedEntry); the screen offers none of them.
  var REFUSED = {
    persistMedia: "Ảnh chỉ được tải lên trong lúc viết một bài: hãy mở bài rồi chọn ảnh ở đó.",
    deleteFiles: "Phòng biên tập không xoá gì trên trang đã đăng: hãy nhờ ban quản trị của đơn vị.",
    deleteFile: "Phòng biên tập không xoá gì trên trang đã đăng: hãy nhờ ban quản trị của đơn vị.",
    publishUnpublishedEntry: "Bài được đăng khi ban quản trị của đơn vị duyệt pull request, không đăng từ đây.",
  };

  function guardBackend(name) {
    var entry = CMS.getBackend(name);
    if (!entry || entry.loaGuarded) return;
    var init = entry.init;
    entry.init = function () {
      var implementation = init.apply(this, arguments);
      Object.keys(REFUSED).forEach(function (method) {
        if (typeof implementation[method] === "function") {
          implementation[method] = function () { return Promise.reject(new Error(REFUSED[method])); };
        }
      });
      return implementation;
    };
    entry.loaGuarded = true;
  }

  // What the screen does not offer: the standalone media library (the header's
  // "Ảnh" button and its #/media address), the media library's "delete", the
  // workflow's "ready to publish" state (publishing is the admins' merge).
  // Decap writes its media notices in English whatever the locale
  // (decap-cms-core/src/actions/mediaLibrary.ts: `Failed to persist media: ${error}`,
  // `Failed to delete media: ${error.message}`); the reason after the colon is
  // Loa's own Vietnamese (REFUSED above), so only the beginning is put in Vietnamese.
  var ENGLISH_NOTICES = [
    [/^Failed to persist media: (?:Error: )?/, "Không tải ảnh lên được: "],
    [/^Failed to delete media: (?:Error: )?/, "Không xoá được: "],
  ];
  function inVietnamese(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      for (var i = 0; i < ENGLISH_NOTICES.length; i++) {
        var rule = ENGLISH_NOTICES[i];
        if (rule[0].test(node.data)) node.data = node.data.replace(rule[0], rule[1]);
      }
    }
  }

  function tidy(words) {
    var hidden = [
      ["header button, header a", words.app.header.media],
      ["button", LoaLocale.words.mediaLibrary.mediaLibraryModal.deleteSelected],
      ["[role=menuitem]", words.editor.editorToolbar.ready],
    ];
    var toggle = previewToggle();
    function sweep() {
      if (/^#\/media/.test(location.hash)) location.replace("#/");
      document.querySelectorAll(".Toastify__toast").forEach(inVietnamese);
      var editing = document.querySelector('[class*="ControlPaneContainer"]');
      if (editing && !toggle.isConnected) document.body.appendChild(toggle);
      if (!editing && toggle.isConnected) { toggle.remove(); toggle.show(false); }
      hidden.forEach(function (rule) {
        document.querySelectorAll(rule[0]).forEach(function (node) {
          if (node.textContent.trim() === rule[1] && !node.hidden) { node.hidden = true; node.style.display = "none"; }
        });
      });
    }
    new MutationObserver(sweep).observe(document.body, { childList: true, subtree: true });
    window.addEventListener("hashchange", sweep);
    sweep();
  }

  // On a phone the editor shows the form or the preview, one tap apart (the
  // preview at the screen's full height); from 800 px Decap's split view keeps
  // the preview beside the form and the button is not shown (loa-cms.css).
  function previewToggle() {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "loa-preview-toggle";
    button.show = function (on) {
      document.body.classList.toggle("loa-preview-on", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "Quay lại soạn bài" : "Xem trước";
      if (on) window.scrollTo(0, 0);
    };
    button.addEventListener("click", function () {
      button.show(!document.body.classList.contains("loa-preview-on"));
    });
    button.show(false);
    return button;
  }

  // -- Before the token stops working (the day is asked at sign-in: loa-boot.js).
  // From WARN_DAYS before it, the newsroom says so at the top of every screen,
  // when it opens and every hour it stays open, with what to do.
  var Boot = window.LoaBoot, daysLeft = Boot.daysLeft, showDay = Boot.showDay, WARN_DAYS = Boot.WARN_DAYS;

  // What the officer reads: how long is left, and what to do before then.
  function reminderText(expires) {
    var days = daysLeft(expires), day = showDay(expires);
    var todo = "tạo mã mới theo hướng dẫn, bấm “Đổi mã” và dán mã mới. Bài đã lưu không mất; bài đang viết, hãy lưu trước.";
    if (days < 0) return { urgent: true, text: "Mã truy cập GitHub của bạn đã hết hạn ngày " + day + ": GitHub không nhận bài lưu bằng mã này nữa. Hãy " + todo };
    if (days === 0) return { urgent: true, text: "Mã truy cập GitHub của bạn hết hạn hôm nay (" + day + "). Ngay bây giờ, " + todo };
    if (days <= WARN_DAYS) return { urgent: false, text: "Mã truy cập GitHub của bạn hết hạn sau " + days + " ngày, ngày " + day + ". Trước ngày đó, " + todo };
    return null;
  }

  function reminder(config) {
    var bar = document.createElement("div"), hidden = false;
    bar.className = "loa-expiry";
    function login() {
      try { var user = JSON.parse(localStorage.getItem(USER_KEY) || "null"); } catch (problem) { return null; }
      return user && user.backendName === "github" && user.token ? user.login || "" : null;
    }
    function button(label, action) {
      var b = document.createElement("button");
      b.type = "button"; b.textContent = label; b.addEventListener("click", action);
      return b;
    }
    function askDay(who) {
      bar.textContent = "";
      var p = document.createElement("p"), input = document.createElement("input"), label = document.createElement("label");
      p.textContent = "Phòng biên tập chưa biết ngày hết hạn của mã truy cập GitHub bạn đang dùng. Ghi ngày đó (GitHub ghi trong danh sách mã của bạn) để được nhắc trước khi mã hết hạn.";
      input.type = "date"; input.id = "loa-expiry-day"; label.htmlFor = input.id; label.textContent = "Ngày hết hạn của mã";
      bar.append(p, label, input, button("Ghi nhớ", function () {
        if (input.value) { Boot.remember(who, input.value); check(); }
      }), button("Để sau", function () { hidden = true; bar.remove(); }));
      bar.setAttribute("role", "status");
    }
    function check() {
      var who = login();
      if (who === null || hidden) { bar.remove(); return; }
      var expires = Boot.remembered(who);
      if (!expires) askDay(who);
      else {
        var said = reminderText(expires);
        if (!said) { bar.remove(); return; }
        bar.textContent = "";
        var p = document.createElement("p"), guide = document.createElement("a");
        p.textContent = said.text + " ";
        guide.href = Boot.guideLink(config); guide.textContent = "Cách tạo mã mới";
        p.appendChild(guide);
        bar.append(p, button("Đổi mã", function () { Boot.tokenForm(config, null, true); }));
        if (!said.urgent) bar.append(button("Để sau", function () { hidden = true; bar.remove(); }));
        bar.setAttribute("role", said.urgent ? "alert" : "status");
        bar.classList.toggle("loa-expiry-urgent", said.urgent);
      }
      if (!bar.isConnected) document.body.insertBefore(bar, document.body.firstChild);
    }
    check();
    setInterval(function () { hidden = false; check(); }, 3600 * 1000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) check(); });
  }

  Boot.config.then(function (payload) {
    var loading = document.getElementById("loa-loading");
    if (loading) loading.remove();
    var config = payload.config, data = payload.data;
    CMS.registerWidget("loa-string", textControl("input"), plain);
    CMS.registerWidget("loa-text", textControl("textarea"), plain);
    CMS.registerWidget("loa-alt", AltControl, plain);
    CMS.registerWidget("loa-transcript", TranscriptControl, transcriptPreview);
    LoaLocale.register(CMS);
    ["github", "proxy", "git-gateway", "gitlab", "gitea", "bitbucket", "azure"].forEach(guardBackend);
    tidy(LoaLocale.words);
    var select = CMS.getWidget("select");
    CMS.registerWidget("loa-syndicate", syndicateControl(select.control), select.preview);
    var object = CMS.getWidget("object");
    CMS.registerWidget({
      name: "object", controlComponent: objectControl(object.control), previewComponent: object.preview,
      schema: object.schema, globalStyles: object.globalStyles, allowMapValue: object.allowMapValue,
    });
    var list = CMS.getWidget("list");
    CMS.registerWidget({
      name: "list", controlComponent: albumControl(list.control), previewComponent: list.preview,
      schema: list.schema, globalStyles: list.globalStyles, allowMapValue: list.allowMapValue,
    });
    LoaPhotos.configure(data.photos);
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
        return checkVideo(d, data.video_missing);
      },
    });
    // Served locally (make serve, make newsroom), the header's link to the site is this server, whatever its port.
    if (["localhost", "127.0.0.1"].indexOf(location.hostname) >= 0 && /\/\/(localhost|127\.0\.0\.1)[:/]/.test(config.site_url || "")) {
      config.site_url = config.display_url = location.origin + new URL("..", here).pathname.replace(/\/$/, "");
    }
    // Signed in (or another route): loa-boot.js loaded Decap and this script for it.
    CMS.init({ config: config });
    if (!Boot.isLocal(config) && !config.backend.base_url) reminder(config); // the token route: its end is known
  });
})();
