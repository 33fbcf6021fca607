//! `firepatrol demo --office`: the demo community's office at work. The office database is
//! filled the way a real one is: three demo laptops are enrolled and joined, their leaders
//! patrol and escalate over the last few days, and their records reach the office through the
//! real sync code (bundles and replies), at different times. The office has answered one
//! escalation (the answer went back to that laptop); two wait in its inbox.

use crate::domain::clock::Clock;
use crate::domain::{AnswerValue, Scope, Severity, Thing};
use crate::error::{Error, Result};
use crate::store::{HazardAction, NewHazard, OpenMode, Slot, Store};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use std::path::{Path, PathBuf};

/// The leaders who carry the demo laptops (from the demo's list of people).
const LEADERS: &[&str] = &["刘建国", "吴长林", "陈秀英"];

fn at(day: NaiveDate, hour: u32, minute: u32, offset: FixedOffset) -> Clock {
    let t = day.and_hms_opt(hour, minute, 0).unwrap_or_default();
    Clock::Fixed(t.and_local_timezone(offset).single().unwrap_or_else(|| {
        DateTime::from_naive_utc_and_offset(
            t - Duration::seconds(i64::from(offset.local_minus_utc())),
            offset,
        )
    }))
}

/// The laptop databases of the demo office, beside it.
pub fn laptop_paths(office: &Path) -> Vec<PathBuf> {
    let dir = office.parent().unwrap_or(Path::new("."));
    ["A", "B", "C"]
        .iter()
        .map(|l| dir.join(format!("demo-laptop-{l}.db")))
        .collect()
}

/// A leader's first own building and its first unit.
fn own_building(s: &Store, person_id: &str) -> Result<(String, Option<String>, Vec<Slot>)> {
    let b = s
        .building_summaries(Some(person_id))?
        .into_iter()
        .find(|b| b.own)
        .or(s.building_summaries(None)?.into_iter().next())
        .ok_or_else(|| Error::NotFound {
            what: Thing::Building,
            key: person_id.to_string(),
        })?
        .building;
    let units = s.units(&b.id)?;
    let unit = units.first().map(|u| u.id.clone());
    let items = s.checklist_for(b.kind)?;
    let slots = items
        .iter()
        .map(|i| Slot {
            building_id: b.id.clone(),
            unit_id: match i.scope {
                Scope::Unit => unit.clone(),
                _ => None,
            },
            item_id: i.id.clone(),
        })
        .collect();
    Ok((b.id, unit, slots))
}

/// A leader's patrol of their building: every item of the first unit OK but `item`, which
/// is a hazard (escalated with `escalate`, if given).
fn patrol(s: &mut Store, name: &str, item: &str, what: &str, escalate: Option<&str>) -> Result<()> {
    let Some(p) = s.people()?.into_iter().find(|p| p.name == name) else {
        return Err(Error::NotFound {
            what: Thing::Person,
            key: name.to_string(),
        });
    };
    let (building, unit, slots) = own_building(s, &p.id)?;
    let patrol = s.patrol_for(&p.id)?;
    let ok: Vec<Slot> = slots.into_iter().filter(|x| x.item_id != item).collect();
    s.record_answers(&patrol, &ok, AnswerValue::Ok)?;
    let deadline = s.clock.today() + Duration::days(7);
    s.record_hazard(&NewHazard {
        patrol_id: patrol,
        slot: Slot {
            building_id: building,
            unit_id: unit,
            item_id: item.into(),
        },
        category: "ebike".into(),
        spot: "1楼门厅".into(),
        description: what.into(),
        severity: Severity::High,
        party_name: String::new(),
        party_room: String::new(),
        party_phone: String::new(),
        found_by: Some(p.id),
        deadline,
        fixed_on_spot: false,
        escalate: escalate.map(str::to_owned),
    })?;
    Ok(())
}

/// A laptop's sync file taken in at the office, and the reply taken in on the laptop.
fn sync(office: &mut Store, laptop: &mut Store) -> Result<()> {
    let (bundle, _) = crate::sync::laptop_bundle(laptop)?;
    let got = crate::sync::receive(office, &bundle, "demo laptop")?;
    if let Some(reply) = got.reply {
        crate::sync::receive(laptop, &reply, "demo reply")?;
    }
    Ok(())
}

/// Build the demo office at `path` (which must not exist), with its laptops beside it.
pub fn build(path: &Path, clock: &Clock) -> Result<()> {
    let now = clock.now();
    let (today, offset) = (now.date_naive(), *now.offset());
    let day = |n: i64| today - Duration::days(n);
    let mut office = Store::open(path, OpenMode::Create, at(day(5), 8, 30, offset))?;
    crate::demo::load_lists(&mut office)?;
    crate::sync::init_office(&mut office)?;
    let mut laptops = Vec::new();
    for (name, file) in LEADERS.iter().zip(laptop_paths(path)) {
        let id = office
            .people()?
            .into_iter()
            .find(|p| p.name == *name)
            .map(|p| p.id);
        let (_, enrolment) = crate::sync::add_device(&mut office, id.as_deref(), name)?;
        let mut laptop = Store::open(&file, OpenMode::Create, at(day(5), 9, 0, offset))?;
        crate::sync::join(&mut laptop, &enrolment, "demo enrolment")?;
        laptops.push(laptop);
    }
    let mut laptops = laptops.into_iter();
    let (Some(mut a), Some(mut b), Some(mut c)) = (laptops.next(), laptops.next(), laptops.next())
    else {
        return Ok(());
    };
    let (a, b, c) = (&mut a, &mut b, &mut c);
    // Three days ago 刘建国 finds a bike charging in the hall and cannot move the owner.
    a.clock = at(day(3), 9, 40, offset);
    patrol(
        a,
        LEADERS[0],
        "EBK-01",
        "电动车在楼道充电",
        Some("楼道充电，业主不配合"),
    )?;
    a.clock = at(day(3), 17, 10, offset);
    office.clock = a.clock.clone();
    sync(&mut office, a)?;
    // Two days ago 吴长林 finds the fire lane blocked; the office answers 刘建国.
    b.clock = at(day(2), 10, 5, offset);
    patrol(
        b,
        LEADERS[1],
        "EBK-01",
        "三轮车堵住消防通道",
        Some("消防通道被三轮车占住，需要社区协调"),
    )?;
    b.clock = at(day(2), 16, 30, offset);
    office.clock = b.clock.clone();
    sync(&mut office, b)?;
    office.clock = at(day(2), 17, 0, offset);
    let waiting = office.inbox()?;
    if let Some(first) = waiting.first() {
        let note = "已联系物业，周五前清走楼道的电动车".to_string();
        office
            .hazard_action(
                &first.hazard.id,
                &HazardAction::OfficeResponse { note },
                None,
            )?
            .map_err(Error::Refused)?;
    }
    // Yesterday 陈秀英 escalates too, and syncs.
    c.clock = at(day(1), 9, 20, offset);
    patrol(
        c,
        LEADERS[2],
        "EBK-01",
        "电动车电池在楼道堆放",
        Some("住户拒绝搬走电池，请社区出面"),
    )?;
    c.clock = at(day(1), 18, 0, offset);
    office.clock = c.clock.clone();
    sync(&mut office, c)?;
    // This morning 刘建国 syncs again: the office's answer reaches his laptop.
    a.clock = at(today, 8, 15, offset);
    office.clock = a.clock.clone();
    sync(&mut office, a)?;
    Ok(())
}
