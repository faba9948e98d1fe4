// Converts Natural Earth's 1:50m country outlines (the npm package world-atlas, TopoJSON) into
// assets/basemap.bin, the compact offline base map Tandem draws under its map view and its
// papers' map figure. Run from this folder: `npm ci && npm run build`.
//
// The file keeps the TopoJSON topology (each border or coastline is stored once, as an arc,
// and countries are rings of arc references), so borders and coastlines can be told apart
// (an arc used by one country only is a coastline) and nothing is stored twice. Coordinates
// stay on world-atlas's own integer grid, delta-encoded, so the conversion loses nothing.
//
// Layout (integers are LEB128 varints; signed ones zigzag-encoded first):
//   magic "TNDBASE" + version byte 1
//   4 × f64 little-endian: scale x, scale y, translate x, translate y (grid → degrees)
//   arc count; per arc: point count, then per point a signed (dx, dy) pair (the first
//     point is absolute)
//   country count; per country: 3 ASCII bytes (ISO 3166-1 alpha-3, or "   " when it has
//     none), name length and UTF-8 bytes, polygon count; per polygon: ring count (the
//     first ring is the outline, the others holes); per ring: reference count, then
//     signed arc references (i, or ~i for arc i reversed), as in TopoJSON.

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const countries = require("i18n-iso-countries");
const topology = JSON.parse(
  readFileSync(require.resolve("world-atlas/countries-50m.json"), "utf8"),
);

// Natural Earth areas without an ISO 3166 numeric code of their own.
const CODE_BY_NAME = {
  Kosovo: "XKX", // the code the EU and the UN's own data use pending an ISO one
  Somaliland: "SOM", // part of Somalia in ISO 3166
  "N. Cyprus": "CYP", // part of Cyprus in ISO 3166
};

const bytes = [];
const varint = (n) => {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a varint: ${n}`);
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte += 128;
    bytes.push(byte);
  } while (n > 0);
};
const signed = (n) => varint(n >= 0 ? 2 * n : -2 * n - 1);
const f64 = (x) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x, true);
  for (let i = 0; i < 8; i++) bytes.push(view.getUint8(i));
};
const ascii = (text) => {
  for (const ch of text) bytes.push(ch.charCodeAt(0));
};

for (const ch of "TNDBASE") bytes.push(ch.charCodeAt(0));
bytes.push(1);
const { scale, translate } = topology.transform;
[scale[0], scale[1], translate[0], translate[1]].forEach(f64);

varint(topology.arcs.length);
for (const arc of topology.arcs) {
  varint(arc.length);
  for (const [dx, dy] of arc) {
    signed(dx);
    signed(dy);
  }
}

const geometries = topology.objects.countries.geometries.filter(
  (g) => g.type === "Polygon" || g.type === "MultiPolygon",
);
varint(geometries.length);
const unnamed = [];
for (const g of geometries) {
  const name = g.properties?.name ?? "";
  let code = g.id === undefined ? undefined : countries.numericToAlpha3(g.id);
  code = code ?? CODE_BY_NAME[name];
  if (!code) unnamed.push(name);
  ascii((code ?? "   ").padEnd(3).slice(0, 3));
  const utf8 = Buffer.from(name, "utf8");
  varint(utf8.length);
  bytes.push(...utf8);
  const polygons = g.type === "Polygon" ? [g.arcs] : g.arcs;
  varint(polygons.length);
  for (const rings of polygons) {
    varint(rings.length);
    for (const ring of rings) {
      varint(ring.length);
      ring.forEach(signed);
    }
  }
}

const out = process.argv[2] ?? "../../assets/basemap.bin";
writeFileSync(out, Buffer.from(bytes));
console.log(
  `${out}: ${bytes.length} bytes, ${topology.arcs.length} arcs, ${geometries.length} areas` +
    (unnamed.length ? `; without a code: ${unnamed.join(", ")}` : ""),
);
