//! English interface text.
use super::Catalogue;

pub static CAT: Catalogue = Catalogue {
    kind_residential: "residential",
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
    ans_none: "not checked",
    st_open: "open",
    st_escalated: "escalated",
    st_rectified: "rectified",
    st_voided: "withdrawn",
    st_overdue: "overdue",
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
            "the disk is full: cannot write {p}. Anything not saved is still on screen; free some space and try again."
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
    err_no_database: |p| format!("there is no database at {p} yet. Run firepatrol init first."),
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
        format!("\"{v}\" is not a phone number (digits, spaces, dashes and a leading + only)")
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
    backup_written: |p| format!("backup written to {p}"),
    check_ok: |p| format!("{p}: OK."),
    check_failed: |p| format!("{p}: the check found problems:"),
    init_done: |p| format!("database created: {p}"),
    init_exists: |p| format!("database already exists: {p} (not changed)"),
    demo_db_at: |p| format!("demo community database: {p}"),
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
};
