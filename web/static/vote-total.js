// The total of a cell's vote, recomputed as its numbers are typed: the denominator is the
// official members less the exempted (miễn sinh hoạt) who did not attend; 2/3 of it, rounded up,
// is needed. The server computed the same for the page; the rules judge it on submission.
"use strict";
document.querySelectorAll("form .vote-total").forEach((total) => {
  const form = total.closest("form");
  const [num, den] = total.dataset.threshold.split("/").map(Number);
  const value = (name) => {
    const input = form.querySelector(`[name="${name}"]`);
    const n = parseInt(input ? input.value : "", 10);
    return Number.isNaN(n) || n < 0 ? 0 : n;
  };
  const update = () => {
    const denominator = Math.max(value("official_members") - value("excused_absent"), 0);
    total.querySelector("output[name=denominator]").value = denominator;
    total.querySelector("output[name=needed]").value = Math.ceil((denominator * num) / den);
  };
  form.addEventListener("input", update);
});
