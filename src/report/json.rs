//! `json`: the report for programs, schema `firepatrol.report/1` (`docs/report.schema.json`).
//! Codes, not words: `severity` is `low`/`medium`/`high`/`critical`, `status` is
//! `open`/`escalated`/`rectified`, `category` a checklist category code, times RFC 3339 and
//! days `YYYY-MM-DD`. A change that removes or renames a field gets a new schema number.

use super::Report;

pub fn render(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_default();
    s.push('\n');
    s
}
