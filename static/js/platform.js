/* Site-wide behaviour. No inline scripts anywhere (CSP): pages declare behaviour with data- attributes. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (csrf) { event.detail.headers["X-CSRFToken"] = csrf.getAttribute("content"); }
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-background-poll")) {
      event.detail.headers["X-Background-Poll"] = "1";
    }
  });

  // <select data-autosubmit> submits its form
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });

  // confirmation for plain forms: <form data-confirm="...">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.getAttribute && form.getAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    }
  }, true);

  // list / map toggle on list pages
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-toggle-view]");
    if (!button) { return; }
    var container = button.closest("#results") || document;
    var view = button.getAttribute("data-toggle-view");
    container.querySelectorAll("[data-toggle-view]").forEach(function (b) { b.classList.toggle("active", b === button); });
    container.querySelectorAll("[data-view-pane]").forEach(function (pane) {
      pane.classList.toggle("d-none", pane.getAttribute("data-view-pane") !== view);
    });
    if (view === "map" && window.PlatformMap) { window.PlatformMap.initAll(container); window.PlatformMap.refresh(container); }
  });

  // copy buttons: <button data-copy="text">
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (button && navigator.clipboard) { navigator.clipboard.writeText(button.getAttribute("data-copy")); }
  });
})();
