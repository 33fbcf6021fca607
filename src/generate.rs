//! A deterministic generator of district-scale data for benchmarks and tests:
//! `firepatrol demo generate --buildings N --hazards M [--days D] [--seed S] --db PATH`.
//! Realistic Chinese names, units, leaders, patrols with answers, and hazards of every status
//! (open, overdue, escalated, extended, rectified, recurring), relative to the clock's today.

use crate::demo::Rng;
use crate::domain::checklist::Item;
use crate::domain::clock::stamp;
use crate::domain::{AnswerValue, HazardEventKind, Role, Scope, SiteKind};
use crate::error::Result;
use crate::store::{BulkHazard, Store, building_search_keys};
use chrono::{Duration, NaiveDate};

#[derive(Clone, Debug)]
pub struct Spec {
    pub buildings: usize,
    pub hazards: usize,
    /// Hazards are spread over this many days before today.
    pub days: i64,
    pub seed: u64,
}

/// The largest community the generator makes (a city), and the longest history.
pub const MAX_BUILDINGS: usize = 1_000_000;
pub const MAX_HAZARDS: usize = 100_000_000;
pub const MAX_DAYS: i64 = 3_650;

impl Spec {
    /// Whether the sizes are within what the generator makes: `Err` names the first that is
    /// not, with its largest allowed value.
    pub fn check(&self) -> std::result::Result<(), (&'static str, u64)> {
        if self.buildings == 0 || self.buildings > MAX_BUILDINGS {
            return Err(("--buildings", MAX_BUILDINGS as u64));
        }
        if self.hazards > MAX_HAZARDS {
            return Err(("--hazards", MAX_HAZARDS as u64));
        }
        if !(1..=MAX_DAYS).contains(&self.days) {
            return Err(("--days", MAX_DAYS as u64));
        }
        Ok(())
    }
}

/// Patrols with answers cover at most the last four weeks.
const PATROL_DAYS: i64 = 28;

const ROADS: &[&str] = &[
    "芙蓉南路",
    "东塘",
    "雨花亭",
    "左家塘",
    "侯家塘",
    "砂子塘",
    "高桥",
    "洞井",
    "井湾子",
    "黎托",
    "圭塘",
    "桂花坪",
    "长沙大道",
    "韶山南路",
    "劳动东路",
    "人民中路",
];
const HEADS: &[&str] = &[
    "新芙蓉",
    "锦绣",
    "幸福",
    "桂花",
    "银行",
    "纺织厂",
    "电力",
    "铁路",
    "教师",
    "阳光",
    "金色",
    "翠竹",
    "枫林",
    "湘江",
    "岳麓",
    "天心",
    "和平",
    "建设",
    "东方",
    "长城",
    "中南",
    "红星",
    "紫薇",
    "荷花",
];
const TAILS: &[&str] = &[
    "之都", "家园", "花园", "小区", "宿舍", "新村", "公寓", "苑", "里", "华庭", "名苑", "雅居",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曾", "彭", "曹",
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "志强", "桂兰", "德明", "淑芬", "国华", "玉梅", "长林", "美玲", "丽华", "海军",
    "晓燕", "秋菊", "大勇", "玉珍", "红梅", "建军", "小平", "爱华", "卫东", "春生", "金凤", "文斌",
];
const SHOPS: &[&str] = &[
    "粉店",
    "便民超市",
    "电动车维修",
    "理发店",
    "小旅馆",
    "五金店",
    "水果店",
    "早餐店",
    "麻将馆",
    "药店",
];
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
const PARTIES: &[(&str, &str)] = &[
    ("王大爷", "102"),
    ("李阿姨", "301"),
    ("张先生", "502"),
    ("陈女士", "201"),
    ("物业", ""),
    ("", ""),
];

/// (site, unit, item): where a hazard is.
type Place = (usize, Option<usize>, usize);
/// (hazard id, age in days when rectified, its recurrence count).
type LastFixed = (String, i64, i64);

fn spot_of(rng: &mut Rng) -> &'static str {
    SPOTS[rng.below(SPOTS.len() as u64) as usize]
}

struct Site {
    id: String,
    kind: SiteKind,
    units: Vec<String>,
    leader: String,
    phase: i64,
}

/// Build the database. Returns (buildings, hazards) written.
pub fn generate(store: &mut Store, spec: &Spec) -> Result<(usize, usize)> {
    let mut rng = Rng::new(spec.seed);
    let now = store.clock.now();
    let today = now.date_naive();
    let offset = *now.offset();
    let at = |d: NaiveDate, minutes: i64| -> String {
        let t = d.and_hms_opt(8, 30, 0).unwrap_or_default() + Duration::minutes(minutes);
        t.and_local_timezone(offset)
            .single()
            .map(stamp)
            .unwrap_or_else(|| format!("{}T08:30:00+08:00", d.format("%Y-%m-%d")))
    };
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let items: Vec<(SiteKind, Vec<Item>)> = SiteKind::ALL
        .iter()
        .map(|k| Ok((*k, store.checklist_for(*k)?)))
        .collect::<Result<_>>()?;
    let items_of = |k: SiteKind| {
        items
            .iter()
            .find(|(x, _)| *x == k)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    };
    let start = at(today - Duration::days(spec.days + 1), 0);
    let mut bulk = store.bulk()?;

    // The tree: a community per 500 buildings, 6 grids each, compounds of 6-20 buildings.
    let mut sites: Vec<Site> = Vec::with_capacity(spec.buildings);
    let mut people: std::collections::HashSet<(String, String)> = Default::default();
    let mut community = String::new();
    let mut grids: Vec<String> = Vec::new();
    let mut c = 0usize;
    while sites.len() < spec.buildings {
        if sites.len() / 500 >= c {
            let road = ROADS[c % ROADS.len()];
            community = bulk.community(
                &format!(
                    "{road}社区{}",
                    if c >= ROADS.len() {
                        (c / ROADS.len() + 1).to_string()
                    } else {
                        String::new()
                    }
                ),
                &start,
            )?;
            grids = (1..=6)
                .map(|g| bulk.grid(&community, &format!("第{g}网格"), &start))
                .collect::<Result<_>>()?;
            c += 1;
        }
        let grid = rng.pick(&grids).clone();
        let k = sites.len();
        let shop_row = k % 20 == 19;
        let cname = if shop_row {
            format!("{}沿街商铺{}", rng.pick(ROADS), k)
        } else {
            format!(
                "{}{}{}",
                rng.pick(HEADS),
                rng.pick(TAILS),
                if k > HEADS.len() * TAILS.len() {
                    format!("{}期", k % 7 + 1)
                } else {
                    String::new()
                }
            )
        };
        let compound = bulk.compound(&community, &grid, &format!("{cname}#{k}"), &start)?;
        let n = if shop_row {
            5
        } else {
            6 + rng.below(15) as usize
        };
        let road = rng.pick(ROADS).to_string();
        let leader_name = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
        // A person is one name and phone: draw again until the pair is new (a city has
        // thousands of 王建国).
        let phone = loop {
            let p = format!(
                "13{} {:04} {:04}",
                5 + rng.below(5),
                rng.below(10_000),
                rng.below(10_000)
            );
            if people.insert((leader_name.clone(), p.clone())) {
                break p;
            }
        };
        let leader = bulk.person(&leader_name, Role::BuildingLeader, &phone, &start)?;
        for b in 1..=n {
            if sites.len() >= spec.buildings {
                break;
            }
            let (kind, name) = if shop_row {
                (SiteKind::Shop, format!("{}{b}号", rng.pick(SHOPS)))
            } else if b == n && rng.chance(300) {
                (SiteKind::BikeShed, "车棚".to_string())
            } else {
                (SiteKind::Residential, format!("{b}栋"))
            };
            let address = format!("{road}{}号", 10 + rng.below(300));
            let keys =
                building_search_keys(&cname, &name, &address, std::slice::from_ref(&leader_name));
            let floors = if kind == SiteKind::Residential {
                5 + rng.below(28) as i64
            } else {
                1
            };
            let id = bulk.building(
                &community, &grid, &compound, &name, &address, kind, floors, &keys, &start,
            )?;
            let units = if kind == SiteKind::Residential {
                (1..=1 + rng.below(4) as i64)
                    .map(|u| bulk.unit(&id, u, &start))
                    .collect::<Result<_>>()?
            } else {
                vec![]
            };
            bulk.duty(&leader, &id, &start)?;
            let phase = (sites.len() as i64 * 3) % 7;
            sites.push(Site {
                id,
                kind,
                units,
                leader: leader.clone(),
                phase,
            });
        }
    }
    // Grid workers: the names repeat every 96, so each has an office line of their own.
    for g in 0..(spec.buildings / 400).max(1) {
        bulk.person(
            &format!(
                "{}{}",
                SURNAMES[g % SURNAMES.len()],
                GIVEN[(g * 7) % GIVEN.len()]
            ),
            Role::GridWorker,
            &format!("0731-8{g:07}"),
            &start,
        )?;
    }

    // Patrols of the last weeks: each building every 7 days, everything answered OK.
    let mut patrols: std::collections::HashMap<(String, i64), String> = Default::default();
    let patrol_days = PATROL_DAYS.min(spec.days);
    for (k, s) in sites.iter().enumerate() {
        let mut d = patrol_days - s.phase;
        while d >= 1 {
            let date = today - Duration::days(d);
            let when = at(date, (k % 50) as i64 * 3);
            let key = (s.leader.clone(), d);
            let patrol = match patrols.get(&key) {
                Some(p) => p.clone(),
                None => {
                    let p = bulk.patrol(&s.leader, &day(date), &when)?;
                    patrols.insert(key, p.clone());
                    p
                }
            };
            for item in items_of(s.kind) {
                let targets: Vec<Option<&str>> = if item.scope == Scope::Unit && !s.units.is_empty()
                {
                    s.units.iter().map(|u| Some(u.as_str())).collect()
                } else {
                    vec![None]
                };
                for u in targets {
                    bulk.answer(&patrol, &s.id, u, &item.id, AnswerValue::Ok, None, &when)?;
                }
            }
            bulk.visited(&s.id, &day(date))?;
            d -= 7;
        }
    }

    // Hazards spread over the days, oldest first; most are rectified some days later, some
    // extended or escalated, the rest open (many of them overdue). A hazard at a place where
    // one was rectified recently is linked to it (回潮).
    let mut last_fixed: std::collections::HashMap<Place, LastFixed> = Default::default();
    let mut per_day: std::collections::HashMap<i64, usize> = Default::default();
    let mut written = 0;
    for n in 0..spec.hazards {
        let age = spec.days - (n as i64 * spec.days) / spec.hazards.max(1) as i64;
        let date = today - Duration::days(age.max(0));
        let si = rng.below(sites.len() as u64) as usize;
        let s = &sites[si];
        let list = items_of(s.kind);
        if list.is_empty() {
            continue;
        }
        // Recurring places: a few items per building come back again and again.
        let ii = if rng.chance(400) {
            (si * 7) % list.len()
        } else {
            rng.below(list.len() as u64) as usize
        };
        let item = &list[ii];
        let ui = (item.scope == Scope::Unit && !s.units.is_empty())
            .then(|| rng.below(s.units.len() as u64) as usize);
        let seq = per_day.entry(age).or_insert(0);
        *seq += 1;
        let number = format!("YH-{}-{:04}", date.format("%Y%m%d"), seq);
        let found_at = at(date, 30 + (n % 400) as i64);
        let deadline = item.deadline.due(date);
        let roll = rng.below(100);
        let mut events: Vec<(HazardEventKind, String, Option<String>, &str)> = Vec::new();
        let fixed_after = 1 + rng.below(14) as i64;
        let fixed_day = date + Duration::days(fixed_after);
        if roll < 62 && fixed_day < today {
            events.push((HazardEventKind::Rectified, at(fixed_day, 60), None, ""));
        } else if roll < 70 {
            let new = (deadline.max(date) + Duration::days(7))
                .format("%Y-%m-%d")
                .to_string();
            events.push((
                HazardEventKind::Extended,
                at(date + Duration::days(1), 60),
                Some(new),
                "住户外出，约定延期",
            ));
        } else if roll < 76 {
            events.push((
                HazardEventKind::Escalated,
                at(date, 90),
                Some("社区办公室".into()),
                "楼栋长无法解决",
            ));
            if rng.chance(500) && date + Duration::days(2) < today {
                events.push((
                    HazardEventKind::OfficeResponse,
                    at(date + Duration::days(2), 60),
                    None,
                    "已安排处理",
                ));
            }
        }
        let place = (si, ui, ii);
        let previous = last_fixed
            .get(&place)
            .filter(|(_, closed, _)| age <= *closed && *closed - age <= 180)
            .cloned();
        let (party, room) = *rng.pick(PARTIES);
        let id = bulk.hazard(&BulkHazard {
            number: &number,
            patrol_id: None,
            building_id: &s.id,
            unit_id: ui.map(|u| s.units[u].as_str()),
            item_id: &item.id,
            category: &item.category,
            spot: if s.kind == SiteKind::Residential {
                spot_of(&mut rng)
            } else {
                ""
            },
            description: &item.hazard_zh,
            severity: item.severity,
            party: (
                party,
                room,
                if party.is_empty() {
                    ""
                } else {
                    "138 0000 0000"
                },
            ),
            found_at: &found_at,
            found_by: &s.leader,
            deadline: &deadline.format("%Y-%m-%d").to_string(),
            previous_id: previous.as_ref().map(|p| p.0.as_str()),
            recurrence: previous.as_ref().map_or(0, |p| p.2 + 1),
            events: &events,
        })?;
        if events
            .first()
            .is_some_and(|e| e.0 == HazardEventKind::Rectified)
        {
            let recurrence = previous.as_ref().map_or(0, |p| p.2 + 1);
            last_fixed.insert(place, (id, age - fixed_after, recurrence));
        }
        written += 1;
    }
    bulk.finish()?;
    Ok((sites.len(), written))
}
