// danvan: a calendar for the dd/mm/yyyy date fields (core.forms.DateInput).
//
// The text field is what the form posts and what the server parses, day first, so the
// date means the same thing whatever the browser's or the system's locale. This script
// only helps: it tidies what was typed (7/12/2026 -> 07/12/2026) and adds a button that
// opens the browser's own calendar on a hidden <input type="date"> (which has no name,
// so it is never posted) and writes the chosen day back as dd/mm/yyyy. Without
// JavaScript, or in a browser without showPicker(), the field is a plain text field.
(function () {
  "use strict";

  var DMY = /^\s*(\d{1,2})([\/.\-])(\d{1,2})\2(\d{4})\s*$/;
  var DIGITS = /^\s*(\d{2})(\d{2})(\d{4})\s*$/;
  var SVG = "http://www.w3.org/2000/svg";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // [year, month, day] of a day-first text, or null when it is not a real date.
  function parts(text) {
    var m = DMY.exec(text);
    var d, mo, y;
    if (m) { d = +m[1]; mo = +m[3]; y = +m[4]; } else {
      m = DIGITS.exec(text);
      if (!m) { return null; }
      d = +m[1]; mo = +m[2]; y = +m[3];
    }
    var probe = new Date(Date.UTC(y, mo - 1, d));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) {
      return null;
    }
    return [y, mo, d];
  }

  function icon() {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var body = document.createElementNS(SVG, "rect");
    body.setAttribute("x", "1.5"); body.setAttribute("y", "2.5");
    body.setAttribute("width", "13"); body.setAttribute("height", "12"); body.setAttribute("rx", "1.5");
    body.setAttribute("fill", "none"); body.setAttribute("stroke", "currentColor");
    var bar = document.createElementNS(SVG, "path");
    bar.setAttribute("d", "M1.5 6h13M5 1v3M11 1v3");
    bar.setAttribute("stroke", "currentColor");
    svg.appendChild(body);
    svg.appendChild(bar);
    return svg;
  }

  function tidy(field) {
    var p = parts(field.value);
    if (p) { field.value = pad(p[2]) + "/" + pad(p[1]) + "/" + p[0]; }
  }

  function enhance(field) {
    if (field.hasAttribute("data-datefield-ready")) { return; }
    field.setAttribute("data-datefield-ready", "");
    field.addEventListener("change", function () { tidy(field); });
    if (!("showPicker" in HTMLInputElement.prototype) || field.disabled || field.readOnly) {
      return;
    }
    var group = document.createElement("div");
    group.className = "input-group flex-nowrap datefield";
    if (field.classList.contains("form-control-sm")) { group.classList.add("input-group-sm"); }
    field.parentNode.insertBefore(group, field);
    group.appendChild(field);

    var native = document.createElement("input");
    native.type = "date";
    native.className = "datefield-native";
    native.tabIndex = -1;
    native.setAttribute("aria-hidden", "true");
    if (field.dataset.min) { native.min = field.dataset.min; }
    if (field.dataset.max) { native.max = field.dataset.max; }

    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary datefield-button";
    var label = field.dataset.calendarLabel || "Chọn ngày trên lịch";
    button.setAttribute("aria-label", label);
    button.title = label;
    if (field.id) { button.setAttribute("aria-controls", field.id); }
    button.appendChild(icon());

    group.appendChild(button);
    group.appendChild(native);

    function open() {
      var p = parts(field.value);
      native.value = p ? p[0] + "-" + pad(p[1]) + "-" + pad(p[2]) : "";
      try {
        native.showPicker();
      } catch (err) {
        // Not allowed here (e.g. inside a cross-origin frame): the text field still works.
        field.focus();
      }
    }
    button.addEventListener("click", open);
    // Alt+Down opens the calendar from the text field too, as in a native date field.
    field.addEventListener("keydown", function (event) {
      if (event.altKey && event.key === "ArrowDown") {
        event.preventDefault();
        open();
      }
    });
    native.addEventListener("change", function () {
      var iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(native.value);
      if (!iso) { return; }
      field.value = iso[3] + "/" + iso[2] + "/" + iso[1];
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
      field.focus();
    });
  }

  function enhanceAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("input[data-datefield]")) { enhance(scope); }
    scope.querySelectorAll("input[data-datefield]").forEach(enhance);
  }

  if (window.htmx) {
    // Also the fields of fragments htmx swaps in (onLoad runs for the page, too).
    window.htmx.onLoad(enhanceAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
})();
