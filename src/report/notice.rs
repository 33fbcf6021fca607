//! Rectification notices (隐患整改告知书): one printable HTML file with the pages grouped by
//! responsible party (one hazard per A4 page: two on one page did not leave room for both
//! copies), each page holding two copies with a cut line: the resident's (or unit's) copy
//! and the office's stub. A building leader
//! has no power to enforce, so this is a notice to rectify, not an order.
//!
//! Each copy has the number, to whom (户/单位), where, when found, what was found, the basis
//! (the checklist item's `basis`), what to do (the item as it should be), the deadline (立即
//! or a date), interim measures, who issued it, and lines to sign for the recipient (or a
//! note that they refused) and for the re-check (date, result, by whom).

use super::html::head;
use crate::domain::checklist::Item;
use crate::domain::text::{mask_name, mask_phone};
use crate::error::Result;
use crate::export::html_escape as e;
use crate::i18n::Lang;
use crate::store::{HazardRow, Store};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Hazards printed on one page (both copies); a party with more gets more pages, one after
/// the other.
pub const PER_PAGE: usize = 1;

/// The checklist items in force, by id (for notices: basis and what to do).
pub fn items_by_id(store: &Store) -> Result<HashMap<String, Item>> {
    Ok(store
        .templates()?
        .into_iter()
        .flat_map(|t| t.items)
        .map(|i| (i.id.clone(), i))
        .collect())
}

const NOTICE_CSS: &str = r#"
body { max-width: 186mm; padding: 0; font-size: 10.5pt; line-height: 1.38; }
.page { break-after: page; page-break-after: always; }
.page:last-child { break-after: auto; page-break-after: auto; }
.copy { padding: 2mm 0 1mm; }
.copy-head { display: flex; justify-content: space-between; align-items: baseline; }
.copy-head h1 { font-size: 16pt; letter-spacing: 0.15em; margin: 0; }
.copy-name { border: 1pt solid #111; padding: 0.3mm 2mm; font-weight: bold; white-space: nowrap; }
.line { margin: 0.8mm 0; }
.line b { margin-right: 1mm; }
.intro { font-size: 9.5pt; }
table.kv { font-size: 10pt; margin: 1mm 0; }
table.kv th, table.kv td { padding: 0.6mm 1.3mm; }
table.kv th { width: 24mm; white-space: nowrap; }
table.kv tr.first th, table.kv tr.first td { border-top: 1.4pt solid #111; }
.deadline { font-weight: bold; }
.sign { margin: 1.5mm 0 0; line-height: 1.9; }
.blank { display: inline-block; min-width: 34mm; border-bottom: 0.8pt solid #111; height: 1.2em; vertical-align: bottom; }
.blank.long { min-width: 70mm; }
.blank.short { min-width: 22mm; }
.footer { font-size: 7.5pt; color: #333; margin-top: 1mm; line-height: 1.3; }
.cut { margin: 2.5mm 0; border-top: 1.2pt dashed #111; text-align: center; font-size: 8.5pt; }
.cut span { position: relative; top: -0.75em; background: #fff; padding: 0 2mm; }
/* On paper each copy takes half the page, so the cut line falls in the middle (two A5). */
@media print { .copy:first-child { min-height: 122mm; } }
"#;

/// One party's hazards.
struct Party<'a> {
    name: String,
    room: String,
    phone: String,
    hazards: Vec<&'a HazardRow>,
}

fn place(h: &HazardRow, lang: Lang) -> String {
    let mut s = if h.compound.is_empty() {
        h.building.clone()
    } else {
        format!("{} {}", h.compound, h.building)
    };
    if let Some(u) = h.unit {
        s.push(' ');
        s.push_str(&(lang.cat().unit_name)(u));
    }
    if !h.spot.is_empty() {
        s.push(' ');
        s.push_str(&h.spot);
    }
    s
}

/// The default file name: `notice-YH-20261120-003.html` (with `+N` for N more hazards).
pub fn file_name(hazards: &[HazardRow]) -> String {
    let first = hazards.first().map(|h| h.number.as_str()).unwrap_or("");
    let safe: String = first
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if hazards.len() > 1 {
        format!("notice-{safe}+{}.html", hazards.len() - 1)
    } else {
        format!("notice-{safe}.html")
    }
}

/// Group hazards by who must fix them (name, room, phone; by building when nobody is named),
/// in the order given.
fn parties<'a>(hazards: &'a [HazardRow], redact: bool) -> Vec<Party<'a>> {
    let mut out: Vec<(String, Party)> = Vec::new();
    for h in hazards {
        let nobody = h.party_name.is_empty() && h.party_room.is_empty() && h.party_phone.is_empty();
        let key = if nobody {
            format!("\u{1f}{}\u{1f}{:?}", h.building_id, h.unit)
        } else {
            format!(
                "{}\u{1f}{}\u{1f}{}\u{1f}{}",
                h.party_name, h.party_room, h.party_phone, h.building_id
            )
        };
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, p)) => p.hazards.push(h),
            None => out.push((
                key,
                Party {
                    name: if redact {
                        mask_name(&h.party_name)
                    } else {
                        h.party_name.clone()
                    },
                    room: h.party_room.clone(),
                    phone: if redact && !h.party_phone.is_empty() {
                        mask_phone(&h.party_phone)
                    } else {
                        h.party_phone.clone()
                    },
                    hazards: vec![h],
                },
            )),
        }
    }
    out.into_iter().map(|(_, p)| p).collect()
}

/// The notices for these hazards as one HTML file, and how many pages it has. `items` are
/// the checklist items by id (for the basis and what to do), `today` the issue date.
pub fn render(
    hazards: &[HazardRow],
    items: &HashMap<String, Item>,
    lang: Lang,
    today: NaiveDate,
    redact: bool,
) -> (String, usize) {
    render_for("", hazards, items, lang, today, redact, &HashMap::new())
}

/// The most photos a notice shows per hazard (the resident's copy is half a page).
pub const NOTICE_PHOTOS: usize = 3;

/// [`render`], naming the community that issues the notices (on the "issued by" line), with
/// thumbnails of each hazard's photos (`data:` URLs by hazard id) on the resident's copy. A
/// masked notice shows no photos: a picture cannot be masked.
pub fn render_for(
    community: &str,
    hazards: &[HazardRow],
    items: &HashMap<String, Item>,
    lang: Lang,
    today: NaiveDate,
    redact: bool,
    photos: &HashMap<String, Vec<String>>,
) -> (String, usize) {
    let no_photos = HashMap::new();
    let photos = if redact { &no_photos } else { photos };
    let c = lang.cat();
    let mut out = String::with_capacity(32 * 1024);
    let numbers: Vec<&str> = hazards.iter().map(|h| h.number.as_str()).collect();
    head(
        &mut out,
        &format!("{} {}", c.n_title, numbers.join(" ")),
        lang,
        NOTICE_CSS,
    );
    let mut pages = 0;
    for p in parties(hazards, redact) {
        for chunk in p.hazards.chunks(PER_PAGE) {
            pages += 1;
            out.push_str("<section class=\"page\">\n");
            copy(
                &mut out,
                community,
                &p,
                chunk,
                items,
                lang,
                today,
                redact,
                c.n_copy_party,
                photos,
            );
            let _ = writeln!(
                out,
                "<div class=\"cut\"><span>&#9986; {}</span></div>",
                e(c.n_cut)
            );
            copy(
                &mut out,
                community,
                &p,
                chunk,
                items,
                lang,
                today,
                redact,
                c.n_copy_office,
                &no_photos,
            );
            out.push_str("</section>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    (out, pages)
}

#[allow(clippy::too_many_arguments)]
fn copy(
    out: &mut String,
    community: &str,
    p: &Party,
    hazards: &[&HazardRow],
    items: &HashMap<String, Item>,
    lang: Lang,
    today: NaiveDate,
    redact: bool,
    copy_name: &str,
    photos: &HashMap<String, Vec<String>>,
) {
    let c = lang.cat();
    let zh = lang.is_zh();
    let col = c.report.rp_colon;
    let numbers: Vec<&str> = hazards.iter().map(|h| h.number.as_str()).collect();
    let _ = writeln!(
        out,
        "<div class=\"copy\">\n<div class=\"copy-head\"><h1>{}</h1><span class=\"copy-name\">{}</span></div>",
        e(c.n_title),
        e(copy_name)
    );
    let _ = writeln!(
        out,
        "<p class=\"line\"><b>{}{col}</b>{} &nbsp; <b>{}{col}</b>{}</p>",
        e(c.n_number),
        e(&numbers.join(c.report.rp_list_sep)),
        e(c.n_issued_on),
        e(&today.format("%Y-%m-%d").to_string()),
    );
    let to = if p.name.is_empty() && p.room.is_empty() {
        hazards
            .first()
            .map(|h| {
                let mut s = if h.compound.is_empty() {
                    h.building.clone()
                } else {
                    format!("{} {}", h.compound, h.building)
                };
                if let Some(u) = h.unit {
                    s.push(' ');
                    s.push_str(&(c.unit_name)(u));
                }
                (c.n_to_place)(&s)
            })
            .unwrap_or_default()
    } else {
        [p.name.as_str(), p.room.as_str()]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let phone = if p.phone.is_empty() {
        String::new()
    } else {
        format!(" &nbsp; {}{col}{}", e(c.f_party_phone), e(&p.phone))
    };
    let _ = writeln!(
        out,
        "<p class=\"line\"><b>{}{col}</b>{}{phone}</p>\n<p class=\"intro\">{}</p>",
        e(c.n_to),
        e(&to),
        e(c.n_intro)
    );
    out.push_str("<table class=\"kv\">\n");
    for h in hazards {
        let item = items.get(&h.item_id);
        let mut description = h.description.clone();
        if redact {
            description = super::mask_phones_in(&description);
            if h.party_name.chars().count() >= 2 {
                description = description.replace(&h.party_name, &mask_name(&h.party_name));
            }
        }
        let description = format!(
            "{}{}",
            description,
            (c.report.rp_paren)(&format!("{}{col}{}", c.f_severity, c.severity(h.severity)))
        );
        let found_day = h.found_at.get(..10).unwrap_or("");
        let deadline = if found_day == h.deadline {
            c.n_immediate.to_string()
        } else {
            (c.n_by_date)(&h.deadline)
        };
        let interim = c
            .n_interim_by_category
            .iter()
            .find(|(code, _)| *code == h.category)
            .or_else(|| c.n_interim_by_category.first())
            .map(|(_, t)| *t)
            .unwrap_or("");
        let todo = item
            .map(|i| (c.n_todo_text)(i.prompt(zh)))
            .unwrap_or_default();
        let basis = item.map(|i| i.basis.clone()).unwrap_or_default();
        let spot = if redact {
            super::mask_phones_in(&place(h, lang))
        } else {
            place(h, lang)
        };
        let mut rows: Vec<(&str, String, &str)> = vec![
            (c.n_place, spot, ""),
            (c.n_found, super::time_label(&h.found_at), ""),
            (c.n_description, description, ""),
            (c.n_basis, basis, ""),
            (c.n_todo, todo, ""),
            (c.n_deadline, deadline, "deadline"),
            (c.n_interim, interim.to_string(), ""),
        ];
        if let Some(to) = h.escalated_to.as_deref().filter(|t| !t.is_empty()) {
            rows.push((c.n_report_to, to.to_string(), ""));
        }
        for (k, (label, value, class)) in rows.iter().enumerate() {
            let tr = if k == 0 { " class=\"first\"" } else { "" };
            let td = if class.is_empty() {
                String::new()
            } else {
                format!(" class=\"{class}\"")
            };
            let _ = writeln!(
                out,
                "<tr{tr}><th>{}</th><td{td}>{}</td></tr>",
                e(label),
                e(value)
            );
        }
        if let Some(urls) = photos.get(&h.id).filter(|u| !u.is_empty()) {
            let _ = write!(
                out,
                "<tr><th>{}</th><td class=\"photos\">",
                e(c.people.photos_label)
            );
            for url in urls.iter().take(NOTICE_PHOTOS) {
                let _ = write!(
                    out,
                    "<img class=\"thumb\" style=\"height: 18mm; width: auto; margin-right: 1.5mm; border: 0.4pt solid #777; vertical-align: top;\" src=\"{}\" alt=\"\">",
                    e(url)
                );
            }
            out.push_str("</td></tr>\n");
        }
    }
    out.push_str("</table>\n");
    let issuers: Vec<&str> = {
        let mut v: Vec<&str> = hazards.iter().map(|h| h.found_by.as_str()).collect();
        v.dedup();
        v
    };
    let _ = writeln!(
        out,
        "<p class=\"line\"><b>{}{col}</b>{}</p>",
        e(c.n_issued_by),
        e(&[community, &issuers.join(c.report.rp_list_sep)]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" "))
    );
    let _ = writeln!(
        out,
        "<div class=\"sign\"><b>{}{col}</b><span class=\"blank\"></span> &nbsp; <b>{}{col}</b><span class=\"blank\"></span><br>\
         {} <span class=\"blank long\"></span></div>",
        e(c.n_recipient),
        e(c.n_date),
        e(c.n_refused)
    );
    let _ = writeln!(
        out,
        "<div class=\"sign\"><b>{}</b> &nbsp; {}{col}<span class=\"blank short\"></span> &nbsp; {}{col}{} &nbsp; {}{col}<span class=\"blank short\"></span></div>",
        e(c.n_recheck),
        e(c.n_recheck_date),
        e(c.n_recheck_result),
        e(c.n_recheck_results),
        e(c.n_recheck_by),
    );
    let _ = writeln!(out, "<p class=\"footer\">{}</p>\n</div>", e(c.n_footer));
}
