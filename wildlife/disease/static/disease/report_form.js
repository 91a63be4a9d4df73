/* Report form: ticking "零报告" hides the findings table (a zero report has no sick or dead animals). */
(function () {
  "use strict";
  var box = document.getElementById("id_is_zero_report");
  var findings = document.querySelector("[data-findings]");
  if (!box || !findings) { return; }
  function sync() { findings.classList.toggle("d-none", box.checked); }
  box.addEventListener("change", sync);
  sync();
})();
