// Evidence viewer: the legend's checkboxes switch each field's highlight on and off.
(function () {
  'use strict';
  document.querySelectorAll('.hl-legend input[data-group]').forEach(function (box) {
    box.addEventListener('change', function () {
      var root = box.closest('article') || document.body;
      root.classList.toggle('hide-' + box.getAttribute('data-group'), !box.checked);
      // Keep every legend for the same group in step.
      root.querySelectorAll('.hl-legend input[data-group="' + box.getAttribute('data-group') + '"]').forEach(function (b) {
        b.checked = box.checked;
      });
    });
  });
})();
