// Passerelle's service worker (served at the site's root as /sw.js, see wiki/news/views.py).
//
// - Reading offline: offline.js hands over each reading page a member opens (and, when they
//   ask on « Mon fil », the pages they follow); they are kept, at most MAX_PAGES, the oldest
//   dropped first, under the reader the page names (<body data-reader>): when someone else's
//   page comes, the previous reader's pages are dropped. Form tokens are blanked before a
//   page is kept. When the phone is offline, a kept page is shown with a notice « hors ligne,
//   version du … ». Online, pages come from the network as if there were no worker. Logging
//   out empties everything (the server's Clear-Site-Data header).
// - Sending news later: the outbox's background sync (outbox-core.js).
importScripts("static/js/outbox-core.js");

var PAGES = "pages-", READER = "reader", MAX_PAGES = 40;
var root = new URL(self.registration.scope).pathname.replace(/\/$/, "");
// Reading pages only: never a form page, an account page or the administration.
var KEPT = /^(\/(p\/[^/]+|p\/[^/]+\/historique|groupes(\/[^/]+)?|agenda|appels|decisions|nouvelles|carte))?$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("sync", function (event) {
  if (event.tag === "outbox") {
    event.waitUntil(PasserelleOutbox.flush().then(function (result) {
      if (result.failed) { throw new Error("the browser tries again later"); }
    }));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {}, done;
  if (data.keep) { done = keep(data.keep.url, data.keep.html); }
  if (data.prefetch) { done = prefetch(data.prefetch); }
  if (done) {
    event.waitUntil(done.then(function (kept) {
      if (event.ports[0]) { event.ports[0].postMessage({kept: kept}); }
    }));
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.mode !== "navigate" || request.method !== "GET" || self.navigator.onLine) { return; }
  var url = new URL(request.url);
  if (url.origin === location.origin && keptPath(url)) { event.respondWith(offlineCopy(request.url)); }
});

function keptPath(url) {
  return KEPT.test((url.pathname.slice(root.length) || "/").replace(/\/$/, ""));
}

function currentReader() {
  return caches.open(READER).then(function (cache) { return cache.match("reader"); })
    .then(function (stored) { return stored ? stored.text() : null; });
}

// Resolves to 1 when kept, 0 otherwise (a visitor's page, not a reading page).
function keep(url, html) {
  var reader = (html.match(/<body[^>]*\sdata-reader="(\d+)"/) || [])[1];
  if (!reader || !keptPath(new URL(url))) { return Promise.resolve(0); }
  var blank = html.replace(/(name="csrf_token"[^>]*value=")[^"]*"/g, '$1"')
    .replace(/(value=")[^"]*("[^>]*name="csrf_token")/g, '$1$2');
  return currentReader().then(function (previous) {
    if (previous === reader) { return; }
    return caches.keys().then(function (names) {  // someone else now: the previous reader's pages go
      return Promise.all(names.filter(function (name) { return name.indexOf(PAGES) === 0; })
        .map(function (name) { return caches.delete(name); }));
    }).then(function () { return caches.open(READER); })
      .then(function (cache) { return cache.put("reader", new Response(reader)); });
  }).then(function () { return caches.open(PAGES + reader); }).then(function (cache) {
    var headers = {"Content-Type": "text/html; charset=utf-8", "X-Kept-At": String(Date.now())};
    return cache.delete(url).then(function () { return cache.put(url, new Response(blank, {headers: headers})); })
      .then(function () { return cache.keys(); })
      .then(function (keys) {  // oldest first: beyond the bound, they go
        return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map(function (key) { return cache.delete(key); }));
      }).then(function () { return 1; });
  });
}

// The kept page with the notice the page itself carries in the reader's language (base.html).
function offlineCopy(url) {
  return currentReader().then(function (reader) {
    return reader === null ? undefined : caches.open(PAGES + reader).then(function (cache) { return cache.match(url); });
  }).then(function (kept) {
    if (!kept) { return Response.error(); }
    var at = Number(kept.headers.get("X-Kept-At")) || Date.now();
    return kept.text().then(function (html) {
      var language = (html.match(/<html lang="([^"]+)"/) || [])[1] || "fr";
      var when = new Date(at).toLocaleString(language, {dateStyle: "long", timeStyle: "short"});
      var notice = (html.match(/data-offline="([^"]*)"/) || [])[1] || "Hors ligne : version du {date}.";
      var banner = '<p class="notice offline-notice" role="status">' + notice.replace("{date}", when) + "</p>";
      return new Response(html.replace(/(<main[^>]*>)/, "$1" + banner), {headers: {"Content-Type": "text/html; charset=utf-8"}});
    });
  });
}

// The followed pages (« Mon fil » asks for them): resolves to how many are kept now.
function prefetch(urls) {
  var kept = 0;
  return urls.slice(0, MAX_PAGES / 2).reduce(function (chain, path) {
    var url = new URL(path, location.origin).href;
    return chain.then(function () {
      return fetch(url, {credentials: "same-origin"}).then(function (response) {
        return response.ok ? response.text().then(function (html) { return keep(url, html); }) : 0;
      }).then(function (done) { kept += done; }, function () { /* offline again: the others next time */ });
    });
  }, Promise.resolve()).then(function () { return kept; });
}
