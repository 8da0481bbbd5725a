// Disclosures marked data-fold-on-phone (the summary's filters) start folded on a phone-width
// screen, so what they hide does not push the page's figures below the first screen. They are
// open in the HTML: without this file every width shows them, as before.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 39.99em)").matches) return;
  var folding = document.querySelectorAll("details[data-fold-on-phone]");
  for (var i = 0; i < folding.length; i++) folding[i].open = false;
})();
