// The phone's outbox of news from the field, shared by the page (outbox.js) and the service
// worker (sw.js, for background sync): news wait in IndexedDB until the server has them.
// Each one carries the identifier made on the phone (client_id): a send repeated after a cut
// connection gets the news already stored, never a second one.
(function (scope) {
  "use strict";
  var DB = "passerelle-outbox", STORE = "news";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, {keyPath: "id"}); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result;
        var request = action(tx.objectStore(STORE));
        request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() { return run("readonly", function (store) { return store.getAll(); }); }
  function put(entry) { return run("readwrite", function (store) { return store.put(entry); }); }
  function remove(id) { return run("readwrite", function (store) { return store.delete(id); }); }

  // A fresh form token: the page the news was written on may be old, or read offline.
  function token(url) {
    return fetch(url, {credentials: "same-origin", redirect: "manual", headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("not logged in"); }
        return response.json();
      });
  }

  // 1 when stored (or already stored), 0 when refused (kept with the reason); throws to retry later.
  function send(entry, csrf) {
    var data = new FormData();
    data.append("csrf_token", csrf);
    data.append("client_id", entry.id);
    data.append("text", entry.text);
    data.append("kind", entry.kind || "");
    data.append("commune", entry.commune || "");
    (entry.photos || []).forEach(function (photo, index) { data.append("photos", photo, "photo-" + (index + 1) + ".jpg"); });
    return fetch(entry.action, {method: "POST", body: data, credentials: "same-origin", redirect: "manual",
                                headers: {Accept: "application/json"}})
      .then(function (response) {
        if (response.ok) { return remove(entry.id).then(function () { return 1; }); }
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            entry.error = body.message || String(response.status);
            return put(entry).then(function () { return 0; });
          });
        }
        throw new Error("retry later: " + response.status);
      });
  }

  var flushing = null;

  // Send what waits, oldest first; resolves to {sent, failed}. One flush at a time per context.
  function flush() {
    if (flushing) { return flushing; }
    var sent = 0;
    flushing = all().then(function (entries) {
      var waiting = entries.filter(function (entry) { return !entry.error; })
        .sort(function (a, b) { return a.created - b.created; });
      if (!waiting.length) { return; }
      return token(waiting[0].token).then(function (session) {
        // Only the news of who is logged in now: a shared phone never sends one member's news as another's.
        return waiting.filter(function (entry) { return entry.reader === session.reader; })
          .reduce(function (chain, entry) {
            return chain.then(function () { return send(entry, session.csrf_token).then(function (n) { sent += n; }); });
          }, Promise.resolve());
      });
    }).then(function () { return {sent: sent, failed: false}; },
            function () { return {sent: sent, failed: true}; })
      .then(function (result) { flushing = null; return result; });
    return flushing;
  }

  scope.PasserelleOutbox = {all: all, put: put, remove: remove, flush: flush};
})(self);
