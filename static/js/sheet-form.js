// Sheet form: offer only the cercles of the chosen region (the full list works without JS).
(function () {
  "use strict";
  var region = document.getElementById("region");
  var cercle = document.getElementById("cercle");
  if (!region || !cercle) { return; }
  var groups = Array.prototype.slice.call(cercle.querySelectorAll("optgroup"));
  function filter() {
    groups.forEach(function (group) {
      var match = !region.value || group.label === region.value;
      group.hidden = !match;
      group.disabled = !match;
    });
    var chosen = cercle.options[cercle.selectedIndex];
    if (chosen && chosen.parentNode.disabled) { cercle.value = ""; }
  }
  region.addEventListener("change", filter);
  filter();
}());
