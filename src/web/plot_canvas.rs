//! Paints one p_L or depth chart of the plots panel with plotters on a HiDPI canvas: the
//! three implementations (markers, dashes and error bars ± std over circuits), the current
//! value as a translucent band, the uniform-model bounds on the depth chart, the paper's range
//! shaded, and the threshold markers of `view::thresholds` — a dashed line each, with its
//! label in a band above the plot area (placed by `view::panels::place_labels`, so labels
//! overlap neither each other, nor a line, nor the data, nor the legend). p_L axes stay within
//! [0, 1].

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use crate::view::panels::{axis_ticks, place_labels, LabelSpec};
use crate::view::plot_data::{format_value, PlotPoint, Scale, XAxis};
use crate::view::thresholds::{self, Marker, MarkerKind, PlotKind, Thresholds};

use super::chart::{
    dash, draw_legend_flow, hex, legend_flow, legend_line, legend_sample, marker, series_colour,
    text_width, LegendRow, Ticked, NAMES,
};

/// Fraction of the data's span kept free above it (the legend is under the plot, not on it).
const HEADROOM: f64 = 0.08;
/// CSS px of a marker label's type and line height above the plot area.
const LABEL_PX: f64 = 12.0;
const LABEL_LINE: f64 = 17.0;
/// The largest share of the canvas height the marker labels' band may take with full labels.
const MAX_BAND: f64 = 0.2;

/// Which chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    LogicalErrorRate,
    Depth,
}

/// What one chart shows: the axis and its scale, the x values (with a result or not yet), the
/// index of the current value, and the thresholds of the axis.
pub struct ChartData<'a> {
    pub axis: XAxis,
    pub scale: Scale,
    pub xs: &'a [f64],
    pub points: &'a [Option<PlotPoint>],
    pub current: usize,
    pub thresholds: &'a Thresholds,
    /// The page's text scale (`dom::text_scale`, larger in presentation mode).
    pub text_scale: f64,
}

/// The serde id of a marker kind (`stall_start`, …).
pub fn kind_id(k: MarkerKind) -> &'static str {
    match k {
        MarkerKind::StallStart => "stall_start",
        MarkerKind::DepthCostStart => "depth_cost_start",
        MarkerKind::AdvantageLost => "advantage_lost",
        MarkerKind::DepthThreshold => "depth_threshold",
    }
}

fn series_values(kind: Kind, p: &PlotPoint) -> [crate::estimate::MeanStd; 3] {
    match kind {
        Kind::LogicalErrorRate => p.logical_error_rates(),
        Kind::Depth => p.depths(),
    }
}

/// Colour and dash (CSS px) of a threshold marker's line and label: stalls in the stall
/// colour of the one colour language, advantage lost in the baseline's series colour.
fn marker_style(m: &Marker) -> (RGBColor, (f64, f64)) {
    let stall = hex(crate::view::palette::State::Stall.colour());
    match m.kind {
        MarkerKind::StallStart => (stall, (6.0, 3.0)),
        MarkerKind::DepthCostStart => (stall, (2.0, 3.0)),
        MarkerKind::AdvantageLost => {
            let s = if m.baseline.as_deref() == Some("monolithic") {
                1
            } else {
                0
            };
            // The series colours, darkened so a thin line and its text read on white.
            let RGBColor(r, g, b) = series_colour(s);
            let dark = |c: u8| (f64::from(c) * 0.7) as u8;
            (RGBColor(dark(r), dark(g), dark(b)), (9.0, 4.0))
        }
        MarkerKind::DepthThreshold => (RGBColor(29, 36, 48), (6.0, 3.0)),
    }
}

/// Paints one chart on `canvas`, already sized by the caller (`chart::fit_canvas_to`); returns
/// the pixel x of every x value (for the hover read-out) and the markers drawn.
pub fn draw_chart(
    canvas: &HtmlCanvasElement,
    kind: Kind,
    data: &ChartData,
) -> Result<(Vec<f64>, Vec<Marker>), String> {
    let d = super::dom::device_pixel_ratio();
    // Text follows the page's text size (larger in presentation mode: `dom::text_scale`).
    let ts = data.text_scale;
    let dt = d * ts;
    let th = data.thresholds;
    let w = canvas.width();
    let err = |e: &dyn std::fmt::Debug| format!("{e:?}");
    let axis = data.axis;
    let scale = data.scale;
    let us: Vec<f64> = data.xs.iter().map(|&x| scale.to_plot(x)).collect();
    let (mut x0, mut x1) = us
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &u| {
            (a.min(u), b.max(u))
        });
    if !(x0.is_finite() && x1.is_finite()) || x1 - x0 < 1e-9 {
        x0 = us.first().copied().unwrap_or(0.0) - 1.0;
        x1 = x0 + 2.0;
    }
    let pad = 0.06 * (x1 - x0);
    let (x0, x1) = (x0 - pad, x1 + pad);

    let here = match kind {
        Kind::LogicalErrorRate => PlotKind::LogicalErrorRate,
        Kind::Depth => PlotKind::Depth,
    };
    let drawn: Vec<Marker> = th
        .markers
        .iter()
        .filter(|m| m.in_range && (m.plot == here || m.plot == PlotKind::Both))
        .filter(|m| {
            let u = scale.to_plot(m.x);
            u.is_finite() && u >= x0 && u <= x1
        })
        .cloned()
        .collect();
    let curves: Vec<&thresholds::Curve> = th
        .curves
        .iter()
        .filter(|c| c.plot == here || c.plot == PlotKind::Both)
        .collect();

    let points: Vec<&PlotPoint> = data.points.iter().flatten().collect();
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for p in &points {
        for m in series_values(kind, p) {
            if m.mean.is_finite() {
                lo = lo.min(m.mean - m.std.max(0.0));
                hi = hi.max(m.mean + m.std.max(0.0));
            }
        }
        if kind == Kind::Depth {
            for b in [
                p.prop1_monolithic_depth_uniform_model,
                p.prop2_distributed_depth_bound_uniform_model,
            ] {
                if b.is_finite() {
                    lo = lo.min(b);
                    hi = hi.max(b);
                }
            }
        }
    }
    for c in &curves {
        for &(_, y) in &c.points {
            if y.is_finite() {
                lo = lo.min(y);
                hi = hi.max(y);
            }
        }
    }
    // A little headroom above the data; p_L stays within [0, 1] (a probability).
    let (y0, y1) = match kind {
        Kind::LogicalErrorRate => (
            0.0,
            if hi.is_finite() && hi > 0.0 {
                (hi * (1.0 + HEADROOM)).min(1.0)
            } else {
                1.0
            },
        ),
        Kind::Depth => {
            if lo.is_finite() && hi.is_finite() {
                let span = (hi - lo).max(1.0);
                let y0 = (lo - 0.08 * span).max(0.0);
                (y0, hi + HEADROOM * span)
            } else {
                (0.0, 100.0)
            }
        }
    };

    // Marker labels go in a band above the plot area, in rows that do not overlap. The plot
    // area spans [margin + y label area, width − margin) horizontally.
    let px = |v: f64| (v * d).round() as u32;
    let margin = 10.0 * d;
    let left = margin + 64.0 * d;
    let right = f64::from(w) - margin;
    let to_px = |u: f64| left + (u - x0) / (x1 - x0) * (right - left);
    // On a narrow plot (a phone), or when full labels would stack into a band taller than
    // [`MAX_BAND`] of the canvas (a short chart: presentation slide 3), a marker's label is only
    // its value (`τ_e = 13.1`): the list under the plots names it in the line's colour.
    let label_text = |m: &Marker, short: bool| -> String {
        if short {
            m.label.rsplit(" · ").next().unwrap_or(&m.label).to_string()
        } else {
            m.label.clone()
        }
    };
    let ctx = super::dom::context_2d(canvas).map_err(|e| err(&e))?;
    let width = |text: &str| text_width(&ctx, LABEL_PX * dt, text);
    let canvas_h = f64::from(canvas.height());
    let mut narrow = (right - left) / d < 480.0;
    let (shade, specs, placed) = loop {
        // The paper's range, shaded when the plot extends beyond it; its label comes first in
        // the band, at the shading's left edge.
        let shade = axis.paper_range().and_then(|(plo, phi)| {
            let (ua, ub) = (scale.to_plot(plo).max(x0), scale.to_plot(phi).min(x1));
            let beyond = data.xs.iter().any(|&x| x < plo - 1e-9 || x > phi + 1e-9);
            (beyond && ua < ub).then(|| {
                let figure = if axis == XAxis::N { "3a" } else { "3b" };
                let symbol = match axis {
                    XAxis::N => "n",
                    XAxis::TauE => "τ_e",
                    XAxis::P => "p",
                    XAxis::T => "t",
                };
                let text = if narrow {
                    format!("Fig. {figure} range")
                } else {
                    format!(
                        "paper Fig. {figure}: {symbol} = {}–{} (shaded)",
                        format_value(plo),
                        format_value(phi)
                    )
                };
                (ua, ub, text)
            })
        });
        let mut specs = Vec::new();
        if let Some((ua, ub, text)) = &shade {
            specs.push(LabelSpec {
                anchor: to_px(*ua),
                width: width(text),
                connectors: vec![to_px(*ua), to_px(*ub)],
            });
        }
        for m in &drawn {
            let at = to_px(scale.to_plot(m.x));
            specs.push(LabelSpec {
                anchor: at,
                width: width(&label_text(m, narrow)),
                connectors: vec![at],
            });
        }
        let placed = place_labels(&specs, 0.0, right, 6.0 * d);
        let rows = placed.iter().map(|p| p.row + 1).max().unwrap_or(0);
        if narrow || LABEL_LINE * dt * rows as f64 <= MAX_BAND * canvas_h {
            break (shade, specs, placed);
        }
        narrow = true;
    };
    let label_of = |m: &Marker| label_text(m, narrow);
    let rows: Vec<usize> = placed.iter().map(|p| p.row).collect();
    let spans: Vec<(f64, f64)> = placed.iter().map(|p| (p.start, 0.0)).collect();
    let band_rows = rows.iter().map(|r| r + 1).max().unwrap_or(0);
    let band = LABEL_LINE * dt * band_rows as f64;

    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no canvas backend")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let font = |v: f64| ("sans-serif", v * dt);
    let title = match kind {
        Kind::LogicalErrorRate => "Logical error rate p_L (mean ± std over circuits)",
        Kind::Depth => "Depth (mean ± std over circuits)",
    };
    // The title at the top (drawn here rather than as plotters' caption, so the marker labels'
    // band sits between the title and the plot area).
    root.draw(&Text::new(
        title,
        ((f64::from(w) / 2.0) as i32, px(8.0) as i32),
        font(14.0)
            .into_font()
            .color(&BLACK)
            .pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Top,
            )),
    ))
    .map_err(|e| err(&e))?;
    // The legend: a strip under the plot (inside the plot it hid marker lines and the paper's
    // shaded range), its rows in drawing order.
    let mut legend = Vec::new();
    for (s, name) in NAMES.iter().enumerate() {
        let c = series_colour(s);
        legend.push(LegendRow::new(*name, move |at| legend_sample(s, at, c, d)));
    }
    let faint = |c: RGBColor| {
        let mix = |v: u8| (f64::from(v) * 0.7 + 255.0 * 0.3).round() as u8;
        RGBColor(mix(c.0), mix(c.1), mix(c.2))
    };
    if kind == Kind::Depth {
        let (f1, f2) = (faint(series_colour(1)), faint(series_colour(2)));
        legend.push(LegendRow::new("Prop. 1 (uniform model)", move |at| {
            legend_line(at, f1, None, d)
        }));
        legend.push(LegendRow::new("uniform-model bound, 4(t+1)", move |at| {
            legend_line(at, f2, None, d)
        }));
    }
    let ink = RGBColor(29, 36, 48);
    for c in &curves {
        legend.push(LegendRow::new(c.label.clone(), move |at| {
            legend_line(at, ink, Some((6.0, 3.0)), d)
        }));
    }
    let legend_font = 12.0 * dt;
    let legend_w = f64::from(w) - margin - left;
    let (legend_at, legend_h) = legend_flow(&ctx, &legend, legend_font, d, legend_w);
    let mut ch = ChartBuilder::on(&root)
        .margin(px(10.0))
        .margin_top(px(32.0 * ts) + band.round() as u32)
        .margin_bottom(px(6.0) + legend_h.round() as u32)
        .x_label_area_size(px(40.0 * ts))
        .y_label_area_size(px(64.0 * ts))
        .build_cartesian_2d(
            Ticked::new(
                x0..x1,
                axis_ticks(scale, scale.from_plot(x0), scale.from_plot(x1), 8)
                    .into_iter()
                    .map(|v| scale.to_plot(v))
                    .collect(),
            ),
            y0..y1,
        )
        .map_err(|e| err(&e))?;
    let x_fmt = |u: &f64| format_value(scale.from_plot(*u));
    let y_fmt = |v: &f64| match kind {
        Kind::LogicalErrorRate => format_value(*v),
        Kind::Depth => format!("{v:.0}"),
    };
    ch.configure_mesh()
        .x_desc(axis.label())
        .y_desc(match kind {
            Kind::LogicalErrorRate => "p_L",
            Kind::Depth => "depth (layers)",
        })
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_labels(16)
        .y_labels(6)
        .label_style(font(12.0))
        .axis_desc_style(font(13.0))
        .max_light_lines(2)
        .light_line_style(RGBColor(238, 240, 244))
        .bold_line_style(RGBColor(222, 226, 232))
        .draw()
        .map_err(|e| err(&e))?;

    let (_, plot_y) = ch.plotting_area().get_pixel_range();
    let label_y = |row: usize| plot_y.start - ((row as f64 + 1.0) * LABEL_LINE * dt).round() as i32;
    let shade_rows = usize::from(shade.is_some());
    if let Some((ua, ub, text)) = &shade {
        let grey = RGBColor(90, 100, 115);
        ch.draw_series(std::iter::once(Rectangle::new(
            [(*ua, y0), (*ub, y1)],
            grey.mix(0.10).filled(),
        )))
        .map_err(|e| err(&e))?;
        let (lx, _) = ch.backend_coord(&(*ua, y1));
        let (rx, _) = ch.backend_coord(&(*ub, y1));
        let ly = label_y(rows[0]);
        // A bracket over the shaded span, from its label's row down to the plot.
        let by = ly + (LABEL_LINE * dt * 0.5) as i32;
        root.draw(&PathElement::new(
            vec![(lx, plot_y.start), (lx, by), (rx, by), (rx, plot_y.start)],
            grey.stroke_width(px(1.0)),
        ))
        .map_err(|e| err(&e))?;
        // The label on a white ground, so the bracket's top does not run through it.
        let start = spans[0].0.round() as i32;
        let tw = specs[0].width.round() as i32;
        root.draw(&Rectangle::new(
            [
                (start - px(2.0) as i32, ly),
                (start + tw + px(2.0) as i32, ly + (LABEL_LINE * dt) as i32),
            ],
            WHITE.filled(),
        ))
        .map_err(|e| err(&e))?;
        root.draw(&Text::new(
            text.clone(),
            (start, ly + px(2.0) as i32),
            font(LABEL_PX).into_font().color(&grey),
        ))
        .map_err(|e| err(&e))?;
    }

    // The current slider value: a translucent band.
    let ucur = us.get(data.current).copied().unwrap_or(x0);
    ch.draw_series(std::iter::once(PathElement::new(
        vec![(ucur, y0), (ucur, y1)],
        ShapeStyle {
            color: series_colour(2).mix(0.15),
            filled: false,
            stroke_width: px(10.0),
        },
    )))
    .map_err(|e| err(&e))?;

    // Threshold markers: dashed lines through the plot, up to their label above it.
    for (m, (&row, &(start, _))) in drawn.iter().zip(
        rows.iter()
            .skip(shade_rows)
            .zip(spans.iter().skip(shade_rows)),
    ) {
        let (c, (on, off)) = marker_style(m);
        let u = scale.to_plot(m.x);
        ch.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
            vec![(u, y0), (u, y1)],
            px(on),
            px(off),
            c.stroke_width(px(1.5)),
        )))
        .map_err(|e| err(&e))?;
        let (lx, _) = ch.backend_coord(&(u, y1));
        let top = plot_y.start;
        let ly = label_y(row);
        root.draw(&PathElement::new(
            vec![(lx, top), (lx, ly + (LABEL_LINE * dt * 0.5) as i32)],
            c.stroke_width(px(1.0)),
        ))
        .map_err(|e| err(&e))?;
        root.draw(&Text::new(
            label_of(m),
            (start.round() as i32, ly + px(2.0) as i32),
            font(LABEL_PX).into_font().color(&c),
        ))
        .map_err(|e| err(&e))?;
    }

    let cap = 0.008 * (x1 - x0);
    for s in 0..NAMES.len() {
        let colour = &series_colour(s);
        let line: Vec<(f64, f64)> = data
            .points
            .iter()
            .zip(&us)
            .filter_map(|(r, &u)| r.as_ref().map(|p| (u, series_values(kind, p)[s].mean)))
            .filter(|(_, m)| m.is_finite())
            .collect();
        let style = colour.stroke_width(px(2.0));
        let c = *colour;
        match dash(s) {
            None => ch.draw_series(LineSeries::new(line.clone(), style)),
            Some((on, off)) => {
                ch.draw_series(DashedLineSeries::new(line.clone(), px(on), px(off), style))
            }
        }
        .map_err(|e| err(&e))?;
        // Error bars: ± std over circuits (inside the axis range).
        let bars = data.points.iter().zip(&us).filter_map(|(r, &u)| {
            let m = series_values(kind, r.as_ref()?)[s];
            (m.mean.is_finite() && m.std.is_finite() && m.std > 0.0).then_some((u, m))
        });
        for (u, m) in bars {
            let (a, b) = ((m.mean - m.std).max(y0), (m.mean + m.std).min(y1));
            ch.draw_series([
                PathElement::new(vec![(u, a), (u, b)], colour.stroke_width(px(1.0))),
                PathElement::new(
                    vec![(u - cap, a), (u + cap, a)],
                    colour.stroke_width(px(1.0)),
                ),
                PathElement::new(
                    vec![(u - cap, b), (u + cap, b)],
                    colour.stroke_width(px(1.0)),
                ),
            ])
            .map_err(|e| err(&e))?;
        }
        ch.draw_series(line.iter().map(|&(u, m)| {
            let r = if (u - ucur).abs() < 1e-12 { 6.0 } else { 3.5 };
            marker(s, (u, m), px(r) as i32, c.filled())
        }))
        .map_err(|e| err(&e))?;
    }
    if kind == Kind::Depth {
        let bound = |f: fn(&PlotPoint) -> f64| -> Vec<(f64, f64)> {
            data.points
                .iter()
                .zip(&us)
                .filter_map(|(r, &u)| r.as_ref().map(|p| (u, f(p))))
                .filter(|(_, v)| v.is_finite())
                .collect()
        };
        let p1 = bound(|p| p.prop1_monolithic_depth_uniform_model);
        let p2 = bound(|p| p.prop2_distributed_depth_bound_uniform_model);
        let s1 = series_colour(1).mix(0.7).stroke_width(px(1.0));
        let s2 = series_colour(2).mix(0.7).stroke_width(px(1.0));
        ch.draw_series(
            p1.iter()
                .map(|&(u, v)| Cross::new((u, v), px(4.0) as i32, s1)),
        )
        .map_err(|e| err(&e))?;
        ch.draw_series(LineSeries::new(p1, s1))
            .map_err(|e| err(&e))?;
        ch.draw_series(
            p2.iter()
                .map(|&(u, v)| TriangleMarker::new((u, v), px(4.0) as i32, s2)),
        )
        .map_err(|e| err(&e))?;
        ch.draw_series(LineSeries::new(p2, s2))
            .map_err(|e| err(&e))?;
    }
    for c in &curves {
        let ink = RGBColor(29, 36, 48);
        let pts: Vec<(f64, f64)> = c
            .points
            .iter()
            .map(|&(x, y)| (scale.to_plot(x), y))
            .filter(|(u, y)| u.is_finite() && y.is_finite())
            .collect();
        let style = ink.stroke_width(px(1.5));
        ch.draw_series(DashedLineSeries::new(pts, px(6.0), px(3.0), style))
            .map_err(|e| err(&e))?;
    }
    let h = f64::from(canvas.height());
    let origin = (left.round() as i32, (h - legend_h - 4.0 * d).round() as i32);
    draw_legend_flow(&root, &legend, &legend_at, origin, legend_font, d)?;
    let pixel_xs = us
        .iter()
        .map(|&u| f64::from(ch.backend_coord(&(u, y0)).0))
        .collect();
    root.present().map_err(|e| err(&e))?;
    Ok((pixel_xs, drawn))
}
