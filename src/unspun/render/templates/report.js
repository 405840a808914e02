(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");
  function sync(root) {
    root.querySelectorAll("input[data-hl]").forEach(function (box) {
      root.querySelectorAll(".text mark." + CSS.escape(box.dataset.hl)).forEach(function (mark) {
        mark.classList.toggle("off", !box.checked);
      });
    });
  }
  // Printed reports should include the folded analysis details.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  document.addEventListener("change", function (event) {
    var box = event.target, root = box.closest && box.closest(".report");
    if (!root) { return; }
    if (box.dataset.layer !== undefined) {
      root.querySelectorAll('input[data-in-layer="' + CSS.escape(box.dataset.layer) + '"]').forEach(function (b) {
        b.checked = box.checked;
      });
    }
    sync(root);
  });
})();
