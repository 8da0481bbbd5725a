// The response plan: warn before leaving it with unsaved changes. Saving submits the form, which
// is not leaving. Without this file the page works the same, only without the warning.
(function () {
  "use strict";
  var form = document.getElementById("plan-form");
  if (!form) return;
  // After a refused save the page holds text that is not saved yet.
  var dirty = form.getAttribute("data-unsaved") === "true";
  function changed() { dirty = true; }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers show their own wording; this text is never shown
  });
})();
