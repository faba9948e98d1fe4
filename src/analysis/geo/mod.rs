//! Where things happen, drawn: the Web Mercator projection, the offline base map and the
//! clustering of nearby markers. Shared by the map view and the papers' map figure; no egui.

pub mod basemap;
pub mod cluster;
pub mod layer;
pub mod places;
pub mod projection;

pub use basemap::{BaseMap, Country};
pub use cluster::{Cluster, cluster, cluster_zoom};
pub use projection::{GeoBox, LonLat, Viewport, World, project, unproject, world_pixels};
