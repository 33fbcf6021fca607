//! The end-of-day report: one model built from the database ([`build`]), shared by the
//! command line (`firepatrol report`) and the app (`e` on the start screen), and written in
//! one file per format: [`text`] (a short summary for the group chat), [`md`], [`csv`],
//! [`xlsx`], [`html`] (printable, with pictures) and [`json`] (schema
//! `firepatrol.report/1`, `docs/report.schema.json`). Rectification notices (隐患整改告知书)
//! are in [`notice`].
//!
//! The model holds codes (severity, status, category), not words: each format turns them
//! into the interface language. Text from the database is untrusted: every format escapes
//! or neutralises it (see `crate::export`). With `redact`, residents' names and phone
//! numbers are masked before any format sees them.
//!
//! Inside: `model` (the [`Report`] types), `build` (from the store), `redact` (masking),
//! one file per format, [`ledger`] (the hazard ledger exported as a table, CSV, JSON or
//! [`ledger_xlsx`]) and this file: the format list, [`render`] and [`write_files`].

mod build;
pub mod csv;
pub mod html;
pub mod json;
pub mod ledger;
pub mod ledger_xlsx;
pub mod md;
mod model;
pub mod notice;
pub mod plate;
pub mod record;
mod redact;
pub mod summary;
pub mod summary_html;
pub mod summary_out;
pub mod summary_xlsx;
pub mod text;
pub mod xlsx;

pub use build::{Options, build};
pub use model::*;
pub use notice::items_by_id;
pub use redact::{mask_phones_in, redact};

use crate::error::Result;
use crate::i18n::Lang;
use std::path::{Path, PathBuf};

/// The formats a report is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A short summary for the group chat, then the hazard list
    Text,
    /// The whole report as Markdown
    Md,
    /// One row per hazard (UTF-8 with BOM, for Excel)
    Csv,
    /// A workbook: summary sheet and ledger sheet (needs --out)
    Xlsx,
    /// One printable, self-contained page with pictures
    Html,
    /// For programs: schema firepatrol.report/1
    Json,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Md => "md",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
    /// Not for a terminal: written to a file only.
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
    }
}

/// The report in one format, as the bytes of the file.
pub fn render(r: &Report, lang: Lang, format: Format) -> Result<Vec<u8>> {
    Ok(match format {
        Format::Text => text::render(r, lang).into_bytes(),
        Format::Md => md::render(r, lang).into_bytes(),
        Format::Csv => csv::render(r, lang),
        Format::Xlsx => xlsx::render(r, lang)?,
        Format::Html => html::render(r, lang).into_bytes(),
        Format::Json => json::render(r).into_bytes(),
    })
}

/// Create the reports folder (readable by the owner only).
pub fn ensure_dir(dir: &Path) -> Result<()> {
    crate::fsio::create_private_dir(dir).map_err(|e| crate::fsio::export_error(dir, e))
}

/// Write a report in several formats into `dir` as `report-DAY.EXT` (or
/// `report-FROM_TO.EXT`); every file through a temporary file renamed when complete.
pub fn write_files(r: &Report, lang: Lang, dir: &Path, formats: &[Format]) -> Result<Vec<PathBuf>> {
    ensure_dir(dir)?;
    let stem = if r.from == r.to {
        format!("report-{}", r.from)
    } else {
        format!("report-{}_{}", r.from, r.to)
    };
    let mut out = Vec::new();
    for f in formats {
        let path = dir.join(format!("{stem}.{}", f.ext()));
        crate::fsio::write_private_atomic(&path, &render(r, lang, *f)?)?;
        out.push(path);
    }
    Ok(out)
}
