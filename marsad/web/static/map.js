// The event map: offline outline layers (countries, first-level divisions), an optional online
// tile layer, and one marker per event in the current filter (the page's query string),
// clustered when dense at every zoom, fanned out (spiderfied) when stacked on one spot,
// coloured by event type and sized by fatalities. Governorate-level events are hollow dashed
// rings (approximate, not a precise point); outlier tolls have a red ring and are not sized by
// their toll. Governorates can be shaded by events or fatalities. A marker's card is fetched on
// click and built from DOM nodes with textContent: nothing from a report becomes HTML.
(function () {
  'use strict';
  var T = JSON.parse(document.getElementById('i18n').textContent);
  var TYPES = T.__types || {};
  var SUB = T.__sub || {}, INTER = T.__inter || {}, PREC = T.__precision || {};
  var ar = T.__lang === 'ar';
  var nf = new Intl.NumberFormat(ar ? 'ar-EG' : 'en-US', { numberingSystem: 'latn' });
  var wrap = document.getElementById('map-wrap');
  var legendEl = document.getElementById('legend');
  if (legendEl && window.matchMedia && window.matchMedia('(max-width: 700px)').matches) legendEl.open = false;
  var el = document.getElementById('map');
  var statusEl = document.getElementById('map-status');

  var map = L.map(el, { zoomControl: true, worldCopyJump: true, minZoom: 3, maxZoom: 18 }).setView([31.5, 38.5], 5);
  window.marsadMap = map;   // for the browser tests and the console
  map.attributionControl.setPrefix('Leaflet');

  // -- base layers ------------------------------------------------------------------------
  var outline = L.layerGroup();
  map.createPane('outlines');
  map.getPane('outlines').style.zIndex = 250;
  // Thousands of outline polygons: one canvas, not thousands of SVG paths.
  var outlineRenderer = L.canvas({ pane: 'outlines', padding: 0.3 });
  var tilesUrl = el.getAttribute('data-tiles');
  var online = tilesUrl ? L.tileLayer(tilesUrl, {
    attribution: el.getAttribute('data-tiles-attribution') || '', maxZoom: 18
  }) : null;
  outline.addTo(map);
  map.attributionControl.addAttribution('Natural Earth');
  if (online) {
    L.control.layers({ [T.offline_note]: outline, 'Tiles': online }, null, { position: 'topleft' }).addTo(map);
  }

  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) {
        return r.json().catch(function () { return {}; }).then(function (b) {
          throw new Error(b.error || ('HTTP ' + r.status));
        });
      }
      return r.json();
    });
  }

  // Place names for orientation: countries when zoomed out, divisions when zoomed in.
  var countryLabels = L.layerGroup(), admin1Labels = L.layerGroup();
  function label(group, layer, text, cls) {
    if (!text) return;
    var span = document.createElement('span');
    span.textContent = text;
    L.marker(layer.getBounds().getCenter(), {
      icon: L.divIcon({ html: span, className: 'map-label ' + cls, iconSize: null }),
      interactive: false, keyboard: false, pane: 'outlines'
    }).addTo(group);
  }
  function showLabels() {
    var z = map.getZoom();
    if (z >= 4 && z < 7) countryLabels.addTo(map); else countryLabels.remove();
    if (z >= 7) admin1Labels.addTo(map); else admin1Labels.remove();
  }
  map.on('zoomend', showLabels);

  // Both outline files are fetched at once (the page preloads them); they are drawn after the
  // markers, so the events show first.
  var outlineAr = ar ? getJSON('/api/outline-names').catch(function () { return { countries: {}, admin1: {} }; })
                     : Promise.resolve({ countries: {}, admin1: {} });
  var countriesJSON = getJSON('/static/vendor/outlines/countries.geojson');
  var admin1JSON = getJSON('/static/vendor/outlines/admin1.geojson');
  var admin1Layer = null;
  function drawOutlines() {
    var names = null;
    outlineAr.then(function (n) { names = n; return countriesJSON; }).then(function (fc) {
      L.geoJSON(fc, {
        pane: 'outlines', interactive: false, renderer: outlineRenderer,
        style: { color: '#8d939b', weight: 1, fillColor: '#f4f1ea', fillOpacity: 1 },
        onEachFeature: function (f, layer) {
          var n = f.properties && f.properties.name;
          label(countryLabels, layer, (n && names.countries[n]) || n, 'country');
        }
      }).addTo(outline);
      return admin1JSON;
    }).then(function (fc) {
      admin1Layer = L.geoJSON(fc, {
        pane: 'outlines', renderer: outlineRenderer, interactive: false,
        style: admin1Style,
        onEachFeature: function (f, layer) {
          var n = f.properties && f.properties.name;
          label(admin1Labels, layer, (n && names.admin1[n]) || n, 'admin1');
        }
      }).addTo(outline);
      showLabels();
      shade();
      if (window.performance && performance.mark) performance.mark('marsad-outlines');
      document.body.setAttribute('data-outlines-ready', '1');
    }).catch(function (e) { console.warn('outlines not loaded', e); });
  }

  // -- markers ----------------------------------------------------------------------------
  function radius(f, flags) {
    if (flags & 1) return 10;                     // an outlier toll does not size its marker
    return f ? Math.min(26, 6 + 2.2 * Math.sqrt(f)) : 6;
  }

  var onChunksDone = null;
  var clusters = L.markerClusterGroup({
    chunkedLoading: true, chunkInterval: 500, chunkDelay: 1, maxClusterRadius: 45, showCoverageOnHover: false,
    // Clustered at every zoom: events on one spot (a city's centre, a governorate's) stay one
    // cluster that fans out when clicked at the deepest zoom, instead of sitting on one pixel.
    spiderfyOnMaxZoom: true, zoomToBoundsOnClick: true, spiderfyDistanceMultiplier: 1.4,
    // Called before the last chunk is put on the map: finish on the next tick.
    chunkProgress: function (done, total) { if (done === total && onChunksDone) setTimeout(onChunksDone, 0); },
    iconCreateFunction: function (cluster) {
      // A ring split by the event types inside the cluster.
      var counts = {}, n = 0;
      cluster.getAllChildMarkers().forEach(function (m) { counts[m.options.fillColor] = (counts[m.options.fillColor] || 0) + 1; n++; });
      var stops = [], acc = 0;
      Object.keys(counts).forEach(function (c) {
        var a = acc / n * 360; acc += counts[c]; var b = acc / n * 360;
        stops.push(c + ' ' + a.toFixed(1) + 'deg ' + b.toFixed(1) + 'deg');
      });
      var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 44 : 52;
      var div = document.createElement('div');
      div.className = 'ev-cluster';
      div.style.width = div.style.height = size + 'px';
      div.style.background = 'conic-gradient(' + stops.join(',') + ')';
      var span = document.createElement('span');
      span.textContent = String(n);
      div.appendChild(span);
      return L.divIcon({ html: div, className: '', iconSize: [size, size] });
    }
  });
  map.addLayer(clusters);
  window.marsadClusters = clusters;
  // The legend never covers a popup: it steps aside while one is open.
  map.on('popupopen', function () { if (wrap) wrap.classList.add('popup-open'); });
  map.on('popupclose', function () { if (wrap) wrap.classList.remove('popup-open'); });

  function row(dl, label, value) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return;
    var dt = document.createElement('dt'); dt.textContent = label;
    var dd = document.createElement('dd'); dd.textContent = Array.isArray(value) ? value.join('، ') : String(value);
    dd.dir = 'auto';
    dl.appendChild(dt); dl.appendChild(dd);
    return dd;
  }

  function card(ev) {
    var L_ = (ar && ev.labels_ar) || {};
    function lab(k) { return L_[k] || ev[k]; }
    var box = document.createElement('div');
    box.className = 'card';
    box.dir = ar ? 'rtl' : 'ltr';
    box.setAttribute('data-event-id', ev.id);
    var h = document.createElement('h3');
    h.textContent = (TYPES[ev.event_type] || ev.event_type || '') +
      (ev.sub_event_type ? ' · ' + (ar ? (SUB[ev.sub_event_type] || ev.sub_event_type) : ev.sub_event_type) : '');
    box.appendChild(h);
    if (ev.outlier) {
      var w = document.createElement('p'); w.className = 'outlier-note'; w.textContent = '⚠ ' + T.outlier;
      box.appendChild(w);
    }
    var dl = document.createElement('dl');
    var d = row(dl, T.date, ev.event_date || '—'); if (d) d.dir = 'ltr';
    var actors = [lab('actor1'), lab('actor2')].filter(Boolean).join(ar ? ' ← ' : ' → ');
    row(dl, T.actors, actors);
    var place = [ev.location, lab('admin1_code'), lab('country_code')].filter(Boolean).join(ar ? '، ' : ', ');
    if (ar && ev.location_ar) place = [ev.location_ar, lab('admin1_code'), lab('country_code')].filter(Boolean).join('، ');
    row(dl, T.place, place);
    if (!ar) {
      var arPlace = row(dl, T.location_ar, ev.location_ar);
      if (arPlace) { arPlace.dir = 'rtl'; arPlace.lang = 'ar'; }
    }
    if (ev.geo_precision >= 3) {
      var ap = row(dl, T.geo_precision, PREC[String(ev.geo_precision)] || ev.geo_precision);
      if (ap) ap.className = 'approx-note';
    }
    row(dl, T.fatalities, ev.fatalities === null || ev.fatalities === undefined ? T.unknown_toll : nf.format(ev.fatalities));
    row(dl, T.sources, ev.sources);
    box.appendChild(dl);
    if (ev.notes) {
      var p = document.createElement('p'); p.className = 'notes'; p.dir = 'ltr'; p.lang = 'en'; p.textContent = ev.notes;
      if (ar) p.title = T.note_en;
      box.appendChild(p);
    }
    var a = document.createElement('a');
    a.className = 'open'; a.href = '/event/' + encodeURIComponent(ev.id); a.textContent = T.open_event + (ar ? ' ←' : ' →');
    box.appendChild(a);
    return box;
  }

  function openCard(marker) {
    // Fetched first, then opened, so that the popup pans the map to fit its real size.
    getJSON('/api/events/' + encodeURIComponent(marker.eventId)).then(function (ev) {
      marker.bindPopup(card(ev), { maxWidth: Math.min(360, el.clientWidth - 40), autoPanPadding: [20, 20] }).openPopup();
    }).catch(function (e) {
      var d = document.createElement('div'); d.textContent = String(e.message || e);
      marker.bindPopup(d).openPopup();
    });
  }

  // Shared handlers (not one closure per marker: there may be tens of thousands).
  function onMarkerAdd() {
    var path = this.getElement && this.getElement();
    if (path) {
      path.setAttribute('data-event-id', this.eventId);
      path.setAttribute('data-event-type', this.eventType);
      path.classList.add('ev-marker');
      if (this.flags & 1) path.classList.add('ev-outlier');
      if (this.flags & 2) path.classList.add('ev-approx');
    }
  }
  function onMarkerClick() { openCard(this); }

  function addMarkers(data) {
    points = data.points;
    var markers = data.points.map(function (p) {
      var flags = p[6] || 0, approx = flags & 2, outlier = flags & 1;
      var m = L.circleMarker([p[1], p[2]], {
        radius: radius(p[4], flags), color: outlier ? '#d10000' : '#1f2d3d', weight: outlier ? 3 : approx ? 2 : 1,
        dashArray: approx ? '3 3' : null, fillColor: data.colours[p[3]], fillOpacity: approx ? 0.25 : 0.85,
        // A click on a marker is not also a click on the map (which folds a fanned-out cluster
        // away before the marker's card can open).
        bubblingMouseEvents: false
      });
      m.eventId = p[0];
      m.eventType = data.types[p[3]];
      m.flags = flags;
      m.on('add', onMarkerAdd);
      m.on('click', onMarkerClick);
      return m;
    });
    var msg = data.sent === data.total
      ? nf.format(data.total) + ' ' + (data.total === 1 ? T.shown_1 : T.shown)
      : nf.format(data.sent) + ' ' + T.of + ' ' + nf.format(data.total) + ' ' + T.shown;
    if (!data.total) msg = T.no_events;
    if (data.unplaced) msg += ' (' + nf.format(data.unplaced) + ' ' + T.unplaced + ')';
    onChunksDone = function () {
      // Every marker is in (clustering adds them in chunks so the page stays responsive).
      onChunksDone = null;
      statusEl.textContent = msg;
      statusEl.setAttribute('data-total', data.total);
      if (window.performance && performance.mark) performance.mark('marsad-markers');
      document.body.setAttribute('data-map-ready', String(markers.length));
      outlinesOnce();
    };
    // Frame the events first, so the clusters are computed and drawn once, at the final zoom.
    if (data.bounds) {
      var b = denseBounds(data.points) || data.bounds;
      // Keep the events clear of the legend (bottom right, or bottom left in Arabic).
      var legend = document.getElementById('legend');
      var lw = legend ? legend.offsetWidth + 20 : 20;
      var rtlPage = document.documentElement.dir === 'rtl';
      if (lw > el.clientWidth / 2) lw = 20;       // a phone: the legend is folded
      map.fitBounds(L.latLngBounds([b[0], b[1]], [b[2], b[3]]), {
        maxZoom: 7, animate: false,
        paddingTopLeft: [rtlPage ? lw : 40, 40], paddingBottomRight: [rtlPage ? 40 : lw, 40]
      });
    }
    if (markers.length) clusters.addLayers(markers, true); else onChunksDone();   // true: no event per marker
  }

  // The frame: the middle 96% of the events in each direction, so a few events far away (New
  // York, Tokyo) do not zoom the map out to the whole world. They are still on the map.
  function denseBounds(pts) {
    if (pts.length < 50) return null;
    var lats = pts.map(function (p) { return p[1]; }).sort(function (a, b) { return a - b; });
    var lons = pts.map(function (p) { return p[2]; }).sort(function (a, b) { return a - b; });
    var lo = Math.floor(pts.length * 0.02), hi = Math.ceil(pts.length * 0.98) - 1;
    return [lats[lo], lons[lo], lats[hi], lons[hi]];
  }

  // -- governorate shading: events (or fatalities, outliers left out) inside each outline ------
  var points = [];
  var shadeSel = document.getElementById('shade');
  var shadeBy = new URLSearchParams(window.location.search).get('shade') || '';
  if (shadeSel) shadeSel.value = shadeBy;
  var shadeValues = null;
  function admin1Style(f) {
    var base = { color: '#b4b0a6', weight: 0.7, fill: false, dashArray: '3 2' };
    if (!shadeBy || !shadeValues) return base;
    var v = shadeValues.get(f) || 0;
    if (!v) return base;
    var t = Math.sqrt(v / shadeValues.max);
    return { color: '#8a4b2d', weight: 0.8, dashArray: null, fill: true, fillColor: '#b9461f', fillOpacity: 0.12 + 0.6 * t };
  }
  function inRing(x, y, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (((yi > y) !== (yj > y)) && (x < (xj - xi) * (y - yi) / (yj - yi) + xi)) inside = !inside;
    }
    return inside;
  }
  function inGeometry(x, y, g) {
    var polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (var i = 0; i < polys.length; i++) {
      if (inRing(x, y, polys[i][0])) {
        var hole = false;
        for (var k = 1; k < polys[i].length; k++) if (inRing(x, y, polys[i][k])) hole = true;
        if (!hole) return true;
      }
    }
    return false;
  }
  function computeShade() {
    // Each event counts in the outline that contains it (bounding boxes first: cheap).
    var layers = admin1Layer.getLayers();
    var boxes = layers.map(function (l) { return l.getBounds(); });
    var values = new Map(), max = 0;
    points.forEach(function (p) {
      var w = shadeBy === 'fatalities' ? ((p[6] & 1) ? 0 : (p[4] || 0)) : 1;
      if (!w) return;
      for (var i = 0; i < layers.length; i++) {
        var b = boxes[i];
        if (p[1] < b.getSouth() || p[1] > b.getNorth() || p[2] < b.getWest() || p[2] > b.getEast()) continue;
        var f = layers[i].feature;
        if (inGeometry(p[2], p[1], f.geometry)) {
          var v = (values.get(f) || 0) + w;
          values.set(f, v); if (v > max) max = v;
          break;
        }
      }
    });
    values.max = max || 1;
    return values;
  }
  function shade() {
    if (!admin1Layer) return;
    shadeValues = shadeBy ? computeShade() : null;
    admin1Layer.setStyle(admin1Style);
    document.body.setAttribute('data-shade', shadeBy || 'none');
  }
  if (shadeSel) shadeSel.addEventListener('change', function () {
    shadeBy = shadeSel.value;
    var p = new URLSearchParams(window.location.search);
    if (shadeBy) p.set('shade', shadeBy); else p.delete('shade');
    history.replaceState(null, '', '?' + p.toString());
    shade();
  });

  // The page names the URL (the filters as the server understood them); it preloads it too.
  var outlinesStarted = false;
  function outlinesOnce() { if (!outlinesStarted) { outlinesStarted = true; drawOutlines(); } }
  function load() {
    getJSON(el.getAttribute('data-api') || '/api/map').then(addMarkers).catch(function (e) {
      statusEl.textContent = String(e.message || e) + ' ';
      var retry = document.createElement('button');
      retry.type = 'button'; retry.textContent = T.retry;
      retry.addEventListener('click', function (ev) { ev.preventDefault(); statusEl.textContent = T.loading; load(); });
      statusEl.appendChild(retry);
      document.body.setAttribute('data-map-ready', 'error');
      outlinesOnce();
    });
  }
  load();
})();
