/* Survey pages: species autocomplete pick, "use my GPS", map click → coordinates, photo EXIF offer, project change,
 * the distribution page's grid heat layer. No inline scripts (CSP): behaviour is declared with data- attributes.
 *
 * Read: [data-species-pick] buttons (data-id, data-name), [data-species-id] hidden input, [data-species-text] input,
 * [data-use-gps] button, [data-lon]/[data-lat]/[data-accuracy] inputs, #map-point (map draw input, GeoJSON),
 * [data-apply-exif] button (data-lon, data-lat, data-time), [data-grid-url] on a map element.
 * Written: data-gps-state ("ok" | "error" | "waiting") on the GPS button, data-grid-loaded on the map element.
 */
(function () {
  "use strict";

  function qs(sel, root) { return (root || document).querySelector(sel); }

  function mapFor(el) {
    if (!el || !window.PlatformMap) { return null; }
    return window.PlatformMap.init(el);
  }

  var marker = null;
  function placeMarker(lon, lat) {
    var el = qs("#entry-map");
    var map = mapFor(el);
    if (!map || !window.L) { return; }
    var latlng = L.latLng(lat, lon);
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    map.setView(latlng, Math.max(map.getZoom(), 15));
  }

  function setCoordinates(lon, lat, accuracy) {
    var lonInput = qs("[data-lon]");
    var latInput = qs("[data-lat]");
    if (lonInput) { lonInput.value = Number(lon).toFixed(6); }
    if (latInput) { latInput.value = Number(lat).toFixed(6); }
    var acc = qs("[data-accuracy]");
    if (acc && accuracy !== undefined && accuracy !== null) { acc.value = Math.round(accuracy); }
  }

  // species autocomplete: choosing a suggestion fills the hidden id and the visible name
  document.addEventListener("click", function (event) {
    var pick = event.target.closest && event.target.closest("[data-species-pick]");
    if (!pick) { return; }
    event.preventDefault();
    var hidden = qs("[data-species-id]");
    var text = qs("[data-species-text]");
    if (hidden) { hidden.value = pick.getAttribute("data-id"); }
    if (text) { text.value = pick.getAttribute("data-name"); }
    var list = pick.closest("[data-species-options]");
    if (list) { list.textContent = ""; }
    var chosen = qs("[data-species-chosen]");
    if (chosen) { chosen.textContent = pick.getAttribute("data-label") || pick.getAttribute("data-name"); }
  });

  // typing a new name clears a previous pick (the name is resolved on the server if nothing is picked)
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-species-text]")) {
      var hidden = qs("[data-species-id]");
      if (hidden) { hidden.value = ""; }
      var chosen = qs("[data-species-chosen]");
      if (chosen) { chosen.textContent = ""; }
    }
  });

  // "use my GPS": the browser's position (with its accuracy) into the coordinate fields and onto the map
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-use-gps]");
    if (!button) { return; }
    event.preventDefault();
    var status = qs("[data-gps-status]");
    if (!navigator.geolocation) {
      button.setAttribute("data-gps-state", "error");
      if (status) { status.textContent = "此浏览器不支持定位，请在地图上点选或手工填写坐标。"; }
      return;
    }
    button.setAttribute("data-gps-state", "waiting");
    if (status) { status.textContent = "正在定位…"; }
    navigator.geolocation.getCurrentPosition(function (position) {
      var c = position.coords;
      setCoordinates(c.longitude, c.latitude, c.accuracy);
      placeMarker(c.longitude, c.latitude);
      button.setAttribute("data-gps-state", "ok");
      if (status) { status.textContent = "已定位（误差约 " + Math.round(c.accuracy) + " 米）"; }
    }, function (error) {
      button.setAttribute("data-gps-state", "error");
      if (status) { status.textContent = "定位失败：" + (error && error.message ? error.message : "请检查定位权限") + "。可在地图上点选位置。"; }
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
  });

  // a click on the entry map (map.js writes the point as GeoJSON into #map-point) fills the coordinates
  document.addEventListener("change", function (event) {
    if (!event.target || event.target.id !== "map-point") { return; }
    try {
      var geometry = JSON.parse(event.target.value);
      if (geometry && geometry.type === "Point") {
        setCoordinates(geometry.coordinates[0], geometry.coordinates[1], null);
      }
    } catch (e) { /* cleared */ }
  });

  // typed coordinates move the marker
  document.addEventListener("change", function (event) {
    if (!event.target.matches || !(event.target.matches("[data-lon]") || event.target.matches("[data-lat]"))) { return; }
    var lon = parseFloat((qs("[data-lon]") || {}).value);
    var lat = parseFloat((qs("[data-lat]") || {}).value);
    if (isFinite(lon) && isFinite(lat)) { placeMarker(lon, lat); }
  });

  // the photo's EXIF time and position, offered by the server after the photo was chosen
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-apply-exif]");
    if (!button) { return; }
    event.preventDefault();
    var lon = button.getAttribute("data-lon");
    var lat = button.getAttribute("data-lat");
    var time = button.getAttribute("data-time");
    if (lon && lat) { setCoordinates(lon, lat, null); placeMarker(parseFloat(lon), parseFloat(lat)); }
    var when = qs("#id_observed_at");
    if (time && when) { when.value = time; }
    button.setAttribute("data-applied", "1");
    button.textContent = "已使用照片信息";
  });

  // distribution page: a grid "heat" layer of 0.01° squares coloured by records, under the points
  function gridLayer(el) {
    var url = el.getAttribute("data-grid-url");
    var mapEl = el.hasAttribute("data-map") ? el : el.querySelector("[data-map]");
    var map = mapFor(mapEl);
    if (!url || !map || !window.L) { return; }
    // after the map's own layers: one request at a time keeps the page light on the server
    if (mapEl.getAttribute("data-ready") !== "1") {
      var observer = new MutationObserver(function () {
        if (mapEl.getAttribute("data-ready") === "1") { observer.disconnect(); gridLayer(el); }
      });
      observer.observe(mapEl, { attributes: true, attributeFilter: ["data-ready"] });
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (f) { return { color: f.properties.color, weight: 0.5, fillColor: f.properties.color, fillOpacity: 0.55 }; },
          onEachFeature: function (f, l) { l.bindTooltip(f.properties.summary || ""); }
        }).addTo(map);
        layer.bringToBack();
        el.setAttribute("data-grid-loaded", String((data.features || []).length));
      })
      .catch(function () { el.setAttribute("data-grid-loaded", "error"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-grid-url]").forEach(gridLayer);
    var lon = parseFloat((qs("[data-lon]") || {}).value);
    var lat = parseFloat((qs("[data-lat]") || {}).value);
    if (qs("#entry-map") && isFinite(lon) && isFinite(lat)) { placeMarker(lon, lat); }
  });
})();
