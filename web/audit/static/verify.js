// The verification's waiting page: ask whether the new check is stored, then show it (docs/history.md).
(function () {
  "use strict";
  var box = document.getElementById("chain-wait");
  if (!box) { return; }
  var statusUrl = box.getAttribute("data-status-url");
  var pageUrl = box.getAttribute("data-page-url");
  // The moment of the check the page shows ("" when none): another one means the new one is stored.
  var shownAt = box.getAttribute("data-shown-at");
  var every = 1000 * (parseInt(box.getAttribute("data-seconds"), 10) || 1);
  var tries = 0;
  function show(id) {
    var parts = box.querySelectorAll("[data-state]");
    for (var i = 0; i < parts.length; i++) {
      parts[i].hidden = parts[i].getAttribute("data-state") !== id;
    }
  }
  function check() {
    tries += 1;
    fetch(statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { state: "running" }; })
      .then(function (answer) {
        if (answer.at && answer.at !== shownAt) {
          window.location.assign(pageUrl);  // fresh now: the page answers with it (200)
        } else if (answer.state === "failed") {
          show("failed");
        } else if (tries < 600) {
          window.setTimeout(check, every);
        }
      })
      .catch(function () { window.setTimeout(check, every * 2); });
  }
  window.setTimeout(check, every);
})();
