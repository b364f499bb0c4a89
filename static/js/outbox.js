// The news form on a phone: the news (text and photos shrunk here) goes to the outbox first
// (outbox-core.js), then to the server when there is a connection: now, on the `online`
// event, on the next visit, or from the service worker's background sync. Without this
// script (or without IndexedDB) the form posts normally.
(function () {
  "use strict";
  var outbox = window.PasserelleOutbox;
  var forms = document.querySelectorAll("form.news-form");
  if (!outbox || !window.indexedDB || !window.fetch || !window.Promise || !forms.length) { return; }

  var MAX_SIDE = 1280, QUALITY = 0.8, MAX_PHOTOS = 4;
  // Interface strings: the page gives them in the reader's language (data-messages of base.html's
  // #js-messages, from wiki/js_messages.py); the French ones here stand in for a missing one.
  var FRENCH = {
    outbox_one: "1 nouvelle en attente d'envoi : elle partira quand la connexion reviendra.",
    outbox_many: "{count} nouvelles en attente d'envoi : elles partiront quand la connexion reviendra.",
    outbox_refused: "Nouvelle refusée ({reason}) : « {text} »",
    outbox_drop: "Retirer",
    outbox_logout: "{count} nouvelle(s) pas encore envoyée(s) seront effacées de ce téléphone si vous vous déconnectez. Se déconnecter quand même ?"
  };
  var MESSAGES = (function () {
    try { return JSON.parse(document.getElementById("js-messages").getAttribute("data-messages")) || {}; } catch (e) { return {}; }
  }());
  // The message `key`, each {name} replaced by values[name].
  function t(key, values) {
    var text = typeof MESSAGES[key] === "string" ? MESSAGES[key] : FRENCH[key];
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // Redrawn from its pixels: smaller, and without the phone's metadata (the server strips it too).
  function shrink(file) {
    if (!window.createImageBitmap) { return Promise.resolve(file); }
    return createImageBitmap(file, {imageOrientation: "from-image"}).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });  // not decodable here: the server says what it accepts
  }

  function keep(form) {
    var files = Array.prototype.slice.call(form.querySelector("input[type=file]").files || [], 0, MAX_PHOTOS);
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    return Promise.all(files.map(shrink)).then(function (photos) {
      return outbox.put({id: newId(), action: form.action, token: form.getAttribute("data-token"),
                         reader: Number(form.getAttribute("data-reader")),
                         text: form.elements.text.value, kind: form.elements.kind.value,
                         commune: form.elements.commune.value, photos: photos, created: Date.now()});
    }).then(function () {
      form.reset();
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.ready.then(function (registration) {
          if (registration.sync) { return registration.sync.register("outbox"); }
        }).catch(function () { /* sent on `online` or on the next visit instead */ });
      }
      return deliver();
    }).then(function () { button.disabled = false; }, function () { button.disabled = false; form.submit(); });
  }

  function show() {
    return outbox.all().then(function (entries) {
      var waiting = entries.filter(function (entry) { return !entry.error; }).length;
      var refused = entries.filter(function (entry) { return entry.error; });
      Array.prototype.forEach.call(forms, function (form) {
        var status = form.querySelector(".outbox-status");
        status.textContent = "";
        if (waiting) {
          status.appendChild(document.createTextNode(waiting === 1 ? t("outbox_one") : t("outbox_many", {count: waiting})));
        }
        refused.forEach(function (entry) {
          var line = document.createElement("span");
          line.className = "refused";
          line.textContent = " " + t("outbox_refused", {reason: entry.error, text: entry.text.slice(0, 200)}) + " ";
          var drop = document.createElement("button");
          drop.type = "button";
          drop.className = "secondary";
          drop.textContent = t("outbox_drop");
          drop.addEventListener("click", function () { outbox.remove(entry.id).then(show); });
          line.appendChild(drop);
          status.appendChild(line);
        });
        status.hidden = !waiting && !refused.length;
      });
    });
  }

  function deliver() {
    return show().then(function () {
      if (navigator.onLine === false) { return; }
      return outbox.flush().then(function (result) {
        if (result.sent && !result.failed && !Array.prototype.some.call(forms, function (form) { return form.elements.text.value; })) {
          location.reload();  // the timeline now shows them
          return;
        }
        return show();
      });
    });
  }

  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      keep(form);
    });
  });
  // Logging out empties this phone's storage (the server's Clear-Site-Data): say what would be lost.
  var logout = document.querySelector("form.logout");
  if (logout) {
    logout.addEventListener("submit", function (event) {
      if (logout.getAttribute("data-confirmed")) { return; }
      event.preventDefault();
      outbox.all().then(function (entries) {
        if (!entries.length || window.confirm(t("outbox_logout", {count: entries.length}))) {
          logout.setAttribute("data-confirmed", "1");
          logout.submit();
        }
      });
    });
  }
  window.addEventListener("online", deliver);
  deliver();
})();
