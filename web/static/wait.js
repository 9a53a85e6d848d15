// A waiting page (docs/tasks.md): ask the status of the work it waits for until it is done, then go on.
// The box is the element with data-wait: data-status-url answers {"state": ..., "at": ...};
// data-next-url is where to go when done; data-seconds between questions, data-tries at most.
// Done is the state "ready", or, with data-shown-at (the moment of what the page shows), any other
// moment in "at". The state "failed" shows the box's [data-state="failed"] part instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-wait]");
  if (!box) { return; }
  var statusUrl = box.getAttribute("data-status-url");
  var nextUrl = box.getAttribute("data-next-url");
  var shownAt = box.getAttribute("data-shown-at");
  var every = 1000 * (parseInt(box.getAttribute("data-seconds"), 10) || 2);
  var most = parseInt(box.getAttribute("data-tries"), 10) || 300;
  var tries = 0;
  function show(id) {
    var parts = box.querySelectorAll("[data-state]");
    for (var i = 0; i < parts.length; i++) {
      parts[i].hidden = parts[i].getAttribute("data-state") !== id;
    }
  }
  function done(answer) {
    if (answer.state === "ready") { return true; }
    return shownAt !== null && Boolean(answer.at) && answer.at !== shownAt;
  }
  function check() {
    tries += 1;
    fetch(statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { state: "waiting" }; })
      .then(function (answer) {
        if (done(answer)) {
          show("ready");
          window.location.assign(nextUrl);
        } else if (answer.state === "failed") {
          show("failed");
        } else if (tries < most) {
          window.setTimeout(check, every);
        }
      })
      .catch(function () { window.setTimeout(check, every * 2); });
  }
  window.setTimeout(check, every);
})();
