//! `csv`: one row per hazard of the report (found, followed up, overdue), for Excel in
//! China: UTF-8 with a byte-order mark, headers in the interface language, every cell
//! neutralised against formulas. Rows are written as they are read.

use super::{Lists, ReportHazard, Section};
use crate::error::Result;
use crate::export::neutralize;
use crate::fsio::export_error;
use crate::i18n::Lang;
use std::io::Write;
use std::path::Path;

/// The header row (the interface language).
pub fn header(lang: Lang) -> Vec<String> {
    lang.cat()
        .report
        .rp_columns
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// One hazard's cells, in the order of `Catalogue::rp_columns`.
pub fn row(section: Section, h: &ReportHazard, lang: Lang) -> Vec<String> {
    let c = lang.cat();
    vec![
        section.label(lang).to_string(),
        h.number.clone(),
        h.found_label(),
        h.found_by.clone(),
        h.grid.clone(),
        h.place(lang),
        h.item_id.clone(),
        c.category(&h.category),
        h.description.clone(),
        h.basis.clone(),
        c.severity(h.severity).to_string(),
        h.party_name.clone(),
        h.party_room.clone(),
        h.party_phone.clone(),
        h.deadline.clone(),
        h.status_label(lang),
        h.days_overdue.to_string(),
        h.recurrence.to_string(),
        h.escalated_to.clone().unwrap_or_default(),
        h.actions_label(lang),
    ]
}

/// Write the CSV to `w` (`path` names it in errors), one row per hazard as it is read.
pub fn write(lists: &dyn Lists, lang: Lang, w: &mut dyn Write, path: &Path) -> Result<()> {
    let io = |e: std::io::Error| export_error(path, e);
    w.write_all(b"\xef\xbb\xbf").map_err(io)?;
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    let cell_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => io(e),
        k => io(std::io::Error::other(format!("{k:?}"))),
    };
    csv.write_record(header(lang).iter().map(|h| neutralize(h)))
        .map_err(cell_err)?;
    lists.each_all(&mut |s, h| {
        csv.write_record(row(s, h, lang).iter().map(|c| neutralize(c)))
            .map_err(cell_err)
    })?;
    csv.flush().map_err(io)
}
