// The packet's waiting page: ask whether the PDF is ready, then fetch it (docs/tasks.md).
(function () {
  "use strict";
  var box = document.getElementById("packet-wait");
  if (!box) { return; }
  var statusUrl = box.getAttribute("data-status-url");
  var packetUrl = box.getAttribute("data-packet-url");
  var every = 1000 * (parseInt(box.getAttribute("data-seconds"), 10) || 2);
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
      .then(function (r) { return r.ok ? r.json() : { state: "waiting" }; })
      .then(function (answer) {
        if (answer.state === "ready") {
          show("ready");
          window.location.assign(packetUrl);
        } else if (answer.state === "failed") {
          show("failed");
        } else if (tries < 300) {
          window.setTimeout(check, every);
        }
      })
      .catch(function () { window.setTimeout(check, every * 2); });
  }
  window.setTimeout(check, every);
})();
