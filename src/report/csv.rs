//! `csv`: one row per hazard of the report (found, followed up, overdue), for Excel in
//! China: UTF-8 with a byte-order mark, headers in the interface language, every cell
//! neutralised against formulas (`crate::export::csv_bytes`).

use super::{Report, ReportHazard, Section};
use crate::i18n::Lang;

/// The header row (the interface language).
pub fn header(lang: Lang) -> Vec<String> {
    lang.cat()
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

pub fn render(r: &Report, lang: Lang) -> Vec<u8> {
    let rows: Vec<Vec<String>> = r.all_hazards().map(|(s, h)| row(s, h, lang)).collect();
    crate::export::csv_bytes(&header(lang), &rows)
}
