//! The monthly summary as one printable A4 page: key figures with last month beside them,
//! bar charts drawn with CSS (no script, print-safe), and a table per breakdown. Every value
//! from the database is escaped.

use super::html::{BASE_CSS, CSP};
use super::summary::{Line, MonthSummary, delta, line_name, pct_text, spot_place};
use crate::export::html_escape as e;
use crate::i18n::Lang;
use std::fmt::Write as _;

const CSS: &str = r#"
body { font-size: 9.5pt; }
table.t { table-layout: fixed; font-size: 8.3pt; line-height: 1.3; margin-bottom: 2mm; }
table.t th { font-size: 7.4pt; padding: 0.7mm 0.5mm; text-align: center; vertical-align: bottom;
             overflow-wrap: normal; hyphens: auto; }
table.t td { padding: 0.6mm 0.8mm; }
table.t td.name { overflow-wrap: anywhere; }
tr.total td { font-weight: bold; background: #f3f3f3; }
.bar { display: inline-block; height: 2.6mm; background: #4a6fa5; vertical-align: middle; }
.bar.prev { background: #b9c4d4; }
.bar.warn { background: #c0392b; }
.bars td { border: none; padding: 0.4mm 1mm; }
.bars td.lbl { width: 34mm; }
.bars td.n { width: 16mm; text-align: right; }
.kpi { display: grid; grid-template-columns: repeat(4, 1fr); gap: 1.5mm; margin: 2mm 0; }
.kpi div { border: 0.6pt solid #777; padding: 1mm 1.5mm; break-inside: avoid; }
.kpi b { display: block; font-size: 13pt; }
.kpi span { font-size: 8pt; color: #444; }
.notes { font-size: 8pt; color: #444; }
section { break-inside: auto; }
"#;

fn num(l: i64) -> String {
    l.to_string()
}

fn hours(h: Option<f64>) -> String {
    h.map(|h| format!("{h:.1}")).unwrap_or_else(|| "—".into())
}

/// A CSS bar `n` of `max`, at most `mm` wide.
fn bar(n: f64, max: f64, mm: f64, class: &str) -> String {
    let w = if max > 0.0 { n / max * mm } else { 0.0 };
    format!(r#"<span class="bar {class}" style="width:{w:.1}mm"></span>"#)
}

fn patrol_table(
    out: &mut String,
    lines: &[Line],
    total: &Line,
    lang: Lang,
    head: &str,
    leader: bool,
    with_grid: bool,
) {
    let w = &lang.cat().summary;
    let grid_col = if with_grid {
        r#"<col style="width:22mm">"#
    } else {
        ""
    };
    let _ = write!(
        out,
        r#"<table class="t"><colgroup><col style="width:42mm">{grid_col}<col><col><col><col style="width:30mm"><col><col></colgroup><thead><tr><th>{}</th>{}<th>{}</th><th>{}</th><th>{}</th><th></th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
        e(head),
        if with_grid {
            format!("<th>{}</th>", e(w.grid))
        } else {
            String::new()
        },
        e(w.planned),
        e(w.patrolled),
        e(w.coverage),
        e(w.visits),
        e(w.checks),
    );
    let row = |out: &mut String, l: &Line, name: String, class: &str| {
        let cov = l.coverage_pct.unwrap_or(0.0);
        let _ = write!(
            out,
            r#"<tr class="{class}"><td class="name">{}</td>{}<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            e(&name),
            if with_grid {
                format!(r#"<td class="name">{}</td>"#, e(&l.grid))
            } else {
                String::new()
            },
            num(l.buildings_planned),
            num(l.buildings_patrolled),
            pct_text(l.coverage_pct),
            bar(
                cov.min(100.0),
                100.0,
                28.0,
                if cov < 60.0 { "warn" } else { "" }
            ),
            num(l.visits),
            num(l.checks),
        );
    };
    for l in lines {
        row(out, l, line_name(l, lang, leader), "");
    }
    row(out, total, w.total.to_string(), "total");
    out.push_str("</tbody></table>");
}

fn hazard_table(
    out: &mut String,
    lines: &[Line],
    total: &Line,
    lang: Lang,
    head: &str,
    leader: bool,
) {
    let c = lang.cat();
    let w = &c.summary;
    let heads = [
        w.found,
        c.sev_critical,
        c.sev_high,
        c.sev_medium,
        c.sev_low,
        w.on_spot,
        w.in_time,
        w.late,
        w.still_open,
        w.overdue,
        w.escalated,
        w.response_avg,
        w.recurring,
        w.recurrence_rate,
    ];
    let _ = write!(
        out,
        r#"<table class="t"><colgroup><col style="width:34mm">{}</colgroup><thead><tr><th>{}</th>"#,
        "<col>".repeat(heads.len()),
        e(head)
    );
    for h in heads {
        let _ = write!(out, "<th>{}</th>", e(h));
    }
    out.push_str("</tr></thead><tbody>");
    let row = |out: &mut String, l: &Line, name: String, class: &str| {
        let h = &l.hazards;
        let _ = write!(
            out,
            r#"<tr class="{class}"><td class="name">{}</td>"#,
            e(&name)
        );
        for v in [
            num(h.found),
            num(h.by_severity[3]),
            num(h.by_severity[2]),
            num(h.by_severity[1]),
            num(h.by_severity[0]),
            num(h.fixed_on_spot),
            num(h.rectified_in_time),
            num(h.rectified_late),
            num(h.still_open),
            num(h.overdue),
            num(l.escalated),
            hours(l.answer_hours_avg),
            num(h.recurring),
            pct_text(l.recurrence_pct),
        ] {
            let _ = write!(out, r#"<td class="num">{v}</td>"#);
        }
        out.push_str("</tr>");
    };
    for l in lines {
        row(out, l, line_name(l, lang, leader), "");
    }
    row(out, total, w.total.to_string(), "total");
    out.push_str("</tbody></table>");
}

/// The summary as a self-contained HTML page.
pub fn render(s: &MonthSummary, lang: Lang) -> String {
    let c = lang.cat();
    let w = &c.summary;
    let t = &s.total;
    let p = &s.previous;
    let month = (w.month)(&s.month, &s.to, s.partial());
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{CSP}"><title>{} {}</title><style>{BASE_CSS}{CSS}</style></head><body>"#,
        if lang.is_zh() { "zh-CN" } else { "en" },
        e(w.title),
        e(&month),
    );
    let _ = write!(
        out,
        r#"<h1>{}</h1><p><b>{}</b> · {}</p><p class="muted">{}</p>"#,
        e(w.title),
        e(&super::summary::community_label(s, lang)),
        e(&month),
        e(&(w.generated)(&s.generated_at))
    );
    // Key figures.
    let _ = write!(out, "<h2>{}</h2><div class=\"kpi\">", e(w.key_figures));
    for (label, now, before) in [
        (
            w.patrolled,
            format!("{} / {}", t.buildings_patrolled, t.buildings_planned),
            pct_text(t.coverage_pct),
        ),
        (
            w.found,
            num(t.hazards.found),
            format!(
                "{} {} ({})",
                w.last_month,
                p.hazards.found,
                delta(t.hazards.found, p.hazards.found)
            ),
        ),
        (
            w.still_open,
            num(t.hazards.still_open),
            format!("{} {}", w.overdue, t.hazards.overdue),
        ),
        (
            w.recurrence_rate,
            pct_text(t.recurrence_pct),
            format!("{} {}", w.last_month, pct_text(p.recurrence_pct)),
        ),
    ] {
        let _ = write!(
            out,
            "<div><span>{}</span><b>{}</b><span>{}</span></div>",
            e(label),
            e(&now),
            e(&before)
        );
    }
    out.push_str("</div>");
    // This month beside last month, with bars.
    let rows: [(&str, i64, i64); 12] = [
        (w.visits, t.visits, p.visits),
        (w.checks, t.checks, p.checks),
        (w.found, t.hazards.found, p.hazards.found),
        (w.on_spot, t.hazards.fixed_on_spot, p.hazards.fixed_on_spot),
        (
            w.in_time,
            t.hazards.rectified_in_time,
            p.hazards.rectified_in_time,
        ),
        (w.late, t.hazards.rectified_late, p.hazards.rectified_late),
        (w.still_open, t.hazards.still_open, p.hazards.still_open),
        (w.overdue, t.hazards.overdue, p.hazards.overdue),
        (w.escalated, t.escalated, p.escalated),
        (w.responded, t.office_answered, p.office_answered),
        (w.recurring, t.hazards.recurring, p.hazards.recurring),
        (w.patrolled, t.buildings_patrolled, p.buildings_patrolled),
    ];
    let _ = write!(
        out,
        r#"<table class="t"><colgroup><col style="width:40mm"><col style="width:20mm"><col style="width:20mm"><col style="width:18mm"><col></colgroup><thead><tr><th></th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead><tbody>"#,
        e(w.this_month),
        e(w.last_month),
        e(w.change)
    );
    for (label, now, before) in rows {
        let max = now.max(before) as f64;
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td class="num">{now}</td><td class="num">{before}</td><td class="num">{}</td><td>{}<br>{}</td></tr>"#,
            e(label),
            delta(now, before),
            bar(now as f64, max, 60.0, ""),
            bar(before as f64, max, 60.0, "prev"),
        );
    }
    let _ = write!(
        out,
        r#"<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td><td></td><td></td></tr></tbody></table>"#,
        e(w.response_avg),
        hours(t.answer_hours_avg),
        hours(p.answer_hours_avg)
    );
    // Severity and category bars.
    let _ = write!(out, "<h2>{}</h2><table class=\"bars\">", e(w.by_severity));
    let max = t.hazards.by_severity.iter().copied().max().unwrap_or(0) as f64;
    for sev in crate::domain::Severity::ALL.iter().rev() {
        let n = t.hazards.by_severity[*sev as usize];
        let _ = write!(
            out,
            r#"<tr><td class="lbl">{}</td><td class="n">{n}</td><td>{}</td></tr>"#,
            e(c.severity(*sev)),
            bar(
                n as f64,
                max,
                110.0,
                if *sev == crate::domain::Severity::Critical {
                    "warn"
                } else {
                    ""
                }
            )
        );
    }
    out.push_str("</table>");
    let _ = write!(out, "<h2>{}</h2><table class=\"bars\">", e(w.by_category));
    let max = s
        .categories
        .iter()
        .map(|k| k.found.max(k.last_month))
        .max()
        .unwrap_or(0) as f64;
    for k in &s.categories {
        let _ = write!(
            out,
            r#"<tr><td class="lbl">{}</td><td class="n">{} <span class="muted">({})</span></td><td>{}<br>{}</td></tr>"#,
            e(&c.category(&k.category)),
            k.found,
            k.last_month,
            bar(k.found as f64, max, 110.0, ""),
            bar(k.last_month as f64, max, 110.0, "prev"),
        );
    }
    let _ = write!(
        out,
        r#"</table><p class="notes"><span class="bar" style="width:6mm"></span> {} &nbsp; <span class="bar prev" style="width:6mm"></span> {}</p>"#,
        e(w.this_month),
        e(w.last_month)
    );
    // Breakdowns.
    for (title, lines, leader, with_grid) in [
        (w.by_grid, &s.grids, false, false),
        (w.by_compound, &s.compounds, false, true),
        (w.by_leader, &s.leaders, true, false),
    ] {
        let head = if leader {
            w.leader
        } else if with_grid {
            w.compound
        } else {
            w.grid
        };
        let _ = write!(
            out,
            "<section><h2>{} · {}</h2>",
            e(title),
            e(w.patrols_part)
        );
        patrol_table(&mut out, lines, t, lang, head, leader, with_grid);
        let _ = write!(out, "<h2>{} · {}</h2>", e(title), e(w.hazards_part));
        hazard_table(&mut out, lines, t, lang, head, leader);
        out.push_str("</section>");
    }
    // Recurring places.
    let _ = write!(out, "<h2>{}</h2>", e(w.recurring_spots));
    if s.recurring_spots.is_empty() {
        let _ = write!(out, "<p>{}</p>", e(w.no_recurring));
    } else {
        let _ = write!(
            out,
            r#"<table class="t"><colgroup><col style="width:8mm"><col><col style="width:22mm"><col style="width:30mm"><col style="width:16mm"></colgroup><thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
            e(w.place),
            e(w.grid),
            e(w.category),
            e(w.times)
        );
        for (k, r) in s.recurring_spots.iter().enumerate() {
            let _ = write!(
                out,
                r#"<tr><td class="num">{}</td><td class="name">{} <span class="muted">{}</span></td><td>{}</td><td>{}</td><td class="num">{}</td></tr>"#,
                k + 1,
                e(&spot_place(r, lang)),
                e(&r.item_id),
                e(&r.grid),
                e(&c.category(&r.category)),
                r.times
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("<div class=\"notes\">");
    for n in w.notes {
        let _ = write!(out, "<p>{}</p>", e(n));
    }
    out.push_str("</div></body></html>\n");
    out
}
