// The event page's small map: the event's place on the offline outlines.
(function () {
  'use strict';
  var el = document.getElementById('event-map');
  if (!el || !window.L) return;
  var lat = parseFloat(el.getAttribute('data-lat')), lon = parseFloat(el.getAttribute('data-lon'));
  if (isNaN(lat) || isNaN(lon)) return;
  var map = L.map(el, { zoomControl: true, attributionControl: true, scrollWheelZoom: false, maxZoom: 14 })
    .setView([lat, lon], 7);
  map.attributionControl.setPrefix('Leaflet');
  map.attributionControl.addAttribution('Natural Earth');
  var renderer = L.canvas({ padding: 0.3 });
  function textIcon(text, cls) {
    var span = document.createElement('span');     // text, never HTML
    span.textContent = text;
    return L.divIcon({ html: span, className: 'map-label ' + cls, iconSize: null });
  }
  function draw(url, style, labelled) {
    return fetch(url).then(function (r) { return r.json(); }).then(function (fc) {
      L.geoJSON(fc, {
        interactive: false, renderer: renderer, style: style,
        onEachFeature: function (f, layer) {
          var c = layer.getBounds().getCenter();
          if (labelled && f.properties && f.properties.name && map.getBounds().contains(c)) {
            L.marker(c, { icon: textIcon(f.properties.name, 'admin1'), interactive: false, keyboard: false }).addTo(map);
          }
        }
      }).addTo(map);
    });
  }
  draw('/static/vendor/outlines/countries.geojson', { color: '#8d939b', weight: 1, fillColor: '#f4f1ea', fillOpacity: 1 })
    .then(function () { return draw('/static/vendor/outlines/admin1.geojson', { color: '#b4b0a6', weight: 0.7, fill: false, dashArray: '3 2' }, true); })
    .then(function () {
      // A governorate-level place is drawn as an approximate area, not as a precise point.
      var approx = el.getAttribute('data-approx') === '1';
      var m = approx
        ? L.circle([lat, lon], { radius: 30000, color: '#1f2d3d', weight: 2, dashArray: '4 4',
            fillColor: el.getAttribute('data-colour') || '#34495e', fillOpacity: 0.15 }).addTo(map)
        : L.circleMarker([lat, lon], { radius: 8, color: '#1f2d3d', weight: 1,
            fillColor: el.getAttribute('data-colour') || '#34495e', fillOpacity: 0.9 }).addTo(map);
      var name = el.getAttribute('data-place');
      if (name) {
        var span = document.createElement('span');
        span.textContent = name;
        m.bindTooltip(span, { permanent: true, direction: 'right', offset: [8, 0] });
      }
      document.body.setAttribute('data-event-map-ready', '1');
    }).catch(function (e) { console.warn('event map', e); });
})();
