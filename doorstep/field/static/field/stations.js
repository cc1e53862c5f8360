// 附近的服务点: "use my location" fills the form with this device's position and submits it.
(function () {
  var button = document.getElementById("locate");
  if (!button) return;
  button.addEventListener("click", function () {
    if (!navigator.geolocation) { window.alert(button.dataset.msgNoDevice); return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      var form = document.getElementById("by-location");
      form.lat.value = p.coords.latitude.toFixed(6);
      form.lng.value = p.coords.longitude.toFixed(6);
      form.submit();
    }, function () { window.alert(button.dataset.msgNoFix); });
  });
})();
