//! The built-in demo community: 芙蓉南路社区, its buildings and people from `demo/*.csv`, and
//! five weeks of patrol history relative to today, made through the same store calls the app
//! uses. Deterministic: the same "today" gives the same database.

use crate::domain::clock::Clock;
use crate::domain::{AnswerValue, HazardStatus, Scope, SiteKind};
use crate::error::Result;
use crate::import::{parse_buildings, parse_people, table_from_csv};
use crate::store::{HazardAction, NewHazard, Slot, Store};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use std::path::Path;

pub const BUILDINGS_CSV: &str = include_str!("../demo/buildings.csv");
pub const PEOPLE_CSV: &str = include_str!("../demo/people.csv");

/// How many days of history the demo has.
pub const HISTORY_DAYS: i64 = 35;

/// A small deterministic random source (splitmix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// True with probability p/1000.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Load the demo's building and people lists into a store.
pub fn load_lists(store: &mut Store) -> Result<()> {
    let bpath = Path::new("demo/buildings.csv");
    let table = table_from_csv(bpath, BUILDINGS_CSV.as_bytes())?;
    let rows = parse_buildings(bpath, &table)?.rows;
    store.import_buildings(&rows, false)?;
    let ppath = Path::new("demo/people.csv");
    let table = table_from_csv(ppath, PEOPLE_CSV.as_bytes())?;
    let rows = parse_people(ppath, &table)?.rows;
    store.import_people(ppath, &rows, false)?;
    Ok(())
}

const SPOTS: &[&str] = &[
    "1楼门厅",
    "2楼楼道",
    "3楼楼梯间",
    "5楼楼道",
    "顶楼",
    "地下室入口",
    "电梯前室",
    "单元门口",
];
const PARTIES: &[(&str, &str, &str)] = &[
    ("王大爷", "102", "138 0000 1021"),
    ("李阿姨", "301", "139 0000 3011"),
    ("张先生", "502", "137 0000 5022"),
    ("陈女士", "201", ""),
    ("物业", "", "0731-8888 0001"),
    ("", "", ""),
];

fn at(day: NaiveDate, minutes_after_nine: i64, offset: FixedOffset) -> DateTime<FixedOffset> {
    let t = day.and_hms_opt(9, 0, 0).unwrap_or_default() + Duration::minutes(minutes_after_nine);
    t.and_local_timezone(offset).single().unwrap_or_else(|| {
        DateTime::from_naive_utc_and_offset(
            t - Duration::seconds(i64::from(offset.local_minus_utc())),
            offset,
        )
    })
}

/// Build the whole demo community in an empty store: lists, then history up to yesterday.
pub fn build(store: &mut Store) -> Result<()> {
    let real_clock = store.clock.clone();
    let now = real_clock.now();
    let today = now.date_naive();
    let offset = *now.offset();
    store.set_bulk_load(true)?;
    store.clock = Clock::Fixed(at(today - Duration::days(HISTORY_DAYS + 1), 0, offset));
    load_lists(store)?;
    let result = history(store, today, offset);
    store.clock = real_clock;
    store.set_bulk_load(false)?;
    result
}

fn history(store: &mut Store, today: NaiveDate, offset: FixedOffset) -> Result<()> {
    let mut rng = Rng::new(0x4650_4154);
    let buildings = store.building_summaries(None)?;
    let people = store.people()?;
    let office = people
        .iter()
        .find(|p| p.role == crate::domain::Role::Office)
        .map(|p| p.name.clone());
    // Who patrols which building: its building leader (from the duty list).
    let mut visits: Vec<(i64, usize, String)> = Vec::new(); // (days ago, building index, leader id)
    for (i, b) in buildings.iter().enumerate() {
        let Some(leader) = store.leaders_of(&b.building.id)?.into_iter().next() else {
            continue;
        };
        let interval = store.patrol_interval(b.building.kind)? as i64;
        let phase = (i as i64 * 3) % interval;
        let mut d = HISTORY_DAYS - phase;
        while d >= 1 {
            // Leave some buildings unvisited for longer, so the plan has overdue patrols.
            if !(i % 5 == 0 && d < 10) {
                visits.push((d, i, leader.clone()));
            }
            d -= interval;
        }
    }
    visits.sort_by_key(|(d, i, _)| (-d, *i));
    let mut minute_of_day: std::collections::HashMap<i64, i64> = Default::default();
    for (days_ago, bi, leader) in visits {
        let day = today - Duration::days(days_ago);
        let b = &buildings[bi].building;
        let m = minute_of_day.entry(days_ago).or_insert(0);
        let mut tick = |store: &mut Store, step: i64| {
            *m += step;
            store.clock = Clock::Fixed(at(day, *m, offset));
        };
        tick(store, 3);
        let patrol = store.patrol_for(&leader)?;
        // Re-check open hazards first.
        for h in store.open_hazards_at(&b.id)? {
            tick(store, 1);
            let overdue = h.deadline_date().is_some_and(|d| d < day);
            let roll = rng.below(100);
            let action = if h.status == HazardStatus::Escalated {
                if roll < 30 {
                    HazardAction::Rectify {
                        note: "社区协调后已整改".into(),
                    }
                } else {
                    HazardAction::StillOpen {
                        note: "等待社区处理".into(),
                    }
                }
            } else if roll < 70 {
                HazardAction::Rectify {
                    note: String::new(),
                }
            } else if roll < 80 && !overdue {
                HazardAction::Extend {
                    to: day + Duration::days(7),
                    reason: "住户外出，联系后约定下周整改".into(),
                }
            } else if roll < 90
                && (h.category == "access" || h.category == "electric" || h.category == "gas")
            {
                HazardAction::Escalate {
                    to: office.clone().unwrap_or_default(),
                    note: "楼栋长无法解决，请社区协调".into(),
                }
            } else {
                HazardAction::StillOpen {
                    note: "仍未整改，已再次提醒".into(),
                }
            };
            let _ = store.hazard_action(&h.id, &action, Some(&leader))?;
        }
        let items = store.checklist_for(b.kind)?;
        let units = store.units(&b.id)?;
        let mut slots: Vec<(Option<String>, &crate::domain::checklist::Item)> = items
            .iter()
            .filter(|i| i.scope == Scope::Building || units.is_empty())
            .map(|i| (None, i))
            .collect();
        for u in &units {
            slots.extend(
                items
                    .iter()
                    .filter(|i| i.scope == Scope::Unit)
                    .map(|i| (Some(u.id.clone()), i)),
            );
        }
        for (unit, item) in slots {
            tick(store, if rng.chance(300) { 1 } else { 0 });
            let slot = Slot {
                building_id: b.id.clone(),
                unit_id: unit,
                item_id: item.id.clone(),
            };
            let risky = matches!(item.category.as_str(), "ebike" | "egress" | "combustible");
            let hazard = rng.chance(if risky { 22 } else { 6 });
            if hazard {
                let (name, room, phone) = *rng.pick(PARTIES);
                let fixed = item.deadline.days() == 0 && rng.chance(350);
                let escalate = (item.category == "access" && rng.chance(500))
                    .then(|| "固定地桩占用消防车道，需社区协调".to_string());
                store.record_hazard(&NewHazard {
                    patrol_id: patrol.clone(),
                    slot,
                    category: item.category.clone(),
                    spot: if b.kind == SiteKind::Residential {
                        rng.pick(SPOTS).to_string()
                    } else {
                        String::new()
                    },
                    description: item.hazard_zh.clone(),
                    severity: item.severity,
                    party_name: name.into(),
                    party_room: room.into(),
                    party_phone: phone.into(),
                    found_by: Some(leader.clone()),
                    deadline: item.deadline.due(day),
                    fixed_on_spot: fixed,
                    escalate,
                })?;
            } else {
                let value = if item.category == "gas" && rng.chance(300) {
                    AnswerValue::NotApplicable
                } else {
                    AnswerValue::Ok
                };
                store.record_answer(&patrol, &slot, value, None, Some(&leader))?;
            }
        }
    }
    scripted(store, today, offset, &buildings)
}

/// A few fixed stories so that every status is there whatever the dice said: a recurring
/// e-bike in a stairwell, an escalated fire-lane problem with the office's answer, and a
/// hazard due today.
fn scripted(
    store: &mut Store,
    today: NaiveDate,
    offset: FixedOffset,
    buildings: &[crate::store::BuildingSummary],
) -> Result<()> {
    let find = |compound: &str, name: &str| {
        buildings
            .iter()
            .find(|b| b.building.compound == compound && b.building.name == name)
            .map(|b| b.building.clone())
    };
    let (Some(gh3), Some(fz2)) = (find("桂花园小区", "3栋"), find("纺织厂宿舍", "2栋"))
    else {
        return Ok(());
    };
    let items = store.checklist_for(SiteKind::Residential)?;
    let item = |id: &str| items.iter().find(|i| i.id == id).cloned();
    let (Some(ebk), Some(acc), Some(ext)) = (item("EBK-01"), item("ACC-01"), item("EXT-02")) else {
        return Ok(());
    };
    let leader3 = store.leaders_of(&gh3.id)?.into_iter().next();
    let leader2 = store.leaders_of(&fz2.id)?.into_iter().next();
    let unit = store.units(&gh3.id)?.into_iter().next().map(|u| u.id);
    let hazard = |store: &mut Store,
                  b: &crate::store::Building,
                  unit: Option<String>,
                  item: &crate::domain::checklist::Item,
                  who: &Option<String>,
                  days_ago: i64,
                  escalate: Option<&str>|
     -> Result<String> {
        let day = today - Duration::days(days_ago);
        store.clock = Clock::Fixed(at(day, 200, offset));
        let patrol = store.patrol_for(who.as_deref().unwrap_or_default())?;
        let r = store.record_hazard(&NewHazard {
            patrol_id: patrol,
            slot: Slot {
                building_id: b.id.clone(),
                unit_id: unit,
                item_id: item.id.clone(),
            },
            category: item.category.clone(),
            spot: "1楼楼梯间".into(),
            description: item.hazard_zh.clone(),
            severity: item.severity,
            party_name: "王大爷".into(),
            party_room: "101".into(),
            party_phone: "138 0000 1011".into(),
            found_by: who.clone(),
            deadline: item.deadline.due(day),
            fixed_on_spot: false,
            escalate: escalate.map(str::to_owned),
        })?;
        Ok(r.id)
    };
    if leader3.is_some() {
        let first = hazard(store, &gh3, unit.clone(), &ebk, &leader3, 30, None)?;
        store.clock = Clock::Fixed(at(today - Duration::days(26), 210, offset));
        let _ = store.hazard_action(
            &first,
            &HazardAction::Rectify {
                note: "车已推走".into(),
            },
            leader3.as_deref(),
        )?;
        hazard(store, &gh3, unit, &ebk, &leader3, 9, None)?;
    }
    if leader2.is_some() {
        let h = hazard(store, &fz2, None, &acc, &leader2, 12, Some("社区办公室"))?;
        store.clock = Clock::Fixed(at(today - Duration::days(8), 300, offset));
        let _ = store.hazard_action(
            &h,
            &HazardAction::OfficeResponse {
                note: "已联系城管，本月内拆除地桩".into(),
            },
            None,
        )?;
        let u = store.units(&fz2.id)?.into_iter().next().map(|u| u.id);
        hazard(store, &fz2, u, &ext, &leader2, 3, None)?;
    }
    Ok(())
}
