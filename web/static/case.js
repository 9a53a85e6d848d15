// The case page: a link to an action's form (the checklist's, the bar's) opens it. Without this
// script the link still lands on the action; the user opens it with one click.
(function () {
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    var details = target.tagName === "DETAILS" ? target : target.querySelector("details.upload");
    if (details) details.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("DOMContentLoaded", openTarget);
})();
