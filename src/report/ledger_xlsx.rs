//! The whole hazard ledger as a spreadsheet, streamed: rows are written as they are read from
//! the database (rust_xlsxwriter's constant-memory worksheet), so memory stays flat for a
//! district's hundreds of thousands of hazards. `firepatrol hazards --format xlsx --out PATH`.

use crate::domain::text::width;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::store::{HazardRow, LedgerFilter, Store};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};

fn xerr(e: XlsxError) -> Error {
    Error::Xlsx(e.to_string())
}

fn date_cell(s: &str) -> Option<ExcelDateTime> {
    let d = crate::domain::day::parse_stored(s.get(..10)?)?;
    use chrono::Datelike;
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).ok()?,
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()
}

/// A stored time (`2026-11-20T08:30:00+08:00`) as a date-time cell, at the local time it was
/// recorded.
fn datetime_cell(s: &str) -> Option<ExcelDateTime> {
    let t = chrono::DateTime::parse_from_rfc3339(s.trim()).ok()?;
    use chrono::Timelike;
    date_cell(s)?
        .and_hms(
            u16::try_from(t.hour()).ok()?,
            u8::try_from(t.minute()).ok()?,
            u8::try_from(t.second()).ok()?,
        )
        .ok()
}

/// What a ledger cell holds in the spreadsheet.
enum Cell {
    DateTime(ExcelDateTime),
    Date(ExcelDateTime),
    Number(f64),
    /// Text a spreadsheet would run as a formula: stored with Excel's quote prefix, so it is
    /// shown and kept as the text it is.
    FormulaLike,
    Text,
}

fn cell_of(column: usize, v: &str) -> Cell {
    // The ledger's columns: found at (1), deadline (11), days overdue (13), recurrences (14).
    let typed = match column {
        1 => datetime_cell(v).map(Cell::DateTime),
        11 => date_cell(v).map(Cell::Date),
        13 | 14 => v.parse::<f64>().ok().map(Cell::Number),
        _ => None,
    };
    typed.unwrap_or_else(|| {
        if crate::export::neutralize(v) != v {
            Cell::FormulaLike
        } else {
            Cell::Text
        }
    })
}

/// Write the ledger rows matching `filter` as an .xlsx file to `out` (a file opened for
/// writing). `row_of` gives the text cells of a row in the order of `columns`. Returns the
/// number of rows.
pub fn write(
    store: &Store,
    filter: &LedgerFilter,
    lang: Lang,
    columns: &[&str],
    row_of: impl Fn(&HazardRow) -> Vec<String>,
    out: &mut std::fs::File,
) -> Result<usize> {
    let c = lang.cat();
    let today = store.clock.today();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().map_err(xerr)?;
    ws.set_name(c.report.rp_sheet_ledger).map_err(xerr)?;
    let header = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin)
        .set_background_color("D9D9D9");
    let plain = Format::new();
    let overdue = Format::new().set_background_color("F8D7DA").set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let date_overdue = overdue.clone().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let time_overdue = overdue.clone().set_num_format("yyyy-mm-dd hh:mm");
    let quoted = plain.clone().set_quote_prefix();
    let quoted_overdue = overdue.clone().set_quote_prefix();
    // Column widths that fit Chinese text: CJK counts two.
    let mut widths: Vec<usize> = columns.iter().map(|h| width(h) + 2).collect();
    for (k, h) in columns.iter().enumerate() {
        ws.write_string_with_format(0, k as u16, *h, &header)
            .map_err(xerr)?;
    }
    let mut row = 0u32;
    store.ledger_each(filter, |h| {
        row += 1;
        let late = h.days_overdue(today) > 0;
        for (k, v) in row_of(h).iter().enumerate() {
            if let Some(w) = widths.get_mut(k) {
                *w = (*w).max(width(v).min(60) + 2);
            }
            let col = k as u16;
            let pick = |on_time, when_late| if late { when_late } else { on_time };
            match cell_of(k, v) {
                Cell::DateTime(d) => {
                    ws.write_datetime_with_format(row, col, d, pick(&time, &time_overdue))
                }
                Cell::Date(d) => {
                    ws.write_datetime_with_format(row, col, d, pick(&date, &date_overdue))
                }
                Cell::Number(n) => ws.write_number_with_format(row, col, n, pick(&plain, &overdue)),
                // Text stays text: a value like "=cmd|..." is a string, never a formula.
                Cell::FormulaLike => {
                    ws.write_string_with_format(row, col, v, pick(&quoted, &quoted_overdue))
                }
                Cell::Text => ws.write_string_with_format(row, col, v, pick(&plain, &overdue)),
            }
            .map_err(xerr)?;
        }
        Ok(())
    })?;
    for (k, w) in widths.iter().enumerate() {
        ws.set_column_width(k as u16, *w as f64).map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    if row > 0 {
        ws.autofilter(0, 0, row, columns.len().saturating_sub(1) as u16)
            .map_err(xerr)?;
    }
    wb.save_to_writer(out).map_err(xerr)?;
    Ok(row as usize)
}
