// The filter bar shared by all views: keeps the URL clean, offers known values, limits sub-types
// to the chosen event types, and folds away on a phone. Values are set through DOM properties,
// never as HTML.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) return;
  var box = document.getElementById('filter-box');
  // On a phone the bar starts folded (its summary says how many filters are on).
  if (box && window.matchMedia && window.matchMedia('(max-width: 700px)').matches) box.open = false;

  form.addEventListener('submit', function () {
    // View settings that are not filters (the timeline's interval and measure) stay as they are.
    var current = new URLSearchParams(window.location.search);
    ['interval', 'metric', 'shade'].forEach(function (k) {
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

  // Sub-types: only those of the ticked event types (all when none is ticked).
  var typeBoxes = form.querySelectorAll('input[name=event_type]');
  function limitSubTypes() {
    var chosen = {};
    var any = false;
    typeBoxes.forEach(function (b) { if (b.checked) { chosen[b.value] = true; any = true; } });
    form.querySelectorAll('fieldset[data-type]').forEach(function (fs) {
      var show = !any || chosen[fs.getAttribute('data-type')];
      fs.hidden = !show;
      fs.disabled = !show;
    });
  }
  typeBoxes.forEach(function (b) { b.addEventListener('change', limitSubTypes); });
  limitSubTypes();

  function fill(id, items, value, label) {
    var dl = document.getElementById(id);
    if (!dl) return;
    items.forEach(function (it) {
      var o = document.createElement('option');
      o.value = value(it);
      o.label = label(it);
      dl.appendChild(o);
    });
  }
  // Known values for the datalists, fetched after the page has drawn.
  window.addEventListener('load', function () {
    fetch('/api/facets').then(function (r) { return r.ok ? r.json() : null; }).then(function (f) {
      if (!f) return;
      var ar = document.documentElement.lang === 'ar';
      var code = function (it) { return it.code; };
      var named = function (it) { return ((ar && it.name_ar) || it.name || '') + ' · ' + it.events; };
      fill('dl-country', f.countries, code, named);
      fill('dl-admin1', f.admin1, code, named);
      fill('dl-actor', f.actors, function (it) { return (ar && it.name_ar) || it.name; },
           function (it) { return (ar && it.name_ar ? it.name + ' · ' : '') + it.events; });
    }).catch(function () {});
  });
})();
