// The filter bar shared by all views: keeps the URL clean, offers known values, and limits
// sub-types to the chosen event type. Values are set through DOM properties, never as HTML.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) return;

  form.addEventListener('submit', function () {
    // View settings that are not filters (the timeline's interval and measure) stay as they are.
    var current = new URLSearchParams(window.location.search);
    ['interval', 'metric'].forEach(function (k) {
      if (current.get(k) && !form.elements[k]) {
        var h = document.createElement('input');
        h.type = 'hidden'; h.name = k; h.value = current.get(k);
        form.appendChild(h);
      }
    });
    // Empty fields stay out of the URL so links stay short and shareable.
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && !el.value) el.disabled = true;
    });
  });

  var typeSel = document.getElementById('f-event-type');
  var subSel = document.getElementById('f-sub-type');
  function limitSubTypes() {
    var t = typeSel.value;
    Array.prototype.forEach.call(subSel.querySelectorAll('optgroup'), function (g) {
      var show = !t || g.getAttribute('data-type') === t;
      g.hidden = !show;
      g.disabled = !show;
    });
    var opt = subSel.selectedOptions[0];
    if (opt && opt.parentNode.disabled) subSel.value = '';
  }
  if (typeSel && subSel) {
    typeSel.addEventListener('change', limitSubTypes);
    limitSubTypes();
  }

  function fill(id, items, label) {
    var dl = document.getElementById(id);
    if (!dl) return;
    items.forEach(function (it) {
      var o = document.createElement('option');
      o.value = it.code || it.name;
      o.label = (label ? label(it) : '') ;
      dl.appendChild(o);
    });
  }
  // Known values for the datalists, fetched after the page has drawn.
  window.addEventListener('load', function () {
    fetch('/api/facets').then(function (r) { return r.ok ? r.json() : null; }).then(function (f) {
      if (!f) return;
      var ar = document.documentElement.lang === 'ar';
      var named = function (it) { return ((ar && it.name_ar) || it.name || '') + ' · ' + it.events; };
      fill('dl-country', f.countries, named);
      fill('dl-admin1', f.admin1, named);
      fill('dl-actor', f.actors, function (it) { return String(it.events); });
    }).catch(function () {});
  });
})();
