//! The patrol record book (防火巡查记录, 公安部令第61号 第25条 and 第43条): one A4 page per
//! leader for a day, one row per building visited: the time, the place, the six groups of
//! art. 25 (√ checked and normal, × a hazard found, "/" does not apply), what was found
//! ("正常", or the place and the fault) and what was done (fixed on the spot, notice given
//! with its deadline, escalated). It ends with the patroller's and the supervisor's
//! signature lines. `firepatrol record --date D [--inspector NAME]`.
//!
//! The parties' names and phones are never printed: the record says where and what, not who.

use crate::error::Result;
use crate::export::html_escape as e;
use crate::i18n::Lang;
use crate::store::{HazardRow, ReportScope, Store};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// The art. 25 group (0..6) of a checklist item, by its id, then its category: (一) fire and
/// electricity, (二) exits and escape routes, (三) equipment and signs, (四) fire doors,
/// (五) key places staffed (no residential item), (六) other.
pub fn group_of(item_id: &str, category: &str) -> usize {
    match item_id {
        "EGR-03" => 3,
        "EBK-01" => 1,
        "EBK-05" => 2,
        "FUE-01" => 1,
        _ => match category {
            "electric" | "gas" | "ebike" => 0,
            "egress" => 1,
            "equipment" | "signage" => 2,
            _ => 5,
        },
    }
}

/// One building visited by one leader on the day.
#[derive(Clone, Debug, Default)]
struct Visit {
    first_at: String,
    place: String,
    /// Per group: checked (an item answered), and hazards found.
    checked: [bool; 6],
    faults: [bool; 6],
    found: Vec<String>,
    done: Vec<String>,
}

/// A leader's page: their name and visits in the order walked.
struct Page {
    leader: String,
    visits: Vec<Visit>,
}

fn hhmm(stamp: &str) -> String {
    stamp.get(11..16).unwrap_or("").to_string()
}

fn collect(store: &Store, scope: &ReportScope, lang: Lang) -> Result<Vec<Page>> {
    let c = lang.cat();
    let w = &c.summary;
    let cats: HashMap<String, String> = store
        .templates()?
        .into_iter()
        .flat_map(|t| t.items)
        .map(|i| (i.id, i.category))
        .collect();
    let answers = store.report_answers(scope)?;
    // The answer in force per item of each patrol.
    let mut in_force: BTreeMap<(String, String, Option<String>, String), usize> = BTreeMap::new();
    for (k, a) in answers.iter().enumerate() {
        in_force.insert(
            (
                a.patrol_id.clone(),
                a.building_id.clone(),
                a.unit_id.clone(),
                a.item_id.clone(),
            ),
            k,
        );
    }
    let mut places: HashMap<String, String> = HashMap::new();
    for b in store.report_buildings(&ReportScope {
        inspector: None,
        ..scope.clone()
    })? {
        places.insert(
            b.id,
            format!("{} {}", b.compound, b.name).trim().to_string(),
        );
    }
    let found: Vec<HazardRow> = store.report_found(scope)?;
    let day = scope.from.format("%Y-%m-%d").to_string();
    let mut pages: Vec<Page> = Vec::new();
    let mut page_of: HashMap<String, usize> = HashMap::new();
    let mut visit_of: HashMap<(String, String), (usize, usize)> = HashMap::new();
    for a in &answers {
        let p = *page_of.entry(a.patrol_id.clone()).or_insert_with(|| {
            pages.push(Page {
                leader: a.inspector.clone(),
                visits: vec![],
            });
            pages.len() - 1
        });
        let key = (a.patrol_id.clone(), a.building_id.clone());
        let (pi, vi) = *visit_of.entry(key).or_insert_with(|| {
            pages[p].visits.push(Visit {
                first_at: a.answered_at.clone(),
                place: places.get(&a.building_id).cloned().unwrap_or_default(),
                ..Visit::default()
            });
            (p, pages[p].visits.len() - 1)
        });
        let v = &mut pages[pi].visits[vi];
        if a.answered_at < v.first_at {
            v.first_at.clone_from(&a.answered_at);
        }
    }
    for ((patrol, building, _, item), k) in &in_force {
        let a = &answers[*k];
        if let Some((pi, vi)) = visit_of.get(&(patrol.clone(), building.clone())) {
            let g = group_of(item, cats.get(item).map(String::as_str).unwrap_or(""));
            let v = &mut pages[*pi].visits[*vi];
            match a.value.as_str() {
                "ok" => v.checked[g] = true,
                "hazard" => {
                    v.checked[g] = true;
                    v.faults[g] = true;
                }
                _ => {}
            }
        }
    }
    // Hazards found on the day, on the page of the patrol they were found in (the finder's
    // visit to that building).
    let patrol_of_hazard: HashMap<String, String> = store.hazard_patrols(&day, &day)?;
    for h in &found {
        let Some(patrol) = patrol_of_hazard.get(&h.id) else {
            continue;
        };
        let Some((pi, vi)) = visit_of.get(&(patrol.clone(), h.building_id.clone())) else {
            continue;
        };
        let v = &mut pages[*pi].visits[*vi];
        let g = group_of(&h.item_id, &h.category);
        v.checked[g] = true;
        v.faults[g] = true;
        let mut place = String::new();
        if let Some(u) = h.unit {
            place.push_str(&(c.unit_name)(u));
            place.push(' ');
        }
        place.push_str(&h.spot);
        v.found.push(
            format!("{}：{}", place.trim(), h.description)
                .trim_start_matches('：')
                .to_string(),
        );
        let mut done = if h.fixed_on_spot {
            w.rec_fixed_on_spot.to_string()
        } else {
            if lang.is_zh() {
                format!("{}（{}）", w.rec_notice, (w.rec_deadline)(&h.deadline))
            } else {
                format!("{} ({})", w.rec_notice, (w.rec_deadline)(&h.deadline))
            }
        };
        if h.escalated_to.is_some() || h.status == crate::domain::HazardStatus::Escalated {
            done.push_str(if lang.is_zh() { "；" } else { "; " });
            done.push_str(w.rec_escalated);
        }
        v.done.push(done);
    }
    for p in &mut pages {
        p.visits.sort_by(|a, b| a.first_at.cmp(&b.first_at));
    }
    pages.sort_by(|a, b| a.leader.cmp(&b.leader));
    Ok(pages)
}

const CSS: &str = r#"
@page { size: A4 landscape; margin: 10mm 10mm 12mm; }
body { max-width: 277mm; font-size: 9.5pt; }
.page { break-after: page; page-break-after: always; }
.page:last-child { break-after: auto; page-break-after: auto; }
table.rec { table-layout: fixed; font-size: 8.8pt; line-height: 1.3; }
table.rec th { text-align: center; vertical-align: middle; font-size: 8.2pt; padding: 0.6mm; }
table.rec td { padding: 0.8mm 1mm; }
td.mark { text-align: center; font-size: 10pt; }
.head { display: flex; justify-content: space-between; margin: 1mm 0 2mm; }
.sign { display: flex; gap: 14mm; margin-top: 8mm; }
.sign div { flex: 1; border-bottom: 0.8pt solid #111; padding-bottom: 7mm; }
.legend { font-size: 8pt; color: #444; margin-top: 2mm; }
"#;

/// The record book of a day as HTML: a page per leader who patrolled.
pub fn render(store: &Store, scope: &ReportScope, lang: Lang) -> Result<String> {
    let pages = collect(store, scope, lang)?;
    let c = lang.cat();
    let w = &c.summary;
    let community = store.communities()?.join("、");
    let day = scope.from.format("%Y-%m-%d").to_string();
    let colon = if lang.is_zh() { "：" } else { ": " };
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{}"><title>{} {}</title><style>{}{CSS}</style></head><body>"#,
        if lang.is_zh() { "zh-CN" } else { "en" },
        super::html::CSP,
        e(w.rec_title),
        e(&day),
        super::html::BASE_CSS,
    );
    if pages.is_empty() {
        let _ = write!(
            out,
            "<h1>{}</h1><p>{} {}{colon}{}</p><p>{}</p>",
            e(w.rec_title),
            e(w.rec_date),
            e(&day),
            e(&community),
            e(w.rec_empty)
        );
    }
    for p in &pages {
        let _ = write!(
            out,
            r#"<div class="page"><h1>{}</h1><div class="head"><span>{}{colon}{}</span><span>{}{colon}{}</span><span>{}{colon}{}</span></div>"#,
            e(w.rec_title),
            e(w.rec_unit),
            e(&community),
            e(w.rec_date),
            e(&day),
            e(w.rec_patroller),
            e(&p.leader)
        );
        let _ = write!(
            out,
            r#"<table class="rec"><colgroup><col style="width:12mm"><col style="width:38mm">{}<col><col style="width:46mm"></colgroup><thead><tr><th rowspan="2">{}</th><th rowspan="2">{}</th><th colspan="6">{}</th><th rowspan="2">{}</th><th rowspan="2">{}</th></tr><tr>"#,
            r#"<col style="width:17mm">"#.repeat(6),
            e(w.rec_time),
            e(w.rec_place),
            e(w.rec_basis),
            e(w.rec_found),
            e(w.rec_done)
        );
        for (k, g) in w.rec_groups.iter().enumerate() {
            let _ = write!(out, "<th>({}) {}</th>", k + 1, e(g));
        }
        out.push_str("</tr></thead><tbody>");
        for v in &p.visits {
            let _ = write!(
                out,
                r#"<tr><td class="nowrap">{}</td><td>{}</td>"#,
                e(&hhmm(&v.first_at)),
                e(&v.place)
            );
            for g in 0..6 {
                let mark = if v.faults[g] {
                    "×"
                } else if v.checked[g] {
                    "√"
                } else {
                    "/"
                };
                let _ = write!(out, r#"<td class="mark">{mark}</td>"#);
            }
            let found = if v.found.is_empty() {
                e(w.rec_normal)
            } else {
                v.found
                    .iter()
                    .map(|f| e(f))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let done = if v.done.is_empty() {
                "/".to_string()
            } else {
                v.done.iter().map(|f| e(f)).collect::<Vec<_>>().join("<br>")
            };
            let _ = write!(out, "<td>{found}</td><td>{done}</td></tr>");
        }
        let _ = write!(
            out,
            r#"</tbody></table><p class="legend">{}</p><div class="sign"><div>{}{colon}</div><div>{}{colon}</div><div>{}{colon}</div></div></div>"#,
            e(w.rec_legend),
            e(w.rec_sign_patroller),
            e(w.rec_sign_supervisor),
            e(w.rec_sign_date)
        );
    }
    out.push_str("</body></html>\n");
    Ok(out)
}

/// `record-2026-11-20.html`, or `record-2026-11-20-王建国.html` for one leader.
pub fn file_name(day: chrono::NaiveDate, leader: Option<&str>) -> String {
    let d = day.format("%Y-%m-%d");
    match leader {
        Some(n) => {
            let n: String = n.chars().filter(|c| c.is_alphanumeric()).collect();
            format!("record-{d}-{n}.html")
        }
        None => format!("record-{d}.html"),
    }
}
