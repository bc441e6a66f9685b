// danvan: error fragments in htmx swaps.
// htmx does not swap 4xx/5xx answers, so a refused or failed partial update would
// leave the page unchanged and the person none the wiser. The server marks its error
// fragments (403, 404, 400, 500, CSRF) with X-Danvan-Error: let htmx swap them into
// the target like a normal answer, where the person is looking.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 400 && xhr.getResponseHeader("X-Danvan-Error")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
