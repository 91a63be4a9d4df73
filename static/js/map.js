/* Leaflet map component: optional 天地图 basemap (only with a key), the platform's own layers, drawing. */
(function () {
  "use strict";
  var DEFAULT_CENTER = [36.77, 117.84]; // 周村区
  var palette = ["#2b8cbe", "#e34a33", "#31a354", "#756bb1", "#fd8d3c", "#636363", "#d95f0e", "#1c9099", "#c51b8a", "#8c6bb1"];

  function basemaps(key) {
    if (!key) { return {}; }
    var sub = ["0", "1", "2", "3", "4", "5", "6", "7"];
    function t(layer) {
      return L.tileLayer("https://t{s}.tianditu.gov.cn/" + layer + "_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=" + layer +
        "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=" + key,
        { subdomains: sub, maxZoom: 18, attribution: "天地图" });
    }
    return {
      "天地图 矢量": L.layerGroup([t("vec"), t("cva")]),
      "天地图 影像": L.layerGroup([t("img"), t("cia")])
    };
  }

  function popupHtml(props) {
    if (!props) { return ""; }
    var title = props.name || props.title || props.label || "";
    var div = document.createElement("div");
    var strong = document.createElement("strong");
    strong.textContent = title;
    div.appendChild(strong);
    if (props.schematic) { var s = document.createElement("div"); s.className = "text-warning small"; s.textContent = "示意边界"; div.appendChild(s); }
    if (props.summary) { var p = document.createElement("div"); p.textContent = props.summary; div.appendChild(p); }
    if (props.url) { var a = document.createElement("a"); a.href = props.url; a.textContent = "查看详情"; div.appendChild(document.createElement("br")); div.appendChild(a); }
    return div;
  }

  function geojsonLayer(data, options) {
    var points = [];
    var color = options.color || palette[0];
    var layer = L.geoJSON(data, {
      style: function (f) { return { color: (f.properties && f.properties.color) || color, weight: 2, fillOpacity: 0.08 }; },
      pointToLayer: function (f, latlng) {
        var props = f.properties || {};
        if (props.cluster_count && props.cluster_count > 1) {
          var size = Math.min(48, 18 + Math.log(props.cluster_count) * 5);
          return L.marker(latlng, { icon: L.divIcon({ className: "grid-cluster", html: "<span>" + props.cluster_count + "</span>", iconSize: [size, size] }) });
        }
        return L.circleMarker(latlng, { radius: 6, color: props.color || color, weight: 2, fillOpacity: 0.7 });
      },
      onEachFeature: function (f, l) {
        var html = popupHtml(f.properties);
        if (html) { l.bindPopup(html); }
        if (f.geometry && f.geometry.type === "Point") { points.push(l); }
      }
    });
    if (points.length > 300 && L.markerClusterGroup) {
      var cluster = L.markerClusterGroup();
      layer.eachLayer(function (l) { cluster.addLayer(l); });
      return cluster;
    }
    return layer;
  }

  function addLegend(map, entries) {
    if (!entries.length) { return; }
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      entries.forEach(function (e) {
        var row = document.createElement("div");
        var sw = document.createElement("span"); sw.className = "swatch"; sw.style.background = e.color;
        row.appendChild(sw); row.appendChild(document.createTextNode(" " + e.label));
        div.appendChild(row);
      });
      return div;
    };
    legend.addTo(map);
  }

  function fetchJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/geo+json, application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  function init(el) {
    if (el._platformMap) { return el._platformMap; }
    var map = L.map(el, { center: DEFAULT_CENTER, zoom: 11, preferCanvas: true });
    el._platformMap = map;
    var bases = basemaps(el.getAttribute("data-tianditu-key"));
    var first = Object.keys(bases)[0];
    if (first) { bases[first].addTo(map); }
    L.control.scale({ imperial: false }).addTo(map);
    var overlays = {};
    var control = L.control.layers(bases, overlays, { collapsed: true }).addTo(map);
    var legend = [];
    var fitted = false;
    var pending = [];
    if (!el.hasAttribute("data-no-areas")) {
      pending.push(fetchJSON(el.getAttribute("data-areas-url")).then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (f) { return { color: "#555", weight: f.properties && f.properties.level === "district" ? 3 : 1.5, dashArray: f.properties && f.properties.schematic ? "6 4" : null, fillOpacity: 0.03 }; },
          onEachFeature: function (f, l) {
            var label = f.properties.name + (f.properties.schematic ? "（示意边界）" : "");
            l.bindTooltip(label, { sticky: true });
          }
        }).addTo(map);
        control.addOverlay(layer, "行政区划");
        legend.push({ color: "#555", label: "行政区划（虚线为示意边界）" });
        if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); fitted = true; }
        el.setAttribute("data-areas-loaded", String(data.features ? data.features.length : 0));
      }).catch(function () { el.setAttribute("data-areas-loaded", "error"); }));
    }
    var layerUrl = el.getAttribute("data-layer-url");
    if (layerUrl) {
      pending.push(fetchJSON(layerUrl).then(function (data) {
        var label = el.getAttribute("data-layer-label") || "数据";
        var layer = geojsonLayer(data, { color: palette[1] }).addTo(map);
        control.addOverlay(layer, label);
        legend.push({ color: palette[1], label: label });
        var bounds = layer.getBounds ? layer.getBounds() : null;
        if (bounds && bounds.isValid() && !fitted) { map.fitBounds(bounds.pad(0.1)); }
        el.setAttribute("data-layer-loaded", String(data.features ? data.features.length : 0));
      }).catch(function () { el.setAttribute("data-layer-loaded", "error"); }));
    }
    Promise.all(pending).then(function () { addLegend(map, legend); el.setAttribute("data-ready", "1"); });
    var draw = el.getAttribute("data-draw");
    if (draw && L.Control.Draw) { enableDraw(map, el, draw); }
    return map;
  }

  function enableDraw(map, el, kind) {
    var input = document.getElementById(el.getAttribute("data-draw-input"));
    var items = new L.FeatureGroup().addTo(map);
    if (input && input.value) {
      try { L.geoJSON(JSON.parse(input.value)).eachLayer(function (l) { items.addLayer(l); }); if (items.getBounds().isValid()) { map.fitBounds(items.getBounds().pad(0.2)); } } catch (e) { /* invalid stored value: start empty */ }
    }
    var tools = { polyline: false, polygon: false, rectangle: false, circle: false, marker: false, circlemarker: false };
    if (kind === "point") { tools.marker = true; }
    if (kind === "line") { tools.polyline = true; }
    if (kind === "polygon") { tools.polygon = true; tools.rectangle = true; }
    map.addControl(new L.Control.Draw({ draw: tools, edit: { featureGroup: items } }));
    function save() {
      var geoms = [];
      items.eachLayer(function (l) { geoms.push(l.toGeoJSON().geometry); });
      if (input) { input.value = geoms.length ? JSON.stringify(geoms[geoms.length - 1]) : ""; input.dispatchEvent(new Event("change", { bubbles: true })); }
    }
    map.on(L.Draw.Event.CREATED, function (e) { items.clearLayers(); items.addLayer(e.layer); save(); });
    map.on(L.Draw.Event.EDITED, save);
    map.on(L.Draw.Event.DELETED, save);
    // clicking the map places a point directly (quicker on a phone than the toolbar)
    if (kind === "point") {
      map.on("click", function (e) { items.clearLayers(); items.addLayer(L.marker(e.latlng)); save(); });
    }
  }

  function initAll(root) {
    (root || document).querySelectorAll("[data-map]").forEach(function (el) {
      if (el.offsetParent !== null || el.closest("[data-view-pane]") === null) { init(el); }
    });
  }

  function refresh(root) {
    (root || document).querySelectorAll("[data-map]").forEach(function (el) { if (el._platformMap) { el._platformMap.invalidateSize(); } });
  }

  window.PlatformMap = { init: init, initAll: initAll, refresh: refresh };
  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.body.addEventListener("htmx:afterSettle", function (e) { initAll(e.target); });
})();
