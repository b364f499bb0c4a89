// Passerelle's service worker (served at the site's root as /sw.js, see wiki/news/views.py).
//
// - Reading offline: the reading pages a member visits (and a few they follow, see offline.js)
//   are kept, newest first, at most MAX_PAGES, per reader: a page is stored under the reader
//   the server names in its X-Reader header, and the pages of any other reader are dropped as
//   soon as someone else is served. Form tokens are blanked before a page is kept. Offline, a
//   kept page is shown with a notice « hors ligne, version du … ». Logging out empties
//   everything (the server's Clear-Site-Data header).
// - Sending news later: the outbox's background sync (outbox-core.js).
importScripts("static/js/outbox-core.js");

var PAGES = "pages-", STATIC = "static", READER = "reader", MAX_PAGES = 40;
var root = new URL(self.registration.scope).pathname.replace(/\/$/, "");
// Reading pages only: never a form page, an account page or the administration.
var KEPT = /^\/(p\/[^/]+|p\/[^/]+\/historique|groupes(\/[^/]+)?|agenda|appels|decisions|nouvelles|carte)?$/;

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
  if (event.data && event.data.prefetch) { event.waitUntil(prefetch(event.data.prefetch)); }
});

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) { return; }
  var path = url.pathname.slice(root.length) || "/";
  if (path.indexOf("/static/") === 0) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === "navigate" && KEPT.test(path.replace(/\/$/, ""))) {
    event.respondWith(fromNetworkFirst(request));
  }
});

// Static files have content-hashed names: a kept copy never goes stale.
function fromCacheFirst(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (kept) {
      return kept || fetch(request).then(function (response) {
        if (response.ok && /\.[0-9a-f]{10}\./.test(request.url)) { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

function fromNetworkFirst(request) {
  return fetch(request).then(function (response) {
    var copy = response.clone();
    keep(request.url, copy).catch(function () { /* not kept: nothing else changes */ });
    return response;
  }, function () {
    return currentReader().then(function (reader) {
      return reader === null ? undefined : caches.open(PAGES + reader).then(function (cache) { return cache.match(request.url); });
    }).then(function (kept) { return kept ? offlineCopy(kept) : Response.error(); });
  });
}

function currentReader() {
  return caches.open(READER).then(function (cache) { return cache.match("reader"); })
    .then(function (stored) { return stored ? stored.text() : null; });
}

function keep(url, response) {
  var reader = response.headers.get("X-Reader");
  if (!response.ok || reader === null || (response.headers.get("Content-Type") || "").indexOf("text/html") !== 0) {
    return Promise.resolve();
  }
  return currentReader().then(function (previous) {
    if (previous === reader) { return; }
    return caches.keys().then(function (names) {  // someone else now: the other reader's pages go
      return Promise.all(names.filter(function (name) { return name.indexOf(PAGES) === 0; })
        .map(function (name) { return caches.delete(name); }));
    }).then(function () { return caches.open(READER); })
      .then(function (cache) { return cache.put("reader", new Response(reader)); });
  }).then(function () { return response.text(); }).then(function (html) {
    var blank = html.replace(/(name="csrf_token"[^>]*value=")[^"]*"/g, '$1"')
      .replace(/(value=")[^"]*("[^>]*name="csrf_token")/g, '$1$2');
    var headers = {"Content-Type": "text/html; charset=utf-8", "X-Kept-At": String(Date.now())};
    return caches.open(PAGES + reader).then(function (cache) {
      return cache.delete(url).then(function () { return cache.put(url, new Response(blank, {headers: headers})); })
        .then(function () { return cache.keys(); })
        .then(function (keys) {  // oldest first: beyond the bound, they go
          return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map(function (key) { return cache.delete(key); }));
        });
    });
  });
}

// The kept page with the notice the page itself carries in the reader's language (base.html).
function offlineCopy(kept) {
  var at = Number(kept.headers.get("X-Kept-At")) || Date.now();
  return kept.text().then(function (html) {
    var language = (html.match(/<html lang="([^"]+)"/) || [])[1] || "fr";
    var when = new Date(at).toLocaleString(language, {dateStyle: "long", timeStyle: "short"});
    var notice = (html.match(/data-offline="([^"]*)"/) || [])[1] || "Hors ligne : version du {date}.";
    var banner = '<p class="notice offline-notice" role="status">' + notice.replace("{date}", when) + "</p>";
    return new Response(html.replace(/(<main[^>]*>)/, "$1" + banner),
                        {headers: {"Content-Type": "text/html; charset=utf-8"}});
  });
}

// A few followed pages not kept yet (offline.js sends their addresses, at most once a day).
function prefetch(urls) {
  return urls.slice(0, 10).reduce(function (chain, url) {
    return chain.then(function () {
      return currentReader().then(function (reader) {
        return reader === null ? null : caches.open(PAGES + reader).then(function (cache) { return cache.match(url); });
      }).then(function (kept) {
        if (kept) { return; }
        return fetch(url, {credentials: "same-origin"}).then(function (response) { return keep(url, response); });
      }).catch(function () { /* offline again: next time */ });
    });
  }, Promise.resolve());
}
