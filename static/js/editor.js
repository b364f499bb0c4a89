// Editing forms, better with JavaScript. Without it the forms post as usual; with it,
// <form data-editor> and its Markdown textareas (textarea.editor, textarea.markdown) get:
// - a toolbar of real buttons, and a live preview rendered by the server (POST data-preview,
//   the same sanitizer as saved pages);
// - a draft of the whole form in localStorage, saved every few seconds and before each
//   submit, offered back with a banner on return, removed once the server has saved it;
// - a warning before leaving with unsaved changes;
// - a submit through fetch(), so that a dropped connection leaves the text in the form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-editor]");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }

  var KEY = "passerelle-brouillon:" + form.getAttribute("data-editor") + ":" + form.getAttribute("action");
  var LANG = document.documentElement.lang || "fr";  // dates in the page's language, by the browser
  var base = form.elements.base_revision;
  var submitButton = form.querySelector("[type=submit]");
  var areas = form.querySelectorAll("textarea.editor, textarea.markdown");
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  // Interface strings: the page gives them in the reader's language (data-messages of base.html's
  // #js-messages, from wiki/js_messages.py); the French ones here stand in for a missing one.
  var FRENCH = {
    offline_kept: "Pas de connexion : votre texte n'est pas perdu, il est gardé sur cet appareil. Réessayez quand la connexion revient.",
    offline_in_form: "Pas de connexion : votre texte est toujours dans ce formulaire. Gardez cette page ouverte et réessayez quand la connexion revient.",
    back_online: "La connexion est revenue : vous pouvez enregistrer.",
    slow_connection: "La connexion est lente, l'envoi continue. Votre texte est gardé sur cet appareil.",
    saving: "Enregistrement…",
    server_down: "Le serveur ne répond pas : votre texte n'est pas perdu, il est gardé sur cet appareil. Réessayez dans un moment.",
    text_kept: "Votre texte est gardé sur cet appareil.",
    draft_found_label: "Brouillon retrouvé",
    draft_found: "Un brouillon non enregistré du {when} a été retrouvé.",
    draft_time: "{date}, {hours} h {minutes}",
    draft_page_changed: "La page a changé depuis : en enregistrant, vos modifications seront fusionnées avec la nouvelle version.",
    draft_restore: "Reprendre le brouillon",
    draft_discard: "Ignorer",
    toolbar_label: "Mise en forme",
    bold: "Gras",
    bold_sample: "texte en gras",
    italic: "Italique",
    italic_sample: "texte en italique",
    heading: "Titre",
    heading_label: "Titre de section",
    list: "Liste",
    list_label: "Liste à puces",
    list_sample: "élément",
    link: "Lien",
    link_label: "Lien vers un site web",
    link_sample: "texte du lien",
    wiki_link_label: "Lien vers une page du wiki [[Page]]",
    wiki_link_sample: "Titre de la page",
    preview: "Aperçu",
    preview_label: "Aperçu du texte",
    preview_offline: "Aperçu indisponible : pas de connexion.",
    preview_error: "L'aperçu n'est pas disponible (erreur {status})."
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

  function make(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  // Form state ----------------------------------------------------------------
  // name → values of every control the user fills in (not the token nor the base revision).
  function fields() {
    var state = {};
    each(form.elements, function (c) {
      if (!c.name || /^(hidden|submit|button|file)$/.test(c.type)) { return; }
      var values = state[c.name] || (state[c.name] = []);
      if (c.type === "checkbox" || c.type === "radio") {
        if (c.checked) { values.push(c.value); }
      } else if (c.multiple) {
        each(c.selectedOptions, function (o) { values.push(o.value); });
      } else {
        values.push(c.value);
      }
    });
    return state;
  }

  function restore(state) {
    each(form.elements, function (c) {
      var values = state[c.name];
      if (!values || /^(hidden|submit|button|file)$/.test(c.type)) { return; }
      if (c.type === "checkbox" || c.type === "radio") {
        c.checked = values.indexOf(c.value) >= 0;
      } else if (c.multiple) {
        each(c.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
      } else {
        c.value = values.length ? values.shift() : "";
      }
    });
    // Other scripts (the sheet's region → cercle filter) follow the restored choices.
    each(form.querySelectorAll("select"), function (s) { s.dispatchEvent(new Event("change")); });
  }

  // Drafts ----------------------------------------------------------------------
  // One draft per user and form address. The base revision is stored with the text rather than
  // in the key: a draft written on version 3 must still be found once version 4 exists, and it
  // is sent back with base 3, so that the server merges (or shows the conflict) instead of
  // taking it for an edit of version 4.
  function readDraft() {
    try { return JSON.parse(localStorage.getItem(KEY)); } catch (e) { return null; }
  }
  function writeDraft(state) {
    try {
      localStorage.setItem(KEY, JSON.stringify({time: Date.now(), base: base ? base.value : "", fields: state}));
      return true;
    } catch (e) { return false; }  // storage full or refused (private browsing)
  }
  function dropDraft() {
    try { localStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
  }

  var initial = JSON.stringify(fields());
  // A form sent back by the server (errors, conflict) holds text that is not saved yet.
  var baseline = form.hasAttribute("data-unsaved") ? null : initial;
  var lastSaved = null, pending = readDraft(), leaving = false, sending = false, banner = null;
  if (pending && !(pending.fields && pending.time)) { pending = null; }  // not one of ours
  if (pending && JSON.stringify(pending.fields) === initial) {
    if (baseline !== null) { dropDraft(); }  // already saved on the server
    pending = null;
  }

  function dirty() { return JSON.stringify(fields()) !== baseline; }

  function autosave() {
    if (pending) { return; }  // keep the draft found on arrival until the user answers
    var state = fields(), text = JSON.stringify(state);
    if (text === lastSaved) { return; }
    lastSaved = text;
    if (text === baseline) { dropDraft(); } else { writeDraft(state); }
  }
  setInterval(autosave, 3000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { autosave(); }
  });

  function when(time) {
    var d = new Date(time), options = {day: "numeric", month: "long"};
    if (d.getFullYear() !== new Date().getFullYear()) { options.year = "numeric"; }
    return t("draft_time", {date: d.toLocaleDateString(LANG, options), hours: d.getHours(),
      minutes: ("0" + d.getMinutes()).slice(-2)});
  }

  function closeBanner() {
    pending = null;
    if (banner) { banner.remove(); banner = null; }
    (areas[0] || form.elements[0]).focus();
  }

  if (pending) {
    banner = make("div", {"class": "draft-banner", role: "region", "aria-label": t("draft_found_label")});
    var text = t("draft_found", {when: when(pending.time)});
    if (base && pending.base && pending.base !== base.value) {
      text += " " + t("draft_page_changed");
    }
    var take = make("button", {type: "button"}, t("draft_restore"));
    var skip = make("button", {type: "button", "class": "secondary"}, t("draft_discard"));
    take.addEventListener("click", function () {
      restore(pending.fields);
      if (base && pending.base) { base.value = pending.base; }
      closeBanner();
    });
    skip.addEventListener("click", function () { dropDraft(); closeBanner(); });
    banner.appendChild(make("p", {role: "alert"}, text));
    banner.appendChild(take);
    banner.appendChild(skip);
    form.parentNode.insertBefore(banner, form);
  }

  window.addEventListener("beforeunload", function (event) {
    if (leaving || !dirty()) { return; }
    autosave();
    event.preventDefault();
    event.returnValue = "";
  });

  // Submit ------------------------------------------------------------------------
  // The form goes through fetch() so that a failure leaves this page (and the text) in place.
  // The server answers a saved form with a redirect, which it turns into 204 + a header for
  // this script (wiki/editor.py); every other answer means nothing was saved: an error page
  // (400 expired form, 403, 413) is said above the button, and a page holding the form (its
  // errors, a 409 conflict) is obtained by sending the form again the ordinary way, so that the
  // browser shows the server's page exactly as without JavaScript.
  var alertBox = make("p", {"class": "editor-alert", role: "alert"});
  var actions = form.querySelector(".form-actions");
  form.insertBefore(alertBox, actions);

  function fail(stored, message) {
    alertBox.textContent = message || t(stored ? "offline_kept" : "offline_in_form");
    alertBox.scrollIntoView({block: "nearest"});
  }

  window.addEventListener("online", function () {
    if (alertBox.textContent) { alertBox.textContent = t("back_online"); }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) { return; }
    if (banner) { banner.remove(); banner = null; pending = null; }  // sending this text answers it
    var state = fields(), stored = writeDraft(state);
    lastSaved = JSON.stringify(state);
    if (!navigator.onLine) { fail(stored); return; }
    // No time limit: on a 2G link a long text may take a minute to go up. Say so meanwhile.
    var label = submitButton.textContent, timer = setTimeout(function () {
      alertBox.textContent = t("slow_connection");
    }, 20000);
    sending = true;
    submitButton.disabled = true;
    submitButton.textContent = t("saving");
    alertBox.textContent = "";
    function failed(message) {  // the page stays: ready to try again
      sending = false;
      submitButton.disabled = false;
      submitButton.textContent = label;
      fail(stored, message);
    }
    var body = new URLSearchParams();  // urlencoded with CRLF line breaks, as the browser sends forms
    new FormData(form).forEach(function (value, name) { body.append(name, value.replace(/\r?\n/g, "\r\n")); });
    fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
      headers: {"X-Passerelle-Editor": "1"}})
      .then(function (response) {
        var target = response.headers.get("X-Passerelle-Location");
        clearTimeout(timer);
        if (response.status >= 502 && response.status <= 504) {  // a proxy could not reach the server
          failed(t("server_down"));
          return;
        }
        if (/^(400|403|413)$/.test(response.status)) {
          // An error page without the form (expired form or session, text too long): say it
          // here, where the text still is, rather than leave it.
          return response.text().then(function (html) {
            var said = new DOMParser().parseFromString(html, "text/html").querySelector("main h1 + p");
            failed((said ? said.textContent + " " : "") + (stored ? t("text_kept") : ""));
          });
        }
        leaving = true;
        if (response.status === 204 && target !== null) {
          // Landing on the page itself means saved; elsewhere (log in again, a page of the same
          // title that already exists) the draft stays for when the user comes back.
          if (/\/p\/[^\/]+$/.test(new URL(target, location.href).pathname)) { dropDraft(); }
          location.assign(target);
        } else {
          form.submit();
        }
      })
      .catch(function () {
        clearTimeout(timer);
        failed();
      });
  });

  // Toolbar and preview -------------------------------------------------------------
  if (!areas.length) { return; }
  var active = areas[0];
  var bar = make("div", {"class": "md-toolbar", role: "toolbar", "aria-label": t("toolbar_label")});
  var pane = make("div", {"class": "md-preview content", role: "region", "aria-label": t("preview_label")});
  pane.hidden = true;

  function changed() {
    active.focus();
    active.dispatchEvent(new Event("input", {bubbles: true}));
  }
  function wrap(before, after, placeholder) {
    var start = active.selectionStart, end = active.selectionEnd;
    var inner = active.value.slice(start, end) || placeholder;
    active.setRangeText(before + inner + after, start, end);
    active.setSelectionRange(start + before.length, start + before.length + inner.length);
    changed();
  }
  function prefixLines(prefix, placeholder) {  // the selected lines, or the line of the cursor
    var value = active.value, start = value.lastIndexOf("\n", active.selectionStart - 1) + 1;
    var end = active.selectionEnd > active.selectionStart ? active.selectionEnd : value.indexOf("\n", start);
    if (end < 0) { end = value.length; }
    var lines = value.slice(start, end);
    if (!lines) {
      active.setRangeText(prefix + placeholder, start, end);
      active.setSelectionRange(start + prefix.length, start + prefix.length + placeholder.length);
    } else {
      active.setRangeText(lines.split("\n").map(function (l) { return prefix + l; }).join("\n"), start, end, "select");
    }
    changed();
  }

  var tools = [  // text, accessible name, action
    [t("bold"), t("bold"), function () { wrap("**", "**", t("bold_sample")); }],
    [t("italic"), t("italic"), function () { wrap("*", "*", t("italic_sample")); }],
    [t("heading"), t("heading_label"), function () { prefixLines("## ", t("heading_label")); }],
    [t("list"), t("list_label"), function () { prefixLines("- ", t("list_sample")); }],
    [t("link"), t("link_label"), function () { wrap("[", "](https://)", t("link_sample")); }],
    ["[[Page]]", t("wiki_link_label"), function () { wrap("[[", "]]", t("wiki_link_sample")); }],
    [t("preview"), t("preview"), togglePreview],
  ];
  tools.forEach(function (tool, i) {
    var button = make("button", {type: "button", "class": "secondary", "aria-label": tool[1], tabindex: i ? "-1" : "0"}, tool[0]);
    button.addEventListener("click", tool[2]);
    bar.appendChild(button);
  });
  var previewButton = bar.lastChild;
  previewButton.setAttribute("aria-pressed", "false");

  // One tab stop for the whole toolbar; arrows, Home and End move between its buttons.
  bar.addEventListener("keydown", function (event) {
    var buttons = Array.prototype.slice.call(bar.children), i = buttons.indexOf(document.activeElement);
    var next = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1}[event.key];
    if (next === undefined || i < 0) { return; }
    event.preventDefault();
    buttons[i].tabIndex = -1;
    var target = buttons[(next + buttons.length) % buttons.length];
    target.tabIndex = 0;
    target.focus();
  });

  var shown = null, sent = 0, delay = null;
  function refresh() {
    var source = active.value, number = ++sent;
    if (pane.hidden || source === shown) { return; }
    shown = source;
    if (!navigator.onLine) { shown = null; pane.textContent = t("preview_offline"); return; }
    fetch(form.getAttribute("data-preview"), {method: "POST", credentials: "same-origin",
      body: new URLSearchParams({text: source}), headers: {"X-CSRFToken": form.elements.csrf_token.value}})
      .then(function (response) {
        return response.text().then(function (body) {
          if (number !== sent) { return; }  // a newer preview is on its way
          if (response.ok) { pane.innerHTML = body; return; }  // sanitized by the server
          shown = null;
          pane.textContent = /^text\/plain/.test(response.headers.get("Content-Type")) ? body :
            t("preview_error", {status: response.status});
        });
      })
      .catch(function () {
        if (number === sent) { shown = null; pane.textContent = t("preview_offline"); }
      });
  }
  function togglePreview() {
    pane.hidden = !pane.hidden;
    previewButton.setAttribute("aria-pressed", String(!pane.hidden));
    refresh();
  }

  function attach(area) {
    active = area;
    bar.setAttribute("aria-controls", area.id);
    area.parentNode.insertBefore(bar, area);
    area.parentNode.insertBefore(pane, area.nextSibling);
    shown = null;
    refresh();
  }
  each(areas, function (area) {
    area.addEventListener("focus", function () { if (area !== active) { attach(area); } });
    area.addEventListener("input", function () { clearTimeout(delay); delay = setTimeout(refresh, 1200); });
  });
  attach(active);
}());
