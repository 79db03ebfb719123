// Tells the server the browser's time zone, so audit times are shown in it.
(function () {
  "use strict";
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || document.cookie.split("; ").indexOf("tz=" + zone) !== -1) {
    return;
  }
  var secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax" + secure;
  // This page was rendered in another zone; load it again once, in this one.
  // The flag stops a loop when cookies are refused.
  var shown = document.getElementById("audit-zone");
  if (shown && shown.textContent !== zone && !sessionStorage.getItem("tz-reloaded")) {
    sessionStorage.setItem("tz-reloaded", "1");
    window.location.reload();
  }
})();
