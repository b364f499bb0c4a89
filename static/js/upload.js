// Attachments: drag and drop, a progress bar, and big photos shrunk in the browser before
// they cross a slow link. Without JavaScript the plain form sends the files as they are.
(function () {
  "use strict";
  var form = document.querySelector("form.upload");
  if (!form || !window.FormData || !window.XMLHttpRequest || !window.Promise) { return; }
  var input = form.querySelector("input[type=file]");
  var progress = form.querySelector(".upload-progress");
  var status = form.querySelector(".upload-status");
  var hint = form.querySelector(".upload-drop-hint");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
  var LONG_SIDE = 1600;  // what the server keeps anyway
  var SHRINK_ABOVE = 500 * 1024;  // bytes; smaller photos go as they are
  var PHOTO = /^image\/(jpeg|png|webp)$/;
  var LANG = document.documentElement.lang || "fr";  // numbers in the page's language, by the browser

  // Interface strings: the page gives them in the reader's language (data-messages of base.html's
  // #js-messages, from wiki/js_messages.py); the French ones here stand in for a missing one.
  var FRENCH = {
    upload_choose: "Choisissez un fichier à joindre.",
    upload_preparing: "Préparation…",
    upload_file_too_big: "{name} : fichier trop volumineux ({size} Mo au plus).",
    upload_sending: "Envoi de {size} Ko…",
    upload_progress: "Envoi : {loaded} Ko sur {total} Ko",
    upload_done: "Fichiers joints. Actualisation de la page…",
    upload_too_big: "Envoi trop volumineux : {size} Mo au plus par fichier.",
    upload_failed: "L'envoi a échoué (erreur {status}).",
    upload_interrupted: "La connexion a été interrompue ; rien n'a été enregistré pour le fichier en cours. Réessayez."
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
  function number(n) {
    try { return n.toLocaleString(LANG); } catch (unknownLanguage) { return String(n); }
  }
  function kilobytes(bytes) { return number(Math.round(bytes / 1024)); }
  var maxMegabytes = number(Math.floor(maxBytes / 1048576));

  if (hint) { hint.hidden = false; }

  function say(text, isError) {
    status.textContent = text;
    status.className = "upload-status" + (isError ? " error" : "");
  }

  // A canvas copy at most LONG_SIDE px, as JPEG. The photo is decoded with createImageBitmap:
  // the site's CSP (img-src 'self') refuses blob: and data: addresses, so an <img> cannot load
  // it. Drawn upright (EXIF orientation), and the copy carries no metadata. On any failure,
  // or in a browser without createImageBitmap, send the original (the server shrinks it).
  function decode(file) {
    return createImageBitmap(file, {imageOrientation: "from-image"})
      .catch(function () { return createImageBitmap(file); });
  }

  function shrink(file) {
    if (!PHOTO.test(file.type) || file.size <= SHRINK_ABOVE || !window.createImageBitmap ||
        !document.createElement("canvas").toBlob) {
      return Promise.resolve(file);
    }
    return decode(file).then(function (bitmap) {
      var scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      var context = canvas.getContext("2d");
      if (file.type !== "image/jpeg") {  // JPEG has no transparency: white, not black
        context.fillStyle = "#fff";
        context.fillRect(0, 0, canvas.width, canvas.height);
      }
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          try {
            resolve(blob && blob.size < file.size ? new File([blob], file.name, {type: "image/jpeg"}) : file);
          } catch (noFileConstructor) {
            resolve(file);
          }
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  function send(files) {
    if (!files.length) { say(t("upload_choose"), true); return; }
    say(t("upload_preparing"));
    Promise.all(Array.prototype.map.call(files, shrink)).then(function (ready) {
      var data = new FormData();
      data.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
      var total = 0;
      for (var i = 0; i < ready.length; i++) {
        if (maxBytes && ready[i].size > maxBytes) {
          say(t("upload_file_too_big", {name: ready[i].name, size: maxMegabytes}), true);
          return;
        }
        total += ready[i].size;
        data.append("file", ready[i], ready[i].name);
      }
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("Accept", "application/json");
      progress.hidden = false;
      progress.value = 0;
      request.upload.onprogress = function (event) {
        if (event.lengthComputable) {
          progress.value = Math.round(100 * event.loaded / event.total);
          say(t("upload_progress", {loaded: kilobytes(event.loaded), total: kilobytes(event.total)}));
        }
      };
      request.onload = function () {
        var answer = null;
        try { answer = JSON.parse(request.responseText); } catch (ignored) { answer = null; }
        if (request.status >= 200 && request.status < 300) {
          say(t("upload_done"));
          window.location.hash = "fichiers";
          window.location.reload();
        } else if (request.status === 413) {
          progress.hidden = true;
          say(t("upload_too_big", {size: maxMegabytes}), true);
        } else {
          progress.hidden = true;
          say(answer && answer.message ? answer.message : t("upload_failed", {status: request.status}), true);
        }
      };
      request.onerror = function () {
        progress.hidden = true;
        say(t("upload_interrupted"), true);
      };
      say(t("upload_sending", {size: kilobytes(total)}));
      request.send(data);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.files);
  });
  ["dragenter", "dragover"].forEach(function (name) {
    form.addEventListener(name, function (event) {
      event.preventDefault();
      form.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    form.addEventListener(name, function () { form.classList.remove("dragging"); });
  });
  form.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files) { send(event.dataTransfer.files); }
  });
}());
