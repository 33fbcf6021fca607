//! The end-of-day report: one model built from the database ([`build`]), shared by the
//! command line (`firepatrol report`) and the app (`e` on the start screen), and written in
//! one file per format: [`text`] (a short summary for the group chat), [`md`], [`csv`],
//! [`xlsx`], [`html`] (printable, with pictures) and [`json`] (schema
//! `firepatrol.report/1`, `docs/report.schema.json`). Rectification notices (隐患整改告知书)
//! are in [`notice`].
//!
//! The model holds codes (severity, status, category), not words: each format turns them
//! into the interface language. The hazard lists are not held: [`build`] makes the bounded
//! [`Report`] (summary, leaders, buildings, pictures), and each format reads the lists from
//! [`Lists`] ([`lists`] over the database) as it writes them. Text from the database is
//! untrusted: every format escapes or neutralises it (see `crate::export`). With `redact`,
//! residents' names and phone numbers are masked before any format sees them.
//!
//! Inside: `model` (the [`Report`] types), `build` (from the store), `redact` (masking),
//! one file per format, [`ledger`] (the hazard ledger exported as a table, CSV, JSON or
//! [`ledger_xlsx`]) and this file: the format list, [`write`], [`write_file`], [`render`]
//! and [`write_files`].

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

pub use build::{Options, StoreLists, action_of, build, hazard_of, lists, rows};
pub use model::*;
pub use notice::items_by_id;
pub use redact::{mask_names, mask_phones_in, redact_hazard};

use crate::error::Result;
use crate::i18n::Lang;
use std::io::Write;
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

/// Write the report in one format to `w` as it is read (`path` names `w` in errors, "-" for
/// standard output). A spreadsheet needs a file of its own ([`write_file`]): for
/// [`Format::Xlsx`] this writes into a temporary buffer first.
pub fn write(
    r: &Report,
    lists: &dyn Lists,
    lang: Lang,
    format: Format,
    w: &mut dyn Write,
    path: &Path,
) -> Result<()> {
    // Text leaves through the one writer that drops control and bidi characters.
    if format.is_binary() {
        return write_as(r, lists, lang, format, w, path);
    }
    write_as(
        r,
        lists,
        lang,
        format,
        &mut crate::export::Neutral::new(w),
        path,
    )
}

fn write_as(
    r: &Report,
    lists: &dyn Lists,
    lang: Lang,
    format: Format,
    w: &mut dyn Write,
    path: &Path,
) -> Result<()> {
    let io = |e: std::io::Error| crate::fsio::export_error(path, e);
    match format {
        Format::Text => w
            .write_all(text::render(r, lists, lang)?.as_bytes())
            .map_err(io)?,
        Format::Md => md::write(r, lists, lang, w, path)?,
        Format::Csv => csv::write(lists, lang, w, path)?,
        Format::Xlsx => {
            let mut buf = std::io::Cursor::new(Vec::new());
            xlsx::write(r, lists, lang, &mut buf)?;
            w.write_all(buf.get_ref()).map_err(io)?;
        }
        Format::Html => html::write(r, lists, lang, w, path)?,
        Format::Json => json::write(r, lists, w, path)?,
    }
    w.flush().map_err(io)
}

/// The report in one format, as the bytes of the file (for small reports and tests).
pub fn render(r: &Report, lists: &dyn Lists, lang: Lang, format: Format) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    write(r, lists, lang, format, &mut out, Path::new("-"))?;
    Ok(out)
}

/// Write the report in one format into the file `path` (0600, complete or not at all; a
/// device is written in place), streamed: the hazard lists are never held in memory.
pub fn write_file(
    r: &Report,
    lists: &dyn Lists,
    lang: Lang,
    format: Format,
    path: &Path,
) -> Result<()> {
    if format == Format::Xlsx {
        // The zip writer seeks: the workbook is made in a private temporary file, then moved
        // (or copied into a device or pipe).
        return crate::fsio::write_through_temp(path, |tmp| {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(tmp)
                .map_err(|e| crate::fsio::export_error(path, e))?;
            xlsx::write(r, lists, lang, &mut f)?;
            f.sync_all().map_err(|e| crate::fsio::export_error(path, e))
        });
    }
    crate::fsio::stream_to_file(path, |f| {
        let mut w = std::io::BufWriter::new(f);
        write(r, lists, lang, format, &mut w, path)
    })
}

/// Write only the hazard rows of a report as CSV (what [`Format::Csv`] holds) to `path`, or
/// to `w` when there is no path ("-" names it in errors); the summary is never counted.
pub fn write_rows_csv(
    lists: &dyn Lists,
    lang: Lang,
    path: Option<&Path>,
    w: &mut dyn Write,
) -> Result<()> {
    match path {
        Some(p) => crate::fsio::stream_to_file(p, |f| {
            let mut w = std::io::BufWriter::new(f);
            csv::write(lists, lang, &mut w, p)?;
            w.flush().map_err(|e| crate::fsio::export_error(p, e))
        }),
        None => {
            let dash = Path::new("-");
            csv::write(lists, lang, w, dash)?;
            w.flush().map_err(|e| crate::fsio::export_error(dash, e))
        }
    }
}

/// Create the reports folder (readable by the owner only).
pub fn ensure_dir(dir: &Path) -> Result<()> {
    crate::fsio::create_private_dir(dir).map_err(|e| crate::fsio::export_error(dir, e))
}

/// Write a report in several formats into `dir` as `report-DAY.EXT` (or
/// `report-FROM_TO.EXT`); every file through a temporary file renamed when complete.
pub fn write_files(
    r: &Report,
    lists: &dyn Lists,
    lang: Lang,
    dir: &Path,
    formats: &[Format],
) -> Result<Vec<PathBuf>> {
    ensure_dir(dir)?;
    let stem = if r.from == r.to {
        format!("report-{}", r.from)
    } else {
        format!("report-{}_{}", r.from, r.to)
    };
    let mut out = Vec::new();
    for f in formats {
        let path = dir.join(format!("{stem}.{}", f.ext()));
        write_file(r, lists, lang, *f, &path)?;
        out.push(path);
    }
    Ok(out)
}
