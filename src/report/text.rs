//! `text`: the short text to paste into the group chat, in the interface language: a fixed
//! number of summary lines, then the few hazards that need action (the most urgent
//! [`TOP`]), then "and K more: see the ledger file". It stays short at any scale: a district
//! of a thousand buildings gives the same number of lines as one building. Its numbers come
//! from the list it shows, so the summary and the list agree.

use super::{ActOn, Lists, Report, ReportHazard};
use crate::domain::HazardStatus;
use crate::error::Result;
use crate::i18n::Lang;

/// The summary for the group chat: the lines before the hazard list.
pub fn summary(r: &Report, lists: &dyn Lists, lang: Lang) -> Result<String> {
    Ok(summary_with(r, &to_act_on(lists)?, lang))
}

fn summary_with(r: &Report, todo: &ActOn, lang: Lang) -> String {
    let c = lang.cat();
    let sum = &r.summary;
    let mut lines = vec![(c.report.rp_chat_title)(&r.community, &r.period())];
    if r.leaders.is_empty() {
        lines.push(c.report.rp_chat_no_patrol.to_string());
    } else if r.from == r.to {
        let spans: Vec<String> = r
            .leaders
            .iter()
            .map(|l| {
                (c.report.rp_leader_span)(
                    &l.name,
                    &super::clock_label(&l.first),
                    &super::clock_label(&l.last),
                )
            })
            .collect();
        lines.push((c.report.rp_chat_leaders)(&capped(&spans, lang)));
    } else {
        // Over several days: each leader with the number of days on patrol.
        let mut days: Vec<(String, std::collections::BTreeSet<String>)> = Vec::new();
        for l in &r.leaders {
            match days.iter_mut().find(|(n, _)| *n == l.name) {
                Some((_, d)) => {
                    d.insert(l.day.clone());
                }
                None => days.push((l.name.clone(), [l.day.clone()].into())),
            }
        }
        let list: Vec<String> = days
            .iter()
            .map(|(n, d)| (c.report.rp_leader_days)(n, d.len()))
            .collect();
        lines.push((c.report.rp_chat_leaders)(&capped(&list, lang)));
    }
    lines.push((c.report.rp_chat_buildings)(
        sum.buildings_patrolled,
        sum.buildings_planned,
        sum.items_checked,
    ));
    let sev: Vec<String> = sum
        .by_severity
        .iter()
        .filter(|s| s.count > 0)
        .map(|s| format!("{} {}", c.severity(s.severity), s.count))
        .collect();
    let cat: Vec<String> = sum
        .by_category
        .iter()
        .map(|x| format!("{} {}", c.category(&x.category), x.count))
        .collect();
    lines.push((c.report.rp_chat_found)(
        sum.hazards_found,
        &sev.join(c.report.rp_list_sep),
        &cat.join(c.report.rp_list_sep),
    ));
    lines.push((c.report.rp_chat_handled)(
        sum.fixed_on_spot,
        sum.rectified,
        sum.extended,
        sum.escalated,
        sum.recurring,
    ));
    lines.push((c.nu.chat_open)(
        todo.total,
        todo.from_period,
        todo.total - todo.from_period,
    ));
    let filters = r.filters_label(lang);
    if !filters.is_empty() {
        lines.push(format!(
            "{}{}{filters}",
            c.report.rp_filters, c.report.rp_colon
        ));
    }
    if r.redacted {
        lines.push(c.report.rp_redacted.to_string());
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// How many hazards the chat text lists by name; the rest are counted.
pub const TOP: usize = 5;

/// How many leaders the chat text names; the rest are counted.
const TOP_LEADERS: usize = 3;

/// The whole text: the summary, a blank line, the hazards to act on.
pub fn render(r: &Report, lists: &dyn Lists, lang: Lang) -> Result<String> {
    let todo = to_act_on(lists)?;
    let mut s = summary_with(r, &todo, lang);
    let list = todo_list(&todo, lang);
    if !list.is_empty() {
        s.push('\n');
        s.push_str(&list);
    }
    Ok(s)
}

/// "张德明 08:10-09:30、刘建国 09:30-10:00 等 5 人"
fn capped(names: &[String], lang: Lang) -> String {
    let c = lang.cat();
    let mut s = names
        .iter()
        .take(TOP_LEADERS)
        .cloned()
        .collect::<Vec<_>>()
        .join(c.report.rp_list_sep);
    if names.len() > TOP_LEADERS {
        s.push(' ');
        s.push_str(&(c.nu.chat_more_leaders)(
            names.len(),
            names.len() - TOP_LEADERS,
        ));
    }
    s
}

/// Read the lists' hazards to act on, the [`TOP`] most urgent kept (see [`ActOn`]).
pub fn to_act_on(lists: &dyn Lists) -> Result<ActOn> {
    lists.act_on(TOP)
}

/// The heading, the [`TOP`] most urgent hazards one short line each, and "and K more".
fn todo_list(todo: &ActOn, lang: Lang) -> String {
    let c = lang.cat();
    if todo.total == 0 {
        return String::new();
    }
    let shown = todo.total.min(TOP);
    let mut out = (c.nu.chat_todo_title)(todo.total, shown);
    out.push('\n');
    for (k, (_, h)) in todo.top.iter().enumerate() {
        out.push_str(&format!("{}. {}\n", k + 1, line(h, lang)));
    }
    if todo.total > TOP {
        out.push_str(&(c.nu.chat_more)(todo.total - TOP));
        out.push('\n');
    }
    out
}

/// The longest description the chat text shows (in characters) before "…".
const DESCRIPTION_MAX: usize = 30;

/// "YH-20261120-001 新芙蓉之都 2栋 1单元 3楼：描述（高、逾期 3 天、责任人 王* 302）":
/// what, where, how serious, by when, and who (name and room; never the phone).
pub fn line(h: &ReportHazard, lang: Lang) -> String {
    let c = lang.cat();
    let mut facts = vec![c.severity(h.severity).to_string()];
    if h.overdue {
        facts.push(h.status_long(lang));
    } else {
        facts.push((c.nu.chat_due)(&h.deadline_label(lang)));
        if h.status == HazardStatus::Escalated {
            facts.push(c.status(h.status).to_string());
        }
    }
    if h.recurrence > 0 {
        facts.push((c.report.rp_recurring)(h.recurrence));
    }
    let who = [h.party_name.as_str(), h.party_room.as_str()]
        .iter()
        .filter(|x| !x.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if !who.is_empty() {
        facts.push(format!("{} {who}", c.report.rp_columns[11]));
    }
    let mut description: String = h.description.chars().take(DESCRIPTION_MAX).collect();
    if h.description.chars().count() > DESCRIPTION_MAX {
        description.push('…');
    }
    format!(
        "{} {}{}{}{}",
        h.number,
        h.place(lang),
        c.report.rp_colon,
        description,
        (c.report.rp_paren)(&facts.join(c.report.rp_list_sep))
    )
}
