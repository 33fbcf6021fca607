//! The monthly summary as a workbook: an overview sheet (this month, last month, the change)
//! and one sheet per breakdown (grids, compounds, leaders, categories, recurring places).
//! Constant-memory worksheets: rows go to disk as they are written.

use super::summary::{Line, MonthSummary, line_name, spot_place};
use crate::domain::text::width;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};

fn xerr(e: XlsxError) -> Error {
    Error::Xlsx(e.to_string())
}

/// A cell: text (neutralised, never a formula) or a number.
enum Cell {
    T(String),
    N(f64),
    None,
}

fn sheet(
    wb: &mut Workbook,
    name: &str,
    heads: &[&str],
    rows: impl Iterator<Item = Vec<Cell>>,
) -> Result<()> {
    let ws: &mut Worksheet = wb.add_worksheet_with_constant_memory().map_err(xerr)?;
    // Excel allows 31 characters and no []:*?/\\ in a sheet name.
    let name: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    ws.set_name(name).map_err(xerr)?;
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Thin)
        .set_background_color("D9D9D9");
    let mut widths: Vec<usize> = heads.iter().map(|h| width(h).min(14) + 2).collect();
    for (k, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, k as u16, *h, &head)
            .map_err(xerr)?;
    }
    let mut r = 0u32;
    for row in rows {
        r += 1;
        for (k, v) in row.into_iter().enumerate() {
            let col = k as u16;
            match v {
                Cell::T(s) => {
                    if let Some(w) = widths.get_mut(k) {
                        *w = (*w).max(width(&s).min(50) + 2);
                    }
                    ws.write_string(r, col, crate::export::neutralize(&s))
                        .map_err(xerr)?;
                }
                Cell::N(n) => {
                    ws.write_number(r, col, n).map_err(xerr)?;
                }
                Cell::None => {}
            }
        }
    }
    for (k, w) in widths.iter().enumerate() {
        ws.set_column_width(k as u16, *w as f64).map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 1).map_err(xerr)?;
    Ok(())
}

fn n(v: i64) -> Cell {
    Cell::N(v as f64)
}
fn o(v: Option<f64>) -> Cell {
    v.map(Cell::N).unwrap_or(Cell::None)
}

fn line_cells(l: &Line, name: String, grid: Option<&str>) -> Vec<Cell> {
    let h = &l.hazards;
    let mut v = vec![Cell::T(name)];
    if let Some(g) = grid {
        v.push(Cell::T(g.to_string()));
    }
    v.extend([
        n(l.buildings_planned),
        n(l.buildings_patrolled),
        o(l.coverage_pct),
        n(l.visits),
        n(l.checks),
        n(h.found),
        n(h.by_severity[3]),
        n(h.by_severity[2]),
        n(h.by_severity[1]),
        n(h.by_severity[0]),
        n(h.fixed_on_spot),
        n(h.rectified_in_time),
        n(h.rectified_late),
        n(h.still_open),
        n(h.overdue),
        n(l.escalated),
        n(l.office_answered),
        o(l.answer_hours_avg),
        o(l.answer_hours_max),
        n(h.recurring),
        o(l.recurrence_pct),
    ]);
    v
}

/// Write the workbook into `out`.
pub fn write(s: &MonthSummary, lang: Lang, out: &mut dyn std::io::Write) -> Result<()> {
    let c = lang.cat();
    let w = &c.summary;
    let cov = format!("{} %", w.coverage);
    let rec = format!("{} %", w.recurrence_rate);
    let measures: Vec<&str> = vec![
        w.planned,
        w.patrolled,
        &cov,
        w.visits,
        w.checks,
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
        w.responded,
        w.response_avg,
        w.response_max,
        w.recurring,
        &rec,
    ];
    let mut wb = Workbook::new();
    // Overview: one line per measure, this month, last month, change.
    let mut heads = vec![""];
    heads.extend([w.this_month, w.last_month, w.change]);
    let now = line_cells(&s.total, String::new(), None);
    let before = line_cells(&s.previous, String::new(), None);
    let title = format!(
        "{} {} {}",
        w.title,
        super::summary::community_label(s, lang),
        (w.month)(&s.month, &s.to, s.partial())
    );
    let rows = measures
        .iter()
        .zip(now.into_iter().skip(1).zip(before.into_iter().skip(1)))
        .map(|(m, (a, b))| {
            let d = match (&a, &b) {
                (Cell::N(x), Cell::N(y)) => Cell::N(((x - y) * 10.0).round() / 10.0),
                _ => Cell::None,
            };
            vec![Cell::T((*m).to_string()), a, b, d]
        })
        .chain(std::iter::once(vec![Cell::T(title)]));
    sheet(&mut wb, w.sheet_overview, &heads, rows)?;
    for (name, lines, leader, with_grid) in [
        (w.by_grid, &s.grids, false, false),
        (w.by_compound, &s.compounds, false, true),
        (w.by_leader, &s.leaders, true, false),
    ] {
        let first = if leader {
            w.leader
        } else if with_grid {
            w.compound
        } else {
            w.grid
        };
        let mut heads = vec![first];
        if with_grid {
            heads.push(w.grid);
        }
        heads.extend(measures.iter().copied());
        let rows = lines
            .iter()
            .map(|l| {
                line_cells(
                    l,
                    line_name(l, lang, leader),
                    with_grid.then_some(l.grid.as_str()),
                )
            })
            .chain(std::iter::once(line_cells(
                &s.total,
                w.total.to_string(),
                with_grid.then_some(""),
            )));
        sheet(&mut wb, name, &heads, rows)?;
    }
    sheet(
        &mut wb,
        w.by_category,
        &[w.category, w.this_month, w.last_month],
        s.categories.iter().map(|k| {
            vec![
                Cell::T(c.category(&k.category)),
                n(k.found),
                n(k.last_month),
            ]
        }),
    )?;
    sheet(
        &mut wb,
        w.recurring_spots,
        &[w.place, w.item, w.grid, w.category, w.times],
        s.recurring_spots.iter().map(|r| {
            vec![
                Cell::T(spot_place(r, lang)),
                Cell::T(r.item_id.clone()),
                Cell::T(r.grid.clone()),
                Cell::T(c.category(&r.category)),
                n(r.times),
            ]
        }),
    )?;
    let mut buf = std::io::Cursor::new(Vec::new());
    wb.save_to_writer(&mut buf).map_err(xerr)?;
    out.write_all(buf.get_ref())
        .map_err(|e| Error::Xlsx(e.to_string()))
}
