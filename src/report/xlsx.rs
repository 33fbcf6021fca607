//! `xlsx`: a workbook with a summary sheet and a ledger sheet (隐患台账). The ledger has a
//! frozen header, an autofilter, real date cells (found time and deadline), column widths
//! that fit Chinese text (a CJK character counts as two), and overdue rows highlighted; the
//! status column says 逾期 in words, so colour is never the only sign.
//!
//! Every text is written as a string cell, never as a formula. A text that a spreadsheet
//! would take for a formula (`= + - @`, tab or CR first) also gets Excel's quote prefix, so
//! it stays text even when someone edits the cell.

use super::{Lists, Report};
use crate::domain::text::width;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use chrono::{Datelike, NaiveDate, Timelike};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

/// Light red fill of an overdue row.
const OVERDUE_FILL: u32 = 0xF8D7DA;
const HEADER_FILL: u32 = 0xDDE4EE;
/// Widest a column gets (in Excel's character units); longer text wraps.
const MAX_WIDTH: usize = 46;

fn xerr(e: XlsxError) -> Error {
    Error::Xlsx(e.to_string())
}

/// Does a spreadsheet take this text for a formula?
fn formula_like(s: &str) -> bool {
    matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

struct Formats {
    header: Format,
    title: Format,
    bold: Format,
}

fn cell_format(overdue: bool, quote: bool, wrap: bool, num_format: Option<&str>) -> Format {
    let mut f = Format::new()
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xBBBBBB))
        .set_align(FormatAlign::Top);
    if overdue {
        f = f.set_background_color(Color::RGB(OVERDUE_FILL));
    }
    if quote {
        f = f.set_quote_prefix();
    }
    if wrap {
        f = f.set_text_wrap();
    }
    if let Some(n) = num_format {
        f = f.set_num_format(n);
    }
    f
}

/// Write text as a string cell (with the quote prefix when it looks like a formula).
fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str, f: &Format) -> Result<()> {
    let f = if formula_like(s) {
        f.clone().set_quote_prefix()
    } else {
        f.clone()
    };
    ws.write_string_with_format(row, col, s, &f).map_err(xerr)?;
    Ok(())
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).ok()?,
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()
}

fn excel_stamp(stamp: &str) -> Option<ExcelDateTime> {
    let t = crate::domain::clock::parse_stamp(stamp)?;
    excel_date(t.date_naive())?
        .and_hms(
            u16::try_from(t.hour()).ok()?,
            u8::try_from(t.minute()).ok()?,
            f64::from(t.second()),
        )
        .ok()
}

/// Column widths from the widest text (CJK counts as two), within limits.
struct Widths(Vec<usize>);

impl Widths {
    fn new(n: usize) -> Widths {
        Widths(vec![6; n])
    }
    fn see(&mut self, col: usize, s: &str) {
        if let Some(w) = self.0.get_mut(col) {
            *w = (*w).max(width(s) + 2).min(MAX_WIDTH);
        }
    }
    fn apply(&self, ws: &mut Worksheet) -> Result<()> {
        for (k, w) in self.0.iter().enumerate() {
            ws.set_column_width(k as u16, *w as f64).map_err(xerr)?;
        }
        Ok(())
    }
}

/// Write the workbook to `out`. The ledger sheet is a constant-memory worksheet: its rows
/// go to a temporary file as they are read, so memory stays flat for any number.
pub fn write<W: std::io::Write + std::io::Seek + Send>(
    r: &Report,
    lists: &dyn Lists,
    lang: Lang,
    out: W,
) -> Result<()> {
    let c = lang.cat();
    let mut wb = Workbook::new();
    // A fixed creation time (the report's) keeps the file the same for the same report.
    if let Some(t) = excel_stamp(&r.generated_at) {
        wb.set_properties(
            &DocProperties::new()
                .set_title((c.report.rp_title)(&r.community))
                .set_creation_datetime(&t),
        );
    }
    let f = Formats {
        header: Format::new()
            .set_bold()
            .set_background_color(Color::RGB(HEADER_FILL))
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top),
        title: Format::new().set_bold().set_font_size(14),
        bold: Format::new().set_bold(),
    };
    summary_sheet(wb.add_worksheet(), r, lang, &f)?;
    let ws = wb.add_worksheet_with_constant_memory().map_err(xerr)?;
    ledger_sheet(ws, lists, lang, &f)?;
    wb.save_to_writer(out).map_err(xerr)
}

fn summary_sheet(ws: &mut Worksheet, r: &Report, lang: Lang, f: &Formats) -> Result<()> {
    let c = lang.cat();
    ws.set_name(c.report.rp_sheet_summary).map_err(xerr)?;
    ws.set_paper_size(9); // A4
    let plain = cell_format(false, false, false, None);
    let date = cell_format(false, false, false, Some("yyyy-mm-dd"));
    let mut w = Widths::new(7);
    let mut row = 0u32;
    let title = (c.report.rp_title)(&r.community);
    text(ws, row, 0, &title, &f.title)?;
    row += 2;
    let mut meta = vec![
        (c.report.rp_period, r.period()),
        (c.report.rp_generated, super::time_label(&r.generated_at)),
    ];
    let filters = r.filters_label(lang);
    if !filters.is_empty() {
        meta.push((c.report.rp_filters, filters));
    }
    for (k, v) in meta {
        text(ws, row, 0, k, &f.bold)?;
        text(ws, row, 1, &v, &Format::new())?;
        w.see(0, k);
        row += 1;
    }
    if r.redacted {
        text(ws, row, 0, c.report.rp_redacted, &f.bold)?;
        row += 1;
    }
    row += 1;

    text(ws, row, 0, c.report.rp_summary, &f.bold)?;
    row += 1;
    text(ws, row, 0, c.report.rp_item_col, &f.header)?;
    text(ws, row, 1, c.report.rp_count_col, &f.header)?;
    row += 1;
    let mut lines: Vec<(String, i64)> = Vec::new();
    let s = &r.summary;
    for (k, (label, _)) in super::md::summary_rows(r, lang).into_iter().enumerate() {
        let v = [
            s.buildings_patrolled,
            s.buildings_planned,
            s.items_checked,
            s.hazards_found,
            s.fixed_on_spot,
            s.rectified,
            s.extended,
            s.escalated,
            s.recurring,
            s.still_open,
            s.overdue_carried,
        ];
        lines.push((label, v.get(k).copied().unwrap_or(0)));
        if k == 3 {
            for x in &s.by_severity {
                lines.push((format!("  {}", c.severity(x.severity)), x.count));
            }
            for x in &s.by_category {
                lines.push((format!("  {}", c.category(&x.category)), x.count));
            }
        }
    }
    for (label, v) in &lines {
        text(ws, row, 0, label, &plain)?;
        ws.write_number_with_format(row, 1, *v as f64, &plain)
            .map_err(xerr)?;
        w.see(0, label);
        row += 1;
    }
    row += 1;

    text(ws, row, 0, c.report.rp_leaders, &f.bold)?;
    row += 1;
    for (k, h) in c.report.rp_leader_columns.iter().enumerate() {
        text(ws, row, k as u16, h, &f.header)?;
        w.see(k, h);
    }
    row += 1;
    for l in &r.leaders {
        text(ws, row, 0, &l.name, &plain)?;
        w.see(0, &l.name);
        match NaiveDate::parse_from_str(&l.day, "%Y-%m-%d")
            .ok()
            .and_then(excel_date)
        {
            Some(d) => {
                ws.write_datetime_with_format(row, 1, &d, &date)
                    .map_err(xerr)?;
            }
            None => text(ws, row, 1, &l.day, &plain)?,
        }
        w.see(1, "2026-11-20");
        text(ws, row, 2, &super::clock_label(&l.first), &plain)?;
        text(ws, row, 3, &super::clock_label(&l.last), &plain)?;
        for (k, v) in [(4u16, l.minutes), (5, l.buildings), (6, l.items)] {
            ws.write_number_with_format(row, k, v as f64, &plain)
                .map_err(xerr)?;
        }
        row += 1;
    }
    row += 1;

    text(ws, row, 0, c.report.rp_buildings, &f.bold)?;
    row += 1;
    for (k, h) in c.report.rp_building_columns.iter().enumerate() {
        text(ws, row, k as u16, h, &f.header)?;
        w.see(k, h);
    }
    row += 1;
    for b in &r.buildings {
        let name = b.display_name();
        let leaders = b.leaders.join(c.report.rp_list_sep);
        text(ws, row, 0, &name, &plain)?;
        text(ws, row, 1, &b.grid, &plain)?;
        text(ws, row, 2, &leaders, &plain)?;
        text(
            ws,
            row,
            3,
            &(c.report.rp_units_of)(b.units_visited, b.units),
            &plain,
        )?;
        ws.write_number_with_format(row, 4, b.items_checked as f64, &plain)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 5, b.hazards_found as f64, &plain)
            .map_err(xerr)?;
        w.see(0, &name);
        w.see(1, &b.grid);
        w.see(2, &leaders);
        row += 1;
    }
    w.apply(ws)
}

fn ledger_sheet(ws: &mut Worksheet, lists: &dyn Lists, lang: Lang, f: &Formats) -> Result<()> {
    let c = lang.cat();
    ws.set_name(c.report.rp_sheet_ledger).map_err(xerr)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0).map_err(xerr)?;
    let cols = c.report.rp_columns;
    let mut w = Widths::new(cols.len());
    for (k, h) in cols.iter().enumerate() {
        text(ws, 0, k as u16, h, &f.header)?;
        // Headers may wrap: count half of them, at least the first word.
        w.see(k, &h.chars().take(6).collect::<String>());
    }
    // Columns that wrap long text.
    let wraps = [5usize, 8, 9, 19];
    let mut row = 0u32;
    lists.each_all(&mut |section, h| {
        row += 1;
        let od = h.overdue;
        let cells = super::csv::row(section, h, lang);
        for (col, value) in cells.iter().enumerate() {
            let col16 = col as u16;
            match col {
                2 if let Some(t) = excel_stamp(&h.found_at) => {
                    ws.write_datetime_with_format(
                        row,
                        col16,
                        &t,
                        &cell_format(od, false, false, Some("yyyy-mm-dd hh:mm")),
                    )
                    .map_err(xerr)?;
                    w.see(col, "2026-11-20 09:00");
                    continue;
                }
                14 if let Some(d) = NaiveDate::parse_from_str(&h.deadline, "%Y-%m-%d")
                    .ok()
                    .and_then(excel_date) =>
                {
                    ws.write_datetime_with_format(
                        row,
                        col16,
                        &d,
                        &cell_format(od, false, false, Some("yyyy-mm-dd")),
                    )
                    .map_err(xerr)?;
                    w.see(col, "2026-11-20");
                    continue;
                }
                16 | 17 => {
                    let n = if col == 16 {
                        h.days_overdue
                    } else {
                        h.recurrence
                    };
                    ws.write_number_with_format(
                        row,
                        col16,
                        n as f64,
                        &cell_format(od, false, false, None),
                    )
                    .map_err(xerr)?;
                    continue;
                }
                _ => {}
            }
            let wrap = wraps.contains(&col);
            text(ws, row, col16, value, &cell_format(od, false, wrap, None))?;
            w.see(col, value);
        }
        Ok(())
    })?;
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    let last = row;
    ws.autofilter(0, 0, last, (cols.len() - 1) as u16)
        .map_err(xerr)?;
    w.apply(ws)
}
