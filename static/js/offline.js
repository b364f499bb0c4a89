// For members: the service worker (sw.js) that keeps visited pages readable offline and sends
// the news outbox in the background; once a day, a few followed pages it does not hold yet.
(function () {
  "use strict";
  var body = document.body;
  if (!("serviceWorker" in navigator) || !body.getAttribute("data-sw")) { return; }
  navigator.serviceWorker.register(body.getAttribute("data-sw")).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    var last = Number(localStorage.getItem("passerelle-prefetch") || 0);
    if (!navigator.onLine || Date.now() - last < 24 * 3600 * 1000 || !registration.active) { return; }
    localStorage.setItem("passerelle-prefetch", String(Date.now()));
    return fetch(body.getAttribute("data-followed"), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {urls: []}; })
      .then(function (followed) { registration.active.postMessage({prefetch: followed.urls}); });
  }).catch(function () { /* no offline reading on this browser */ });
})();
