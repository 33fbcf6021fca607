//! Every user-visible string, one catalogue per language (`zh.rs`, `en.rs`). The catalogue is
//! a struct, so a string missing from one language is a compile error.

mod en;
mod errors;
pub mod newuser;
pub mod office;
pub mod people;
mod refusals;
pub mod report;
pub mod summary;
pub mod sync;
mod sync_problems;
mod zh;

use crate::error::{ImportProblem, RowProblem};
pub use errors::{error_message, refusal};

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
    /// Words of issue 15 (chat text, privacy, rest-is-OK, footer, command line).
    pub nu: newuser::NewUserWords,
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
    /// The monthly summary and the patrol record book.
    pub summary: summary::SummaryWords,
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
    pub err_moved: fn(&str) -> String,
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
    pub err_not_a_database: fn(&str) -> String,
    pub err_tampered: fn(&str, usize) -> String,
    pub err_not_found: fn(crate::domain::Thing, &str) -> String,
    pub err_terminal: fn(&str) -> String,
    pub err_xlsx: fn(&str) -> String,
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
    pub import_summary: fn(bool, &crate::import::ImportCounts) -> String,
    pub template_imported: fn(&str, usize) -> String,
    pub backup_written: fn(&str) -> String,
    /// After `backup`, where a database that syncs keeps its keys (not in the backup).
    pub backup_key_note: fn(&str) -> String,
    pub check_ok: fn(&str) -> String,
    pub check_failed: fn(&str) -> String,
    pub init_done: fn(&str) -> String,
    pub init_exists: fn(&str) -> String,
    pub demo_db_at: fn(&str) -> String,
    pub restore_kept: fn(&str) -> String,
    pub restore_done: fn(&str, &str) -> String,
    pub backup_failed: fn(&str) -> String,
    pub generate_exists: fn(&str) -> String,
    pub generate_too_big: fn(&str, u64) -> String,
    pub err_stdout: fn(&str) -> String,
    pub generated: fn(usize, usize, &str, f64) -> String,
    pub xlsx_needs_out: &'static str,
    /// `firepatrol demo generate` without --db or --out.
    pub generate_needs_db: &'static str,
    /// FIREPATROL_NOW / --now that is not a time.
    pub cli_bad_now: fn(&str) -> String,
    pub ledger_written: fn(usize, &str) -> String,
    pub stats_text: fn(&crate::store::Stats) -> String,
    /// The ledger's columns, in the order of `report::ledger::row` (CSV headers, detail labels).
    pub ledger_columns: &'static [&'static str; 16],
    /// The columns of `firepatrol hazards` as a table.
    pub ledger_table_columns: &'static [&'static str; 9],
    pub ledger_total: fn(usize) -> String,
    pub ev_created: &'static str,
    pub ev_rectified: &'static str,
    pub ev_still_open: &'static str,
    pub ev_extended: &'static str,
    pub ev_escalated: &'static str,
    pub ev_office_response: &'static str,
    pub ev_assigned: &'static str,
    pub ev_reopened: &'static str,
    pub ev_voided: &'static str,

    // --- ledger, detail, history, overview
    pub ctx_ledger: &'static str,
    pub ctx_detail: &'static str,
    pub ctx_history: &'static str,
    pub k_ledger: &'static str,
    pub k_overview: &'static str,
    pub k_history: &'static str,
    pub k_status: &'static str,
    pub k_sort: &'static str,
    pub k_filters: &'static str,
    pub k_text_filter: &'static str,
    pub k_detail_open: &'static str,
    pub k_rectify_note: &'static str,
    pub k_respond: &'static str,
    pub k_reopen: &'static str,
    pub t_any: &'static str,
    pub t_filter_title: &'static str,
    pub t_filter_hint: &'static str,
    pub e_day: &'static str,
    pub t_rectify_title: &'static str,
    pub t_respond_title: &'static str,
    pub t_reopen_title: &'static str,
    pub t_saved: &'static str,
    pub f_grid: &'static str,
    pub f_compound: &'static str,
    pub f_category: &'static str,
    pub f_leader: &'static str,
    pub f_from: &'static str,
    pub f_until: &'static str,
    pub f_recurring: &'static str,
    pub status_filters: [&'static str; 7],
    pub sorts: [&'static str; 4],
    pub t_ledger_title: fn(usize, i64) -> String,
    pub t_ledger_filters: fn(&str) -> String,
    pub t_none: &'static str,
    pub t_detail_title: &'static str,
    pub t_history_events: &'static str,
    pub t_history_title: fn(&str) -> String,
    pub t_visits: &'static str,
    pub t_visit: fn(&str, &str, i64, i64) -> String,
    pub t_building_hazards: &'static str,
    pub t_overview_categories: &'static str,
    pub t_overview_daily: &'static str,
    pub t_found_per_day: fn(i64) -> String,
    pub t_fixed_per_day: fn(i64) -> String,
    pub t_recurring_word: &'static str,
    // --- the app
    pub app_name: &'static str,
    pub weekdays: [&'static str; 7],
    pub ctx_global: &'static str,
    pub ctx_start: &'static str,
    pub ctx_inspector: &'static str,
    pub ctx_picker: &'static str,
    pub ctx_walk: &'static str,
    pub ctx_recheck: &'static str,
    pub ctx_form: &'static str,
    pub k_help: &'static str,
    pub k_help_short: &'static str,
    pub ctx_text: &'static str,
    pub k_clear_field: &'static str,
    pub k_delete_word: &'static str,
    pub k_force_quit: &'static str,
    pub k_search: &'static str,
    pub k_move: &'static str,
    pub k_page: &'static str,
    pub k_start_open: &'static str,
    pub k_picker: &'static str,
    pub k_resume: &'static str,
    pub k_change_inspector: &'static str,
    pub k_quit: &'static str,
    pub k_pick_person: &'static str,
    pub k_back: &'static str,
    pub k_picker_open: &'static str,
    pub k_filter: &'static str,
    pub k_ok: &'static str,
    pub k_na: &'static str,
    pub k_hazard: &'static str,
    pub k_undo: &'static str,
    pub k_change: &'static str,
    pub k_next_unit: &'static str,
    pub k_prev_unit: &'static str,
    pub k_walk_back: &'static str,
    pub k_rectified: &'static str,
    pub k_still_open: &'static str,
    pub k_extend: &'static str,
    pub k_escalate: &'static str,
    pub k_to_checklist: &'static str,
    pub k_fields: &'static str,
    pub k_choices: &'static str,
    pub k_toggle: &'static str,
    pub k_save: &'static str,
    pub k_cancel: &'static str,
    pub e_date_unreadable: &'static str,
    pub e_date_no_such: &'static str,
    pub e_date_past: fn(&str) -> String,
    pub e_phone: &'static str,
    pub e_reason_required: &'static str,
    pub e_required: &'static str,
    pub e_too_long: fn(usize) -> String,
    pub f_description: &'static str,
    pub f_spot: &'static str,
    pub f_party_name: &'static str,
    pub f_party_room: &'static str,
    pub f_party_phone: &'static str,
    pub f_severity: &'static str,
    pub f_deadline: &'static str,
    pub f_fixed_now: &'static str,
    pub f_escalate: &'static str,
    pub f_escalate_note: &'static str,
    pub f_reason: &'static str,
    pub f_to: &'static str,
    pub f_note: &'static str,
    pub r_no_such: fn(&str) -> String,
    pub r_ambiguous: fn(&str) -> String,
    pub r_already_rectified: &'static str,
    pub r_not_rectified: &'static str,
    pub r_withdrawn: &'static str,
    pub r_not_escalated: &'static str,
    pub r_not_later: fn(&str) -> String,
    pub t_already_hazard: &'static str,
    pub t_building_done: fn(&str, usize, usize) -> String,
    pub t_building_items: &'static str,
    pub t_cancelled: &'static str,
    pub t_change_answer: &'static str,
    pub t_checklist_title: &'static str,
    pub t_date_hint: &'static str,
    pub t_day_progress: fn(i64, usize) -> String,
    pub t_deadline: fn(&str) -> String,
    pub t_in_progress: &'static str,
    pub t_done_today: &'static str,
    pub t_due_today: &'static str,
    pub t_error_mark: &'static str,
    pub t_escalate_title: &'static str,
    pub t_extend_title: &'static str,
    pub t_filter: &'static str,
    pub t_hazard_counts: fn(i64, i64) -> String,
    pub t_hazard_saved: fn(&str) -> String,
    pub t_hazard_saved_recurring: fn(&str, i64) -> String,
    pub t_hazard_title: &'static str,
    pub t_help_close: &'static str,
    pub t_help_title: &'static str,
    pub t_inspector_is: fn(&str) -> String,
    pub t_inspector_set: fn(&str) -> String,
    pub t_last_patrol: fn(&str) -> String,
    pub t_never_patrolled: &'static str,
    pub t_no_buildings: &'static str,
    pub t_no_match: &'static str,
    pub t_no_such_person: fn(&str) -> String,
    pub t_no: &'static str,
    pub t_yes: &'static str,
    pub t_nothing_to_undo: &'static str,
    pub t_office_default: &'static str,
    pub t_open_hazards: &'static str,
    pub t_overdue_days: fn(i64) -> String,
    pub t_overdue: &'static str,
    pub t_own: &'static str,
    pub t_panic: fn(&str) -> String,
    pub t_picker_title: &'static str,
    pub t_plan_empty: &'static str,
    pub t_plan_title: fn(usize) -> String,
    pub t_recheck_title: fn(usize) -> String,
    pub t_recurring: fn(i64) -> String,
    pub t_resume: fn(&str, &str, usize, &str) -> String,
    pub t_saving: &'static str,
    pub t_to_patrol: &'static str,
    pub t_to_recheck: &'static str,
    pub t_today: &'static str,
    pub t_too_small: fn(u16, u16, u16, u16) -> String,
    pub t_undone: &'static str,
    pub t_unsaved: &'static str,
    pub t_verdict_saved: fn(&str, &str) -> String,
    pub t_walk_progress: fn(&str, usize, usize, usize, usize, i64, usize) -> String,
    pub t_who_patrols: &'static str,
    pub v_rectified: &'static str,
    pub v_still_open: &'static str,
    pub v_extended: &'static str,
    pub v_escalated: &'static str,
    // --- reports and notices (issue 5)
    pub report: report::ReportWords,
    pub err_export: fn(&str, &str) -> String,
    pub exp_no_dir: &'static str,
    pub exp_denied: &'static str,
    pub exp_full: &'static str,
    pub n_title: &'static str,
    pub n_copy_party: &'static str,
    pub n_copy_office: &'static str,
    pub n_number: &'static str,
    pub n_to: &'static str,
    pub n_to_place: fn(&str) -> String,
    pub n_intro: &'static str,
    pub n_place: &'static str,
    pub n_found: &'static str,
    pub n_description: &'static str,
    pub n_basis: &'static str,
    pub n_todo: &'static str,
    pub n_todo_text: fn(&str) -> String,
    pub n_deadline: &'static str,
    pub n_immediate: &'static str,
    pub n_by_date: fn(&str) -> String,
    pub n_interim: &'static str,
    /// Interim measures by category code; the first entry with code "" is the default.
    pub n_interim_by_category: &'static [(&'static str, &'static str)],
    pub n_issued_by: &'static str,
    pub n_issued_on: &'static str,
    pub n_report_to: &'static str,
    pub n_recipient: &'static str,
    pub n_date: &'static str,
    pub n_refused: &'static str,
    pub n_recheck: &'static str,
    pub n_recheck_date: &'static str,
    pub n_recheck_result: &'static str,
    pub n_recheck_by: &'static str,
    pub n_recheck_results: &'static str,
    pub n_cut: &'static str,
    pub n_footer: &'static str,
    pub n_written: fn(&str, usize) -> String,
    pub ctx_report: &'static str,
    pub k_report: &'static str,
    pub k_notice: &'static str,
    pub t_report_title: &'static str,
    pub t_report_written: fn(&str) -> String,
    pub t_notice_written: fn(&str) -> String,
    pub people: &'static people::PeopleWords,
    /// The office, its laptops and bundles.
    pub sync: &'static sync::SyncWords,
    /// The office in the app: the inbox, the laptops, syncing from a laptop.
    pub office: &'static office::OfficeWords,
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
    pub fn event_kind(&self, k: crate::domain::HazardEventKind) -> &'static str {
        use crate::domain::HazardEventKind as K;
        match k {
            K::Created => self.ev_created,
            K::Rectified => self.ev_rectified,
            K::StillOpen => self.ev_still_open,
            K::Extended => self.ev_extended,
            K::Escalated => self.ev_escalated,
            K::OfficeResponse => self.ev_office_response,
            K::Assigned => self.ev_assigned,
            K::Reopened => self.ev_reopened,
            K::Voided => self.ev_voided,
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
