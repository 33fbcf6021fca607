//! `html`: one self-contained printable page (A4, print CSS). No network, no script: a
//! Content-Security-Policy forbids scripts and every outside resource, the pictures are
//! inline SVG, and every value from the database is escaped.

use super::{Lists, Report, ReportHazard, Section};
use crate::error::Result;
use crate::export::html_escape as e;
use crate::fsio::export_error;
use crate::i18n::Lang;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// Forbids scripts, plug-ins, outside resources, forms and base changes; allows only the
/// page's own inline styles and inline images.
pub const CSP: &str = "default-src 'none'; script-src 'none'; object-src 'none'; \
    style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The print style shared by the report and the notices.
pub const BASE_CSS: &str = r#"
@page { size: A4; margin: 12mm 12mm 14mm; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
html { background: #fff; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       "WenQuanYi Zen Hei", "SimHei", sans-serif; color: #111; font-size: 10.5pt; line-height: 1.45;
       margin: 0 auto; max-width: 186mm; padding: 6mm 0; }
h1 { font-size: 17pt; margin: 0 0 1.5mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; padding-bottom: 0.8mm; border-bottom: 1.2pt solid #333;
     break-after: avoid; page-break-after: avoid; }
p { margin: 1mm 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.6pt solid #777; padding: 0.9mm 1.3mm; vertical-align: top; text-align: left;
         overflow-wrap: break-word; }
th { background: #e6ebf2; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.num { text-align: right; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.muted { color: #444; }
@media screen { body { padding: 10mm; } }
"#;

const REPORT_CSS: &str = r#"
.meta { color: #333; }
.note { border: 1pt solid #333; padding: 1mm 2mm; display: inline-block; font-weight: bold; }
.kpis { display: grid; grid-template-columns: repeat(5, 1fr); gap: 2mm; margin: 2mm 0 3mm; }
.kpi { border: 0.8pt solid #555; padding: 1.5mm 2mm; break-inside: avoid; }
.kpi b { display: block; font-size: 16pt; line-height: 1.2; }
.kpi span { font-size: 9pt; }
table.kv { width: auto; min-width: 60%; font-size: 10pt; }
table.kv td:first-child { padding-right: 6mm; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm; }
.charts .wide { grid-column: 1 / -1; }
figure { margin: 0; border: 0.6pt solid #aaa; padding: 2mm; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: bold; font-size: 10pt; margin-bottom: 1mm; }
svg { display: block; width: 100%; height: auto; }
/* The hazard lists keep to the page width (A4, either language): fixed columns, and any
   word too long for its column breaks instead of pushing the last column off the page. */
table.list { font-size: 8.6pt; table-layout: fixed; width: 100%; }
table.list th, table.list td { overflow-wrap: anywhere; }
table.list td.nowrap { white-space: normal; }
table.list td:first-child { font-size: 8pt; }
tr.overdue td { background: #f8d7da; }
.status-overdue { font-weight: bold; text-decoration: underline; }
.small { font-size: 8pt; color: #333; }
"#;

pub fn head(out: &mut String, title: &str, lang: Lang, css: &str) {
    let html_lang = if lang.is_zh() { "zh-CN" } else { "en" };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n<body>\n",
        e(title)
    );
}

fn table(out: &mut String, class: &str, head: &[&str], rows: &[Vec<(String, &str)>]) {
    let _ = write!(out, "<table class=\"{class}\">\n<thead><tr>");
    for h in head {
        let _ = write!(out, "<th>{}</th>", e(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for (cell, class) in r {
            if class.is_empty() {
                let _ = write!(out, "<td>{}</td>", e(cell));
            } else {
                let _ = write!(out, "<td class=\"{class}\">{}</td>", e(cell));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Write the page to `w` (`path` names it in errors): the summary and pictures, then each
/// hazard list row by row as it is read.
pub fn write(
    r: &Report,
    lists: &dyn Lists,
    lang: Lang,
    w: &mut dyn Write,
    path: &Path,
) -> Result<()> {
    let io = |e: std::io::Error| export_error(path, e);
    let c = lang.cat();
    let s = &r.summary;
    let title = (c.report.rp_title)(&r.community);
    let mut out = String::with_capacity(64 * 1024);
    head(
        &mut out,
        &format!("{title} {}", r.period()),
        lang,
        REPORT_CSS,
    );
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", e(&title));
    let mut meta = format!(
        "{}{}<b>{}</b> · {}{}{}",
        e(c.report.rp_period),
        e(c.report.rp_colon),
        e(&r.period()),
        e(c.report.rp_generated),
        e(c.report.rp_colon),
        e(&super::time_label(&r.generated_at))
    );
    let filters = r.filters_label(lang);
    if !filters.is_empty() {
        let _ = write!(
            meta,
            " · {}{}{}",
            e(c.report.rp_filters),
            e(c.report.rp_colon),
            e(&filters)
        );
    }
    let _ = writeln!(out, "<p class=\"meta\">{meta}</p>");
    if r.redacted {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", e(c.report.rp_redacted));
    }
    out.push_str("</header>\n");

    // The numbers that matter most, large.
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<div class=\"kpis\">",
        e(c.report.rp_summary)
    );
    let kpis = [
        (
            format!("{}/{}", s.buildings_patrolled, s.buildings_planned),
            format!("{} / {}", c.report.rp_s_buildings, c.report.rp_s_planned),
        ),
        (s.items_checked.to_string(), c.report.rp_s_items.to_string()),
        (s.hazards_found.to_string(), c.report.rp_s_found.to_string()),
        (
            s.still_open.to_string(),
            c.report.rp_s_still_open.to_string(),
        ),
        (
            s.overdue_carried.to_string(),
            c.report.rp_s_overdue.to_string(),
        ),
    ];
    for (v, label) in kpis {
        let _ = writeln!(
            out,
            "<div class=\"kpi\"><b>{}</b><span>{}</span></div>",
            e(&v),
            e(&label)
        );
    }
    out.push_str("</div>\n");
    let mut rows: Vec<Vec<(String, &str)>> = super::md::summary_rows(r, lang)
        .into_iter()
        .map(|(k, v)| vec![(k, ""), (v, "num")])
        .collect();
    let sev: Vec<String> = s
        .by_severity
        .iter()
        .map(|x| format!("{} {}", c.severity(x.severity), x.count))
        .collect();
    let cat: Vec<String> = s
        .by_category
        .iter()
        .map(|x| format!("{} {}", c.category(&x.category), x.count))
        .collect();
    rows.insert(
        4,
        vec![
            (format!("· {}", c.report.rp_s_by_severity), ""),
            (sev.join(c.report.rp_list_sep), ""),
        ],
    );
    rows.insert(
        5,
        vec![
            (format!("· {}", c.report.rp_s_by_category), ""),
            (
                if cat.is_empty() {
                    c.report.rp_none.to_string()
                } else {
                    cat.join(c.report.rp_list_sep)
                },
                "",
            ),
        ],
    );
    table(
        &mut out,
        "kv",
        &[c.report.rp_item_col, c.report.rp_count_col],
        &rows,
    );

    // Pictures.
    out.push_str("<div class=\"charts\">\n");
    let cats: Vec<(String, i64)> = r
        .charts
        .open_by_category
        .iter()
        .map(|x| (c.category(&x.category), x.count))
        .collect();
    figure(&mut out, "", c.report.rp_chart_category, &bars(&cats, lang));
    let blds: Vec<(String, i64)> = r
        .charts
        .open_by_building
        .iter()
        .map(|x| (x.name.clone(), x.count))
        .collect();
    figure(&mut out, "", c.report.rp_chart_building, &bars(&blds, lang));
    figure(
        &mut out,
        "wide",
        &(c.report.rp_chart_daily)(super::TREND_DAYS),
        &trend(r, lang),
    );
    out.push_str("</div>\n");

    let _ = writeln!(out, "<h2>{}</h2>", e(c.report.rp_leaders));
    if r.leaders.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", e(c.report.rp_none));
    } else {
        let rows: Vec<Vec<(String, &str)>> = r
            .leaders
            .iter()
            .map(|l| {
                vec![
                    (l.name.clone(), ""),
                    (l.day.clone(), "nowrap"),
                    (super::clock_label(&l.first), "num"),
                    (super::clock_label(&l.last), "num"),
                    (l.minutes.to_string(), "num"),
                    (l.buildings.to_string(), "num"),
                    (l.items.to_string(), "num"),
                ]
            })
            .collect();
        table(&mut out, "", c.report.rp_leader_columns, &rows);
    }

    let _ = writeln!(out, "<h2>{}</h2>", e(c.report.rp_buildings));
    if r.buildings.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", e(c.report.rp_none));
    } else {
        let rows: Vec<Vec<(String, &str)>> = r
            .buildings
            .iter()
            .map(|b| {
                vec![
                    (b.display_name(), ""),
                    (b.grid.clone(), ""),
                    (b.leaders.join(c.report.rp_list_sep), ""),
                    ((c.report.rp_units_of)(b.units_visited, b.units), "num"),
                    (b.items_checked.to_string(), "num"),
                    (b.hazards_found.to_string(), "num"),
                ]
            })
            .collect();
        table(&mut out, "", c.report.rp_building_columns, &rows);
    }

    for section in Section::ALL {
        let n = section.count(&r.lists);
        let title = section.title(n, lang);
        let _ = writeln!(out, "<h2>{}</h2>", e(&title));
        if n == 0 {
            let _ = writeln!(out, "<p>{}</p>", e(c.report.rp_none));
            continue;
        }
        hazard_table_head(&mut out, lang);
        w.write_all(out.as_bytes()).map_err(io)?;
        out.clear();
        lists.each(section, &mut |h| {
            let mut row = String::new();
            hazard_row(&mut row, h, &lists.photos(&h.id)?, lang);
            w.write_all(row.as_bytes()).map_err(io)
        })?;
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</body>\n</html>\n");
    w.write_all(out.as_bytes()).map_err(io)
}

/// The widths of the hazard list's columns, in percent of the page width.
const LIST_COLUMNS: [u8; 9] = [14, 9, 13, 18, 7, 11, 8, 9, 11];

fn hazard_table_head(out: &mut String, lang: Lang) {
    let c = lang.cat();
    let k = c.report.rp_columns;
    out.push_str("<table class=\"list\">\n<colgroup>");
    // Number, found, place, description, severity, party, deadline, status, notes: 100%.
    for w in LIST_COLUMNS {
        let _ = write!(out, "<col style=\"width:{w}%\">");
    }
    out.push_str("</colgroup>\n<thead><tr>");
    for h in [k[1], k[2], k[5], k[8], k[10], k[11], k[14], k[15], k[19]] {
        let _ = write!(out, "<th>{}</th>", e(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
}

/// One hazard's row of the list, and a row of its photos when it has any.
fn hazard_row(out: &mut String, h: &ReportHazard, photos: &[String], lang: Lang) {
    let c = lang.cat();
    let k = c.report.rp_columns;
    let class = if h.overdue { " class=\"overdue\"" } else { "" };
    let status = if h.overdue {
        format!(
            "<span class=\"status-overdue\">{}</span><br><span class=\"small\">{}</span>",
            e(&h.status_label(lang)),
            e(&(c.report.rp_days_overdue)(h.days_overdue))
        )
    } else {
        e(&h.status_label(lang))
    };
    let mut notes: Vec<String> = Vec::new();
    if h.recurrence > 0 {
        notes.push((c.report.rp_recurring)(h.recurrence));
    }
    if h.fixed_on_spot {
        notes.push(c.report.rp_s_fixed_on_spot.to_string());
    }
    if let Some(to) = h.escalated_to.as_deref().filter(|t| !t.is_empty()) {
        notes.push(format!("{}{}{to}", k[18], c.report.rp_colon));
    }
    let actions = h.actions_label(lang);
    if !actions.is_empty() {
        notes.push(actions);
    }
    let notes: Vec<String> = notes.iter().map(|n| e(n)).collect();
    let _ = writeln!(
        out,
        "<tr{class}><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}<br><span class=\"small\">{}</span></td>\
         <td class=\"place\">{}</td><td class=\"desc\"><span class=\"small\">{} {}</span><br>{}</td><td class=\"nowrap\">{}</td>\
         <td>{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{status}</td><td class=\"small notes\">{}</td></tr>",
        e(&h.number),
        e(&h.found_label()).replacen(' ', "<br>", 1),
        e(&h.found_by),
        e(&h.place(lang)),
        e(&h.item_id),
        e(&c.category(&h.category)),
        e(&h.description),
        e(c.severity(h.severity)),
        party_cell(h),
        e(&h.deadline_label(lang)),
        notes.join("<br>"),
    );
    if !photos.is_empty() {
        let _ = write!(
            out,
            "<tr class=\"photos\"><td></td><td colspan=\"8\"><span class=\"small\">{}</span><br>",
            e(c.people.photos_label)
        );
        for url in photos {
            let _ = write!(
                out,
                "<img class=\"thumb\" style=\"height: 24mm; width: auto; margin: 0.5mm 1.5mm 0.5mm 0; border: 0.4pt solid #777;\" src=\"{}\" alt=\"\">",
                e(url)
            );
        }
        out.push_str("</td></tr>\n");
    }
}

/// Name and room, then the phone number on a line of its own (never split).
fn party_cell(h: &ReportHazard) -> String {
    let who = [h.party_name.as_str(), h.party_room.as_str()]
        .iter()
        .filter(|x| !x.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    match (who.is_empty(), h.party_phone.is_empty()) {
        (_, true) => e(&who),
        (true, false) => format!("<span class=\"nowrap\">{}</span>", e(&h.party_phone)),
        (false, false) => format!(
            "{}<br><span class=\"nowrap small\">{}</span>",
            e(&who),
            e(&h.party_phone)
        ),
    }
}

fn figure(out: &mut String, class: &str, caption: &str, svg: &str) {
    let class = if class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{class}\"")
    };
    let _ = writeln!(
        out,
        "<figure{class}>\n<figcaption>{}</figcaption>\n{svg}\n</figure>",
        e(caption)
    );
}

/// A horizontal bar chart: one labelled bar per entry, the value written beside it.
fn bars(data: &[(String, i64)], lang: Lang) -> String {
    let c = lang.cat();
    if data.is_empty() {
        return format!("<p class=\"muted\">{}</p>", e(c.report.rp_none));
    }
    let (w, label_w, bar_h, gap) = (340.0, 128.0, 15.0, 5.0);
    let max = data.iter().map(|d| d.1).max().unwrap_or(1).max(1) as f64;
    let h = data.len() as f64 * (bar_h + gap) + gap;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" \
         font-size=\"11\" font-family=\"sans-serif\">"
    );
    let room = w - label_w - 34.0;
    for (k, (label, n)) in data.iter().enumerate() {
        let y = gap + k as f64 * (bar_h + gap);
        let len = (*n as f64 / max * room).max(1.0);
        let label = crate::domain::text::fit(label, 22);
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{len:.1}\" height=\"{bar_h}\" fill=\"#35618f\"/>\
             <text x=\"{:.1}\" y=\"{}\">{n}</text>",
            label_w - 4.0,
            y + bar_h - 3.5,
            e(&label),
            label_w + len + 4.0,
            y + bar_h - 3.5,
        );
    }
    s.push_str("</svg>");
    s
}

/// Found and rectified per day: two bars a day, the rectified ones hatched (so the two can
/// be told apart without colour), with the totals in the legend.
fn trend(r: &Report, lang: Lang) -> String {
    let c = lang.cat();
    let days = &r.charts.daily;
    if days.is_empty() {
        return format!("<p class=\"muted\">{}</p>", e(c.report.rp_none));
    }
    let (w, h, left, top, bottom) = (700.0, 170.0, 28.0, 26.0, 22.0);
    let plot_h = h - top - bottom;
    let max = days
        .iter()
        .map(|d| d.found.max(d.rectified))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let slot = (w - left - 6.0) / days.len() as f64;
    let bw = (slot / 2.0 - 1.0).max(1.0);
    let found_total: i64 = days.iter().map(|d| d.found).sum();
    let fixed_total: i64 = days.iter().map(|d| d.rectified).sum();
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" \
         font-size=\"11\" font-family=\"sans-serif\">\
         <defs><pattern id=\"hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"4\" height=\"4\" fill=\"#ffffff\"/>\
         <rect width=\"2\" height=\"4\" fill=\"#2c7a4b\"/></pattern></defs>\
         <rect x=\"{left}\" y=\"6\" width=\"12\" height=\"10\" fill=\"#b03a2e\"/>\
         <text x=\"{}\" y=\"15\">{}</text>\
         <rect x=\"{}\" y=\"6\" width=\"12\" height=\"10\" fill=\"url(#hatch)\" stroke=\"#2c7a4b\"/>\
         <text x=\"{}\" y=\"15\">{}</text>",
        left + 16.0,
        e(&(c.t_found_per_day)(found_total)),
        left + 150.0,
        left + 166.0,
        e(&(c.t_fixed_per_day)(fixed_total)),
    );
    // Axis and grid lines with their values.
    let base = top + plot_h;
    let step = (max / 4.0).ceil().max(1.0);
    let mut v = 0.0;
    while v <= max {
        let y = base - v / max * plot_h;
        let _ = write!(
            s,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{v}</text>",
            w - 4.0,
            left - 4.0,
            y + 4.0
        );
        v += step;
    }
    for (k, d) in days.iter().enumerate() {
        let x = left + k as f64 * slot + 1.0;
        for (n, fill, dx) in [(d.found, "#b03a2e", 0.0), (d.rectified, "url(#hatch)", bw)] {
            if n > 0 {
                let bh = n as f64 / max * plot_h;
                let _ = write!(
                    s,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{bh:.1}\" fill=\"{fill}\" \
                     stroke=\"{}\" stroke-width=\"0.5\"/>",
                    x + dx,
                    base - bh,
                    if dx > 0.0 { "#2c7a4b" } else { "#b03a2e" }
                );
            }
        }
        if k % 5 == 0 || k + 1 == days.len() {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x + bw,
                h - 6.0,
                e(d.day.get(5..).unwrap_or(&d.day))
            );
        }
    }
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"#333\"/></svg>",
        w - 4.0
    );
    s
}
