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
    if (!files.length) { say("Choisissez un fichier à joindre.", true); return; }
    say("Préparation…");
    Promise.all(Array.prototype.map.call(files, shrink)).then(function (ready) {
      var data = new FormData();
      data.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
      var total = 0;
      for (var i = 0; i < ready.length; i++) {
        if (maxBytes && ready[i].size > maxBytes) {
          say(ready[i].name + " : fichier trop volumineux (" + Math.floor(maxBytes / 1048576) + " Mo au plus).", true);
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
          say("Envoi : " + Math.round(event.loaded / 1024) + " Ko sur " + Math.round(event.total / 1024) + " Ko");
        }
      };
      request.onload = function () {
        var answer = null;
        try { answer = JSON.parse(request.responseText); } catch (ignored) { answer = null; }
        if (request.status >= 200 && request.status < 300) {
          say("Fichiers joints. Actualisation de la page…");
          window.location.hash = "fichiers";
          window.location.reload();
        } else if (request.status === 413) {
          progress.hidden = true;
          say("Envoi trop volumineux : " + Math.floor(maxBytes / 1048576) + " Mo au plus par fichier.", true);
        } else {
          progress.hidden = true;
          say(answer && answer.message ? answer.message : "L'envoi a échoué (erreur " + request.status + ").", true);
        }
      };
      request.onerror = function () {
        progress.hidden = true;
        say("La connexion a été interrompue ; rien n'a été enregistré pour le fichier en cours. Réessayez.", true);
      };
      say("Envoi de " + Math.round(total / 1024) + " Ko…");
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
