// Copies the pinned npm assets the pages use into static/vendor/ (served by WhiteNoise; no CDN at run time).
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nm = join(root, "node_modules");
const out = join(root, "static", "vendor");
const files = {
  "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
  "bootstrap/dist/css/bootstrap.min.css.map": "bootstrap/bootstrap.min.css.map",
  "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
  "bootstrap/dist/js/bootstrap.bundle.min.js.map": "bootstrap/bootstrap.bundle.min.js.map",
  "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
  "bootstrap-icons/font/fonts": "bootstrap-icons/fonts",
  "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
  "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
  "leaflet/dist/leaflet.js.map": "leaflet/leaflet.js.map",
  "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
  "leaflet/dist/images": "leaflet/images",
  "leaflet-draw/dist/leaflet.draw.js": "leaflet-draw/leaflet.draw.js",
  "leaflet-draw/dist/leaflet.draw.css": "leaflet-draw/leaflet.draw.css",
  "leaflet-draw/dist/images": "leaflet-draw/images",
  "leaflet.markercluster/dist/leaflet.markercluster.js": "leaflet.markercluster/leaflet.markercluster.js",
  "leaflet.markercluster/dist/leaflet.markercluster.js.map": "leaflet.markercluster/leaflet.markercluster.js.map",
  "leaflet.markercluster/dist/MarkerCluster.css": "leaflet.markercluster/MarkerCluster.css",
  "leaflet.markercluster/dist/MarkerCluster.Default.css": "leaflet.markercluster/MarkerCluster.Default.css",
  "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
};
rmSync(out, { recursive: true, force: true });
for (const [src, dst] of Object.entries(files)) {
  const target = join(out, dst);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(nm, src), target, { recursive: true });
}
console.log(`static/vendor: ${Object.keys(files).length} assets copied`);
