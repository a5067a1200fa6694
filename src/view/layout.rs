//! Static geometry of the ring view: where the QPUs sit and how large they are drawn.
//!
//! Coordinates are CSS pixels with the origin at the top left and y pointing down. QPU 0 sits
//! at the top and the others follow clockwise, evenly spaced on a circle centred in the area.

use std::f64::consts::{FRAC_PI_2, PI, TAU};

/// Radius of the ring, as a fraction of the smaller side of the drawing area.
const RING_FRACTION: f64 = 0.34;
/// Largest QPU radius, as a fraction of the smaller side (leaves a margin inside the area).
const MAX_NODE_FRACTION: f64 = 0.12;
/// QPU radius as a fraction of the distance between neighbours (so neighbours never touch).
const NODE_PER_CHORD: f64 = 0.3;

fn side(width: f64, height: f64) -> f64 {
    let s = width.min(height);
    if s.is_finite() && s > 0.0 {
        s
    } else {
        0.0
    }
}

/// Radius of the circle the QPU centres lie on.
pub fn ring_radius(width: f64, height: f64) -> f64 {
    RING_FRACTION * side(width, height)
}

/// Centres of `num_qpus` QPUs on a ring in a `width` × `height` area: QPU 0 at the top, the
/// rest clockwise. One QPU sits in the centre; zero QPUs give an empty vector.
pub fn ring_layout(num_qpus: usize, width: f64, height: f64) -> Vec<(f64, f64)> {
    let (cx, cy) = (width.max(0.0) / 2.0, height.max(0.0) / 2.0);
    match num_qpus {
        0 => Vec::new(),
        1 => vec![(cx, cy)],
        n => {
            let r = ring_radius(width, height);
            (0..n)
                .map(|i| {
                    let angle = -FRAC_PI_2 + TAU * i as f64 / n as f64;
                    (cx + r * angle.cos(), cy + r * angle.sin())
                })
                .collect()
        }
    }
}

/// Radius to draw each QPU with, so that neighbours never overlap and every QPU stays inside
/// the area.
pub fn node_radius(num_qpus: usize, width: f64, height: f64) -> f64 {
    let max = MAX_NODE_FRACTION * side(width, height);
    if num_qpus <= 1 {
        return max;
    }
    let chord = 2.0 * ring_radius(width, height) * (PI / num_qpus as f64).sin();
    (NODE_PER_CHORD * chord).min(max)
}

/// The links of the ring as pairs of QPU indices `(i, i + 1 mod n)`; two QPUs share one link.
pub fn ring_links(num_qpus: usize) -> Vec<(usize, usize)> {
    match num_qpus {
        0 | 1 => Vec::new(),
        2 => vec![(0, 1)],
        n => (0..n).map(|i| (i, (i + 1) % n)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
        (a.0 - b.0).hypot(a.1 - b.1)
    }

    #[test]
    fn four_qpus_sit_on_a_square_starting_at_the_top_clockwise() {
        let p = ring_layout(4, 800.0, 600.0);
        let r = ring_radius(800.0, 600.0);
        assert_eq!(p.len(), 4);
        let close = |a: (f64, f64), b: (f64, f64)| dist(a, b) < 1e-9;
        assert!(close(p[0], (400.0, 300.0 - r)), "Q0 at the top: {:?}", p[0]);
        assert!(
            close(p[1], (400.0 + r, 300.0)),
            "Q1 to the right: {:?}",
            p[1]
        );
        assert!(
            close(p[2], (400.0, 300.0 + r)),
            "Q2 at the bottom: {:?}",
            p[2]
        );
        assert!(
            close(p[3], (400.0 - r, 300.0)),
            "Q3 to the left: {:?}",
            p[3]
        );
    }

    #[test]
    fn qpus_are_evenly_spaced_inside_the_area_and_never_overlap() {
        for n in 2..=32 {
            for &(w, h) in &[(800.0, 600.0), (300.0, 900.0), (1.0, 1.0)] {
                let p = ring_layout(n, w, h);
                let r = node_radius(n, w, h);
                assert_eq!(p.len(), n);
                let step = dist(p[0], p[1]);
                for i in 0..n {
                    let (x, y) = p[i];
                    assert!(x - r >= 0.0 && x + r <= w && y - r >= 0.0 && y + r <= h);
                    let next = p[(i + 1) % n];
                    assert!((dist(p[i], next) - step).abs() < 1e-9 * w.max(h));
                    if n > 2 {
                        assert!(dist(p[i], next) > 2.0 * r, "n={n}: neighbours overlap");
                    }
                }
            }
        }
    }

    #[test]
    fn degenerate_areas_and_counts_give_finite_geometry() {
        assert!(ring_layout(0, 100.0, 100.0).is_empty());
        assert_eq!(ring_layout(1, 100.0, 50.0), vec![(50.0, 25.0)]);
        for &(w, h) in &[(0.0, 0.0), (-5.0, 10.0), (f64::NAN, 10.0)] {
            for n in 0..6 {
                let r = node_radius(n, w, h);
                assert!(r.is_finite() && r >= 0.0);
                for (x, y) in ring_layout(n, w, h) {
                    assert!(x.is_finite() && y.is_finite());
                }
            }
        }
    }

    #[test]
    fn links_close_the_ring() {
        assert!(ring_links(1).is_empty());
        assert_eq!(ring_links(2), vec![(0, 1)]);
        assert_eq!(ring_links(4), vec![(0, 1), (1, 2), (2, 3), (3, 0)]);
    }
}
