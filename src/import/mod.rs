//! Reading the office's lists (buildings, people) from .csv or .xlsx.
//!
//! The whole file is read and checked first; the result is a list of clean rows or every
//! problem found (row and column named). Nothing here touches the database: the store applies
//! the rows in one transaction.

pub use crate::domain::roster::{BuildingRow, ImportCounts, PersonRow};

use crate::domain::text::{MAX_TEXT_CHARS, clean, clean_limited, valid_phone};
use crate::domain::{Role, SiteKind};
use crate::error::{Error, ImportProblem, Result, RowProblem};
use std::path::Path;

/// A table read from a file: the header and the rows, all as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    /// (1-based row number in the file, cells)
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Largest import file accepted (bytes): far above any real community list.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Read a .csv or .xlsx file into a table.
pub fn read_table(path: &Path) -> Result<Table> {
    let io = |e: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(Error::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::FileType {
            path: path.to_path_buf(),
        });
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_lowercase())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(io)?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    let table = match ext.as_str() {
        "xlsx" | "xlsm" => table_from_xlsx(path, bytes)?,
        "csv" | "txt" | "tsv" => table_from_csv(path, &bytes)?,
        _ if bytes.starts_with(b"PK\x03\x04") => table_from_xlsx(path, bytes)?,
        _ => {
            return Err(Error::FileType {
                path: path.to_path_buf(),
            });
        }
    };
    check_shape(path, table)
}

fn check_shape(path: &Path, table: Table) -> Result<Table> {
    if table.header.iter().all(|h| h.is_empty()) {
        return Err(Error::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    if table.rows.is_empty() {
        return Err(Error::HeaderOnly {
            path: path.to_path_buf(),
        });
    }
    Ok(table)
}

/// Decode text: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030.
pub fn decode(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return std::str::from_utf8(rest).ok().map(str::to_owned);
    }
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        let (text, _, bad) = encoding_rs::UTF_16LE.decode(bytes); // BOM sniffing picks LE/BE
        return (!bad).then(|| text.into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_owned());
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
}

/// Read CSV (or tab-separated) text in any supported encoding; `path` names it in messages.
pub fn table_from_csv(path: &Path, bytes: &[u8]) -> Result<Table> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    let text = decode(bytes).ok_or_else(|| Error::Encoding {
        path: path.to_path_buf(),
    })?;
    // Many NULs mean a binary file or UTF-16 without a byte-order mark; a stray one is a
    // control character like any other, removed when the text is cleaned.
    if text.chars().filter(|c| *c == '\0').count() * 100 > text.chars().count() {
        return Err(Error::Encoding {
            path: path.to_path_buf(),
        });
    }
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| Error::Spreadsheet {
            path: path.to_path_buf(),
            detail: format!("row {}: {}", i + 1, clean(&e.to_string())),
        })?;
        records.push(rec.iter().map(str::to_owned).collect::<Vec<_>>());
    }
    check_shape(path, to_table(records))
}

/// Read the first sheet of an .xlsx file given as bytes; `path` names it in messages.
pub fn table_from_xlsx(path: &Path, bytes: Vec<u8>) -> Result<Table> {
    use calamine::{Data, Reader, Xlsx};
    let bad = |d: String| Error::Spreadsheet {
        path: path.to_path_buf(),
        detail: clean(&d),
    };
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let range = match wb.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| bad(e.to_string()))?,
        None => {
            return Err(Error::EmptyFile {
                path: path.to_path_buf(),
            });
        }
    };
    let records = range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Int(i) => i.to_string(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Float(f) => f.to_string(),
                    Data::Bool(b) => b.to_string(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    Ok(to_table(records))
}

/// The first non-blank line is the header; blank lines are skipped but keep their numbers.
fn to_table(records: Vec<Vec<String>>) -> Table {
    let mut rows = records
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i + 1, r))
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    let header = rows
        .next()
        .map(|(_, h)| h.iter().map(|c| clean(c)).collect())
        .unwrap_or_default();
    Table {
        header,
        rows: rows.collect(),
    }
}

/// Column names we recognise, English and Chinese, compared after cleaning, lowercasing and
/// removing spaces.
const BUILDING_COLUMNS: Known = &[
    ("community", &["community", "社区"]),
    ("grid", &["grid", "网格"]),
    ("compound", &["compound", "小区", "小区名称"]),
    ("building", &["building", "楼栋", "楼栋名称", "楼号"]),
    ("address", &["address", "地址"]),
    ("kind", &["kind", "类型", "场所类型"]),
    ("units", &["units", "单元数"]),
    ("floors", &["floors", "楼层数", "层数"]),
    ("leader", &["leader", "楼栋长", "楼长"]),
    ("phone", &["phone", "电话", "联系电话", "手机"]),
];

const PEOPLE_COLUMNS: Known = &[
    ("name", &["name", "姓名"]),
    ("role", &["role", "角色", "职务"]),
    ("phone", &["phone", "电话", "联系电话", "手机"]),
    ("community", &["community", "社区"]),
    ("compound", &["compound", "小区"]),
    ("building", &["building", "楼栋", "负责楼栋"]),
    ("unit", &["unit", "单元"]),
];

fn norm_header(h: &str) -> String {
    clean(h)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Map header positions to known fields; returns (field, column index) and unknown headers.
type Known = &'static [(&'static str, &'static [&'static str])];

fn map_columns(header: &[String], known: Known) -> (Vec<(&'static str, usize)>, Vec<String>) {
    let mut found: Vec<(&'static str, usize)> = Vec::new();
    let mut unknown = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let n = norm_header(h);
        if n.is_empty() {
            continue;
        }
        match known.iter().find(|(_, names)| names.contains(&n.as_str())) {
            Some((field, _)) if !found.iter().any(|(f, _)| f == field) => found.push((field, i)),
            _ => unknown.push(h.clone()),
        }
    }
    (found, unknown)
}

struct Cells<'a> {
    header: &'a [String],
    columns: &'a [(&'static str, usize)],
    row: usize,
    cells: &'a [String],
    problems: &'a mut Vec<RowProblem>,
}

impl Cells<'_> {
    fn col_name(&self, field: &str) -> String {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, i)| self.header.get(*i).cloned())
            .unwrap_or_else(|| field.to_string())
    }
    fn raw(&self, field: &str) -> Option<&str> {
        let (_, i) = self.columns.iter().find(|(f, _)| *f == field)?;
        self.cells.get(*i).map(String::as_str)
    }
    fn problem(&mut self, field: &str, problem: ImportProblem) {
        let column = self.col_name(field);
        self.problems.push(RowProblem {
            row: self.row,
            column,
            problem,
        });
    }
    /// Clean text; reports (and blanks) values over the length limit.
    fn text(&mut self, field: &str) -> String {
        let raw = self.raw(field).unwrap_or("").to_owned();
        match clean_limited(&raw, MAX_TEXT_CHARS) {
            Ok(s) => s,
            Err(n) => {
                self.problem(field, ImportProblem::TooLong(n));
                String::new()
            }
        }
    }
    fn required(&mut self, field: &str) -> String {
        let before = self.problems.len();
        let s = self.text(field);
        if s.is_empty() && self.problems.len() == before {
            self.problem(field, ImportProblem::MissingValue);
        }
        s
    }
    fn number(&mut self, field: &str, max: u32) -> Option<u32> {
        let s = self.text(field);
        if s.is_empty() {
            return None;
        }
        let t = s.trim_end_matches(['个', '层', '单', '元']).trim();
        match t.parse::<u32>() {
            Ok(n) if n <= max => Some(n),
            _ => {
                self.problem(field, ImportProblem::NotANumber(s));
                None
            }
        }
    }
    fn phone(&mut self, field: &str) -> String {
        let s = self.text(field);
        if s.is_empty() {
            return s;
        }
        match valid_phone(&s) {
            Some(p) => p,
            None => {
                self.problem(field, ImportProblem::NotAPhone(s));
                String::new()
            }
        }
    }
}

/// Checked rows and the columns that were not recognised (reported and ignored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    pub rows: Vec<T>,
    pub unknown_columns: Vec<String>,
}

/// Check a building list. Every problem in the file is returned at once.
pub fn parse_buildings(path: &Path, table: &Table) -> Result<Parsed<BuildingRow>> {
    let (columns, unknown_columns) = map_columns(&table.header, BUILDING_COLUMNS);
    if !columns.iter().any(|(f, _)| *f == "building") {
        return Err(Error::MissingColumn {
            path: path.to_path_buf(),
            column: "building/楼栋".into(),
        });
    }
    let mut problems = Vec::new();
    let mut rows: Vec<BuildingRow> = Vec::new();
    for (row, cells) in &table.rows {
        let mut c = Cells {
            header: &table.header,
            columns: &columns,
            row: *row,
            cells,
            problems: &mut problems,
        };
        let building = c.required("building");
        let kind_text = c.text("kind");
        let kind = if kind_text.is_empty() {
            SiteKind::Residential
        } else {
            SiteKind::parse(&kind_text).unwrap_or_else(|| {
                c.problem("kind", ImportProblem::UnknownKind(kind_text.clone()));
                SiteKind::Residential
            })
        };
        let r = BuildingRow {
            row: *row,
            community: c.text("community"),
            grid: c.text("grid"),
            compound: c.text("compound"),
            building,
            address: c.text("address"),
            kind,
            units: c.number("units", 99).filter(|n| *n > 0),
            floors: c.number("floors", 200),
            leader: c.text("leader"),
            phone: c.phone("phone"),
        };
        if let Some(first) = rows.iter().find(|o| {
            o.community == r.community && o.compound == r.compound && o.building == r.building
        }) {
            let same = BuildingRow {
                row: first.row,
                ..r.clone()
            } == *first;
            if !same {
                problems.push(RowProblem {
                    row: r.row,
                    column: String::new(),
                    problem: ImportProblem::Duplicate(first.row),
                });
            }
            continue;
        }
        rows.push(r);
    }
    if problems.is_empty() {
        Ok(Parsed {
            rows,
            unknown_columns,
        })
    } else {
        sort_problems(&mut problems, &table.header);
        Err(Error::Rows {
            path: path.to_path_buf(),
            problems,
        })
    }
}

/// Problems in reading order: by row, then by the column's place in the header.
fn sort_problems(problems: &mut [RowProblem], header: &[String]) {
    problems.sort_by_key(|p| (p.row, header.iter().position(|h| *h == p.column)));
}

/// Check a people list (`name/姓名` required; `role/角色` blank means 楼栋长).
pub fn parse_people(path: &Path, table: &Table) -> Result<Parsed<PersonRow>> {
    let (columns, unknown_columns) = map_columns(&table.header, PEOPLE_COLUMNS);
    if !columns.iter().any(|(f, _)| *f == "name") {
        return Err(Error::MissingColumn {
            path: path.to_path_buf(),
            column: "name/姓名".into(),
        });
    }
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for (row, cells) in &table.rows {
        let mut c = Cells {
            header: &table.header,
            columns: &columns,
            row: *row,
            cells,
            problems: &mut problems,
        };
        let name = c.required("name");
        let role_text = c.text("role");
        let role = if role_text.is_empty() {
            Role::BuildingLeader
        } else {
            Role::parse(&role_text).unwrap_or_else(|| {
                c.problem("role", ImportProblem::UnknownRole(role_text.clone()));
                Role::BuildingLeader
            })
        };
        rows.push(PersonRow {
            row: *row,
            name,
            role,
            phone: c.phone("phone"),
            community: c.text("community"),
            compound: c.text("compound"),
            building: c.text("building"),
            unit: c.number("unit", 99).filter(|n| *n > 0),
        });
    }
    if problems.is_empty() {
        Ok(Parsed {
            rows,
            unknown_columns,
        })
    } else {
        sort_problems(&mut problems, &table.header);
        Err(Error::Rows {
            path: path.to_path_buf(),
            problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.csv");
        std::fs::write(&p, text).unwrap();
        read_table(&p).unwrap()
    }

    #[test]
    fn columns_in_any_order_in_either_language() {
        let t = table("单元数,楼栋,Compound,颜色\n2,1栋,幸福里,红\n,车棚,幸福里,蓝\n");
        let p = parse_buildings(Path::new("b.csv"), &t).unwrap();
        assert_eq!(p.unknown_columns, vec!["颜色".to_string()]);
        assert_eq!(p.rows[0].building, "1栋");
        assert_eq!(p.rows[0].compound, "幸福里");
        assert_eq!(p.rows[0].units, Some(2));
        assert_eq!(p.rows[1].units, None);
    }

    #[test]
    fn every_bad_row_is_named() {
        let t = table(
            "building,units,phone,kind\n1栋,two,138,住宅\n,2,13812345678,\n3栋,1,1381234567a,castle\n",
        );
        let Err(Error::Rows { problems, .. }) = parse_buildings(Path::new("b.csv"), &t) else {
            panic!("expected row problems")
        };
        let got: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        // "138" is three digits: not a phone (a mobile has 11).
        assert_eq!(
            got,
            vec![
                (2, "units"),
                (2, "phone"),
                (3, "building"),
                (4, "phone"),
                (4, "kind")
            ]
        );
    }

    #[test]
    fn gbk_and_bom_and_crlf() {
        let (gbk, _, _) = encoding_rs::GBK.encode("楼栋,单元数\r\n芙蓉2栋,3\r\n");
        assert_eq!(
            decode(&gbk).as_deref(),
            Some("楼栋,单元数\r\n芙蓉2栋,3\r\n")
        );
        let bom = [b"\xef\xbb\xbf".as_slice(), "楼栋\n1栋\n".as_bytes()].concat();
        assert_eq!(decode(&bom).as_deref(), Some("楼栋\n1栋\n"));
        assert_eq!(decode(b"\xff\xff\xff"), None);
    }
}
