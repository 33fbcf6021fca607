//! `text`: a short summary to paste into the group chat (a few lines, in the interface
//! language), then the hazard list.

use super::{Report, ReportHazard};
use crate::i18n::Lang;

/// The whole text: the summary, a blank line, the hazard list.
pub fn render(r: &Report, lang: Lang) -> String {
    let mut s = summary(r, lang);
    let list = hazard_list(r, lang);
    if !list.is_empty() {
        s.push('\n');
        s.push_str(&list);
    }
    s
}

/// The summary for the group chat: the lines before the hazard list.
pub fn summary(r: &Report, lang: Lang) -> String {
    let c = lang.cat();
    let sum = &r.summary;
    let mut lines = vec![(c.rp_chat_title)(&r.community, &r.period())];
    if r.leaders.is_empty() {
        lines.push(c.rp_chat_no_patrol.to_string());
    } else if r.from == r.to {
        let spans: Vec<String> = r
            .leaders
            .iter()
            .map(|l| {
                (c.rp_leader_span)(
                    &l.name,
                    &super::clock_label(&l.first),
                    &super::clock_label(&l.last),
                )
            })
            .collect();
        lines.push((c.rp_chat_leaders)(&spans.join(c.rp_list_sep)));
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
            .map(|(n, d)| (c.rp_leader_days)(n, d.len()))
            .collect();
        lines.push((c.rp_chat_leaders)(&list.join(c.rp_list_sep)));
    }
    lines.push((c.rp_chat_buildings)(
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
    lines.push((c.rp_chat_found)(
        sum.hazards_found,
        &sev.join(c.rp_list_sep),
        &cat.join(c.rp_list_sep),
    ));
    lines.push((c.rp_chat_handled)(
        sum.fixed_on_spot,
        sum.rectified,
        sum.extended,
        sum.escalated,
        sum.recurring,
    ));
    lines.push((c.rp_chat_open)(sum.still_open, sum.overdue_carried));
    let filters = r.filters_label(lang);
    if !filters.is_empty() {
        lines.push(format!("{}{}{filters}", c.rp_filters, c.rp_colon));
    }
    if r.redacted {
        lines.push(c.rp_redacted.to_string());
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// The hazards, one line each, in three lists (found, followed up, overdue); empty lists
/// are left out.
pub fn hazard_list(r: &Report, lang: Lang) -> String {
    let c = lang.cat();
    let mut out = String::new();
    let lists: [(String, &[ReportHazard]); 3] = [
        ((c.rp_found_title)(r.found.len()), &r.found),
        ((c.rp_followed_title)(r.followed_up.len()), &r.followed_up),
        ((c.rp_overdue_title)(r.overdue.len()), &r.overdue),
    ];
    for (title, list) in lists {
        if list.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&title);
        out.push('\n');
        for (k, h) in list.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", k + 1, line(h, lang)));
        }
    }
    out
}

/// "YH-20261120-001 新芙蓉之都 2栋 1单元 3楼：描述（高、整改期限 立即、待整改、…）"
pub fn line(h: &ReportHazard, lang: Lang) -> String {
    let c = lang.cat();
    let mut facts = vec![
        c.severity(h.severity).to_string(),
        format!("{} {}", c.rp_columns[14], h.deadline_label(lang)),
    ];
    facts.push(h.status_long(lang));
    if h.fixed_on_spot {
        facts.push(c.rp_s_fixed_on_spot.to_string());
    }
    if h.recurrence > 0 {
        facts.push((c.rp_recurring)(h.recurrence));
    }
    let party = h.party();
    if !party.is_empty() {
        facts.push(format!("{} {party}", c.rp_columns[11]));
    }
    if let Some(to) = h.escalated_to.as_deref().filter(|t| !t.is_empty()) {
        facts.push(format!("{} {to}", c.rp_columns[18]));
    }
    let actions = h.actions_label(lang);
    if !actions.is_empty() {
        facts.push(actions);
    }
    format!(
        "{} {}{}{}{}",
        h.number,
        h.place(lang),
        c.rp_colon,
        h.description,
        (c.rp_paren)(&facts.join(c.rp_list_sep))
    )
}
