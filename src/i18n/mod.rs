//! Every user-visible string, one catalogue per language (`zh.rs`, `en.rs`). The catalogue is
//! a struct, so a string missing from one language is a compile error.

mod en;
mod zh;

use crate::domain::checklist::TemplateProblemKind;
use crate::error::{Error, ImportProblem, RowProblem};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// Chinese when `LANG` (or `LC_ALL`/`LC_MESSAGES`) starts with `zh`, English otherwise.
    pub fn from_locale(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Lang {
        let v = [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty())
            .unwrap_or("");
        if v.to_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_lowercase().as_str() {
            "zh" | "zh_cn" | "cn" | "中文" => Some(Lang::Zh),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }
    pub fn is_zh(self) -> bool {
        self == Lang::Zh
    }
    pub fn cat(self) -> &'static Catalogue {
        match self {
            Lang::Zh => &zh::CAT,
            Lang::En => &en::CAT,
        }
    }
}

/// The strings of one language. Plain strings are `&str`; messages with values are functions.
pub struct Catalogue {
    // --- site kinds, roles, severities, answers, statuses, categories
    pub kind_residential: &'static str,
    pub kind_shop: &'static str,
    pub kind_bike_shed: &'static str,
    pub kind_other: &'static str,
    pub role_area_leader: &'static str,
    pub role_building_leader: &'static str,
    pub role_unit_leader: &'static str,
    pub role_grid_worker: &'static str,
    pub role_office: &'static str,
    pub sev_low: &'static str,
    pub sev_medium: &'static str,
    pub sev_high: &'static str,
    pub sev_critical: &'static str,
    pub ans_ok: &'static str,
    pub ans_hazard: &'static str,
    pub ans_na: &'static str,
    pub ans_none: &'static str,
    pub st_open: &'static str,
    pub st_escalated: &'static str,
    pub st_rectified: &'static str,
    pub st_voided: &'static str,
    pub st_overdue: &'static str,
    pub categories: &'static [(&'static str, &'static str)],
    pub unit_name: fn(i64) -> String,

    // --- errors
    pub err_db: fn(&str, &str) -> String,
    pub err_newer_schema: fn(&str, i64, i64) -> String,
    pub err_damaged: fn(&str) -> String,
    pub err_damaged_backup: fn(&str) -> String,
    pub err_is_dir: fn(&str) -> String,
    pub err_locked: fn(&str) -> String,
    pub err_read_only: fn(&str) -> String,
    pub err_disk_full: fn(&str) -> String,
    pub err_io: fn(&str, &str) -> String,
    pub err_encoding: fn(&str) -> String,
    pub err_empty_file: fn(&str) -> String,
    pub err_header_only: fn(&str) -> String,
    pub err_file_type: fn(&str) -> String,
    pub err_missing_column: fn(&str, &str) -> String,
    pub err_rows: fn(&str, usize) -> String,
    pub err_spreadsheet: fn(&str, &str) -> String,
    pub err_template: fn(&str) -> String,
    pub err_no_template: fn(&str) -> String,
    pub err_no_database: fn(&str) -> String,
    pub row_at: fn(usize, &str) -> String,
    pub prob_missing: &'static str,
    pub prob_not_number: fn(&str) -> String,
    pub prob_not_phone: fn(&str) -> String,
    pub prob_unknown_kind: fn(&str) -> String,
    pub prob_unknown_role: fn(&str) -> String,
    pub prob_too_long: fn(usize) -> String,
    pub prob_no_building: fn(&str) -> String,
    pub prob_duplicate: fn(usize) -> String,
    pub tpl_syntax: fn(&str) -> String,
    pub tpl_empty: &'static str,
    pub tpl_too_long: fn(usize) -> String,
    pub tpl_bad_id: &'static str,
    pub tpl_duplicate: fn(&str) -> String,
    pub tpl_no_items: &'static str,
    pub tpl_no_kinds: &'static str,

    // --- CLI output
    pub cli_error: &'static str,
    pub import_unknown_columns: fn(&str) -> String,
    pub import_summary: fn(bool, &ImportCounts) -> String,
    pub template_imported: fn(&str, usize) -> String,
    pub backup_written: fn(&str) -> String,
    pub check_ok: fn(&str) -> String,
    pub check_failed: fn(&str) -> String,
    pub init_done: fn(&str) -> String,
    pub init_exists: fn(&str) -> String,
    pub demo_db_at: fn(&str) -> String,
    pub stats_text: fn(&crate::store::Stats) -> String,
}

/// What an import changed (or would change, on a dry run).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportCounts {
    pub rows: usize,
    pub communities: usize,
    pub grids: usize,
    pub compounds: usize,
    pub buildings_new: usize,
    pub buildings_changed: usize,
    pub buildings_same: usize,
    pub units: usize,
    pub people: usize,
    pub duties: usize,
}

impl ImportCounts {
    pub fn changes(&self) -> usize {
        self.communities
            + self.grids
            + self.compounds
            + self.buildings_new
            + self.buildings_changed
            + self.units
            + self.people
            + self.duties
    }
}

impl Catalogue {
    pub fn category(&self, code: &str) -> String {
        self.categories
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, n)| (*n).to_string())
            .unwrap_or_else(|| code.to_string())
    }
    pub fn kind(&self, k: crate::domain::SiteKind) -> &'static str {
        use crate::domain::SiteKind as K;
        match k {
            K::Residential => self.kind_residential,
            K::Shop => self.kind_shop,
            K::BikeShed => self.kind_bike_shed,
            K::Other => self.kind_other,
        }
    }
    pub fn role(&self, r: crate::domain::Role) -> &'static str {
        use crate::domain::Role as R;
        match r {
            R::AreaLeader => self.role_area_leader,
            R::BuildingLeader => self.role_building_leader,
            R::UnitLeader => self.role_unit_leader,
            R::GridWorker => self.role_grid_worker,
            R::Office => self.role_office,
        }
    }
    pub fn severity(&self, s: crate::domain::Severity) -> &'static str {
        use crate::domain::Severity as S;
        match s {
            S::Low => self.sev_low,
            S::Medium => self.sev_medium,
            S::High => self.sev_high,
            S::Critical => self.sev_critical,
        }
    }
    pub fn status(&self, s: crate::domain::HazardStatus) -> &'static str {
        use crate::domain::HazardStatus as S;
        match s {
            S::Open => self.st_open,
            S::Escalated => self.st_escalated,
            S::Rectified => self.st_rectified,
            S::Voided => self.st_voided,
        }
    }
    pub fn row_problem(&self, p: &RowProblem) -> String {
        let what = match &p.problem {
            ImportProblem::MissingValue => self.prob_missing.to_string(),
            ImportProblem::NotANumber(v) => (self.prob_not_number)(v),
            ImportProblem::NotAPhone(v) => (self.prob_not_phone)(v),
            ImportProblem::UnknownKind(v) => (self.prob_unknown_kind)(v),
            ImportProblem::UnknownRole(v) => (self.prob_unknown_role)(v),
            ImportProblem::TooLong(n) => (self.prob_too_long)(*n),
            ImportProblem::NoSuchBuilding(v) => (self.prob_no_building)(v),
            ImportProblem::Duplicate(r) => (self.prob_duplicate)(*r),
        };
        format!("{}{what}", (self.row_at)(p.row, &p.column))
    }
}

/// How many row problems an error message lists before "and N more".
const MAX_LISTED: usize = 20;

pub fn error_message(e: &Error, lang: Lang) -> String {
    let c = lang.cat();
    let p = |p: &std::path::Path| p.display().to_string();
    match e {
        Error::Db { path, source } => (c.err_db)(&p(path), &source.to_string()),
        Error::NewerSchema {
            path,
            found,
            supported,
        } => (c.err_newer_schema)(&p(path), *found, *supported),
        Error::Damaged { path, backup } => {
            let mut s = (c.err_damaged)(&p(path));
            if let Some(b) = backup {
                s.push('\n');
                s.push_str(&(c.err_damaged_backup)(&p(b)));
            }
            s
        }
        Error::IsDirectory { path } => (c.err_is_dir)(&p(path)),
        Error::Locked { path } => (c.err_locked)(&p(path)),
        Error::ReadOnly { path } => (c.err_read_only)(&p(path)),
        Error::DiskFull { path } => (c.err_disk_full)(&p(path)),
        Error::Io { path, source } => (c.err_io)(&p(path), &source.to_string()),
        Error::Encoding { path } => (c.err_encoding)(&p(path)),
        Error::EmptyFile { path } => (c.err_empty_file)(&p(path)),
        Error::HeaderOnly { path } => (c.err_header_only)(&p(path)),
        Error::FileType { path } => (c.err_file_type)(&p(path)),
        Error::MissingColumn { path, column } => (c.err_missing_column)(&p(path), column),
        Error::Rows { path, problems } => {
            let mut s = (c.err_rows)(&p(path), problems.len());
            for pr in problems.iter().take(MAX_LISTED) {
                s.push_str("\n  ");
                s.push_str(&c.row_problem(pr));
            }
            if problems.len() > MAX_LISTED {
                s.push_str(&format!("\n  … (+{})", problems.len() - MAX_LISTED));
            }
            s
        }
        Error::Spreadsheet { path, detail } => (c.err_spreadsheet)(&p(path), detail),
        Error::Template { path, problems } => {
            let mut s = (c.err_template)(&p(path));
            for pr in problems.iter().take(MAX_LISTED) {
                let what = match &pr.problem {
                    TemplateProblemKind::Syntax(m) => (c.tpl_syntax)(m),
                    TemplateProblemKind::Empty => c.tpl_empty.to_string(),
                    TemplateProblemKind::TooLong(n) => (c.tpl_too_long)(*n),
                    TemplateProblemKind::BadId => c.tpl_bad_id.to_string(),
                    TemplateProblemKind::DuplicateId(id) => (c.tpl_duplicate)(id),
                    TemplateProblemKind::NoItems => c.tpl_no_items.to_string(),
                    TemplateProblemKind::NoKinds => c.tpl_no_kinds.to_string(),
                };
                if pr.place.is_empty() {
                    s.push_str(&format!("\n  {what}"));
                } else {
                    s.push_str(&format!("\n  {}: {what}", pr.place));
                }
            }
            s
        }
        Error::NoTemplate(id) => (c.err_no_template)(id),
        Error::NoDatabase { path } => (c.err_no_database)(&p(path)),
        Error::Other(m) => m.clone(),
    }
}
