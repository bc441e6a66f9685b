// danvan: warn before an idle session ends, and let the person stay signed in.
//
// The server ends a session SESSION_IDLE_SECONDS after its last request (each request
// renews it). This script counts from the last request made by any tab of this site
// (kept in localStorage, so working in one tab postpones the warning in the others),
// opens the dialog #session-dialog (accounts/_session_dialog.html) a few minutes before
// the end, and on "Tiếp tục làm việc" posts to the keep-alive URL, which renews the
// session. Once the time is gone, the dialog says so and offers to sign in again in a new
// tab, so that what is typed on this page stays where it is.
(function () {
  "use strict";
  var dialog = document.getElementById("session-dialog");
  if (!dialog || !window.bootstrap) { return; }

  var KEY = "danvan.session.lastActivity";
  var idleMs = parseInt(dialog.dataset.idleSeconds, 10) * 1000;
  var warnMs = parseInt(dialog.dataset.warnSeconds, 10) * 1000;
  var keepAliveUrl = dialog.dataset.keepaliveUrl;
  var csrfCookie = dialog.dataset.csrfCookie || "csrftoken";
  if (!(idleMs > 0) || !(warnMs > 0) || !keepAliveUrl) { return; }

  var modal = window.bootstrap.Modal.getOrCreateInstance(dialog);
  var countdown = dialog.querySelector("[data-session-countdown]");
  var errorLine = dialog.querySelector("[data-session-error]");
  var continueButton = dialog.querySelector("[data-session-continue]");
  var state = "hidden"; // "hidden", "warning" or "expired"
  var localLast = Date.now();

  function lastActivity() {
    var stored = 0;
    try { stored = parseInt(window.localStorage.getItem(KEY), 10) || 0; } catch (e) { /* private mode */ }
    return Math.max(stored, localLast);
  }

  function touch() {
    localLast = Date.now();
    try { window.localStorage.setItem(KEY, String(localLast)); } catch (e) { /* private mode */ }
  }

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) { return decodeURIComponent(parts[i].slice(eq + 1)); }
    }
    return "";
  }

  // Signing in again (in another tab) gives a new CSRF token: put it in this page's forms
  // and htmx headers, so that the form typed here can still be sent.
  function refreshCsrf() {
    var token = readCookie(csrfCookie);
    if (!token) { return; }
    var inputs = document.querySelectorAll("input[name=csrfmiddlewaretoken]");
    for (var i = 0; i < inputs.length; i++) { inputs[i].value = token; }
    var headers = document.body.getAttribute("hx-headers");
    if (headers) {
      try {
        var parsed = JSON.parse(headers);
        parsed["X-CSRFToken"] = token;
        document.body.setAttribute("hx-headers", JSON.stringify(parsed));
      } catch (e) { /* not ours */ }
    }
  }

  function show(which) {
    var parts = dialog.querySelectorAll("[data-session-state]");
    for (var i = 0; i < parts.length; i++) {
      parts[i].hidden = parts[i].getAttribute("data-session-state") !== which;
    }
    if (errorLine) { errorLine.hidden = true; }
    var wasHidden = state === "hidden";
    state = which;
    if (wasHidden) { modal.show(); } else { focusButton(); }
  }

  // The button the dialog's state offers first gets the focus, once Bootstrap has shown
  // the dialog (its focus trap focuses the dialog itself on "shown").
  function focusButton() {
    var focus = dialog.querySelector("[data-session-state='" + state + "'].btn");
    if (focus) { focus.focus(); }
  }

  dialog.addEventListener("shown.bs.modal", function () {
    // Bootstrap sets role="dialog" when it shows a modal: this one is an alert dialog
    // (it interrupts to ask for a decision), as screen readers should announce it.
    dialog.setAttribute("role", "alertdialog");
    focusButton();
  });

  function hide() {
    if (state !== "hidden") { modal.hide(); }
    state = "hidden";
  }

  function format(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var left = lastActivity() + idleMs - Date.now();
    if (left <= 0) {
      if (state !== "expired") { show("expired"); }
    } else if (left <= warnMs) {
      if (state === "hidden") { show("warning"); }
      if (state === "expired") { hide(); }
      if (countdown) { countdown.textContent = format(left); }
    } else if (state !== "hidden") {
      hide();
    }
  }

  function keepAlive() {
    if (continueButton) { continueButton.disabled = true; }
    window.fetch(keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": readCookie(csrfCookie), "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.status === 204) {
        touch();
        hide();
      } else {
        // 401 or a redirect to the login page: the session is already gone.
        show("expired");
      }
    }).catch(function () {
      if (errorLine) { errorLine.hidden = false; }
    }).then(function () {
      if (continueButton) { continueButton.disabled = false; }
    });
  }

  if (continueButton) { continueButton.addEventListener("click", keepAlive); }
  // Every request renews the session: this page's load, and htmx requests.
  touch();
  document.body.addEventListener("htmx:afterRequest", touch);
  // Another tab worked (or signed in again): postpone, and take the new CSRF token.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      refreshCsrf();
      tick();
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { tick(); }
  });
  window.setInterval(tick, 1000);
})();
