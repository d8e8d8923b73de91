//! Whole-chart tests: what the SVG contains (series, keys, floors, bands, unknown lanes),
//! PNG decoding, determinism, and degenerate or extreme inputs.

use plotters::style::RGBColor;

use super::legend::{KEY_BAND, KEY_DASHED, KEY_MEDIAN, KEY_SOLID, UNKNOWN_LABEL};
use super::prepared::prepare_line;
use super::style::{BAND_OPACITY, PALETTE};
use super::*;

fn cost_chart() -> LineChart {
    let xs = [1.0, 10.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0];
    LineChart {
        y_max: None,
        note: String::new(),
        title: "Projected monthly cost".to_owned(),
        x_label: "Customers".to_owned(),
        y_label: "Monthly cost (USD)".to_owned(),
        series: vec![
            Series {
                floors: Vec::new(),
                bands: Vec::new(),
                label: "Acme SSO".to_owned(),
                points: xs.iter().map(|&x| (x, Some(125.0 * x))).collect(),
                style: None,
                lower_bound: false,
            },
            Series {
                floors: Vec::new(),
                bands: Vec::new(),
                style: None,
                label: "DirSync & Co <beta>".to_owned(),
                points: xs
                    .iter()
                    .map(|&x| {
                        (
                            x,
                            if x > 1000.0 {
                                None
                            } else {
                                Some(500.0 + 40.0 * x)
                            },
                        )
                    })
                    .collect(),
                lower_bound: false,
            },
            Series {
                floors: Vec::new(),
                bands: Vec::new(),
                label: "Enterprise Ltd".to_owned(),
                points: xs.iter().map(|&x| (x, Some(2000.0 + 10.0 * x))).collect(),
                style: None,
                lower_bound: true,
            },
        ],
        markers: vec![(100.0, "100 customers".to_owned())],
        log_y: false,
    }
}

fn bars() -> StackedBars {
    StackedBars {
        title: "Score breakdown".to_owned(),
        value_label: "Score (points of 100)".to_owned(),
        note: String::new(),
        categories: vec!["Acme SSO".into(), "DirSync".into(), "Enterprise Ltd".into()],
        segments: vec![
            ("Protocol".into(), vec![30.0, 25.0, 20.0]),
            ("Cost".into(), vec![20.0, 30.0, 10.0]),
            ("Support".into(), vec![15.0, 10.0, 25.0]),
        ],
    }
}

fn svg_text(bytes: &[u8]) -> String {
    let text = String::from_utf8(bytes.to_vec()).expect("svg is utf-8");
    roxmltree::Document::parse(&text).expect("svg is well-formed xml");
    text
}

fn png_dims(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("png header decodes");
    let mut buf = vec![0; reader.output_buffer_size().expect("png fits in memory")];
    let info = reader.next_frame(&mut buf).expect("png frame decodes");
    (info.width, info.height)
}

#[test]
fn line_svg_is_xml_with_title_legend_and_unknown_marking() {
    let svg = svg_text(&line_chart(&cost_chart(), ImageFormat::Svg, (900, 560)).unwrap());
    assert!(svg.contains("Projected monthly cost"));
    assert!(svg.contains("Acme SSO"));
    assert!(svg.contains("DirSync &amp; Co &lt;beta&gt;"));
    assert!(svg.contains("Enterprise Ltd (at least)"));
    assert!(svg.contains(UNKNOWN_LABEL));
    assert!(svg.contains("100 customers"));
    assert!(svg.contains("Monthly cost (USD)"));
}

#[test]
fn unknown_marking_only_when_values_are_missing() {
    let mut chart = cost_chart();
    chart.series.remove(1);
    let svg = svg_text(&line_chart(&chart, ImageFormat::Svg, (900, 560)).unwrap());
    assert!(!svg.contains(UNKNOWN_LABEL));
}

#[test]
fn money_ticks_have_thousands_separators() {
    let svg = svg_text(&line_chart(&cost_chart(), ImageFormat::Svg, (900, 560)).unwrap());
    assert!(svg.contains("500,000") || svg.contains("600,000"), "{svg}");
}

#[test]
fn png_decodes_with_requested_size() {
    let png = line_chart(&cost_chart(), ImageFormat::Png, (640, 400)).unwrap();
    assert_eq!(png_dims(&png), (640, 400));
    let png = stacked_bars(&bars(), ImageFormat::Png, (500, 300)).unwrap();
    assert_eq!(png_dims(&png), (500, 300));
}

#[test]
fn output_is_deterministic() {
    let mut chart = cost_chart();
    for format in [ImageFormat::Svg, ImageFormat::Png] {
        assert_eq!(
            line_chart(&chart, format, (700, 450)).unwrap(),
            line_chart(&chart, format, (700, 450)).unwrap()
        );
        assert_eq!(
            stacked_bars(&bars(), format, (700, 450)).unwrap(),
            stacked_bars(&bars(), format, (700, 450)).unwrap()
        );
    }
    chart.log_y = true;
    assert_eq!(
        line_chart(&chart, ImageFormat::Png, (700, 450)).unwrap(),
        line_chart(&chart, ImageFormat::Png, (700, 450)).unwrap()
    );
}

#[test]
fn degenerate_line_inputs_do_not_panic() {
    let base = LineChart {
        y_max: None,
        note: String::new(),
        title: String::new(),
        x_label: String::new(),
        y_label: String::new(),
        series: vec![],
        markers: vec![(f64::NAN, "nan".into()), (5.0, String::new())],
        log_y: false,
    };
    let one = |points: Vec<(f64, Option<f64>)>| Series {
        floors: Vec::new(),
        bands: Vec::new(),
        label: "s".into(),
        points,
        style: None,
        lower_bound: true,
    };
    let cases = vec![
        vec![],
        vec![one(vec![])],
        vec![one(vec![(1.0, None), (2.0, None)])],
        vec![one(vec![(3.0, Some(7.0))])],
        vec![one(vec![(3.0, None)])],
        vec![one(vec![(0.0, Some(0.0)), (1.0, Some(0.0))])],
        vec![one(vec![
            (5.0, Some(1e15)),
            (5.0, Some(-1e15)),
            (5.0, None),
        ])],
        vec![one(vec![
            (f64::NAN, Some(1.0)),
            (1.0, Some(f64::INFINITY)),
            (2.0, Some(f64::NAN)),
        ])],
        vec![one(vec![(-1e300, Some(1e300)), (1e300, Some(-1e-300))])],
        vec![one(vec![
            (1.0, Some(-5.0)),
            (2.0, Some(0.0)),
            (3.0, Some(1e-12)),
        ])],
    ];
    for series in cases {
        for log_y in [false, true] {
            let chart = LineChart {
                series: series.clone(),
                log_y,
                ..base.clone()
            };
            for format in [ImageFormat::Svg, ImageFormat::Png] {
                let out = line_chart(&chart, format, (300, 200)).unwrap();
                assert!(!out.is_empty());
            }
            svg_text(&line_chart(&chart, ImageFormat::Svg, (900, 600)).unwrap());
        }
    }
}

#[test]
fn extreme_layouts_do_not_panic() {
    let long = "W".repeat(300);
    let gappy = |i: u32| Series {
        floors: Vec::new(),
        bands: Vec::new(),
        style: None,
        label: format!("{long}{i}"),
        points: (0..30)
            .map(|x| {
                let x = 123_456_789.0 + f64::from(x) / 64.0;
                (x, (x.fract() > 0.3).then_some(f64::from(i) * 1e-7))
            })
            .collect(),
        lower_bound: i.is_multiple_of(2),
    };
    let chart = LineChart {
        y_max: None,
        note: String::new(),
        title: long.clone(),
        x_label: long.clone(),
        y_label: long.clone(),
        series: (0..60).map(gappy).collect(),
        markers: (0..40)
            .map(|i| (123_456_789.0 + f64::from(i) / 80.0, long.clone()))
            .collect(),
        log_y: false,
    };
    for log_y in [false, true] {
        let chart = LineChart {
            log_y,
            ..chart.clone()
        };
        for size in [(200, 200), (200, 150), (6000, 200), (200, 6000)] {
            svg_text(&line_chart(&chart, ImageFormat::Svg, size).unwrap());
        }
        assert_eq!(
            png_dims(&line_chart(&chart, ImageFormat::Png, (200, 150)).unwrap()),
            (200, 150)
        );
    }
    let bars = StackedBars {
        title: long.clone(),
        note: long.clone(),
        value_label: long.clone(),
        categories: (0..80).map(|i| format!("{long} {i}")).collect(),
        segments: (0..20)
            .map(|j| (format!("{long}{j}"), vec![5.0; 80]))
            .collect(),
    };
    for size in [(200, 150), (6000, 200), (200, 6000)] {
        svg_text(&stacked_bars(&bars, ImageFormat::Svg, size).unwrap());
    }
    assert_eq!(
        png_dims(&stacked_bars(&bars, ImageFormat::Png, (200, 150)).unwrap()),
        (200, 150)
    );
}

fn any_value() -> impl proptest::strategy::Strategy<Value = f64> {
    use proptest::prelude::*;
    prop_oneof![
        -1e6..1e6_f64,
        Just(0.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-1e300),
        Just(1e15),
        Just(1e-300),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    #[test]
    fn random_line_charts_render(
        raw in proptest::collection::vec(
            proptest::collection::vec((any_value(), proptest::option::of(any_value())), 0..12),
            0..5,
        ),
        markers in proptest::collection::vec(any_value(), 0..4),
        log_y: bool,
    ) {
        let chart = LineChart {
            title: "fuzz".into(),
            series: raw
                .into_iter()
                .enumerate()
                .map(|(i, points)| Series { label: format!("s{i}"), points, lower_bound: i == 1, style: None, ..Series::default() })
                .collect(),
            markers: markers.into_iter().map(|x| (x, "m".to_owned())).collect(),
            log_y,
            ..LineChart::default()
        };
        let svg = line_chart(&chart, ImageFormat::Svg, (420, 300)).unwrap();
        svg_text(&svg);
    }

    #[test]
    fn random_uncertain_charts_render(
        raw in proptest::collection::vec(
            proptest::collection::vec(
                (any_value(), proptest::option::of(any_value()), proptest::option::of(any_value())),
                0..12,
            ),
            0..5,
        ),
        bands in proptest::collection::vec(
            proptest::collection::vec((any_value(), any_value(), any_value(), any_value()), 0..8),
            0..3,
        ),
        y_max in proptest::option::of(any_value()),
        log_y: bool,
    ) {
        let chart = LineChart {
            series: raw
                .into_iter()
                .enumerate()
                .map(|(i, samples)| Series {
                    label: format!("s{i}"),
                    points: samples.iter().map(|s| (s.0, s.1)).collect(),
                    floors: samples.iter().filter_map(|s| s.2.map(|f| (s.0, f))).collect(),
                    bands: if i == 0 {
                        bands
                            .iter()
                            .map(|run| {
                                run.iter()
                                    .map(|b| BandPoint { x: b.0, low: b.1, mid: b.2, high: b.3 })
                                    .collect()
                            })
                            .collect()
                    } else {
                        Vec::new()
                    },
                    ..Series::default()
                })
                .collect(),
            y_max,
            log_y,
            note: "n".into(),
            ..LineChart::default()
        };
        svg_text(&line_chart(&chart, ImageFormat::Svg, (420, 300)).unwrap());
        let _ = outlier_cut(&chart.series);
        let _ = needs_log_scale(&chart.series);
        // The caption under a report chart names the series `draws_anything` rejects; the
        // legend hatches the ones the drawing found empty. They must be the same series.
        let prepared = prepare_line(&chart);
        for (s, p) in chart.series.iter().zip(&prepared.series) {
            proptest::prop_assert_eq!(s.draws_anything(), p.draws_something(), "{:?}", s);
        }
    }

    #[test]
    fn random_bars_render(
        cats in 0..6_usize,
        segs in proptest::collection::vec(proptest::collection::vec(any_value(), 0..7), 0..5),
    ) {
        let chart = StackedBars {
            categories: (0..cats).map(|i| format!("c{i}")).collect(),
            segments: segs.into_iter().enumerate().map(|(j, v)| (format!("a{j}"), v)).collect(),
            ..StackedBars::default()
        };
        svg_text(&stacked_bars(&chart, ImageFormat::Svg, (420, 300)).unwrap());
    }
}

#[test]
fn all_unknown_series_is_marked() {
    let chart = LineChart {
        series: vec![Series {
            floors: Vec::new(),
            bands: Vec::new(),
            label: "Mystery".into(),
            points: vec![(1.0, None), (2.0, None)],
            style: None,
            lower_bound: false,
        }],
        ..LineChart::default()
    };
    let svg = svg_text(&line_chart(&chart, ImageFormat::Svg, (600, 400)).unwrap());
    assert!(svg.contains(UNKNOWN_LABEL));
    assert!(svg.contains("no known values"));
}

#[test]
fn sixteen_series_and_long_labels_render() {
    let series = (0..16)
        .map(|i| Series {
            floors: Vec::new(),
            bands: Vec::new(),
            style: None,
            label: format!("Provider number {i} with a very long marketing name indeed"),
            points: (0..40)
                .map(|x| (f64::from(x) * 25.0, Some(f64::from(i * 100 + x * (i + 1)))))
                .collect(),
            lower_bound: i % 5 == 0,
        })
        .collect();
    let chart = LineChart {
        series,
        title: "t".repeat(500),
        ..cost_chart()
    };
    svg_text(&line_chart(&chart, ImageFormat::Svg, (900, 560)).unwrap());
    let png = line_chart(&chart, ImageFormat::Png, (200, 200)).unwrap();
    assert_eq!(png_dims(&png), (200, 200));
}

#[test]
fn stacked_bars_svg_and_degenerate_inputs() {
    let svg = svg_text(&stacked_bars(&bars(), ImageFormat::Svg, (800, 500)).unwrap());
    for text in [
        "Score breakdown",
        "Protocol",
        "Cost",
        "Support",
        "Enterprise Ltd",
        "65",
    ] {
        assert!(svg.contains(text), "missing {text}");
    }
    let cases = vec![
        StackedBars::default(),
        StackedBars {
            categories: vec!["a".into()],
            ..StackedBars::default()
        },
        StackedBars {
            segments: vec![("x".into(), vec![1.0])],
            ..StackedBars::default()
        },
        StackedBars {
            categories: vec!["a".into(), "b\u{0}c".into()],
            segments: vec![
                ("x".into(), vec![f64::NAN, -3.0, 7.0]),
                ("y".into(), vec![1e15]),
            ],
            ..StackedBars::default()
        },
    ];
    for chart in cases {
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            assert!(!stacked_bars(&chart, format, (250, 200)).unwrap().is_empty());
        }
        svg_text(&stacked_bars(&chart, ImageFormat::Svg, (250, 200)).unwrap());
    }
}

#[test]
fn invalid_sizes_are_clean_errors() {
    for size in [(0, 0), (10, 500), (500, 100_000)] {
        let err = line_chart(&cost_chart(), ImageFormat::Png, size).unwrap_err();
        assert!(matches!(err, ChartError::InvalidSize { .. }));
        assert!(err.to_string().starts_with("invalid chart size"));
    }
}

#[test]
fn log_scale_detection() {
    let s = |ys: &[f64]| Series {
        floors: Vec::new(),
        bands: Vec::new(),
        label: String::new(),
        points: ys
            .iter()
            .enumerate()
            .map(|(i, y)| (i as f64, Some(*y)))
            .collect(),
        style: None,
        lower_bound: false,
    };
    assert!(!needs_log_scale(&[]));
    assert!(!needs_log_scale(&[s(&[10.0, 900.0])]));
    assert!(needs_log_scale(&[s(&[10.0]), s(&[0.0, 5000.0])]));
    assert!(!needs_log_scale(&[s(&[0.0, -1e9, 3.0])]));
}

fn color_hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// `(fill opacity, fill)` of every `<polygon>` in an SVG.
fn polygons(svg: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("polygon"))
        .map(|n| {
            (
                n.attribute("fill-opacity").unwrap_or("1").to_owned(),
                n.attribute("fill").unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// Number of `<polyline>` strokes in a colour.
fn strokes(svg: &str, color: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(color))
        .count()
}

/// Every `<text>` of an SVG, trimmed, in document order (also used by the report's chart
/// tests in `report::charts`).
pub(crate) fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_owned())
        .collect()
}

fn band(xs: &[f64], f: impl Fn(f64) -> (f64, f64, f64)) -> Vec<BandPoint> {
    xs.iter()
        .map(|&x| {
            let (low, mid, high) = f(x);
            BandPoint { x, low, mid, high }
        })
        .collect()
}

/// Known 1–5, then only a floor ("at least") 6–10; a second series with only an estimate.
fn uncertain_chart() -> LineChart {
    let xs: Vec<f64> = (1..=10).map(f64::from).collect();
    LineChart {
        title: "Uncertain".into(),
        series: vec![
            Series {
                label: "Floor Co".into(),
                points: xs
                    .iter()
                    .map(|&x| (x, (x <= 5.0).then_some(100.0 * x)))
                    .collect(),
                floors: xs
                    .iter()
                    .filter(|x| **x > 5.0)
                    .map(|&x| (x, 80.0 * x))
                    .collect(),
                style: Some(0),
                ..Series::default()
            },
            Series {
                label: "Estimate Co".into(),
                points: xs.iter().map(|&x| (x, None)).collect(),
                bands: vec![band(&xs, |x| (50.0 * x, 70.0 * x, 90.0 * x))],
                style: Some(1),
                ..Series::default()
            },
        ],
        ..LineChart::default()
    }
}

#[test]
fn floors_are_dashed_and_bands_are_shaded() {
    let chart = uncertain_chart();
    let svg = svg_text(&line_chart(&chart, ImageFormat::Svg, (900, 560)).unwrap());
    // The band: a translucent polygon in the series colour.
    let estimate = color_hex(PALETTE[1]);
    assert!(
        polygons(&svg)
            .iter()
            .any(|(opacity, fill)| *opacity == BAND_OPACITY.to_string() && *fill == estimate),
        "no translucent band polygon in {estimate}"
    );
    // The floor: dashed, i.e. drawn as many short strokes. The same values drawn as known
    // points make one solid stroke.
    let floor_color = color_hex(PALETTE[0]);
    let mut solid = chart.clone();
    solid.series[0].points = (1..=10)
        .map(|x| {
            let x = f64::from(x);
            (x, Some(if x <= 5.0 { 100.0 * x } else { 80.0 * x }))
        })
        .collect();
    solid.series[0].floors.clear();
    let solid_svg = svg_text(&line_chart(&solid, ImageFormat::Svg, (900, 560)).unwrap());
    let (dashed_n, solid_n) = (
        strokes(&svg, &floor_color),
        strokes(&solid_svg, &floor_color),
    );
    assert!(
        dashed_n >= solid_n + 8,
        "{dashed_n} strokes vs {solid_n} solid"
    );
    // Legend: both providers by name, and the key to the styles.
    let t = texts(&svg);
    for label in [
        "Floor Co",
        "Estimate Co",
        KEY_SOLID,
        KEY_DASHED,
        KEY_BAND,
        KEY_MEDIAN,
        UNKNOWN_LABEL,
    ] {
        assert!(t.iter().any(|x| x == label), "`{label}` missing from {t:?}");
    }
    // The key is only for charts that need it.
    let plain = svg_text(&line_chart(&cost_chart(), ImageFormat::Svg, (900, 560)).unwrap());
    assert!(!plain.contains(KEY_BAND) && !plain.contains(KEY_DASHED));
}

#[test]
fn floors_join_the_known_line_and_mark_no_unknown_range() {
    let prep = prepare_line(&uncertain_chart());
    let floor = &prep.series[0];
    assert_eq!(
        floor.solid,
        vec![
            (1..=5)
                .map(|x| (f64::from(x), 100.0 * f64::from(x)))
                .collect::<Vec<_>>()
        ]
    );
    // The dashed run starts at the last known point, so the line has no gap.
    assert_eq!(floor.dashed.len(), 1);
    assert_eq!(floor.dashed[0][0], (5.0, 500.0));
    assert_eq!(floor.dashed[0].last(), Some(&(10.0, 800.0)));
    assert!(floor.unknown.is_empty());
    assert!(floor.has_solid && floor.has_dashed && !floor.has_band);
    // The estimate-only series: a band, its median (no published line there), a lane.
    let estimate = &prep.series[1];
    assert!(estimate.has_band && estimate.draws_something());
    assert_eq!(estimate.areas.len(), 1);
    assert_eq!(estimate.medians.len(), 1);
    assert_eq!(estimate.unknown, vec![(1.0, 10.0)]);
    assert!(!estimate.markers.is_empty());
    // The y axis covers the band's top.
    assert!(prep.y.1 >= 900.0);
}

#[test]
fn a_series_with_only_an_estimate_is_in_the_legend() {
    let xs = [10.0, 20.0, 30.0];
    let chart = LineChart {
        series: vec![Series {
            label: "Only Estimated".into(),
            bands: vec![band(&xs, |x| (x, 2.0 * x, 3.0 * x))],
            ..Series::default()
        }],
        ..LineChart::default()
    };
    let svg = svg_text(&line_chart(&chart, ImageFormat::Svg, (700, 450)).unwrap());
    let t = texts(&svg);
    assert!(t.iter().any(|x| x == "Only Estimated"), "{t:?}");
    assert!(!svg.contains("no known values"));
    assert!(
        polygons(&svg)
            .iter()
            .any(|(o, _)| *o == BAND_OPACITY.to_string())
    );
}

#[test]
fn median_is_drawn_only_where_nothing_is_published() {
    let xs: Vec<f64> = (1..=10).map(f64::from).collect();
    let chart = LineChart {
        series: vec![Series {
            label: "Half".into(),
            points: xs
                .iter()
                .map(|&x| (x, (x <= 4.0).then_some(10.0)))
                .collect(),
            bands: vec![band(&xs, |_| (8.0, 10.0, 12.0))],
            ..Series::default()
        }],
        ..LineChart::default()
    };
    let prep = prepare_line(&chart);
    let s = &prep.series[0];
    assert_eq!(s.medians.len(), 1);
    // From the last published point on.
    assert_eq!(s.medians[0].first(), Some(&(4.0, 10.0)));
    assert_eq!(s.medians[0].last(), Some(&(10.0, 10.0)));
}

#[test]
fn outliers_cut_the_axis_and_are_clipped() {
    let rising = |label: &str, y: f64| Series {
        label: label.into(),
        points: vec![(0.0, Some(0.0)), (10.0, Some(y))],
        ..Series::default()
    };
    let few = vec![rising("a", 1000.0), rising("b", 100.0), rising("c", 90.0)];
    assert_eq!(outlier_cut(&few), None, "three series are never cut");
    let mut many = few.clone();
    many.extend([rising("d", 80.0), rising("e", 70.0)]);
    assert_eq!(outlier_cut(&many), Some(100.0));
    many[1] = rising("b", 900.0);
    assert_eq!(outlier_cut(&many), Some(90.0), "two outliers among five");
    many[1] = rising("b", 500.0);
    assert_eq!(outlier_cut(&many), Some(90.0));
    assert_eq!(outlier_cut(&many[1..]), Some(90.0));
    assert_eq!(
        outlier_cut(&[
            rising("x", 10.0),
            rising("y", 9.0),
            rising("z", 8.0),
            rising("w", 7.0)
        ]),
        None
    );
    // An outlier that starts above the cut keeps its start: the cut rises to its lowest
    // value (150, within 2.5 × 100), not past a second outlier's start beyond that (400).
    let from = |label: &str, lo: f64, hi: f64| Series {
        label: label.into(),
        points: vec![(0.0, Some(lo)), (10.0, Some(hi))],
        ..Series::default()
    };
    let starts_high = vec![
        from("big", 150.0, 1000.0),
        from("bigger", 400.0, 2000.0),
        rising("b", 100.0),
        rising("c", 90.0),
        rising("d", 80.0),
        rising("e", 70.0),
    ];
    assert_eq!(outlier_cut(&starts_high), Some(150.0));
    assert_eq!(
        outlier_cut(&starts_high[1..]),
        Some(100.0),
        "400 > 2.5 × 100"
    );
    // A band counts towards a series' maximum.
    let mut banded = rising("f", 10.0);
    banded.bands = vec![band(&[0.0, 10.0], |_| (1.0, 2.0, 5000.0))];
    assert_eq!(series_max(&banded), Some(5000.0));

    let chart = LineChart {
        series: many,
        y_max: Some(90.0),
        note: "cut note".into(),
        ..LineChart::default()
    };
    let prep = prepare_line(&chart);
    assert!(prep.y.1 < 200.0, "{:?}", prep.y);
    for s in &prep.series {
        for p in s.solid.iter().flatten().chain(&s.markers) {
            assert!(p.1 <= prep.y.1, "{} above the plot: {p:?}", s.label);
        }
    }
    // The outlier leaves through the top: its visible part ends at the top edge.
    let outlier = &prep.series[0].solid;
    assert_eq!(outlier.len(), 1);
    let exit = outlier[0].last().unwrap();
    assert!(
        (exit.1 - prep.y.1).abs() < 1e-9 && exit.0 < 10.0,
        "{exit:?}"
    );
    let svg = svg_text(&line_chart(&chart, ImageFormat::Svg, (800, 500)).unwrap());
    assert!(svg.contains("cut note"));
    // A log axis ignores the cut.
    let log = LineChart {
        log_y: true,
        ..chart
    };
    assert!(prepare_line(&log).y.1 >= 1000.0);

    // A series whose every regular marker is above the cut keeps one at its first visible
    // point: 11 points take a marker every second one, and as the second series its markers
    // fall on x = 1, 3, …, all above 160; only x = 0 (150) is below the cut.
    let steep = Series {
        label: "steep".into(),
        points: (0..=10)
            .map(|x| (f64::from(x), Some(150.0 + 100.0 * f64::from(x))))
            .collect(),
        ..Series::default()
    };
    let chart = LineChart {
        series: vec![rising("low", 100.0), steep],
        y_max: Some(160.0),
        ..LineChart::default()
    };
    let prep = prepare_line(&chart);
    assert_eq!(prep.series[1].markers, vec![(0.0, 150.0)]);
}

#[test]
fn uncertain_charts_are_deterministic_and_survive_odd_bands() {
    let mut chart = uncertain_chart();
    chart.y_max = Some(300.0);
    chart.note = "note".into();
    for format in [ImageFormat::Svg, ImageFormat::Png] {
        assert_eq!(
            line_chart(&chart, format, (700, 450)).unwrap(),
            line_chart(&chart, format, (700, 450)).unwrap()
        );
    }
    chart.series[1].bands = vec![
        vec![],
        vec![BandPoint {
            x: 3.0,
            low: 5.0,
            mid: 4.0,
            high: 1.0,
        }],
        vec![
            BandPoint {
                x: f64::NAN,
                low: 1.0,
                mid: 1.0,
                high: 1.0,
            },
            BandPoint {
                x: 2.0,
                low: f64::INFINITY,
                mid: 1.0,
                high: 1.0,
            },
            BandPoint {
                x: 4.0,
                low: 2.0,
                mid: 2.0,
                high: 2.0,
            },
            BandPoint {
                x: 4.0,
                low: 1e300,
                mid: -1e300,
                high: 0.0,
            },
        ],
    ];
    chart.series[0].floors.push((f64::NAN, 1.0));
    chart.series[0].floors.push((7.0, f64::INFINITY));
    for log_y in [false, true] {
        let chart = LineChart {
            log_y,
            ..chart.clone()
        };
        svg_text(&line_chart(&chart, ImageFormat::Svg, (400, 300)).unwrap());
        assert_eq!(
            png_dims(&line_chart(&chart, ImageFormat::Png, (400, 300)).unwrap()),
            (400, 300)
        );
    }
}

#[test]
fn single_paint_shapes_carry_their_alpha_on_the_paint() {
    // A stroked polyline and a filled rectangle or polygon take `stroke-opacity` or
    // `fill-opacity`; a shape with both paints, an opaque shape's `opacity="1"` on a
    // two-paint shape, text, and markup-like catalog text (escaped) are left alone.
    let untouched = concat!(
        r##"<rect x="1" y="2" width="3" height="4" opacity="0.5" fill="#FFFFFF" stroke="#000000"/>"##,
        r##"<text x="1" y="2" opacity="0.5" fill="#000000">&lt;polyline fill="none" opacity="0.9"&gt;</text>"##,
    );
    let shapes = |stroke: &str, fill: &str| {
        format!(
            concat!(
                r##"<svg><polyline fill="none" {}="0.9" stroke="#009E73" stroke-width="2" points="1,2 3,4 "/>"##,
                r##"<rect x="1" y="2" width="3" height="4" {}="0.18" fill="#0072B2" stroke="none"/>"##,
                r##"<polygon {}="0.2" fill="#555555" points="1,2 3,4 5,6 "/>{}</svg>"##,
            ),
            stroke, fill, fill, untouched
        )
    };
    let (svg, expected) = (
        shapes("opacity", "opacity"),
        shapes("stroke-opacity", "fill-opacity"),
    );
    assert_eq!(super::render::paint_opacity(&svg), expected);
}

#[test]
fn charts_draw_no_translucent_layer() {
    // Every translucent shape of a real chart (dashes, bands, legend boxes) must reach the
    // rasteriser as a paint opacity: a plotters release that writes its shapes differently
    // would otherwise bring back one offscreen layer per dash, silently.
    let svg = svg_text(&line_chart(&cost_chart(), ImageFormat::Svg, (900, 560)).unwrap());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let layered: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("opacity").is_some_and(|o| o != "1"))
        .map(|n| format!("{:?}", n.tag_name().name()))
        .collect();
    assert!(layered.is_empty(), "group opacity on {layered:?}");
    assert!(svg.contains("stroke-opacity=") && svg.contains("fill-opacity="));
}
