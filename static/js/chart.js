/* ECharts component: <div data-chart="option-id"> + {{ option|json_script:"option-id" }}. */
(function () {
  "use strict";
  function initAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      if (el._chart) { return; }
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) { return; }
      var option = JSON.parse(source.textContent);
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      el._chart = chart;
      el.setAttribute("data-ready", "1");
    });
  }
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) { if (el._chart) { el._chart.resize(); } });
  });
  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.body.addEventListener("htmx:afterSettle", function (e) { initAll(e.target); });
  window.PlatformChart = { initAll: initAll };
})();
