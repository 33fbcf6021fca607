//! `md`: the whole report as Markdown. Text from the database is escaped so that it can
//! neither break a table nor become markup or HTML when the file is rendered.

use super::{Lists, Report, Section};
use crate::error::Result;
use crate::fsio::export_error;
use crate::i18n::Lang;
use std::io::Write;
use std::path::Path;

/// Escape text for a Markdown table cell or inline text: HTML specials become entities, the
/// inline Markdown punctuation (emphasis, code, links, strike-through, cell bars) is
/// backslash-escaped, line breaks become spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(ch);
            }
            c => out.push(c),
        }
    }
    out
}

fn table(out: &mut String, head: &[&str], rows: &[Vec<String>]) {
    table_head(out, head);
    for r in rows {
        table_row(out, r);
    }
}

fn table_head(out: &mut String, head: &[&str]) {
    out.push_str(&format!("| {} |\n", head.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(head.len())));
}

fn table_row(out: &mut String, row: &[String]) {
    let cells: Vec<String> = row.iter().map(|c| escape(c)).collect();
    out.push_str(&format!("| {} |\n", cells.join(" | ")));
}

/// Write the Markdown to `w` (`path` names it in errors): the summary, then each hazard list
/// row by row as it is read.
pub fn write(
    r: &Report,
    lists: &dyn Lists,
    lang: Lang,
    w: &mut dyn Write,
    path: &Path,
) -> Result<()> {
    let io = |e: std::io::Error| export_error(path, e);
    let c = lang.cat();
    let s = &r.summary;
    let mut out = format!("# {}\n\n", escape(&(c.report.rp_title)(&r.community)));
    out.push_str(&format!(
        "**{}**{}{}  \n**{}**{}{}  \n",
        c.report.rp_period,
        c.report.rp_colon,
        escape(&r.period()),
        c.report.rp_generated,
        c.report.rp_colon,
        escape(&super::time_label(&r.generated_at)),
    ));
    let filters = r.filters_label(lang);
    if !filters.is_empty() {
        out.push_str(&format!(
            "**{}**{}{}  \n",
            c.report.rp_filters,
            c.report.rp_colon,
            escape(&filters)
        ));
    }
    if r.redacted {
        out.push_str(&format!("\n> {}\n", escape(c.report.rp_redacted)));
    }

    out.push_str(&format!("\n## {}\n\n", c.report.rp_summary));
    let sev: Vec<String> = s
        .by_severity
        .iter()
        .map(|x| format!("{} {}", c.severity(x.severity), x.count))
        .collect();
    let cat: Vec<String> = s
        .by_category
        .iter()
        .map(|x| format!("{} {}", c.category(&x.category), x.count))
        .collect();
    let rows = summary_rows(r, lang);
    let mut rows: Vec<Vec<String>> = rows.into_iter().map(|(k, v)| vec![k, v]).collect();
    rows.insert(
        4,
        vec![
            format!("· {}", c.report.rp_s_by_severity),
            sev.join(c.report.rp_list_sep),
        ],
    );
    rows.insert(
        5,
        vec![
            format!("· {}", c.report.rp_s_by_category),
            if cat.is_empty() {
                c.report.rp_none.to_string()
            } else {
                cat.join(c.report.rp_list_sep)
            },
        ],
    );
    table(
        &mut out,
        &[c.report.rp_item_col, c.report.rp_count_col],
        &rows,
    );

    out.push_str(&format!("\n## {}\n\n", c.report.rp_leaders));
    if r.leaders.is_empty() {
        out.push_str(&format!("{}\n", c.report.rp_none));
    } else {
        let rows: Vec<Vec<String>> = r
            .leaders
            .iter()
            .map(|l| {
                vec![
                    l.name.clone(),
                    l.day.clone(),
                    super::clock_label(&l.first),
                    super::clock_label(&l.last),
                    l.minutes.to_string(),
                    l.buildings.to_string(),
                    l.items.to_string(),
                ]
            })
            .collect();
        table(&mut out, c.report.rp_leader_columns, &rows);
    }

    out.push_str(&format!("\n## {}\n\n", c.report.rp_buildings));
    if r.buildings.is_empty() {
        out.push_str(&format!("{}\n", c.report.rp_none));
    } else {
        let rows: Vec<Vec<String>> = r
            .buildings
            .iter()
            .map(|b| {
                vec![
                    b.display_name(),
                    b.grid.clone(),
                    b.leaders.join(c.report.rp_list_sep),
                    (c.report.rp_units_of)(b.units_visited, b.units),
                    b.items_checked.to_string(),
                    b.hazards_found.to_string(),
                ]
            })
            .collect();
        table(&mut out, c.report.rp_building_columns, &rows);
    }

    for section in Section::ALL {
        let n = section.count(&r.lists);
        let title = section.title(n, lang);
        let with_actions = section == Section::FollowedUp;
        out.push_str(&format!("\n## {}\n\n", escape(&title)));
        if n == 0 {
            out.push_str(&format!("{}\n", c.report.rp_none));
            continue;
        }
        let k = c.report.rp_columns;
        let mut head = vec![
            k[1], k[2], k[3], k[5], k[6], k[8], k[10], k[11], k[14], k[15], k[17], k[18],
        ];
        if with_actions {
            head.push(k[19]);
        }
        table_head(&mut out, &head);
        w.write_all(out.as_bytes()).map_err(io)?;
        out.clear();
        lists.each(section, &mut |h| {
            let mut row = vec![
                h.number.clone(),
                h.found_label(),
                h.found_by.clone(),
                h.place(lang),
                format!("{} {}", h.item_id, c.category(&h.category)),
                h.description.clone(),
                c.severity(h.severity).to_string(),
                h.party(),
                h.deadline_label(lang),
                h.status_long(lang),
                h.recurrence.to_string(),
                h.escalated_to.clone().unwrap_or_default(),
            ];
            if with_actions {
                row.push(h.actions_label(lang));
            }
            let mut line = String::new();
            table_row(&mut line, &row);
            w.write_all(line.as_bytes()).map_err(io)
        })?;
    }
    w.write_all(out.as_bytes()).map_err(io)
}

/// The summary's lines as (label, value), shared by the Markdown, HTML and XLSX forms.
pub fn summary_rows(r: &Report, lang: Lang) -> Vec<(String, String)> {
    let c = lang.cat();
    let s = &r.summary;
    vec![
        (
            c.report.rp_s_buildings.to_string(),
            s.buildings_patrolled.to_string(),
        ),
        (
            c.report.rp_s_planned.to_string(),
            s.buildings_planned.to_string(),
        ),
        (c.report.rp_s_items.to_string(), s.items_checked.to_string()),
        (c.report.rp_s_found.to_string(), s.hazards_found.to_string()),
        (
            c.report.rp_s_fixed_on_spot.to_string(),
            s.fixed_on_spot.to_string(),
        ),
        (c.report.rp_s_rectified.to_string(), s.rectified.to_string()),
        (c.report.rp_s_extended.to_string(), s.extended.to_string()),
        (c.report.rp_s_escalated.to_string(), s.escalated.to_string()),
        (c.report.rp_s_recurring.to_string(), s.recurring.to_string()),
        (
            c.report.rp_s_still_open.to_string(),
            s.still_open.to_string(),
        ),
        (
            c.report.rp_s_overdue.to_string(),
            s.overdue_carried.to_string(),
        ),
    ]
}
