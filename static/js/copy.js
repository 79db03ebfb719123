// Copy buttons: <button data-copy-target="ID"> copies the text of element ID.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) {
      return;
    }
    var source = document.getElementById(button.dataset.copyTarget);
    if (!source || !navigator.clipboard) {
      return;
    }
    var label = button.textContent;
    navigator.clipboard.writeText(source.textContent).then(
      function () {
        button.textContent = "Copied";
      },
      function () {
        button.textContent = "Copy failed";
      }
    ).then(function () {
      window.setTimeout(function () {
        button.textContent = label;
      }, 1500);
    });
  });
})();
