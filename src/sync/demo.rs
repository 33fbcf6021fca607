//! The office demo (`firepatrol demo --office`): the demo community's office, whose records
//! arrived from three demo laptops through the real sync code over the last two weeks. Some
//! escalations wait for an answer, some were answered, and the laptops last synced on
//! different days.

use super::{add_device_with, init_office, join, laptop_bundle, receive};
use crate::domain::clock::Clock;
use crate::domain::{AnswerValue, HazardStatus, Scope, Severity};
use crate::error::Result;
use crate::store::{HazardAction, NewHazard, OpenMode, Slot, Store};
use chrono::{Duration, NaiveDate};
use std::path::Path;

/// The demo laptops: whose, and every how many days they sync.
const LAPTOPS: &[(&str, i64)] = &[("刘建国", 2), ("吴长林", 5), ("陈秀英", 9)];
/// How many days of history.
const DAYS: i64 = 14;
/// What the leaders find (item, category, description, escalate?).
const FINDINGS: &[(&str, &str, &str, Option<&str>)] = &[
    ("EBK-01", "ebike", "电动车停在楼道", None),
    (
        "EBK-02",
        "ebike",
        "电动车在室内充电",
        Some("业主不配合，请社区出面"),
    ),
    ("EGR-01", "egress", "楼梯间堆放纸箱", None),
    (
        "ELC-01",
        "electric",
        "飞线充电",
        Some("电线从窗户拉下，需物业处理"),
    ),
];

fn clock_at(day: NaiveDate, minute: i64, offset: chrono::FixedOffset) -> Clock {
    let t = day.and_hms_opt(9, 0, 0).unwrap_or_default() + Duration::minutes(minute);
    match t.and_local_timezone(offset).single() {
        Some(t) => Clock::Fixed(t),
        None => Clock::System,
    }
}

/// Build the office demo into `office` (a new, empty database); the laptops' databases are
/// made in `work` and may be thrown away afterwards.
pub fn build_office(office: &mut Store, work: &Path) -> Result<()> {
    let real = office.clock.clone();
    let now = real.now();
    let offset = *now.offset();
    let today = now.date_naive();
    // The last day of history is yesterday.
    let start = today - Duration::days(DAYS + 1);
    office.set_bulk_load(true)?;
    office.clock = clock_at(start, 0, offset);
    crate::demo::load_lists(office)?;
    init_office(office)?;
    let people = office.people()?;
    let mut laptops = Vec::new();
    for (i, (name, every)) in LAPTOPS.iter().enumerate() {
        let Some(p) = people.iter().find(|p| p.name == *name) else {
            continue;
        };
        // The demo's enrolment codes are light: it makes every laptop at once.
        let e = add_device_with(office, Some(&p.id), name, 10)?;
        let path = work.join(format!("laptop-{i}.db"));
        let mut l = Store::open(&path, OpenMode::Create, office.clock.clone())?;
        l.set_bulk_load(true)?;
        join(&mut l, &e.file, "demo", &e.code, false)?;
        laptops.push((l, p.id.clone(), *every));
    }
    for d in 1..=DAYS {
        let day = start + Duration::days(d);
        for (k, (laptop, leader, every)) in laptops.iter_mut().enumerate() {
            laptop.clock = clock_at(day, 30 * k as i64, offset);
            patrol_one(laptop, leader, d as usize + k)?;
            if d % *every == 0 {
                office.clock = clock_at(day, 120 + 10 * k as i64, offset);
                let (bundle, _) = laptop_bundle(laptop)?;
                let got = receive(office, &bundle, "demo")?;
                answer_some(office, d as usize)?;
                if let Some(reply) = got.reply {
                    laptop.clock = office.clock.clone();
                    receive(laptop, &reply, "demo")?;
                }
            }
        }
    }
    office.clock = real;
    office.set_bulk_load(false)?;
    Ok(())
}

/// A leader patrols one of their buildings: the building's items answered, one finding.
fn patrol_one(s: &mut Store, leader: &str, n: usize) -> Result<()> {
    let buildings: Vec<_> = s
        .building_summaries(Some(leader))?
        .into_iter()
        .filter(|b| b.own)
        .collect();
    let Some(b) = buildings.get(n % buildings.len().max(1)) else {
        return Ok(());
    };
    let b = &b.building;
    let patrol = s.patrol_for(leader)?;
    let units = s.units(&b.id)?;
    let mut slots = Vec::new();
    for item in s.checklist_for(b.kind)? {
        if item.scope == Scope::Unit && !units.is_empty() {
            slots.extend(units.iter().map(|u| Slot {
                building_id: b.id.clone(),
                unit_id: Some(u.id.clone()),
                item_id: item.id.clone(),
            }));
        } else {
            slots.push(Slot {
                building_id: b.id.clone(),
                unit_id: None,
                item_id: item.id.clone(),
            });
        }
    }
    s.record_answers(&patrol, &slots, AnswerValue::Ok)?;
    let (item, category, description, escalate) = FINDINGS[n % FINDINGS.len()];
    let deadline = s.clock.today() + Duration::days(3);
    s.record_hazard(&NewHazard {
        patrol_id: patrol,
        slot: Slot {
            building_id: b.id.clone(),
            unit_id: units.first().map(|u| u.id.clone()),
            item_id: item.into(),
        },
        category: category.into(),
        spot: "1F".into(),
        description: description.into(),
        severity: Severity::High,
        party_name: String::new(),
        party_room: String::new(),
        party_phone: String::new(),
        found_by: Some(leader.into()),
        deadline,
        fixed_on_spot: false,
        escalate: escalate.map(str::to_owned),
    })?;
    Ok(())
}

/// The office answers every other escalation it has (the rest wait in its inbox).
fn answer_some(office: &mut Store, n: usize) -> Result<()> {
    let waiting: Vec<String> = office
        .hazard_ids_with_status(HazardStatus::Escalated)?
        .into_iter()
        .filter(|id| {
            office
                .hazard_history(id)
                .map(|h| {
                    !h.iter()
                        .any(|e| e.kind == crate::domain::HazardEventKind::OfficeResponse)
                })
                .unwrap_or(false)
        })
        .collect();
    // The office takes a few days: what came in the last four days still waits.
    let before = (office.clock.today() - Duration::days(4))
        .format("%Y-%m-%d")
        .to_string();
    for (i, id) in waiting.iter().enumerate() {
        let old = office
            .hazard(id)?
            .is_some_and(|h| h.found_at.get(..10).is_some_and(|d| d < before.as_str()));
        if old && (i + n).is_multiple_of(2) {
            let _ = office.hazard_action(
                id,
                &HazardAction::OfficeResponse {
                    note: "已联系物业，本周内处理".into(),
                },
                None,
            )?;
        }
    }
    Ok(())
}
