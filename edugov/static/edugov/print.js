// A "Print" link prints the page (the print styles in app.css leave the site's frame out).
document.addEventListener("click", function (e) {
  var link = e.target.closest && e.target.closest("[data-print]");
  if (link) { e.preventDefault(); window.print(); }
});
