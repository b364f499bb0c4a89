// For members: the service worker (sw.js) keeps the reading pages they open for reading
// offline, and sends the news outbox in the background. This page is handed to it as it is
// shown (the network is not asked twice). On « Mon fil », a button asks it to keep the
// followed pages too: data costs money, so that download is the member's choice.
(function () {
  "use strict";
  var body = document.body;
  if (!("serviceWorker" in navigator) || !body.getAttribute("data-sw") || !window.caches) { return; }
  navigator.serviceWorker.register(body.getAttribute("data-sw")).catch(function () { /* no offline reading here */ });

  function ask(message) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data.kept); };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }

  if (body.getAttribute("data-reader") && !document.querySelector(".offline-notice")) {
    ask({keep: {url: location.href, html: "<!doctype html>\n" + document.documentElement.outerHTML}})
      .catch(function () { /* not kept: the page works the same */ });
  }

  var button = document.querySelector("button.keep-offline");
  if (!button) { return; }
  var status = document.querySelector(".keep-offline-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    fetch(button.getAttribute("data-followed"), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (followed) { return ask({prefetch: followed.urls}); })
      .then(function (kept) { status.textContent = status.getAttribute("data-done").replace("{count}", kept); },
            function () { status.textContent = status.getAttribute("data-failed"); })
      .then(function () { button.disabled = false; status.hidden = false; });
  });
})();
