/* "Dùng vị trí hiện tại của tôi": fills the latitude and longitude boxes from the
   browser's geolocation. Progressive: without JavaScript or geolocation the block stays
   hidden and the boxes are typed by hand or left empty. Nothing is sent anywhere but
   the form itself; no map library, no tile server. */
(function () {
  "use strict";
  var box = document.getElementById("locate");
  if (!box || !("geolocation" in navigator)) {
    return;
  }
  var lat = document.getElementById(box.dataset.lat);
  var lng = document.getElementById(box.dataset.long);
  var button = document.getElementById("locate-button");
  var status = document.getElementById("locate-status");
  if (!lat || !lng || !button || !status) {
    return;
  }
  // Put the button right after the longitude box, where it belongs.
  var holder = lng.closest(".mb-3");
  if (holder && holder.parentNode) {
    holder.parentNode.insertBefore(box, holder.nextSibling);
  }
  box.hidden = false;
  function say(text) {
    status.textContent = text;
  }
  button.addEventListener("click", function () {
    if (navigator.onLine === false) {
      say(box.dataset.failed);
      return;
    }
    button.disabled = true;
    say(box.dataset.busy);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        button.disabled = false;
        var la = position.coords.latitude;
        var lo = position.coords.longitude;
        // Vietnam, roughly (cases.services.VIETNAM_LAT / VIETNAM_LONG).
        if (la < 8 || la > 24 || lo < 102 || lo > 110) {
          say(box.dataset.outside);
          return;
        }
        lat.value = la.toFixed(6);
        lng.value = lo.toFixed(6);
        say(box.dataset.done);
      },
      function (error) {
        button.disabled = false;
        say(error && error.code === 1 ? box.dataset.denied : box.dataset.failed);
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
