//! English interface text.
use super::Catalogue;

pub static CAT: Catalogue = Catalogue {
    nu: super::newuser::EN,
    kind_residential: "housing",
    kind_shop: "shop",
    kind_bike_shed: "bike shed",
    kind_other: "other",
    role_area_leader: "area leader",
    role_building_leader: "building leader",
    role_unit_leader: "unit leader",
    role_grid_worker: "grid worker",
    role_office: "community office",
    sev_low: "low",
    sev_medium: "medium",
    sev_high: "high",
    sev_critical: "critical",
    ans_ok: "OK",
    ans_hazard: "hazard",
    ans_na: "n/a",
    ans_none: "unchecked",
    st_open: "open",
    st_escalated: "escalated",
    st_rectified: "rectified",
    st_voided: "withdrawn",
    st_overdue: "overdue",
    summary: super::summary::EN,
    categories: &[
        ("egress", "escape routes"),
        ("ebike", "e-bikes"),
        ("equipment", "fire equipment"),
        ("electric", "electrical"),
        ("combustible", "combustibles"),
        ("gas", "gas"),
        ("access", "fire lane"),
        ("signage", "signs"),
    ],
    unit_name: |n| format!("Unit {n}"),

    err_db: |p, e| format!("database {p}: {e}"),
    err_newer_schema: |p, f, s| {
        format!(
            "database {p} was written by a newer firepatrol (version {f}; this one knows up to {s}). Please upgrade; the file was not changed."
        )
    },
    err_damaged: |p| {
        format!(
            "database {p} is damaged or is not a firepatrol database. The file was not changed."
        )
    },
    err_damaged_backup: |b| {
        format!("The newest backup is {b}; restore it with: firepatrol restore {b}")
    },
    err_is_dir: |p| format!("{p} is a folder, not a database file."),
    err_locked: |p| format!("database {p} is in use by another program; try again in a moment."),
    err_read_only: |p| format!("database {p} cannot be written (read-only or no permission)."),
    err_disk_full: |p| {
        format!(
            "the disk is full: cannot write {p}. Nothing was half-written; free some space and try again."
        )
    },
    err_moved: |p| {
        format!(
            "database {p} was moved or deleted while in use (a USB stick removed?); this was not saved. Put it back and try again."
        )
    },
    err_io: |p, e| format!("{p}: {e}"),
    err_encoding: |p| format!("{p}: unknown text encoding (UTF-8 and GBK are supported)."),
    err_empty_file: |p| format!("{p}: the file is empty."),
    err_header_only: |p| format!("{p}: there is a header but no rows."),
    err_file_type: |p| format!("{p}: only .csv and .xlsx files can be imported."),
    err_missing_column: |p, c| format!("{p}: the required column \"{c}\" is missing."),
    err_rows: |p, n| format!("{p}: {n} problem(s); nothing was imported:"),
    err_spreadsheet: |p, d| format!("{p}: cannot read the spreadsheet: {d}"),
    err_template: |p| format!("checklist template {p} has problems; nothing was imported:"),
    err_no_template: |id| format!("there is no checklist template named {id}."),
    err_no_database: |p| {
        format!(
            "there is no database at {p} yet. Make one with firepatrol init, or try the app on the demo community with firepatrol demo."
        )
    },
    err_tampered: |p, n| {
        format!(
            "{n} record(s) in {p} were changed outside the app (listed above). Check with the office; restore a backup with firepatrol restore if needed."
        )
    },
    err_not_a_database: |p| {
        format!(
            "{p} is not a firepatrol database (an empty file, or another program's); nothing was changed. Make one with firepatrol init, or try firepatrol demo."
        )
    },
    err_not_found: |what, key| {
        use crate::domain::Thing as T;
        let w = match what {
            T::Building => "building",
            T::Hazard => "hazard",
            T::Person => "person",
            T::Patrol => "patrol",
            T::Grid => "grid",
            T::Template => "checklist template",
        };
        format!("there is no {w} \"{key}\" (it may have been removed or renamed).")
    },
    err_terminal: |d| format!("the terminal cannot be used: {d}"),
    err_xlsx: |d| format!("cannot build the Excel file: {d}"),
    row_at: |r, c| {
        if c.is_empty() {
            format!("row {r}: ")
        } else {
            format!("row {r}, column \"{c}\": ")
        }
    },
    prob_missing: "must not be empty",
    prob_not_number: |v| format!("\"{v}\" is not a number"),
    prob_not_phone: |v| {
        format!(
            "\"{v}\" is not a phone number (a mobile has 11 digits starting with 1; a landline needs its area code)"
        )
    },
    prob_unknown_kind: |v| {
        format!("unknown kind \"{v}\" (use residential, shop, bike_shed or other)")
    },
    prob_unknown_role: |v| {
        format!(
            "unknown role \"{v}\" (use area_leader, building_leader, unit_leader, grid_worker or office)"
        )
    },
    prob_too_long: |n| format!("too long ({n} characters)"),
    prob_no_building: |v| format!("no building \"{v}\""),
    prob_duplicate: |r| format!("repeats row {r} with different data"),
    tpl_syntax: |m| format!("syntax error: {m}"),
    tpl_empty: "must not be empty",
    tpl_too_long: |n| format!("too long ({n} characters)"),
    tpl_bad_id: "ids may only use letters, digits, - and _",
    tpl_duplicate: |id| format!("id {id} is used twice"),
    tpl_no_items: "no checklist items",
    tpl_no_kinds: "no site kinds given",

    cli_error: "error",
    import_unknown_columns: |c| format!("unknown columns, ignored: {c}"),
    import_summary: |dry, n| {
        format!(
            "{}{} rows: {} new buildings, {} changed, {} unchanged; {} new units, {} new people, {} new duties; {} new communities, {} new grids, {} new compounds.",
            if dry {
                "(dry run, nothing written) "
            } else {
                ""
            },
            n.rows,
            n.buildings_new,
            n.buildings_changed,
            n.buildings_same,
            n.units,
            n.people,
            n.duties,
            n.communities,
            n.grids,
            n.compounds
        )
    },
    template_imported: |id, n| format!("checklist template {id} imported ({n} items)."),
    backup_key_note: |k| {
        format!(
            "The sync keys are not in the backup: they stay in {k}, beside the database. A restore uses the key file that is there. Keep it on this computer only; never copy it with the backup or send it."
        )
    },
    backup_written: |p| format!("backup written to {p}"),
    check_ok: |p| format!("{p}: OK."),
    check_failed: |p| format!("{p}: the check found problems:"),
    init_done: |p| format!("database created: {p}"),
    init_exists: |p| format!("database already exists: {p} (not changed)"),
    demo_db_at: |p| format!("demo community database: {p}"),
    ledger_columns: &[
        "Number",
        "Found at",
        "Found by",
        "Place (building-unit-spot)",
        "Item",
        "Category",
        "Description",
        "Severity",
        "Responsible",
        "Room",
        "Phone",
        "Deadline",
        "Status",
        "Days overdue",
        "Recurrences",
        "Escalated to",
    ],
    ledger_table_columns: &[
        "Number", "Place", "Hazard", "Severity", "Due", "Status", "Overdue", "Back", "",
    ],
    ledger_total: |n| format!("{n} hazard(s)"),
    ev_created: "found",
    ev_rectified: "rectified",
    ev_still_open: "still open",
    ev_extended: "extended",
    ev_escalated: "escalated",
    ev_office_response: "office response",
    ev_assigned: "assigned for re-check",
    ev_reopened: "reopened",
    ev_voided: "withdrawn",
    restore_kept: |p| format!("the current database was kept as {p}"),
    restore_done: |f, d| format!("database {d} restored from {f}"),
    backup_failed: |e| format!("today's automatic backup failed: {e}"),
    generate_exists: |p| format!("{p} exists already; the generator only writes a new file."),
    generate_too_big: |flag, max| format!("{flag} must be from 1 to {max}; nothing was made."),
    err_stdout: |d| format!("cannot write to standard output: {d}"),
    generated: |b, h, p, s| format!("generated {b} buildings and {h} hazards in {p} ({s:.1} s)"),
    xlsx_needs_out: "the xlsx format needs --out PATH",
    generate_needs_db: "--db PATH is required",
    cli_bad_now: |s| format!("FIREPATROL_NOW / --now: cannot read {s:?}"),
    ledger_written: |n, p| format!("{n} hazard(s) written to {p}"),
    stats_text: |s| {
        format!(
            "{} buildings, {} units, {} people, {} patrols, {} items answered\n{} hazards: {} open ({} overdue, {} escalated), {} rectified",
            s.buildings,
            s.units,
            s.people,
            s.patrols,
            s.answers,
            s.hazards.total,
            s.hazards.open,
            s.hazards.overdue,
            s.hazards.escalated,
            s.hazards.rectified
        )
    },

    // --- ledger, detail, history, overview
    ctx_ledger: "ledger",
    ctx_detail: "hazard",
    ctx_history: "building history",
    k_ledger: "ledger (filter, follow up)",
    k_overview: "charts (switch plan / charts)",
    k_history: "history (all patrols and hazards of the building)",
    k_status: "status (open, due, overdue...)",
    k_sort: "sort (deadline, found, severity, building)",
    k_filters: "filters (grid, compound, category, severity, finder, dates, recurring)",
    k_text_filter: "search (type text)",
    k_detail_open: "open (this hazard)",
    k_rectify_note: "rectified (checked, optional note)",
    k_respond: "office response (record it)",
    k_reopen: "reopen (reason needed)",
    t_any: "any",
    t_filter_title: " Filter the ledger ",
    t_filter_hint: "Left/Right choose, Tab next field, Enter apply, Esc cancel. Dates: 2026-11-01 or 11-01.",
    e_day: "cannot read this date: write 2026-11-01 or 11-01",
    t_rectify_title: " Rectified ",
    t_respond_title: " Office response ",
    t_reopen_title: " Reopen ",
    t_saved: "saved",
    f_grid: "Grid",
    f_compound: "Compound",
    f_category: "Category",
    f_leader: "Found by",
    f_from: "Found from",
    f_until: "Found until",
    f_recurring: "Recurring only",
    status_filters: [
        "open",
        "today",
        "this week",
        "overdue",
        "escalated",
        "rectified",
        "all",
    ],
    sorts: ["by deadline", "by found date", "by severity", "by building"],
    t_ledger_title: |n, t| format!(" Hazard ledger: {n} of {t} shown "),
    t_ledger_filters: |f| format!("filters: {f}"),
    t_none: "none",
    t_detail_title: " Hazard ",
    t_history_events: "History",
    t_history_title: |b| format!(" {b}: patrols and hazards "),
    t_visits: "Patrols (newest first)",
    t_visit: |d, p, n, h| format!("{d}  {p}  {n} items  {h} hazard(s)"),
    t_building_hazards: "Hazards (newest first)",
    t_overview_categories: " Open hazards by category ",
    t_overview_daily: " Last 30 days: found / rectified per day ",
    t_found_per_day: |n| format!("found ({n} in all)"),
    t_fixed_per_day: |n| format!("rectified ({n} in all)"),
    t_recurring_word: "recurring",
    // --- the app
    app_name: "firepatrol",
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    ctx_global: "everywhere",
    ctx_start: "start",
    ctx_inspector: "who patrols",
    ctx_picker: "building list",
    ctx_walk: "checklist",
    ctx_recheck: "re-check",
    ctx_form: "form",
    k_help: "help (show or close this list)",
    k_help_short: "help",
    ctx_text: "text fields",
    k_clear_field: "clear the field",
    k_delete_word: "delete the word before the cursor",
    k_force_quit: "quit safely, or stop a running sync",
    k_search: "search (pinyin, initials, numbers)",
    k_move: "move (down / up)",
    k_page: "page down / up",
    k_start_open: "start (the highlighted building)",
    k_picker: "buildings (all, as a list)",
    k_resume: "resume (the interrupted patrol)",
    k_change_inspector: "change person (who patrols)",
    k_quit: "quit",
    k_pick_person: "pick (this person)",
    k_back: "back",
    k_picker_open: "start (the highlighted building)",
    k_filter: "filter (type text)",
    k_ok: "OK (then the next item)",
    k_na: "not applicable",
    k_hazard: "hazard (opens the form)",
    k_undo: "undo (the last answer)",
    k_change: "change (an answered item; unanswered: OK)",
    k_next_unit: "next unit (after the last: next building)",
    k_prev_unit: "previous unit",
    k_walk_back: "back (answers are saved)",
    k_rectified: "rectified (checked now)",
    k_still_open: "not fixed",
    k_extend: "extend the deadline (reason needed)",
    k_escalate: "escalate to the community office",
    k_to_checklist: "checklist (skip the rest)",
    k_fields: "fields (next / previous)",
    k_choices: "choose (severity, deadline, on/off)",
    k_toggle: "toggle (yes / no)",
    k_save: "save",
    k_cancel: "cancel (save nothing)",
    e_date_unreadable: "cannot read this date. Try +3, 12-01, 2026-12-01 or fri",
    e_date_no_such: "there is no such day",
    e_date_past: |d| format!("{d} is in the past; the deadline cannot be before today"),
    e_phone: "mobile: 11 digits from 1; landline: with area code",
    e_reason_required: "please give a reason",
    e_required: "this field must not be empty",
    e_too_long: |n| format!("too long: at most {n} characters"),
    f_description: "Description",
    f_spot: "Where",
    f_party_name: "Responsible",
    f_party_room: "Room",
    f_party_phone: "Phone",
    f_severity: "Severity",
    f_deadline: "Deadline",
    f_fixed_now: "Fixed on spot",
    f_escalate: "Escalate",
    f_escalate_note: "Escalation note",
    f_reason: "Reason",
    f_to: "To",
    f_note: "Note",
    r_no_such: |k| format!("there is no hazard {k}"),
    r_ambiguous: |k| format!("{k} matches several hazards; give the whole id"),
    r_already_rectified: "this hazard is already rectified",
    r_not_rectified: "this hazard is not rectified, so it cannot be reopened",
    r_withdrawn: "this hazard was withdrawn",
    r_not_escalated: "this hazard was not escalated",
    r_not_later: |d| format!("the new deadline must be after the current one ({d})"),
    t_already_hazard: "already recorded as a hazard; press Enter to change or u to undo",
    t_building_done: |b, n, h| format!("{b} done: {n} items, {h} hazard(s). All saved."),
    t_building_items: "whole building",
    t_cancelled: "cancelled, nothing saved",
    t_change_answer: "change to: y OK  n n/a  x hazard  Esc keep",
    t_checklist_title: " Checklist ",
    t_date_hint: "(Left/Right)",
    t_day_progress: |a, t| format!("today: {a} items checked / {t} planned"),
    t_deadline: |d| format!("due {}", d.get(5..).unwrap_or(d)),
    t_in_progress: "started",
    t_done_today: "done",
    t_due_today: "due today",
    t_error_mark: "Error:",
    t_escalate_title: " Escalate to the office ",
    t_extend_title: " Extend the deadline ",
    t_filter: "filter:",
    t_hazard_counts: |o, d| {
        if d > 0 {
            format!("{o} open {d} late")
        } else {
            format!("{o} open")
        }
    },
    t_hazard_saved: |n| format!("hazard {n} saved"),
    t_hazard_saved_recurring: |n, k| format!("hazard {n} saved. Note: it came back ({k} time(s))"),
    t_hazard_title: " Record a hazard ",
    t_help_close: "press any key to close",
    t_help_title: " Keys ",
    t_inspector_is: |n| format!("inspector {n}"),
    t_inspector_set: |n| format!("patrolling: {n}"),
    t_last_patrol: |d| format!("last {d}"),
    t_never_patrolled: "never",
    t_no_buildings: "No buildings yet. Import them with firepatrol import buildings FILE.xlsx, or try firepatrol demo.",
    t_no_match: "no building matches",
    t_no_such_person: |q| format!("no person matches \"{q}\"; pick from the list"),
    t_no: "no",
    t_yes: "yes",
    t_nothing_to_undo: "nothing to undo",
    t_office_default: "community office",
    t_open_hazards: "open",
    t_overdue_days: |d| format!("{d} days late"),
    t_overdue: "overdue",
    t_own: "mine",
    t_panic: |p| {
        format!(
            "firepatrol hit an internal error and stopped. Everything saved is kept. The report is in {p}"
        )
    },
    t_picker_title: " All buildings ",
    t_plan_empty: "No building is due today. Press b for all buildings.",
    t_plan_title: |n| format!(" Today's plan: {n} buildings "),
    t_recheck_title: |n| format!(" Re-check earlier hazards ({n}) "),
    t_recurring: |k| format!("back {k}x"),
    t_resume: |b, u, i, p| format!("resume: {b} {u} item {i} ({p})"),
    t_saving: "saving",
    t_to_patrol: "to do",
    t_to_recheck: "to check",
    t_today: "today",
    t_too_small: |w, h, cw, ch| {
        format!(
            "The window is too small: at least {w}x{h} is needed, it is {cw}x{ch}. Enlarge it or use a smaller font."
        )
    },
    t_undone: "last answer undone",
    t_unsaved: "not saved",
    t_verdict_saved: |n, v| format!("{n}: {v}, saved"),
    t_walk_progress: |u, a, b, c, d, e, f| {
        format!("{u} {a}/{b}   building {c}/{d}   today {e}/{f}")
    },
    t_who_patrols: "Who is patrolling today? Pick and press Enter (remembered next time)",
    v_rectified: "rectified",
    v_still_open: "still open",
    v_extended: "extended",
    v_escalated: "escalated",
    // --- reports and notices (issue 5)
    report: super::report::EN,
    err_export: |p, why| format!("cannot write {p}: {why}. No partial file was left."),
    exp_no_dir: "the folder does not exist",
    exp_denied: "no permission to write there",
    exp_full: "the disk is full",
    n_title: "Notice to rectify a fire hazard",
    n_copy_party: "Copy for the resident / unit",
    n_copy_office: "Stub kept by the community office",
    n_number: "Number",
    n_to: "To",
    n_to_place: |p| format!("the residents concerned, {p}"),
    n_intro: "During a routine fire-safety patrol the hazard below was found. For your safety and your neighbours', please fix it as required and tell your building leader when it is done, so that it can be re-checked.",
    n_place: "Place",
    n_found: "Found",
    n_description: "What was found",
    n_basis: "Basis",
    n_todo: "What to do",
    n_todo_text: |p| format!("Required state: {p}."),
    n_deadline: "Deadline",
    n_immediate: "at once",
    n_by_date: |d| format!("by {d}"),
    n_interim: "Until it is fixed",
    n_interim_by_category: &[
        (
            "",
            "Take the precautions needed; call 119 at once if there is a fire.",
        ),
        (
            "egress",
            "Keep the stairs and corridors clear; store nothing there; never lock an exit.",
        ),
        (
            "ebike",
            "Park the e-bike outside in the shared parking area; do not park or charge it in the stairwell, the flat or the lift.",
        ),
        (
            "equipment",
            "Tell the neighbours where the nearest other extinguisher is; call 119 at once if there is a fire.",
        ),
        (
            "electric",
            "Unplug the improvised wiring; stop using the faulty cable or socket.",
        ),
        (
            "combustible",
            "Keep the combustibles away from flames and power; no smoking or open flames in the stairwell.",
        ),
        (
            "gas",
            "Close the gas valve, open the windows, no open flames; call the gas company.",
        ),
        ("access", "Do not park or put obstacles in the fire lane."),
        (
            "signage",
            "Tell the residents the way out; keep the stairwell lit at night.",
        ),
    ],
    n_issued_by: "Issued by",
    n_issued_on: "Issued on",
    n_report_to: "Escalated to",
    n_recipient: "Received by (signature)",
    n_date: "Date",
    n_refused: "If the recipient refuses to sign, the issuer notes it here:",
    n_recheck: "Re-check",
    n_recheck_date: "Date",
    n_recheck_result: "Result",
    n_recheck_by: "Checked by",
    n_recheck_results: "[ ] fixed   [ ] not fixed   [ ] escalated to the office",
    n_cut: "Cut along this line: the upper part goes to the resident / unit, the lower part stays with the office",
    n_footer: "Issued by a volunteer building leader or grid worker on a routine fire-safety patrol, as a reminder; a hazard left unfixed is reported to the community office, which may refer it to the fire and rescue service.",
    n_written: |p, n| format!("Notice written to {p} (pages: {n})"),
    ctx_report: "report preview",
    k_report: "report (preview; write md, csv, xlsx, html)",
    k_notice: "notice (to rectify, printable file)",
    t_report_title: " Today's report (text for the group chat) ",
    t_report_written: |d| format!("Report files written to {d}"),
    t_notice_written: |p| format!("Notice written to {p}"),
    people: &super::people::EN,
    sync: &super::sync::EN,
    office: &super::office::EN,
};
