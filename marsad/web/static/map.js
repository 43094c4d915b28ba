// The event map: offline outline layers (countries, first-level divisions), an optional online
// tile layer, and one marker per event in the current filter (the page's query string),
// clustered when dense, coloured by event type and sized by fatalities. A marker's card is
// fetched on click and built from DOM nodes with textContent: nothing from a report becomes HTML.
(function () {
  'use strict';
  var T = JSON.parse(document.getElementById('i18n').textContent);
  var TYPES = T.__types || {};
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
  var countriesJSON = getJSON('/static/vendor/outlines/countries.geojson');
  var admin1JSON = getJSON('/static/vendor/outlines/admin1.geojson');
  function drawOutlines() {
    countriesJSON.then(function (fc) {
      L.geoJSON(fc, {
        pane: 'outlines', interactive: false, renderer: outlineRenderer,
        style: { color: '#8d939b', weight: 1, fillColor: '#f4f1ea', fillOpacity: 1 },
        onEachFeature: function (f, layer) { label(countryLabels, layer, f.properties && f.properties.name, 'country'); }
      }).addTo(outline);
      return admin1JSON;
    }).then(function (fc) {
      L.geoJSON(fc, {
        pane: 'outlines', renderer: outlineRenderer, interactive: false,
        style: { color: '#b4b0a6', weight: 0.7, fill: false, dashArray: '3 2' },
        onEachFeature: function (f, layer) { label(admin1Labels, layer, f.properties && f.properties.name, 'admin1'); }
      }).addTo(outline);
      showLabels();
      if (window.performance && performance.mark) performance.mark('marsad-outlines');
      document.body.setAttribute('data-outlines-ready', '1');
    }).catch(function (e) { console.warn('outlines not loaded', e); });
  }

  // -- markers ----------------------------------------------------------------------------
  function radius(f) { return f ? Math.min(26, 6 + 2.2 * Math.sqrt(f)) : 6; }

  var onChunksDone = null;
  var clusters = L.markerClusterGroup({
    chunkedLoading: true, chunkInterval: 500, chunkDelay: 1, maxClusterRadius: 45, showCoverageOnHover: false,
    spiderfyOnMaxZoom: true, disableClusteringAtZoom: 10,   // fewer zoom levels to cluster: faster load
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

  function row(dl, label, value) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return;
    var dt = document.createElement('dt'); dt.textContent = label;
    var dd = document.createElement('dd'); dd.textContent = Array.isArray(value) ? value.join(', ') : String(value);
    dl.appendChild(dt); dl.appendChild(dd);
    return dd;
  }

  function card(ev) {
    var box = document.createElement('div');
    box.className = 'card';
    box.setAttribute('data-event-id', ev.id);
    var h = document.createElement('h3');
    h.textContent = (TYPES[ev.event_type] || ev.event_type || '') + (ev.sub_event_type ? ' · ' + ev.sub_event_type : '');
    box.appendChild(h);
    var dl = document.createElement('dl');
    row(dl, T.date, ev.event_date || '—');
    var actors = [ev.actor1, ev.actor2].filter(Boolean).join(' → ');
    row(dl, T.actors, actors);
    var place = [ev.location, ev.admin1_code, ev.country_code].filter(Boolean).join(', ');
    row(dl, T.place, place);
    var ar = row(dl, T.location_ar, ev.location_ar);
    if (ar) { ar.dir = 'rtl'; ar.lang = 'ar'; }
    row(dl, T.fatalities, ev.fatalities === null || ev.fatalities === undefined ? '?' : ev.fatalities);
    row(dl, T.sources, ev.sources);
    box.appendChild(dl);
    if (ev.notes) {
      var p = document.createElement('p'); p.className = 'notes'; p.dir = 'auto'; p.textContent = ev.notes;
      box.appendChild(p);
    }
    var a = document.createElement('a');
    a.className = 'open'; a.href = '/event/' + encodeURIComponent(ev.id); a.textContent = T.open_event + ' →';
    box.appendChild(a);
    return box;
  }

  function openCard(marker) {
    // Fetched first, then opened, so that the popup pans the map to fit its real size.
    getJSON('/api/events/' + encodeURIComponent(marker.eventId)).then(function (ev) {
      marker.bindPopup(card(ev), { maxWidth: 360, autoPanPadding: [20, 20] }).openPopup();
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
    }
  }
  function onMarkerClick() { openCard(this); }

  function addMarkers(data) {
    var markers = data.points.map(function (p) {
      var m = L.circleMarker([p[1], p[2]], {
        radius: radius(p[4]), color: '#1f2d3d', weight: 1, fillColor: data.colours[p[3]], fillOpacity: 0.85
      });
      m.eventId = p[0];
      m.eventType = data.types[p[3]];
      m.on('add', onMarkerAdd);
      m.on('click', onMarkerClick);
      return m;
    });
    var msg = data.sent === data.total
      ? data.total + ' ' + T.shown
      : data.sent + ' ' + T.of + ' ' + data.total + ' ' + T.shown;
    if (!data.total) msg = T.no_events;
    if (data.unplaced) msg += ' (' + data.unplaced + ' ' + T.unplaced + ')';
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
      var b = data.bounds;
      // Keep the events clear of the legend (bottom right, or bottom left in Arabic).
      var legend = document.getElementById('legend');
      var lw = legend ? legend.offsetWidth + 20 : 20;
      var rtlPage = document.documentElement.dir === 'rtl';
      map.fitBounds(L.latLngBounds([b[0], b[1]], [b[2], b[3]]), {
        maxZoom: 7, animate: false,
        paddingTopLeft: [rtlPage ? lw : 40, 40], paddingBottomRight: [rtlPage ? 40 : lw, 40]
      });
    }
    if (markers.length) clusters.addLayers(markers, true); else onChunksDone();   // true: no event per marker
  }

  // The page names the URL (the filters as the server understood them); it preloads it too.
  var outlinesStarted = false;
  function outlinesOnce() { if (!outlinesStarted) { outlinesStarted = true; drawOutlines(); } }
  getJSON(el.getAttribute('data-api') || '/api/map').then(addMarkers).catch(function (e) {
    statusEl.textContent = String(e.message || e);
    document.body.setAttribute('data-map-ready', 'error');
    outlinesOnce();
  });
})();
