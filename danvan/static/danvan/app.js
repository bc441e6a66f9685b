// danvan: behaviour without inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // Selects marked data-autosubmit submit their form on change (keyboard users
  // still have the submit button next to them).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.requestSubmit();
    }
  });
  // Move focus to the error summary when a form comes back with errors.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
