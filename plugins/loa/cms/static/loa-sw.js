// Loa's newsroom service worker: later visits start from a cache.
//
// Decap's bundle (vendor/) is pinned (package-lock.json) and its file names
// change only with a new version, which changes VERSION (written by the build
// from the bundle's digest): served from the cache first. The page, Loa's
// scripts and loa-config.json are fetched from the network first (a new build
// shows at once) and the cached copy is used only when the network fails.
// Nothing but this folder's own files is cached; the git host's API never.
// https://developer.mozilla.org/en-US/docs/Web/API/Service_Worker_API/Using_Service_Workers
var VERSION = "__LOA_VERSION__";
var CACHE = "loa-quan-tri-" + VERSION;
var SCOPE = new URL("./", self.location).href;

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("loa-quan-tri-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function keep(request, answer) {
  if (answer && answer.ok && answer.type === "basic") {
    var copy = answer.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return answer;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(SCOPE) !== 0) return;
  var url = new URL(request.url);
  if (url.search) return;
  if (url.href.indexOf(SCOPE + "vendor/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (answer) { return keep(request, answer); });
    }));
    return;
  }
  event.respondWith(fetch(request).then(function (answer) { return keep(request, answer); }, function () {
    return caches.match(request).then(function (hit) { return hit || Response.error(); });
  }));
});
