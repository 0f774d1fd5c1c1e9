// Checks a document's picture on the parent's phone before the form is sent: the same rules as
// the server (edugov/enrollment/documents.py): at least MIN pixels on the short side and a
// sharpness (variance of the Laplacian of the grey image scaled to at most 1024 px) of at least
// SHARP. Shows a preview and, when the picture will be refused, why. PDFs are left to the server.
(function () {
  "use strict";
  var MIN = 600, SHARP = 30;

  function sharpness(ctx, w, h) {
    var d = ctx.getImageData(0, 0, w, h).data, g = new Float32Array(w * h), i, x, y;
    for (i = 0; i < w * h; i++) { g[i] = 0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2]; }
    var sum = 0, sum2 = 0, n = 0;
    for (y = 1; y < h - 1; y++) {
      for (x = 1; x < w - 1; x++) {
        i = y * w + x;
        var v = -4 * g[i] + g[i - 1] + g[i + 1] + g[i - w] + g[i + w];
        sum += v; sum2 += v * v; n++;
      }
    }
    if (!n) { return 0; }
    var mean = sum / n;
    return sum2 / n - mean * mean;
  }

  function check(input) {
    var field = input.closest(".field"), note = field.querySelector(".picture-note"), img = field.querySelector("img.preview");
    if (!note) { note = document.createElement("small"); note.className = "picture-note"; note.setAttribute("role", "status"); field.appendChild(note); }
    if (!img) { img = document.createElement("img"); img.className = "preview"; img.alt = input.dataset.previewAlt || ""; field.appendChild(img); }
    note.textContent = ""; note.className = "picture-note"; field.classList.remove("has-error"); img.hidden = true;
    var file = input.files && input.files[0];
    if (!file || !/^image\//.test(file.type)) { return; }
    var reader = new FileReader();
    reader.onload = function () {
      img.onload = function () {
        img.hidden = false;
        var w = img.naturalWidth, h = img.naturalHeight;
        if (Math.min(w, h) < MIN) {
          note.textContent = input.dataset.tooSmall.replace("%w", w).replace("%h", h);
          note.className = "picture-note err"; field.classList.add("has-error"); return;
        }
        var scale = Math.min(1, 1024 / Math.max(w, h)), cw = Math.round(w * scale), ch = Math.round(h * scale);
        var canvas = document.createElement("canvas"); canvas.width = cw; canvas.height = ch;
        var ctx = canvas.getContext("2d"); ctx.drawImage(img, 0, 0, cw, ch);
        if (sharpness(ctx, cw, ch) < SHARP) {
          note.textContent = input.dataset.blurry; note.className = "picture-note err"; field.classList.add("has-error");
        } else {
          note.textContent = input.dataset.ok; note.className = "picture-note ok";
        }
      };
      img.src = reader.result;
    };
    reader.readAsDataURL(file);
  }

  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("input[type=file][data-picture]")) { check(e.target); }
  });
})();

// The third question applies only when both earlier answers are no: hidden (and left out of the
// answer) while either is yes. The server decides the category the same way (enrollment/forms.py).
(function () {
  "use strict";
  function sync(form) {
    form.querySelectorAll("fieldset[data-unless-yes]").forEach(function (set) {
      var yes = set.dataset.unlessYes.split(" ").some(function (name) {
        var checked = form.querySelector("input[name='" + name + "']:checked");
        return checked && checked.value === "yes";
      });
      set.hidden = yes;
      set.querySelectorAll("input").forEach(function (i) { i.disabled = yes; });
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target.form && e.target.type === "radio") { sync(e.target.form); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(sync);
  });
})();

// A refused submission keeps the photos already chosen: a browser never refills a file input, so
// the form is sent in the background and, when the server returns it with an error (400), only the
// error summary and the marked questions are taken from its answer; every answer and every chosen
// file stays on the page. Success follows the server's redirect. Without JavaScript the form posts
// normally and the returned page asks for the files again.
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches("form[data-keep-files]") || !window.fetch || !window.DOMParser) { return; }
    var button = e.submitter;
    if (button && button.hasAttribute("formaction")) { return; }  // the draft: a plain post
    e.preventDefault();
    if (form.dataset.sending) { return; }  // a second tap while the first is on its way
    form.dataset.sending = "1";
    if (button) { button.disabled = true; }
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin"})
      .then(function (response) {
        if (response.redirected) { window.location.assign(response.url); return null; }
        return response.text().then(function (html) { return {status: response.status, html: html}; });
      })
      .then(function (answer) {
        if (!answer) { return; }
        var page = new DOMParser().parseFromString(answer.html, "text/html");
        var summary = page.querySelector(".error-summary");
        if (!summary) { summary = document.createElement("div"); summary.className = "error-summary"; summary.setAttribute("role", "alert"); summary.setAttribute("tabindex", "-1"); summary.textContent = form.dataset.failed; }
        show(form, page, summary);
      })
      .catch(function () {
        var summary = document.createElement("div");
        summary.className = "error-summary"; summary.setAttribute("role", "alert"); summary.setAttribute("tabindex", "-1");
        summary.textContent = form.dataset.offline;
        show(form, null, summary);
      })
      .then(function () { delete form.dataset.sending; if (button) { button.disabled = false; } });
  });

  function show(form, page, summary) {
    var old = document.querySelector(".error-summary");
    if (old) { old.remove(); }
    form.parentNode.insertBefore(document.importNode(summary, true), form);
    form.querySelectorAll(".has-error").forEach(function (el) {
      if (!el.querySelector(".picture-note.err")) { el.classList.remove("has-error"); }
    });
    if (page) {  // mark the same questions the server marked, found by their ids
      page.querySelectorAll("form .has-error").forEach(function (el) {
        var inner = el.id ? el : el.querySelector("[id]");
        var mine = inner && document.getElementById(inner.id);
        var target = mine && (el.id ? mine : mine.closest(".field, fieldset"));
        if (target) { target.classList.add("has-error"); }
      });
    }
    var shown = document.querySelector(".error-summary");
    shown.focus();
    shown.scrollIntoView({block: "start"});
  }
})();
