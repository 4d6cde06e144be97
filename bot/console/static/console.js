// Live lists: a table with data-live="URL" refreshes its rows from URL (the server renders
// them) every few seconds while the page is visible. No framework, nothing from a CDN.
(function () {
  "use strict";
  var PERIOD_MS = 5000;
  function refresh(table) {
    if (document.hidden) { return; }
    fetch(table.getAttribute("data-live"), { credentials: "same-origin",
                                             headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null) { table.tBodies[0].innerHTML = html; }
      })
      .catch(function () { /* offline for a moment: the next tick tries again */ });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-live]").forEach(function (table) {
      setInterval(function () { refresh(table); }, PERIOD_MS);
    });
  });
})();
