// Timeline: events or fatalities per day or week, stacked by event type, for the filters in the
// URL. The axis is the chosen range (From, To), else the dense part of the data: a stray event
// years earlier does not stretch it (the page says how many events are outside). Clicking a bar
// lists its events; the slider narrows the range. Interval and measure are kept in the URL.
(function () {
  'use strict';
  var T = JSON.parse(document.getElementById('i18n').textContent);
  var TYPES = T.__types || {};
  var ar = T.__lang === 'ar';
  var nf = new Intl.NumberFormat(ar ? 'ar-EG' : 'en-US', { numberingSystem: 'latn' });
  var statusEl = document.getElementById('chart-status');
  var noteEl = document.getElementById('range-note');
  var listEl = document.getElementById('day-list');
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

  function addDays(iso, n) {
    var d = new Date(iso + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function filtersFor(from, to) {
    var p = new URLSearchParams(window.location.search);
    ['interval', 'metric', 'lang', 'page', 'shade'].forEach(function (k) { p.delete(k); });
    p.set('date_from', from); p.set('date_to', to);
    return p;
  }

  // Click on a bar: the events of that day or week, listed under the chart.
  function listBucket(i) {
    var from = data.buckets[i];
    var to = interval === 'week' ? addDays(from, 6) : from;
    var p = filtersFor(from, to);
    p.set('limit', '100');
    listEl.textContent = T.loading;
    fetch('/api/events?' + p.toString()).then(function (r) { return r.json(); }).then(function (d) {
      listEl.textContent = '';
      var h = document.createElement('h3');
      var a = document.createElement('a');
      p.delete('limit');
      a.href = '/events?' + p.toString();
      a.textContent = T.list_day + ' ' + from + (to !== from ? ' – ' + to : '') + ' (' + nf.format(d.total) + ')';
      h.appendChild(a);
      listEl.appendChild(h);
      var ul = document.createElement('ul');
      d.events.forEach(function (ev) {
        var li = document.createElement('li');
        var link = document.createElement('a');
        link.href = '/event/' + encodeURIComponent(ev.id);
        var bdi = document.createElement('bdi'); bdi.textContent = ev.event_date || '—';
        link.appendChild(bdi);
        li.appendChild(link);
        var text = document.createElement('span');
        text.dir = 'auto';
        text.textContent = ' · ' + (TYPES[ev.event_type] || ev.event_type) + ' · ' +
          ((ar && ev.location_ar) || ev.location || '—') + ' · ' + T.fatalities + ': ' +
          (ev.fatalities === null || ev.fatalities === undefined ? T.unknown_toll : nf.format(ev.fatalities));
        li.appendChild(text);
        if (ev.outlier) {
          var b = document.createElement('span'); b.className = 'badge outlier'; b.textContent = '⚠ ' + T.outlier_short;
          b.title = T.outlier; li.appendChild(b);
        }
        ul.appendChild(li);
      });
      listEl.appendChild(ul);
      document.body.setAttribute('data-day-list', from);
    }).catch(function (e) { listEl.textContent = String(e.message || e); });
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
        onClick: function (e, els) { if (els && els.length) listBucket(els[0].index); },
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
    statusEl.textContent = (metric === 'events' ? T.count_events : T.count_fatalities) + ': ' + nf.format(total) +
      (data.undated ? ' · ' + nf.format(data.undated) + ' ' + T.undated : '');
    if (metric === 'fatalities' && data.outlier_events) {
      var w = document.createElement('span'); w.className = 'outlier-note';
      w.textContent = ' (⚠ ' + nf.format(data.outlier_fatalities) + ' ' + T.outliers_excluded + ')';
      w.title = T.outlier; statusEl.appendChild(w);
    }
    document.body.setAttribute('data-chart-ready', String(data.buckets.length));
    document.body.setAttribute('data-chart-range', data.buckets[0] + '/' + data.buckets[data.buckets.length - 1]);
  }

  function note() {
    noteEl.textContent = '';
    if (!data.range) { noteEl.hidden = true; return; }
    var s = document.createElement('bdi'); s.textContent = data.range[0] + ' – ' + data.range[1];
    noteEl.appendChild(document.createTextNode(T.range_shown + ': '));
    noteEl.appendChild(s);
    if (data.outside) {
      noteEl.appendChild(document.createTextNode(' · ' + nf.format(data.outside) + ' ' + (data.outside === 1 ? T.outside_range_1 : T.outside_range) + ' '));
      var a = document.createElement('a');
      var p = filtersFor(data.data_range[0], data.data_range[1]);
      p.set('interval', interval); p.set('metric', metric);
      a.href = '?' + p.toString(); a.textContent = T.show_all;
      noteEl.appendChild(a);
    }
    noteEl.hidden = false;
  }

  // The time slider: two handles over the data's whole range; releasing one reloads the view.
  function slider() {
    var box = document.getElementById('slider');
    if (!data.data_range) { box.hidden = true; return; }
    var first = new Date(data.data_range[0] + 'T00:00:00Z'), last = new Date(data.data_range[1] + 'T00:00:00Z');
    var n = Math.round((last - first) / 86400000);
    var from = document.getElementById('slide-from'), to = document.getElementById('slide-to');
    var label = document.getElementById('slide-label');
    from.max = to.max = String(n);
    var r0 = Math.round((new Date(data.range[0] + 'T00:00:00Z') - first) / 86400000);
    var r1 = Math.round((new Date(data.range[1] + 'T00:00:00Z') - first) / 86400000);
    from.value = String(Math.max(0, r0)); to.value = String(Math.min(n, r1));
    function show() {
      var a = Math.min(+from.value, +to.value), b = Math.max(+from.value, +to.value);
      label.textContent = addDays(data.data_range[0], a) + ' – ' + addDays(data.data_range[0], b);
      return [addDays(data.data_range[0], a), addDays(data.data_range[0], b)];
    }
    function go() {
      var r = show();
      var p = filtersFor(r[0], r[1]);
      p.set('interval', interval); p.set('metric', metric);
      window.location.search = '?' + p.toString();
    }
    from.oninput = to.oninput = show;
    from.onchange = to.onchange = go;
    show();
    box.hidden = false;
  }

  function load() {
    var p = new URLSearchParams(window.location.search);
    ['interval', 'metric', 'lang', 'shade'].forEach(function (k) { p.delete(k); });
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
      note();
      slider();
      draw();
    }).catch(function (e) {
      statusEl.textContent = String(e.message || e) + ' ';
      var retry = document.createElement('button');
      retry.type = 'button'; retry.textContent = T.retry; retry.addEventListener('click', load);
      statusEl.appendChild(retry);
    });
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
