//! Clustering of nearby markers: when zoomed out, markers closer than a few pixels become one
//! marker with a count.
//!
//! Greedy, in the caller's order: the first point of a group is its seed, and each later point
//! joins the nearest seed within the radius, else seeds a group of its own. A grid of cells the
//! size of the radius keeps it linear in the number of points. Clusters are computed on the
//! world square at a zoom level, not on the screen, so panning does not change them.

use std::collections::HashMap;

use super::projection::{World, world_pixels};

/// Markers drawn as one.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// The mean position of the members.
    pub center: World,
    /// Indices of the members in the points given, in the order given.
    pub members: Vec<usize>,
    /// The members' extent on the world square: top-left and bottom-right.
    pub min: World,
    pub max: World,
}

/// The zoom at which to cluster for a view at `zoom`: half-levels, so that clusters stay put
/// while zooming by small steps.
pub fn cluster_zoom(zoom: f64) -> f64 {
    (zoom * 2.0).floor() / 2.0
}

/// Groups the points that lie within `radius_px` pixels of a group's first point at `zoom`.
pub fn cluster(points: &[World], zoom: f64, radius_px: f64) -> Vec<Cluster> {
    let radius = (radius_px / world_pixels(zoom)).max(f64::MIN_POSITIVE);
    let cell_of = |p: World| ((p.x / radius).floor() as i64, (p.y / radius).floor() as i64);
    let mut seeds: Vec<World> = Vec::new();
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (index, &p) in points.iter().enumerate() {
        let (cx, cy) = cell_of(p);
        let mut nearest: Option<(usize, f64)> = None;
        for gx in cx - 1..=cx + 1 {
            for gy in cy - 1..=cy + 1 {
                for &c in grid.get(&(gx, gy)).into_iter().flatten() {
                    let Some(seed) = seeds.get(c) else { continue };
                    let d = (seed.x - p.x).hypot(seed.y - p.y);
                    if d <= radius && nearest.is_none_or(|(_, best)| d < best) {
                        nearest = Some((c, d));
                    }
                }
            }
        }
        match nearest.and_then(|(c, _)| clusters.get_mut(c)) {
            Some(cluster) => {
                cluster.members.push(index);
                cluster.min = World::new(cluster.min.x.min(p.x), cluster.min.y.min(p.y));
                cluster.max = World::new(cluster.max.x.max(p.x), cluster.max.y.max(p.y));
            }
            None => {
                grid.entry((cx, cy)).or_default().push(clusters.len());
                seeds.push(p);
                clusters.push(Cluster {
                    center: p,
                    members: vec![index],
                    min: p,
                    max: p,
                });
            }
        }
    }
    for cluster in &mut clusters {
        let n = cluster.members.len() as f64;
        let (sx, sy) = cluster
            .members
            .iter()
            .filter_map(|&i| points.get(i))
            .fold((0.0, 0.0), |(x, y), p| (x + p.x, y + p.y));
        cluster.center = World::new(sx / n, sy / n);
    }
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::geo::projection::{LonLat, project};

    fn at(lon: f64, lat: f64) -> World {
        project(LonLat::new(lon, lat))
    }

    #[test]
    fn nearby_points_merge_and_far_ones_stay_apart() {
        // Conakry, the stadium in Conakry, and Nzérékoré 570 km away.
        let points = [at(-13.68, 9.54), at(-13.66, 9.55), at(-8.82, 7.75)];
        let clusters = cluster(&points, 6.0, 30.0);
        assert_eq!(clusters.len(), 2);
        assert_eq!(clusters[0].members, vec![0, 1]);
        assert_eq!(clusters[1].members, vec![2]);
        let mean_x = (points[0].x + points[1].x) / 2.0;
        assert!((clusters[0].center.x - mean_x).abs() < 1e-12);
        assert_eq!(clusters[0].min.x, points[0].x);
        assert_eq!(clusters[0].max.x, points[1].x);
    }

    #[test]
    fn zooming_in_splits_a_cluster() {
        let points = [at(-13.68, 9.54), at(-13.66, 9.55)];
        // ~2.2 km apart: one marker at zoom 6 (≈1 px), two at zoom 14 (≈300 px).
        assert_eq!(cluster(&points, 6.0, 30.0).len(), 1);
        assert_eq!(cluster(&points, 14.0, 30.0).len(), 2);
    }

    #[test]
    fn points_at_the_same_place_always_cluster() {
        let points = vec![at(29.22, -1.68); 50];
        let clusters = cluster(&points, 20.0, 30.0);
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters[0].members.len(), 50);
    }

    #[test]
    fn a_point_joins_the_nearest_seed_and_every_point_is_in_one_cluster() {
        // A row of points 20 px apart at zoom 8, radius 30 px: seeds at 0, 40, 80 … each
        // taking the point after it.
        let step = 20.0 / world_pixels(8.0);
        let points: Vec<World> = (0..10)
            .map(|i| World::new(0.3 + i as f64 * step, 0.4))
            .collect();
        let clusters = cluster(&points, 8.0, 30.0);
        let sizes: Vec<usize> = clusters.iter().map(|c| c.members.len()).collect();
        assert_eq!(sizes, vec![2, 2, 2, 2, 2]);
        let mut all: Vec<usize> = clusters.iter().flat_map(|c| c.members.clone()).collect();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn the_result_depends_on_the_points_only_not_on_the_view() {
        let points: Vec<World> = (0..2000)
            .map(|i| {
                let t = i as f64 * 0.618_033_988_75;
                World::new(0.46 + (t % 1.0) * 0.02, 0.47 + ((t * 7.0) % 1.0) * 0.02)
            })
            .collect();
        let a = cluster(&points, 7.0, 24.0);
        let b = cluster(&points, 7.0, 24.0);
        assert_eq!(a, b);
        assert_eq!(a.iter().map(|c| c.members.len()).sum::<usize>(), 2000);
        assert!(a.len() < 200, "{} clusters", a.len());
        assert_eq!(cluster_zoom(7.3), 7.0);
        assert_eq!(cluster_zoom(7.6), 7.5);
        assert!(cluster(&[], 3.0, 30.0).is_empty());
    }
}
