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
