/* Tracing graph page: clicking a node that carries a URL (its `value`) opens the record. */
(function () {
  "use strict";
  function bind() {
    var el = document.querySelector('[data-chart="graph-option"]');
    if (!el || !el._chart) { return; }
    el._chart.on("click", function (params) {
      if (params.dataType === "node" && params.data && params.data.value) { window.location.href = params.data.value; }
    });
    el.setAttribute("data-clickable", "1");
  }
  document.addEventListener("DOMContentLoaded", bind);
})();
