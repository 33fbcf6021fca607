//! The monthly summary written out: one format into a file or a stream, or every format
//! into the reports folder.

use super::summary::{MonthSummary, SummaryFormat, chat_text, json};
use crate::error::Result;
use crate::i18n::Lang;

/// Write the summary in `format` into `out`.
pub fn write(
    s: &MonthSummary,
    lang: Lang,
    format: SummaryFormat,
    details_file: &str,
    out: &mut dyn std::io::Write,
    path: &std::path::Path,
) -> Result<()> {
    let io = |e| crate::fsio::export_error(path, e);
    // Text leaves through the one writer that drops control and bidi characters.
    use std::io::Write as _;
    let mut text = crate::export::Neutral::new(&mut *out);
    match format {
        SummaryFormat::Text => text
            .write_all(chat_text(s, lang, details_file).as_bytes())
            .map_err(io),
        SummaryFormat::Json => text.write_all(json(s).as_bytes()).map_err(io),
        SummaryFormat::Html => text
            .write_all(super::summary_html::render(s, lang).as_bytes())
            .map_err(io),
        SummaryFormat::Xlsx => {
            drop(text);
            super::summary_xlsx::write(s, lang, out)
        }
    }
}

/// Write the summary in every format into `dir` as `summary-YYYY-MM.EXT`.
pub fn write_files(
    s: &MonthSummary,
    lang: Lang,
    dir: &std::path::Path,
) -> Result<Vec<std::path::PathBuf>> {
    super::ensure_dir(dir)?;
    let stem = format!("summary-{}", s.month);
    let details = format!("{stem}.xlsx");
    let mut out = Vec::new();
    for f in SummaryFormat::ALL {
        let path = dir.join(format!("{stem}.{}", f.ext()));
        crate::fsio::stream_to_file(&path, |file| write(s, lang, f, &details, file, &path))?;
        out.push(path);
    }
    Ok(out)
}
