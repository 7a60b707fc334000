// Accessible names for widgets that third-party admin scripts build without one.
(function () {
  "use strict";

  function labelText(id) {
    var label = document.querySelector('label[for="' + id + '"]');
    return label ? label.textContent.replace(/[:*]\s*$/, "").trim() : "";
  }

  function nameAutocompletes(root) {
    // Select2 boxes: point the visible combobox at the original field's label.
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container) return;
      var text = labelText(select.id) || select.name.replace(/^.*-/, "");
      if (!text) return;
      container.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(function (el) {
        if (!el.hasAttribute("aria-label")) el.setAttribute("aria-label", text);
      });
    });
  }

  function nameInlineFields(root) {
    // Fields of tabular inline rows have only a column heading; give each its own name.
    root.querySelectorAll(".tabular td.field-order input, .tabular td.field-value input, .tabular td.field-unit input, .tabular td.field-label input, .tabular td.field-key input").forEach(function (input) {
      if (input.hasAttribute("aria-label")) return;
      var cell = input.closest("td");
      var table = input.closest("table");
      if (!cell || !table) return;
      var index = Array.prototype.indexOf.call(cell.parentNode.children, cell);
      var heading = table.querySelectorAll("thead th")[index];
      if (heading) input.setAttribute("aria-label", heading.textContent.trim());
    });
  }

  function fixTabs(root) {
    var mainSwitch = document.getElementById("modeltranslation-main-switch");
    if (mainSwitch && !mainSwitch.hasAttribute("aria-label")) {
      var meta = document.querySelector('meta[name="apk-field-language-label"]');
      if (meta) mainSwitch.setAttribute("aria-label", meta.content);
    }
  }

  function run() {
    nameAutocompletes(document);
    nameInlineFields(document);
    fixTabs(document);
  }

  // Tabs, Select2 boxes and inline rows are built by other scripts at various times: name them
  // whenever the page's markup changes.
  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      run();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    run();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
})();
