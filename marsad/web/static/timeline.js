// Timeline: events or fatalities per day or week, stacked by event type, for the filters in the
// URL. The interval and the measure are kept in the URL too (interval=, metric=).
(function () {
  'use strict';
  var T = JSON.parse(document.getElementById('i18n').textContent);
  var TYPES = T.__types || {};
  var statusEl = document.getElementById('chart-status');
  var params = new URLSearchParams(window.location.search);
  var interval = params.get('interval') === 'week' ? 'week' : 'day';
  var metric = params.get('metric') === 'fatalities' ? 'fatalities' : 'events';
  var chart = null, data = null;
  var rtl = document.documentElement.dir === 'rtl';

  function press() {
    document.querySelectorAll('[data-interval]').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-interval') === interval));
    });
    document.querySelectorAll('[data-metric]').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-metric') === metric));
    });
  }

  function keepInUrl() {
    var p = new URLSearchParams(window.location.search);
    p.set('interval', interval); p.set('metric', metric);
    history.replaceState(null, '', '?' + p.toString());
  }

  function draw() {
    var series = data[metric];
    var datasets = data.types.map(function (t, i) {
      return { label: TYPES[t] || t || '?', data: series[t], backgroundColor: data.colours[i], stack: 's' };
    });
    if (chart) chart.destroy();
    chart = new Chart(document.getElementById('chart'), {
      type: 'bar',
      data: { labels: data.buckets, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: 'bottom', rtl: rtl }, tooltip: { rtl: rtl, mode: 'index', intersect: false, callbacks: {
          title: function (items) { return (interval === 'week' ? T.week_of + ' ' : '') + items[0].label; } } } },
        scales: {
          x: { stacked: true, reverse: rtl, ticks: { autoSkip: true, maxRotation: 60 } },
          y: { stacked: true, beginAtZero: true, position: rtl ? 'right' : 'left',
               title: { display: true, text: metric === 'events' ? T.count_events : T.count_fatalities },
               ticks: { precision: 0 } }
        }
      }
    });
    var total = metric === 'events' ? data.total : data.total_fatalities;
    statusEl.textContent = (metric === 'events' ? T.count_events : T.count_fatalities) + ': ' + total +
      (data.undated ? ' · ' + data.undated + ' ' + T.undated : '');
    document.body.setAttribute('data-chart-ready', String(data.buckets.length));
  }

  function load() {
    var p = new URLSearchParams(window.location.search);
    ['interval', 'metric', 'lang'].forEach(function (k) { p.delete(k); });
    p.set('interval', interval);
    statusEl.textContent = T.loading;
    fetch('/api/stats?' + p.toString()).then(function (r) {
      return r.json().then(function (b) { if (!r.ok) throw new Error(b.error || r.status); return b; });
    }).then(function (d) {
      data = d;
      if (!d.buckets.length) {
        statusEl.textContent = T.no_events;
        document.body.setAttribute('data-chart-ready', '0');
        if (chart) { chart.destroy(); chart = null; }
        return;
      }
      draw();
    }).catch(function (e) { statusEl.textContent = String(e.message || e); });
  }

  document.querySelectorAll('[data-interval]').forEach(function (b) {
    b.addEventListener('click', function () { interval = b.getAttribute('data-interval'); press(); keepInUrl(); load(); });
  });
  document.querySelectorAll('[data-metric]').forEach(function (b) {
    b.addEventListener('click', function () { metric = b.getAttribute('data-metric'); press(); keepInUrl(); if (data) draw(); });
  });
  press();
  load();
})();
