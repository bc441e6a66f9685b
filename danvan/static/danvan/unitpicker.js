// danvan: the unit picker (danvan/units/picker.py) as an ARIA 1.2 combobox.
//
// Without this file the picker is a plain text input that the server resolves (and,
// when the name is ambiguous, answers with a short list of choices). With it, htmx
// fills the listbox with suggestions as the user types (the input's hx-get, debounced);
// this script makes the list usable: arrow keys move, Enter or a click chooses, Escape
// closes. The chosen unit's code goes in the hidden input "<name>_pick" while the
// visible input shows its name; a multiple picker adds a checked box per unit instead.
(function () {
  "use strict";
  var chipSeq = 0;

  function partsOf(input) {
    var root = input.closest("[data-unit-picker]");
    if (!root) { return null; }
    return {
      root: root,
      input: input,
      listbox: document.getElementById(input.getAttribute("aria-controls")),
      pick: root.querySelector("[data-pick]"),
      chosen: root.querySelector("[data-chosen]"),
      multiple: root.hasAttribute("data-multiple")
    };
  }

  function comboboxOf(el) {
    var root = el && el.closest ? el.closest("[data-unit-picker]") : null;
    return root ? root.querySelector("[role=combobox]") : null;
  }

  function options(p) {
    return Array.prototype.slice.call(p.listbox.querySelectorAll("[role=option][data-code]"));
  }

  function setOpen(p, open) {
    p.listbox.hidden = !open;
    p.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { p.input.removeAttribute("aria-activedescendant"); }
  }

  function activate(p, index) {
    options(p).forEach(function (option, i) {
      var on = i === index;
      option.setAttribute("aria-selected", on ? "true" : "false");
      option.classList.toggle("active", on);
      if (on) {
        p.input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
    if (index < 0) { p.input.removeAttribute("aria-activedescendant"); }
  }

  function activeIndex(p) {
    var id = p.input.getAttribute("aria-activedescendant");
    return options(p).findIndex(function (o) { return o.id === id; });
  }

  function addChip(p, code, text) {
    var name = p.input.name + "_pick";
    var boxes = p.chosen.querySelectorAll("input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].value === code) { boxes[i].checked = true; return; }
    }
    chipSeq += 1;
    var item = document.createElement("li");
    item.className = "form-check";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.className = "form-check-input";
    box.name = name;
    box.value = code;
    box.checked = true;
    box.id = p.input.id + "_added" + chipSeq;
    var label = document.createElement("label");
    label.className = "form-check-label";
    label.htmlFor = box.id;
    label.textContent = text;
    item.appendChild(box);
    item.appendChild(label);
    p.chosen.appendChild(item);
  }

  function choose(p, option) {
    var code = option.getAttribute("data-code");
    var text = option.getAttribute("data-label");
    if (p.multiple) {
      addChip(p, code, text);
      p.input.value = "";
    } else {
      p.input.value = text;
      if (p.pick) { p.pick.value = code; }
    }
    // The short list of an earlier ambiguous search no longer applies.
    var choices = p.root.querySelector("[data-choices]");
    if (choices) { choices.remove(); }
    setOpen(p, false);
    p.listbox.replaceChildren();
    if (p.root.hasAttribute("data-autosubmit") && p.input.form) {
      p.input.form.requestSubmit();
    }
  }

  // htmx swapped new suggestions in: name them for aria-activedescendant and show them.
  document.addEventListener("htmx:afterSwap", function (event) {
    var listbox = event.target;
    if (!(listbox instanceof HTMLElement) || listbox.getAttribute("role") !== "listbox") { return; }
    var input = document.querySelector("[aria-controls='" + listbox.id + "']");
    var p = input ? partsOf(input) : null;
    if (!p) { return; }
    Array.prototype.forEach.call(listbox.querySelectorAll("[role=option]"), function (o, i) {
      o.id = listbox.id + "-opt" + i;
    });
    var hasItems = listbox.children.length > 0 && document.activeElement === input;
    setOpen(p, hasItems);
    activate(p, -1);
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.getAttribute("role") !== "combobox") { return; }
    var p = partsOf(input);
    if (!p) { return; }
    // The text changed: the code picked for the old text no longer holds.
    if (p.pick) { p.pick.value = ""; }
    if (!input.value.trim()) { setOpen(p, false); p.listbox.replaceChildren(); }
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.getAttribute("role") !== "combobox") { return; }
    var p = partsOf(input);
    if (!p) { return; }
    var opts = options(p);
    var index = activeIndex(p);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!opts.length) { return; }
      event.preventDefault();
      setOpen(p, true);
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = index < 0 ? (step > 0 ? 0 : opts.length - 1) : (index + step + opts.length) % opts.length;
      activate(p, next);
    } else if (event.key === "Enter") {
      if (!p.listbox.hidden && index >= 0) {
        event.preventDefault();
        choose(p, opts[index]);
      }
    } else if (event.key === "Escape") {
      if (!p.listbox.hidden) {
        event.preventDefault();
        setOpen(p, false);
      }
    }
  });

  // A click chooses; pressing the mouse must not take the focus from the input first.
  document.addEventListener("mousedown", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (target && target.closest("[data-unit-picker] [role=option]")) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var option = target ? target.closest("[data-unit-picker] [role=option][data-code]") : null;
    var input = option ? comboboxOf(option) : null;
    var p = input ? partsOf(input) : null;
    if (p && option) { choose(p, option); }
  });

  // Leaving the picker closes its list.
  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.getAttribute("role") !== "combobox") { return; }
    var p = partsOf(input);
    if (p && !p.root.contains(event.relatedTarget)) { setOpen(p, false); }
  });
})();
