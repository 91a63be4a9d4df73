/* Countdowns of reporting deadlines: the server computes each deadline and its own "now"; this only ticks.
 * <span data-countdown data-deadline="ISO" data-server-now="ISO" data-done="1?"></span>
 * The offset between the server clock and this device is applied, so a phone with a wrong clock still counts right. */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400); s -= d * 86400;
    var h = Math.floor(s / 3600); s -= h * 3600;
    var m = Math.floor(s / 60); s -= m * 60;
    return (d ? d + "天 " : "") + pad(h) + ":" + pad(m) + ":" + pad(s);
  }
  var items = [];
  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    if (el.getAttribute("data-done")) { return; }
    var deadline = Date.parse(el.getAttribute("data-deadline"));
    var serverNow = Date.parse(el.getAttribute("data-server-now"));
    if (isNaN(deadline) || isNaN(serverNow)) { return; }
    items.push({ el: el, deadline: deadline, offset: serverNow - Date.now() });
  });
  function tick() {
    items.forEach(function (it) {
      var left = it.deadline - (Date.now() + it.offset);
      var overdue = left < 0;
      it.el.textContent = overdue ? "已逾期 " + format(left) : "剩余 " + format(left);
      it.el.classList.toggle("text-danger", overdue);
      it.el.classList.toggle("fw-bold", overdue || left < 30 * 60 * 1000);
      it.el.setAttribute("data-overdue", overdue ? "1" : "0");
    });
  }
  if (items.length) { tick(); window.setInterval(tick, 1000); }
})();
