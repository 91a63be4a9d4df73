/* Leaflet map component (templates/components/map.html).
 *
 * Draws the administrative areas of the user's scope (dashed = schematic boundary, orange = overlay area such as a
 * development zone), an optional GeoJSON data layer, a layer switcher, a legend, a metric scale bar and a visible
 * "示意边界" note whenever a schematic boundary is on the map. The 天地图 basemap is added only when a key is
 * configured: without one the map makes no request outside the platform. Drawing (points, lines, polygons) uses
 * leaflet-draw and writes GeoJSON into a form input.
 *
 * Data attributes read: data-map, data-tianditu-key, data-areas-url, data-no-areas, data-layer-url,
 * data-layer-label, data-fit ("areas" | "layer"), data-draw ("point" | "line" | "polygon"), data-draw-input.
 * Data attributes written: data-areas-loaded (feature count or "error"), data-layer-loaded, data-schematic
 * ("1" when a schematic boundary is shown), data-ready ("1" when everything has loaded).
 */
(function () {
  "use strict";
  var DEFAULT_CENTER = [36.77, 117.84]; // 周村区
  var palette = ["#2b8cbe", "#e34a33", "#31a354", "#756bb1", "#fd8d3c", "#636363", "#d95f0e", "#1c9099", "#c51b8a", "#8c6bb1"];
  var AREA_COLOR = "#4a4a4a";
  var OVERLAY_COLOR = "#d95f0e";
  var SCHEMATIC_DASH = "6 4";
  var SCHEMATIC_TEXT = "示意边界";
  var SCHEMATIC_NOTE = "示意边界：仅供演示，非官方边界";

  function basemaps(key) {
    if (!key) { return {}; }
    var sub = ["0", "1", "2", "3", "4", "5", "6", "7"];
    function t(layer) {
      return L.tileLayer("https://t{s}.tianditu.gov.cn/" + layer + "_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=" + layer +
        "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=" + encodeURIComponent(key),
        { subdomains: sub, maxZoom: 18, attribution: "天地图" });
    }
    return {
      "天地图 矢量": L.layerGroup([t("vec"), t("cva")]),
      "天地图 影像": L.layerGroup([t("img"), t("cia")])
    };
  }

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content) { node.textContent = content; }
    return node;
  }

  function popupHtml(props) {
    if (!props) { return ""; }
    var title = props.name || props.title || props.label || "";
    var div = document.createElement("div");
    div.appendChild(text("strong", "", title));
    if (props.schematic) { div.appendChild(text("div", "text-warning small", SCHEMATIC_TEXT)); }
    if (props.summary) { div.appendChild(text("div", "", props.summary)); }
    if (props.url) {
      var a = text("a", "", "查看详情");
      a.href = props.url;
      div.appendChild(document.createElement("br"));
      div.appendChild(a);
    }
    return div;
  }

  function areaStyle(f) {
    var p = f.properties || {};
    var overlay = p.level === "overlay";
    return {
      color: overlay ? OVERLAY_COLOR : AREA_COLOR,
      weight: p.level === "district" ? 3 : (overlay ? 2 : 1.5),
      dashArray: p.schematic ? SCHEMATIC_DASH : null,
      fillOpacity: overlay ? 0 : 0.03
    };
  }

  function geojsonLayer(data, options) {
    var points = [];
    var color = options.color || palette[0];
    var layer = L.geoJSON(data, {
      style: function (f) {
        var p = f.properties || {};
        return { color: p.color || color, weight: 2.5, dashArray: p.schematic ? SCHEMATIC_DASH : null, fillOpacity: typeof p.fill_opacity === "number" ? p.fill_opacity : 0.08, fillColor: p.fill_color || p.color || color };
      },
      pointToLayer: function (f, latlng) {
        var props = f.properties || {};
        if (props.cluster_count && props.cluster_count > 1) {
          var size = Math.min(48, 18 + Math.log(props.cluster_count) * 5);
          var span = text("span", "", String(props.cluster_count));
          return L.marker(latlng, { icon: L.divIcon({ className: "grid-cluster", html: span.outerHTML, iconSize: [size, size] }) });
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

  function anySchematic(data) {
    return !!(data && data.features && data.features.some(function (f) { return f.properties && f.properties.schematic; }));
  }

  /* Legend: one row per layer kind actually on the map. */
  function legendControl() {
    var control = L.control({ position: "bottomright" });
    var rows = [];
    var container = null;
    control.onAdd = function () {
      container = L.DomUtil.create("div", "map-legend platform-legend");
      container.setAttribute("data-testid", "map-legend");
      render();
      return container;
    };
    function render() {
      if (!container) { return; }
      container.textContent = "";
      container.appendChild(text("div", "legend-title", "图例"));
      rows.forEach(function (e) {
        var row = text("div", "legend-row", "");
        var sw = text("span", "legend-line" + (e.dashed ? " dashed" : "") + (e.fill ? " fill" : ""), "");
        sw.style.borderColor = e.color;
        if (e.fill) { sw.style.background = e.color; }
        row.appendChild(sw);
        row.appendChild(document.createTextNode(" " + e.label));
        container.appendChild(row);
      });
      container.style.display = rows.length ? "" : "none";
    }
    control.add = function (entry) {
      if (rows.some(function (r) { return r.label === entry.label; })) { return; }
      rows.push(entry);
      render();
    };
    return control;
  }

  /* A visible note over the map whenever a schematic boundary is shown. */
  function schematicControl(el) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "map-schematic-note");
      div.setAttribute("data-testid", "map-schematic-note");
      div.textContent = SCHEMATIC_NOTE;
      return div;
    };
    var shown = false;
    control.show = function (map) {
      if (shown) { return; }
      shown = true;
      control.addTo(map);
      el.setAttribute("data-schematic", "1");
    };
    return control;
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
    L.control.scale({ imperial: false, maxWidth: 150 }).addTo(map);
    var wide = el.clientWidth >= 560;
    var switcher = L.control.layers(bases, {}, { collapsed: !wide, position: "topright" }).addTo(map);
    switcher.getContainer().setAttribute("data-testid", "map-layers");
    var legend = legendControl().addTo(map);
    var note = schematicControl(el);
    var fitLayer = el.getAttribute("data-fit") === "layer";
    var areasLayer = null;
    var dataLayer = null;
    var pending = [];

    if (!el.hasAttribute("data-no-areas")) {
      pending.push(fetchJSON(el.getAttribute("data-areas-url")).then(function (data) {
        areasLayer = L.geoJSON(data, {
          style: areaStyle,
          onEachFeature: function (f, l) {
            var label = f.properties.name + (f.properties.schematic ? "（" + SCHEMATIC_TEXT + "）" : "");
            l.bindTooltip(label, { sticky: true });
          }
        }).addTo(map);
        switcher.addOverlay(areasLayer, "行政区划");
        var features = data.features || [];
        if (features.some(function (f) { return f.properties && f.properties.level !== "overlay" && !f.properties.schematic; })) {
          legend.add({ color: AREA_COLOR, label: "行政区划边界" });
        }
        if (features.some(function (f) { return f.properties && f.properties.level !== "overlay" && f.properties.schematic; })) {
          legend.add({ color: AREA_COLOR, dashed: true, label: "行政区划（示意边界）" });
        }
        if (features.some(function (f) { return f.properties && f.properties.level === "overlay"; })) {
          legend.add({ color: OVERLAY_COLOR, dashed: anySchematic({ features: features.filter(function (f) { return f.properties.level === "overlay"; }) }), label: "功能区（开发区、度假区）" });
        }
        if (anySchematic(data)) { note.show(map); }
        if (!fitLayer && areasLayer.getBounds().isValid()) { map.fitBounds(areasLayer.getBounds()); }
        el.setAttribute("data-areas-loaded", String(features.length));
      }).catch(function () { el.setAttribute("data-areas-loaded", "error"); }));
    }
    var layerUrl = el.getAttribute("data-layer-url");
    if (layerUrl) {
      pending.push(fetchJSON(layerUrl).then(function (data) {
        var label = el.getAttribute("data-layer-label") || "数据";
        dataLayer = geojsonLayer(data, { color: palette[1] }).addTo(map);
        switcher.addOverlay(dataLayer, label);
        legend.add({ color: palette[1], fill: true, label: label });
        if (anySchematic(data)) { note.show(map); }
        var bounds = dataLayer.getBounds ? dataLayer.getBounds() : null;
        if (bounds && bounds.isValid() && (fitLayer || el.hasAttribute("data-no-areas"))) { map.fitBounds(bounds.pad(0.1)); }
        el.setAttribute("data-layer-loaded", String(data.features ? data.features.length : 0));
      }).catch(function () { el.setAttribute("data-layer-loaded", "error"); }));
    }
    Promise.all(pending).then(function () {
      // the data layer stays above the area outlines whichever answered first
      if (dataLayer && dataLayer.bringToFront) { dataLayer.bringToFront(); }
      if (fitLayer && !(dataLayer && dataLayer.getBounds && dataLayer.getBounds().isValid()) && areasLayer && areasLayer.getBounds().isValid()) {
        map.fitBounds(areasLayer.getBounds());
      }
      el.setAttribute("data-ready", "1");
    });
    var draw = el.getAttribute("data-draw");
    if (draw && L.Control.Draw) { enableDraw(map, el, draw); }
    return map;
  }

  function enableDraw(map, el, kind) {
    var input = document.getElementById(el.getAttribute("data-draw-input"));
    var items = new L.FeatureGroup().addTo(map);
    if (input && input.value) {
      try {
        L.geoJSON(JSON.parse(input.value)).eachLayer(function (l) { items.addLayer(l); });
        if (items.getBounds().isValid()) { map.fitBounds(items.getBounds().pad(0.2)); }
      } catch (e) { /* invalid stored value: start empty */ }
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
