// The summary beside the map and the timeline: events and fatalities by type, country,
// governorate, actor and the top places for the page's filters. Each row links to the same view
// filtered by its value. Built from DOM nodes with textContent only.
(function () {
  'use strict';
  var box = document.getElementById('summary');
  if (!box) return;
  var T = JSON.parse(document.getElementById('i18n').textContent);
  var ar = T.__lang === 'ar';
  var nf = new Intl.NumberFormat(ar ? 'ar-EG' : 'en-US', { numberingSystem: 'latn' });
  var KEY = { event_type: 'event_type', country: 'country', admin1: 'admin1', actor: 'actor', location: 'location' };

  function linkFor(key, value) {
    var p = new URLSearchParams(window.location.search);
    p.delete(key); p.delete('page');
    if (key === 'event_type') p.delete('sub_event_type');
    p.append(key, value);
    return window.location.pathname + '?' + p.toString();
  }

  function fill(d) {
    var total = document.getElementById('sum-total');
    var text = nf.format(d.total) + ' ' + (d.total === 1 ? T.event_1 : T.events_n) + ' · ' + nf.format(d.fatalities) + ' ' + T.count_fatalities;
    total.textContent = text;
    if (d.outlier_events) {
      var warn = document.createElement('span');
      warn.className = 'outlier-note';
      warn.textContent = ' (⚠ ' + nf.format(d.outlier_fatalities) + ' ' + T.outliers_excluded + ')';
      warn.title = T.outlier;
      total.appendChild(warn);
    }
    Object.keys(KEY).forEach(function (key) {
      var sec = box.querySelector('.sum-group[data-group="' + key + '"]');
      var body = sec.querySelector('tbody');
      body.textContent = '';
      var max = 1;
      d[key].forEach(function (r) { max = Math.max(max, r.events); });
      d[key].forEach(function (r) {
        var tr = document.createElement('tr');
        var td = document.createElement('td');
        var a = document.createElement('a');
        a.href = linkFor(KEY[key], key === 'actor' || key === 'location' ? r.value : r.value);
        a.textContent = (ar ? r.label_ar : r.label) || r.value;
        a.dir = 'auto';
        a.title = r.value;
        td.appendChild(a);
        var bar = document.createElement('span');
        bar.className = 'bar';
        bar.style.width = Math.max(2, Math.round(100 * r.events / max)) + '%';
        td.appendChild(bar);
        var n = document.createElement('td'); n.className = 'num'; n.textContent = nf.format(r.events);
        var f = document.createElement('td'); f.className = 'num fat'; f.textContent = nf.format(r.fatalities || 0);
        tr.appendChild(td); tr.appendChild(n); tr.appendChild(f);
        body.appendChild(tr);
      });
      sec.hidden = !d[key].length;
    });
    box.setAttribute('data-ready', '1');
  }

  function load() {
    fetch(box.getAttribute('data-api')).then(function (r) {
      return r.json().then(function (b) { if (!r.ok) throw new Error(b.error || r.status); return b; });
    }).then(fill).catch(function (e) {
      var total = document.getElementById('sum-total');
      total.textContent = String(e.message || e) + ' ';
      var retry = document.createElement('button');
      retry.type = 'button'; retry.textContent = T.retry;
      retry.addEventListener('click', load);
      total.appendChild(retry);
    });
  }
  load();
})();
