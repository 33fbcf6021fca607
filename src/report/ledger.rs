//! The hazard ledger (隐患台账) exported, as `firepatrol hazards` writes it: an aligned table
//! for the terminal, CSV for Excel, JSON for programs, or a spreadsheet ([`super::ledger_xlsx`]).
//! Rows are streamed: each is written as it is read, so memory stays flat for any size.

use crate::error::Result;
use crate::fsio::{export_error, stream_to_file};
use crate::i18n::Lang;
use crate::store::{HazardRow, LedgerFilter, Store};
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;

/// The forms the ledger is exported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LedgerFormat {
    Table,
    Json,
    Csv,
    /// A spreadsheet (needs --out): frozen header, autofilter, real dates, overdue rows marked
    Xlsx,
}

/// A ledger row as printed in JSON: the hazard and its days overdue on the day of the query.
#[derive(serde::Serialize)]
pub struct LedgerEntry<'a> {
    #[serde(flatten)]
    pub hazard: &'a HazardRow,
    pub days_overdue: i64,
}

impl<'a> LedgerEntry<'a> {
    pub fn new(hazard: &'a HazardRow, today: NaiveDate) -> LedgerEntry<'a> {
        LedgerEntry {
            hazard,
            days_overdue: hazard.days_overdue(today),
        }
    }
}

/// "新芙蓉之都 2栋 1单元 3楼" for lists.
pub fn place(lang: Lang, h: &HazardRow) -> String {
    let c = lang.cat();
    let mut s = if h.compound.is_empty() {
        h.building.clone()
    } else {
        format!("{} {}", h.compound, h.building)
    };
    if let Some(u) = h.unit {
        s.push(' ');
        s.push_str(&(c.unit_name)(u));
    }
    if !h.spot.is_empty() {
        s.push(' ');
        s.push_str(&h.spot);
    }
    s
}

/// A hazard's cells in the order of the catalogue's `ledger_columns` (CSV and xlsx rows, the
/// labelled lines of `firepatrol hazard`).
pub fn row(lang: Lang, h: &HazardRow, today: NaiveDate) -> Vec<String> {
    let c = lang.cat();
    vec![
        h.number.clone(),
        h.found_at.clone(),
        h.found_by.clone(),
        place(lang, h),
        h.item_id.clone(),
        c.category(&h.category),
        h.description.clone(),
        c.severity(h.severity).to_string(),
        h.party_name.clone(),
        h.party_room.clone(),
        h.party_phone.clone(),
        h.deadline.clone(),
        c.status(h.status).to_string(),
        h.days_overdue(today).to_string(),
        h.recurrence.to_string(),
        h.escalated_to.clone().unwrap_or_default(),
    ]
}

/// Write the ledger rows matching `filter` into the file `path` (0600, complete or not at
/// all; a device is written in place), in any format. Returns the number of rows.
pub fn write_file(
    store: &Store,
    filter: &LedgerFilter,
    lang: Lang,
    format: LedgerFormat,
    path: &Path,
) -> Result<usize> {
    if format == LedgerFormat::Xlsx {
        let today = store.clock.today();
        let columns = lang.cat().ledger_columns;
        // The workbook is made in a private temporary file and then moved (or, for a device or
        // pipe, copied) to `path`: the zip writer never meets a full disk half-way.
        let mut n = 0;
        crate::fsio::write_through_temp(path, |tmp| {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(tmp)
                .map_err(|e| export_error(path, e))?;
            n = super::ledger_xlsx::write(
                store,
                filter,
                lang,
                columns,
                |h| row(lang, h, today),
                &mut f,
            )?;
            f.sync_all().map_err(|e| export_error(path, e))
        })?;
        return Ok(n);
    }
    stream_to_file(path, |f| {
        let mut w = std::io::BufWriter::new(f);
        write(store, filter, lang, format, &mut w, path)
    })
}

/// Write the ledger rows matching `filter` to `w` as a table, CSV or JSON; `path` names `w`
/// in errors ("-" for standard output). A spreadsheet needs a file ([`write_file`]): for
/// [`LedgerFormat::Xlsx`] nothing is written here. Returns the number of rows.
pub fn write(
    store: &Store,
    filter: &LedgerFilter,
    lang: Lang,
    format: LedgerFormat,
    w: &mut impl Write,
    path: &Path,
) -> Result<usize> {
    // Text leaves through the one writer that drops control and bidi characters.
    write_as(
        store,
        filter,
        lang,
        format,
        &mut crate::export::Neutral::new(w),
        path,
    )
}

fn write_as(
    store: &Store,
    filter: &LedgerFilter,
    lang: Lang,
    format: LedgerFormat,
    w: &mut impl Write,
    path: &Path,
) -> Result<usize> {
    let c = lang.cat();
    let today = store.clock.today();
    let io = |e: std::io::Error| export_error(path, e);
    let n = match format {
        LedgerFormat::Json => {
            w.write_all(b"[").map_err(io)?;
            let mut first = true;
            let n = store.ledger_each(filter, |h| {
                w.write_all(if first { b"\n" } else { b",\n" })
                    .map_err(io)?;
                first = false;
                serde_json::to_writer_pretty(&mut *w, &LedgerEntry::new(h, today))
                    .map_err(|e| io(e.into()))
            })?;
            w.write_all(b"\n]\n").map_err(io)?;
            n
        }
        LedgerFormat::Csv => {
            w.write_all(b"\xef\xbb\xbf").map_err(io)?;
            let mut csv = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut *w);
            let cell_err = |e: csv::Error| match e.into_kind() {
                csv::ErrorKind::Io(e) => io(e),
                k => io(std::io::Error::other(format!("{k:?}"))),
            };
            csv.write_record(
                c.ledger_columns
                    .iter()
                    .map(|h| crate::export::neutralize(h)),
            )
            .map_err(cell_err)?;
            let n = store.ledger_each(filter, |h| {
                csv.write_record(
                    row(lang, h, today)
                        .iter()
                        .map(|v| crate::export::neutralize(v)),
                )
                .map_err(cell_err)
            })?;
            csv.flush().map_err(io)?;
            n
        }
        LedgerFormat::Table => {
            use crate::domain::text::pad;
            let widths = [16, 24, 28, 8, 6, 10, 8, 6, 4];
            let head: Vec<String> = c
                .ledger_table_columns
                .iter()
                .zip(widths)
                .map(|(h, w)| pad(h, w))
                .collect();
            writeln!(w, "{}", head.join(" ").trim_end()).map_err(io)?;
            let n = store.ledger_each(filter, |h| {
                let cells = [
                    h.number.clone(),
                    place(lang, h),
                    // What the hazard is, not only the item's code.
                    h.description.clone(),
                    c.severity(h.severity).to_string(),
                    h.deadline.get(5..).unwrap_or(&h.deadline).to_string(),
                    c.status(h.status).to_string(),
                    match h.days_overdue(today) {
                        0 => String::new(),
                        d => d.to_string(),
                    },
                    if h.recurrence > 0 {
                        h.recurrence.to_string()
                    } else {
                        String::new()
                    },
                    String::new(),
                ];
                let line: Vec<String> = cells.iter().zip(widths).map(|(s, w)| pad(s, w)).collect();
                writeln!(w, "{}", line.join(" ").trim_end()).map_err(io)
            })?;
            writeln!(w, "{}", (c.ledger_total)(n)).map_err(io)?;
            n
        }
        LedgerFormat::Xlsx => 0,
    };
    w.flush().map_err(io)?;
    Ok(n)
}
