// danvan movement pages: behaviour without inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // A "Chọn" button in the replication search fills the source field with the
  // chosen entry's id (keyboard users can also paste the id or link themselves).
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-fill-target]") : null;
    if (!button) { return; }
    var field = document.getElementById(button.getAttribute("data-fill-target"));
    if (field) {
      field.value = button.getAttribute("data-fill-value") || "";
      field.focus();
    }
  });
})();
