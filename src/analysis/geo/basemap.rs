//! The offline base map: Natural Earth's 1:50m country outlines (public domain), shipped as
//! `assets/basemap.bin` (built by `tools/basemap/convert.mjs` from the npm package
//! `world-atlas`; the layout is described there).
//!
//! The file keeps the topology: each border or coastline is an [`Arc`] stored once, and each
//! country is rings of arcs. An arc that only one country uses is a coastline.

use std::sync::OnceLock;

use super::projection::{GeoBox, LonLat, World, project};

/// The base map compiled into Tandem.
static BASEMAP_BYTES: &[u8] = include_bytes!("../../../assets/basemap.bin");

/// One border or coastline: a polyline shared by the countries on either side.
#[derive(Clone, Debug)]
pub struct Arc {
    pub points: Vec<LonLat>,
    /// The same points on the Web Mercator square, for drawing.
    pub world: Vec<World>,
    pub bounds: GeoBox,
    /// Whether it separates two countries (else it is a coastline).
    pub border: bool,
}

/// A reference to an arc, walked forwards or backwards (TopoJSON's `~i`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArcRef {
    pub arc: usize,
    pub reversed: bool,
}

/// One piece of a country: an outline and its holes, each a ring of arcs.
#[derive(Clone, Debug)]
pub struct Polygon {
    pub rings: Vec<Vec<ArcRef>>,
}

/// A country or territory of the base map.
#[derive(Clone, Debug)]
pub struct Country {
    /// ISO 3166-1 alpha-3; empty for the few areas without one.
    pub code: String,
    /// Natural Earth's short English name ("Dem. Rep. Congo").
    pub name: String,
    pub polygons: Vec<Polygon>,
    pub bounds: GeoBox,
    /// Where a place known only by this country is drawn: the centre of its largest piece.
    pub center: LonLat,
}

/// Country outlines and coastlines.
#[derive(Debug, Default)]
pub struct BaseMap {
    pub arcs: Vec<Arc>,
    pub countries: Vec<Country>,
    fills: OnceLock<Vec<Fill>>,
}

/// A country's area as triangles, to paint it filled.
#[derive(Clone, Debug, Default)]
pub struct Fill {
    pub vertices: Vec<World>,
    /// Three indices into `vertices` per triangle.
    pub indices: Vec<u32>,
}

/// Why the base map's bytes could not be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("base map: {0}")]
pub struct BaseMapError(String);

impl BaseMap {
    /// The base map shipped with Tandem, decoded once. Empty (no outlines) if the compiled-in
    /// file were ever unreadable; a unit test makes sure it is not.
    pub fn world() -> &'static BaseMap {
        static WORLD: OnceLock<BaseMap> = OnceLock::new();
        WORLD.get_or_init(|| BaseMap::decode(BASEMAP_BYTES).unwrap_or_default())
    }

    /// Reads a base map file (see `tools/basemap/convert.mjs` for its layout).
    pub fn decode(bytes: &[u8]) -> Result<BaseMap, BaseMapError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(8)? != b"TNDBASE\x01" {
            return Err(BaseMapError("not a Tandem base map, version 1".into()));
        }
        let transform = [r.f64()?, r.f64()?, r.f64()?, r.f64()?];
        let arc_count = r.count(bytes.len())?;
        let mut arcs = Vec::with_capacity(arc_count);
        for _ in 0..arc_count {
            arcs.push(read_arc(&mut r, transform)?);
        }
        let country_count = r.count(bytes.len())?;
        let mut countries = Vec::with_capacity(country_count);
        let mut uses = vec![0u32; arcs.len()];
        for _ in 0..country_count {
            let country = read_country(&mut r, &arcs)?;
            for polygon in &country.polygons {
                for arc in polygon.rings.iter().flatten() {
                    if let Some(n) = uses.get_mut(arc.arc) {
                        *n += 1;
                    }
                }
            }
            countries.push(country);
        }
        if r.at != bytes.len() {
            return Err(BaseMapError(format!(
                "{} bytes left over",
                bytes.len() - r.at
            )));
        }
        for (arc, n) in arcs.iter_mut().zip(uses) {
            arc.border = n > 1;
        }
        Ok(BaseMap {
            arcs,
            countries,
            fills: OnceLock::new(),
        })
    }

    /// The countries (one or more areas) with this ISO 3166 alpha-3 code.
    pub fn countries_with_code<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Country> {
        let code = code.trim();
        self.countries
            .iter()
            .filter(move |c| !code.is_empty() && c.code.eq_ignore_ascii_case(code))
    }

    /// The centre of the country with this code (of its largest area), if the map has it.
    pub fn country_center(&self, code: &str) -> Option<LonLat> {
        self.countries_with_code(code)
            .max_by(|a, b| box_area(&a.bounds).total_cmp(&box_area(&b.bounds)))
            .map(|c| c.center)
    }

    /// The extent of the countries with these codes, if the map has any of them.
    pub fn extent_of<'a>(&self, codes: impl IntoIterator<Item = &'a str>) -> Option<GeoBox> {
        codes
            .into_iter()
            .flat_map(|code| self.countries_with_code(code))
            .map(|c| c.bounds)
            .reduce(GeoBox::union)
    }

    /// Every country's fill as triangles on the world square, in the order of `countries`;
    /// triangulated once, on first use.
    pub fn fills(&self) -> &[Fill] {
        self.fills.get_or_init(|| {
            let mut earcut = earcut::Earcut::new();
            self.countries
                .iter()
                .map(|c| triangulate(self, c, &mut earcut))
                .collect()
        })
    }

    /// The points of a ring, in order, each shared point once.
    pub fn ring_points(&self, ring: &[ArcRef]) -> Vec<LonLat> {
        ring_points(&self.arcs, ring)
    }
}

/// The points of a ring of `arcs`, in order; consecutive arcs share their joining point.
fn ring_points(arcs: &[Arc], ring: &[ArcRef]) -> Vec<LonLat> {
    let mut out: Vec<LonLat> = Vec::new();
    for r in ring {
        let Some(arc) = arcs.get(r.arc) else {
            continue;
        };
        let skip = usize::from(!out.is_empty());
        if r.reversed {
            out.extend(arc.points.iter().rev().skip(skip));
        } else {
            out.extend(arc.points.iter().skip(skip));
        }
    }
    out
}

/// Triangulates each piece of a country (its outline less its holes) on the world square.
fn triangulate(map: &BaseMap, country: &Country, earcut: &mut earcut::Earcut<f64>) -> Fill {
    let mut fill = Fill::default();
    let mut triangles: Vec<u32> = Vec::new();
    for polygon in &country.polygons {
        let mut points: Vec<[f64; 2]> = Vec::new();
        let mut holes: Vec<u32> = Vec::new();
        for (i, ring) in polygon.rings.iter().enumerate() {
            let mut ring = map.ring_points(ring);
            ring.pop(); // The closing point repeats the first.
            if i > 0 {
                holes.push(points.len() as u32);
            }
            points.extend(ring.into_iter().map(|p| {
                let w = project(p);
                [w.x, w.y]
            }));
        }
        earcut.earcut(points.iter().copied(), &holes, &mut triangles);
        let base = fill.vertices.len() as u32;
        fill.indices.extend(triangles.iter().map(|i| base + i));
        fill.vertices
            .extend(points.iter().map(|[x, y]| World::new(*x, *y)));
    }
    fill
}

fn read_arc(r: &mut Reader<'_>, t: [f64; 4]) -> Result<Arc, BaseMapError> {
    let n = r.count(r.bytes.len())?;
    if n < 2 {
        return Err(BaseMapError("an arc has fewer than two points".into()));
    }
    let (mut x, mut y) = (0i64, 0i64);
    let mut points = Vec::with_capacity(n);
    for _ in 0..n {
        x += r.signed()?;
        y += r.signed()?;
        points.push(LonLat::new(x as f64 * t[0] + t[2], y as f64 * t[1] + t[3]));
    }
    let bounds = GeoBox::around(points.iter().copied())
        .ok_or_else(|| BaseMapError("an empty arc".into()))?;
    let world = points.iter().map(|p| project(*p)).collect();
    Ok(Arc {
        points,
        world,
        bounds,
        border: false,
    })
}

fn read_country(r: &mut Reader<'_>, arcs: &[Arc]) -> Result<Country, BaseMapError> {
    let code = String::from_utf8_lossy(r.take(3)?).trim().to_owned();
    let name_len = r.count(r.bytes.len())?;
    let name = String::from_utf8(r.take(name_len)?.to_vec())
        .map_err(|_| BaseMapError("a country name is not UTF-8".into()))?;
    let polygon_count = r.count(r.bytes.len())?;
    let mut polygons = Vec::with_capacity(polygon_count);
    for _ in 0..polygon_count {
        let ring_count = r.count(r.bytes.len())?;
        let mut rings = Vec::with_capacity(ring_count);
        for _ in 0..ring_count {
            let ref_count = r.count(r.bytes.len())?;
            let mut ring = Vec::with_capacity(ref_count);
            for _ in 0..ref_count {
                let v = r.signed()?;
                let (arc, reversed) = if v < 0 { (!v, true) } else { (v, false) };
                let arc = usize::try_from(arc)
                    .ok()
                    .filter(|&i| i < arcs.len())
                    .ok_or_else(|| BaseMapError(format!("{name}: arc {arc} does not exist")))?;
                ring.push(ArcRef { arc, reversed });
            }
            rings.push(ring);
        }
        polygons.push(Polygon { rings });
    }
    let bounds = polygons
        .iter()
        .flat_map(|p| p.rings.iter().flatten())
        .filter_map(|r| arcs.get(r.arc).map(|a| a.bounds))
        .reduce(GeoBox::union)
        .ok_or_else(|| BaseMapError(format!("{name} has no outline")))?;
    let center = largest_piece_center(&polygons, arcs).unwrap_or(bounds.center());
    Ok(Country {
        code,
        name,
        polygons,
        bounds,
        center,
    })
}

/// The area-weighted centre of the largest outline, when it falls inside that outline; else
/// the middle of its extent (for a crescent-shaped country the centroid lies outside it).
fn largest_piece_center(polygons: &[Polygon], arcs: &[Arc]) -> Option<LonLat> {
    let outline = polygons
        .iter()
        .filter_map(|p| p.rings.first())
        .map(|ring| ring_points(arcs, ring))
        .max_by(|a, b| ring_area(a).abs().total_cmp(&ring_area(b).abs()))?;
    let centroid = ring_centroid(&outline)?;
    if point_in_ring(centroid, &outline) {
        Some(centroid)
    } else {
        GeoBox::around(outline.iter().copied()).map(|b| b.center())
    }
}

/// Twice the signed area of a ring, in square degrees (shoelace formula).
fn ring_area(ring: &[LonLat]) -> f64 {
    ring.iter()
        .zip(ring.iter().cycle().skip(1))
        .map(|(a, b)| a.lon * b.lat - b.lon * a.lat)
        .sum()
}

fn ring_centroid(ring: &[LonLat]) -> Option<LonLat> {
    let area = ring_area(ring);
    if area.abs() < 1e-12 {
        return GeoBox::around(ring.iter().copied()).map(|b| b.center());
    }
    let (mut cx, mut cy) = (0.0, 0.0);
    for (a, b) in ring.iter().zip(ring.iter().cycle().skip(1)) {
        let cross = a.lon * b.lat - b.lon * a.lat;
        cx += (a.lon + b.lon) * cross;
        cy += (a.lat + b.lat) * cross;
    }
    Some(LonLat::new(cx / (3.0 * area), cy / (3.0 * area)))
}

/// Whether `p` lies inside the ring (even-odd rule).
pub fn point_in_ring(p: LonLat, ring: &[LonLat]) -> bool {
    let mut inside = false;
    for (a, b) in ring.iter().zip(ring.iter().cycle().skip(1)) {
        if (a.lat > p.lat) != (b.lat > p.lat) {
            let x = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
            if p.lon < x {
                inside = !inside;
            }
        }
    }
    inside
}

fn box_area(b: &GeoBox) -> f64 {
    (b.max.lon - b.min.lon) * (b.max.lat - b.min.lat)
}

/// Reads the base map's varints and floats, refusing to run past the end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], BaseMapError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| BaseMapError(format!("cut short at byte {}", self.at)))?;
        let out = self.bytes.get(self.at..end).unwrap_or_default();
        self.at = end;
        Ok(out)
    }

    fn f64(&mut self) -> Result<f64, BaseMapError> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        let v = f64::from_le_bytes(b);
        if v.is_finite() {
            Ok(v)
        } else {
            Err(BaseMapError("a transform value is not a number".into()))
        }
    }

    fn varint(&mut self) -> Result<u64, BaseMapError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.take(1)?.first().unwrap_or(&0);
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(BaseMapError(format!(
            "a number too long at byte {}",
            self.at
        )))
    }

    fn signed(&mut self) -> Result<i64, BaseMapError> {
        let v = self.varint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    /// A count, refused when larger than anything the rest of the file could hold.
    fn count(&mut self, limit: usize) -> Result<usize, BaseMapError> {
        let v = self.varint()?;
        usize::try_from(v)
            .ok()
            .filter(|&n| n <= limit)
            .ok_or_else(|| BaseMapError(format!("count {v} too large at byte {}", self.at)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_map_has_the_sample_countries_where_they_are() {
        let map = BaseMap::decode(BASEMAP_BYTES).expect("the shipped base map reads");
        assert!(map.countries.len() > 200, "{}", map.countries.len());
        assert!(map.arcs.iter().any(|a| a.border) && map.arcs.iter().any(|a| !a.border));
        // Guinea lies between 7° and 13° N, 15° and 7.5° W; its centre is inside it.
        let gin = map.countries_with_code("GIN").next().expect("Guinea");
        assert_eq!(gin.name, "Guinea");
        assert!(gin.bounds.min.lon > -15.5 && gin.bounds.max.lon < -7.0);
        assert!(gin.bounds.min.lat > 7.0 && gin.bounds.max.lat < 13.0);
        let c = map.country_center("gin").expect("a centre");
        assert!(gin.bounds.contains(c));
        for code in ["KEN", "COD", "RWA", "UGA", "BDI", "SLE", "LBR", "CIV"] {
            assert!(map.country_center(code).is_some(), "{code}");
        }
        // Kenya's centre: about 0.5° N, 38° E.
        let ken = map.country_center("KEN").expect("Kenya");
        assert!((ken.lat - 0.5).abs() < 1.5 && (ken.lon - 38.0).abs() < 1.5);
        let extent = map.extent_of(["RWA", "COD"]).expect("the Great Lakes");
        assert!(extent.contains(LonLat::new(29.22, -1.68)), "Goma");
        assert!(map.country_center("XYZ").is_none());
    }

    #[test]
    fn rings_close_and_follow_their_arcs() {
        let map = BaseMap::world();
        let gin = map.countries_with_code("GIN").next().expect("Guinea");
        let ring = map.ring_points(&gin.polygons[0].rings[0]);
        assert!(ring.len() > 50, "{}", ring.len());
        let (first, last) = (ring[0], ring[ring.len() - 1]);
        assert!((first.lon - last.lon).abs() < 1e-9 && (first.lat - last.lat).abs() < 1e-9);
        assert!(point_in_ring(gin.center, &ring));
        assert!(!point_in_ring(LonLat::new(0.0, 0.0), &ring));
    }

    #[test]
    fn fills_cover_each_country_with_triangles_of_its_own_points() {
        let map = BaseMap::world();
        let fills = map.fills();
        assert_eq!(fills.len(), map.countries.len());
        for (country, fill) in map.countries.iter().zip(fills) {
            assert!(
                !fill.indices.is_empty(),
                "{} has no triangles",
                country.name
            );
            assert_eq!(fill.indices.len() % 3, 0);
            assert!(
                fill.indices
                    .iter()
                    .all(|&i| (i as usize) < fill.vertices.len())
            );
        }
        // The triangles' area adds up to the outlines' less their holes.
        let gin = map
            .countries
            .iter()
            .position(|c| c.code == "GIN")
            .expect("Guinea");
        let fill = &fills[gin];
        let area: f64 = fill
            .indices
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [t[0], t[1], t[2]].map(|i| fill.vertices[i as usize]);
                ((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)).abs() / 2.0
            })
            .sum();
        let ring_area = |ring: &[ArcRef]| {
            let w: Vec<World> = map.ring_points(ring).into_iter().map(project).collect();
            w.windows(2)
                .map(|p| p[0].x * p[1].y - p[1].x * p[0].y)
                .sum::<f64>()
                .abs()
                / 2.0
        };
        let outline: f64 = map.countries[gin]
            .polygons
            .iter()
            .map(|p| {
                let holes: f64 = p.rings.iter().skip(1).map(|r| ring_area(r)).sum();
                p.rings.first().map_or(0.0, |r| ring_area(r)) - holes
            })
            .sum();
        assert!(
            (area - outline).abs() / outline < 1e-6,
            "{area} vs {outline}"
        );
    }

    #[test]
    fn damaged_files_are_refused_not_panicked_on() {
        assert!(BaseMap::decode(b"").is_err());
        assert!(BaseMap::decode(b"TNDBASE\x02").is_err());
        for cut in [
            9,
            40,
            1000,
            BASEMAP_BYTES.len() / 2,
            BASEMAP_BYTES.len() - 1,
        ] {
            let err = BaseMap::decode(&BASEMAP_BYTES[..cut]).expect_err("cut short");
            assert!(err.to_string().starts_with("base map: "), "{err}");
        }
        let mut longer = BASEMAP_BYTES.to_vec();
        longer.push(0);
        assert!(BaseMap::decode(&longer).is_err());
    }
}
