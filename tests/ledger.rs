//! Issue 4: follow-up. Actions and their events, deadline rules around midnight and month
//! ends, recurrence, ledger filters (demo and random data), the hazards CLI.

mod common;

use common::*;
use firepatrol::domain::clock::Clock;
use firepatrol::domain::{HazardEventKind, HazardStatus, Severity};
use firepatrol::store::*;

fn at(s: &str) -> Clock {
    Clock::parse_fixed(s).unwrap()
}

/// A store with the demo lists (no history) and one leader; returns (store, leader id,
/// building id, its first unit id).
fn small(dir: &std::path::Path) -> (Store, String, String, String) {
    let mut s = store(dir);
    firepatrol::demo::load_lists(&mut s).unwrap();
    let leader = s
        .people()
        .unwrap()
        .into_iter()
        .find(|p| p.name == "刘建国")
        .unwrap()
        .id;
    let b = s
        .building_summaries(None)
        .unwrap()
        .into_iter()
        .find(|b| b.building.display_name() == "新芙蓉之都 2栋")
        .unwrap()
        .building
        .id;
    let u = s.units(&b).unwrap()[0].id.clone();
    (s, leader, b, u)
}

fn new_hazard(
    s: &mut Store,
    leader: &str,
    b: &str,
    unit: Option<&str>,
    item: &str,
    deadline: &str,
) -> HazardReceipt {
    let patrol = s.patrol_for(leader).unwrap();
    s.record_hazard(&NewHazard {
        patrol_id: patrol,
        slot: Slot {
            building_id: b.into(),
            unit_id: unit.map(str::to_owned),
            item_id: item.into(),
        },
        category: "ebike".into(),
        spot: "1F".into(),
        description: "电动车停在楼道".into(),
        severity: Severity::High,
        party_name: "王".into(),
        party_room: "101".into(),
        party_phone: String::new(),
        found_by: Some(leader.into()),
        deadline: chrono::NaiveDate::parse_from_str(deadline, "%Y-%m-%d").unwrap(),
        fixed_on_spot: false,
        escalate: None,
    })
    .unwrap()
}

#[test]
fn each_action_is_an_event_with_who_and_when() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, leader, b, u) = small(dir.path());
    let h = new_hazard(&mut s, &leader, &b, Some(&u), "EBK-01", "2026-11-26");
    let d = |x: &str| chrono::NaiveDate::parse_from_str(x, "%Y-%m-%d").unwrap();
    let steps: Vec<(HazardAction, HazardEventKind, HazardStatus)> = vec![
        (
            HazardAction::StillOpen {
                note: "还在".into(),
            },
            HazardEventKind::StillOpen,
            HazardStatus::Open,
        ),
        (
            HazardAction::Extend {
                to: d("2026-12-05"),
                reason: "住户外出".into(),
            },
            HazardEventKind::Extended,
            HazardStatus::Open,
        ),
        (
            HazardAction::Escalate {
                to: "社区办公室".into(),
                note: "需协调".into(),
            },
            HazardEventKind::Escalated,
            HazardStatus::Escalated,
        ),
        (
            HazardAction::OfficeResponse {
                note: "已安排物业清理".into(),
            },
            HazardEventKind::OfficeResponse,
            HazardStatus::Escalated,
        ),
        (
            HazardAction::Rectify {
                note: "已清走".into(),
            },
            HazardEventKind::Rectified,
            HazardStatus::Rectified,
        ),
        (
            HazardAction::Reopen {
                reason: "又停回来了".into(),
            },
            HazardEventKind::Reopened,
            HazardStatus::Open,
        ),
    ];
    for (k, (action, kind, status)) in steps.into_iter().enumerate() {
        s.clock = at(&format!("2026-11-{:02}T10:00:00+08:00", 23 + k));
        s.hazard_action(&h.id, &action, Some(&leader))
            .unwrap()
            .unwrap();
        let hist = s.hazard_history(&h.id).unwrap();
        assert_eq!(hist.len(), k + 2);
        let e = hist.last().unwrap();
        assert_eq!((e.kind, e.by.as_str()), (kind, "刘建国"));
        assert_eq!(e.at, format!("2026-11-{:02}T10:00:00+08:00", 23 + k));
        assert_eq!(s.hazard(&h.id).unwrap().unwrap().status, status);
    }
    let hist = s.hazard_history(&h.id).unwrap();
    let ext = hist
        .iter()
        .find(|e| e.kind == HazardEventKind::Extended)
        .unwrap();
    assert_eq!(
        (
            ext.old_value.as_deref(),
            ext.new_value.as_deref(),
            ext.note.as_str()
        ),
        (Some("2026-11-26"), Some("2026-12-05"), "住户外出")
    );
    assert_eq!(
        s.hazard(&h.id).unwrap().unwrap().deadline,
        "2026-12-05",
        "the old deadline stays in history"
    );
    assert!(s.verify_event_chain().unwrap().is_none());
}

#[test]
fn bad_actions_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, leader, b, u) = small(dir.path());
    let h = new_hazard(&mut s, &leader, &b, Some(&u), "EBK-01", "2026-11-26");
    let d = |x: &str| chrono::NaiveDate::parse_from_str(x, "%Y-%m-%d").unwrap();
    let before = s.hazard_history(&h.id).unwrap().len();
    let refused =
        |s: &mut Store, a: HazardAction| s.hazard_action(&h.id, &a, None).unwrap().unwrap_err();
    assert_eq!(
        refused(
            &mut s,
            HazardAction::Extend {
                to: d("2026-11-01"),
                reason: "x".into()
            }
        ),
        ActionRefused::DeadlineInPast(d("2026-11-01"))
    );
    assert_eq!(
        refused(
            &mut s,
            HazardAction::Extend {
                to: d("2026-12-01"),
                reason: "  ".into()
            }
        ),
        ActionRefused::ReasonRequired
    );
    assert_eq!(
        refused(
            &mut s,
            HazardAction::Extend {
                to: d("2026-11-25"),
                reason: "x".into()
            }
        ),
        ActionRefused::DeadlineNotLater(d("2026-11-26"))
    );
    assert_eq!(
        refused(&mut s, HazardAction::OfficeResponse { note: "x".into() }),
        ActionRefused::NotEscalated
    );
    assert_eq!(
        refused(&mut s, HazardAction::Reopen { reason: "x".into() }),
        ActionRefused::NotRectified
    );
    s.hazard_action(
        &h.id,
        &HazardAction::Rectify {
            note: String::new(),
        },
        None,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        refused(
            &mut s,
            HazardAction::Escalate {
                to: "社区".into(),
                note: String::new()
            }
        ),
        ActionRefused::AlreadyRectified
    );
    assert_eq!(
        refused(&mut s, HazardAction::Reopen { reason: "".into() }),
        ActionRefused::ReasonRequired
    );
    assert_eq!(
        s.hazard_history(&h.id).unwrap().len(),
        before + 1,
        "only the rectification was recorded"
    );
    assert_eq!(
        s.find_hazard("YH-nope").unwrap().unwrap_err(),
        ActionRefused::NoSuchHazard("YH-nope".into())
    );
}

#[test]
fn due_today_and_overdue_around_midnight_and_month_ends() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, leader, b, u) = small(dir.path());
    s.clock = at("2026-11-28T09:00:00+08:00");
    let h = new_hazard(&mut s, &leader, &b, Some(&u), "EBK-01", "2026-11-30");
    let check = |s: &mut Store, now: &str, due: i64, overdue: i64, days: i64| {
        s.clock = at(now);
        let c = s.due_counts().unwrap();
        assert_eq!((c.due_today, c.overdue), (due, overdue), "at {now}");
        let row = s.hazard(&h.id).unwrap().unwrap();
        assert_eq!(row.days_overdue(s.clock.today()), days, "at {now}");
        let f = LedgerFilter {
            status: StatusFilter::Overdue,
            ..Default::default()
        };
        assert_eq!(s.ledger(&f, 100).unwrap().1, overdue, "at {now}");
        let f = LedgerFilter {
            status: StatusFilter::DueToday,
            ..Default::default()
        };
        assert_eq!(s.ledger(&f, 100).unwrap().1, due, "at {now}");
    };
    check(&mut s, "2026-11-29T23:59:59+08:00", 0, 0, 0);
    check(&mut s, "2026-11-30T00:00:00+08:00", 1, 0, 0);
    check(&mut s, "2026-11-30T23:59:59+08:00", 1, 0, 0);
    check(&mut s, "2026-12-01T00:00:00+08:00", 0, 1, 1);
    check(&mut s, "2027-01-01T00:00:01+08:00", 0, 1, 32);
    // Due this week: deadline within today .. today + 6.
    s.clock = at("2026-11-24T12:00:00+08:00");
    let f = LedgerFilter {
        status: StatusFilter::DueWeek,
        ..Default::default()
    };
    assert_eq!(s.ledger(&f, 100).unwrap().1, 1);
    // Month ends in the rules: 3 days from 2027-02-27 is 2027-03-02; from 2028-02-27 (leap) 03-01.
    let r = firepatrol::domain::deadline::DeadlineRule::Days(3);
    let d = |x: &str| chrono::NaiveDate::parse_from_str(x, "%Y-%m-%d").unwrap();
    assert_eq!(r.due(d("2027-02-27")), d("2027-03-02"));
    assert_eq!(r.due(d("2028-02-27")), d("2028-03-01"));
    assert_eq!(
        firepatrol::domain::deadline::parse_deadline("+1", d("2026-12-31")),
        Ok(d("2027-01-01"))
    );
}

#[test]
fn recurrence_links_within_180_days_at_the_same_place_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, leader, b, u) = small(dir.path());
    s.clock = at("2026-01-05T09:00:00+08:00");
    let a = new_hazard(&mut s, &leader, &b, Some(&u), "EBK-01", "2026-01-05");
    assert_eq!((a.previous.clone(), a.recurrence), (None, 0));
    // Open (not rectified) hazards do not make a recurrence.
    let open_again = new_hazard(&mut s, &leader, &b, Some(&u), "EBK-01", "2026-01-05");
    assert_eq!(open_again.recurrence, 0);
    s.hazard_action(
        &open_again.id,
        &HazardAction::Rectify {
            note: String::new(),
        },
        None,
    )
    .unwrap()
    .unwrap();
    s.clock = at("2026-01-10T09:00:00+08:00");
    s.hazard_action(
        &a.id,
        &HazardAction::Rectify {
            note: String::new(),
        },
        None,
    )
    .unwrap()
    .unwrap();
    s.clock = at("2026-03-01T09:00:00+08:00");
    let b2 = new_hazard(&mut s, &leader, &b, Some(&u), "EBK-01", "2026-03-01");
    assert_eq!(
        (b2.previous.as_deref(), b2.recurrence),
        (Some(a.id.as_str()), 1)
    );
    s.hazard_action(
        &b2.id,
        &HazardAction::Rectify {
            note: String::new(),
        },
        None,
    )
    .unwrap()
    .unwrap();
    s.clock = at("2026-04-01T09:00:00+08:00");
    let c = new_hazard(&mut s, &leader, &b, Some(&u), "EBK-01", "2026-04-01");
    assert_eq!(
        (c.previous.as_deref(), c.recurrence),
        (Some(b2.id.as_str()), 2)
    );
    // Another unit, another item: not linked.
    let other_unit = s.units(&b).unwrap()[1].id.clone();
    assert_eq!(
        new_hazard(
            &mut s,
            &leader,
            &b,
            Some(&other_unit),
            "EBK-01",
            "2026-04-01"
        )
        .recurrence,
        0
    );
    assert_eq!(
        new_hazard(&mut s, &leader, &b, Some(&u), "EBK-02", "2026-04-01").recurrence,
        0
    );
    // More than 180 days after the rectification: not linked.
    s.hazard_action(
        &c.id,
        &HazardAction::Rectify {
            note: String::new(),
        },
        None,
    )
    .unwrap()
    .unwrap();
    s.clock = at("2026-09-29T09:00:00+08:00"); // 181 days after 2026-04-01
    assert_eq!(
        new_hazard(&mut s, &leader, &b, Some(&u), "EBK-01", "2026-09-29").recurrence,
        0
    );
    // The ledger's recurring filter and the re-check order: recurring first.
    let f = LedgerFilter {
        status: StatusFilter::All,
        recurring: true,
        ..Default::default()
    };
    let (rows, _) = s.ledger(&f, 100).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.recurrence > 0));
    let open = s.open_hazards_at(&b).unwrap();
    assert!(open.len() >= 3);
    let first_plain = open.iter().position(|h| h.recurrence == 0).unwrap();
    assert!(
        open[first_plain..].iter().all(|h| h.recurrence == 0),
        "recurring hazards are listed first"
    );
}

/// Check every status filter and each other filter against a brute-force pass over all rows.
fn filters_agree_with_brute_force(s: &Store) {
    let today = s.clock.today();
    let (all, _) = s
        .ledger(
            &LedgerFilter {
                status: StatusFilter::All,
                ..Default::default()
            },
            1_000_000,
        )
        .unwrap();
    let t = today.format("%Y-%m-%d").to_string();
    let week = (today + chrono::Duration::days(6))
        .format("%Y-%m-%d")
        .to_string();
    let pred = |f: StatusFilter, h: &HazardRow| match f {
        StatusFilter::Open => h.is_open(),
        StatusFilter::DueToday => h.is_open() && h.deadline == t,
        StatusFilter::DueWeek => h.is_open() && h.deadline >= t && h.deadline <= week,
        StatusFilter::Overdue => h.is_open() && h.deadline < t,
        StatusFilter::Escalated => h.status == HazardStatus::Escalated,
        StatusFilter::Rectified => h.status == HazardStatus::Rectified,
        StatusFilter::All => true,
    };
    let counts = s.ledger_counts(&LedgerFilter::default()).unwrap();
    for (f, n) in counts {
        let want: Vec<&String> = all.iter().filter(|h| pred(f, h)).map(|h| &h.id).collect();
        let (got, total) = s
            .ledger(
                &LedgerFilter {
                    status: f,
                    ..Default::default()
                },
                1_000_000,
            )
            .unwrap();
        assert_eq!(n as usize, want.len(), "{f:?}");
        assert_eq!(total as usize, want.len(), "{f:?}");
        let mut got_ids: Vec<&String> = got.iter().map(|h| &h.id).collect();
        got_ids.sort();
        let mut want = want;
        want.sort();
        assert_eq!(got_ids, want, "{f:?}");
    }
    let choices = s.ledger_choices().unwrap();
    for g in &choices.grids {
        let f = LedgerFilter {
            status: StatusFilter::All,
            grid: Some(g.clone()),
            ..Default::default()
        };
        assert_eq!(
            s.ledger(&f, 1_000_000).unwrap().0.len(),
            all.iter().filter(|h| &h.grid == g).count(),
            "grid {g}"
        );
    }
    for c in &choices.compounds {
        let f = LedgerFilter {
            status: StatusFilter::All,
            compound: Some(c.clone()),
            ..Default::default()
        };
        assert_eq!(
            s.ledger(&f, 1_000_000).unwrap().0.len(),
            all.iter().filter(|h| &h.compound == c).count(),
            "compound {c}"
        );
    }
    for c in &choices.categories {
        let f = LedgerFilter {
            status: StatusFilter::All,
            category: Some(c.clone()),
            ..Default::default()
        };
        assert_eq!(
            s.ledger(&f, 1_000_000).unwrap().0.len(),
            all.iter().filter(|h| &h.category == c).count(),
            "category {c}"
        );
    }
    for sev in Severity::ALL {
        let f = LedgerFilter {
            status: StatusFilter::All,
            severity: Some(*sev),
            ..Default::default()
        };
        assert_eq!(
            s.ledger(&f, 1_000_000).unwrap().0.len(),
            all.iter().filter(|h| h.severity == *sev).count(),
            "{sev:?}"
        );
    }
    for (id, name) in &choices.leaders {
        let f = LedgerFilter {
            status: StatusFilter::All,
            leader: Some(id.clone()),
            ..Default::default()
        };
        assert_eq!(
            s.ledger(&f, 1_000_000).unwrap().0.len(),
            all.iter().filter(|h| &h.found_by == name).count(),
            "leader {name}"
        );
    }
    let from = today - chrono::Duration::days(10);
    let f = LedgerFilter {
        status: StatusFilter::All,
        from: Some(from),
        to: Some(today - chrono::Duration::days(3)),
        ..Default::default()
    };
    let lo = from.format("%Y-%m-%d").to_string();
    let hi = (today - chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        s.ledger(&f, 1_000_000).unwrap().0.len(),
        all.iter()
            .filter(|h| h.found_at[..10] >= *lo && h.found_at[..10] <= *hi)
            .count()
    );
    // Sorts return the same set in the promised order.
    for sort in LedgerSort::ALL {
        let (rows, _) = s
            .ledger(
                &LedgerFilter {
                    status: StatusFilter::All,
                    sort,
                    ..Default::default()
                },
                1_000_000,
            )
            .unwrap();
        assert_eq!(rows.len(), all.len());
        if sort == LedgerSort::Deadline {
            assert!(rows.windows(2).all(|w| w[0].deadline <= w[1].deadline));
        }
        if sort == LedgerSort::Found {
            assert!(rows.windows(2).all(|w| w[0].found_at >= w[1].found_at));
        }
        if sort == LedgerSort::Severity {
            assert!(
                rows.windows(2).all(|w| w[0].severity >= w[1].severity),
                "most severe first"
            );
        }
        if sort == LedgerSort::Building {
            assert!(
                rows.windows(2)
                    .all(|w| w[0].building_id <= w[1].building_id),
                "grouped by building"
            );
        }
    }
}

#[test]
fn filters_on_the_demo_community() {
    let dir = tempfile::tempdir().unwrap();
    let s = demo_store(dir.path());
    filters_agree_with_brute_force(&s);
}

#[test]
fn filters_on_generated_data() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, leader, _, _) = small(dir.path());
    let buildings = s.building_summaries(None).unwrap();
    let items = s
        .checklist_for(firepatrol::domain::SiteKind::Residential)
        .unwrap();
    let mut rng = firepatrol::demo::Rng::new(7);
    for k in 0..300 {
        let day = 1 + rng.below(40) as i64;
        s.clock = Clock::Fixed(
            at("2026-10-01T08:00:00+08:00").now()
                + chrono::Duration::days(day)
                + chrono::Duration::minutes(k),
        );
        let b = &rng.pick(&buildings).building;
        let units = s.units(&b.id).unwrap();
        let unit = if units.is_empty() {
            None
        } else {
            Some(rng.pick(&units).id.clone())
        };
        let item = rng.pick(&items);
        let deadline = s.clock.today() + chrono::Duration::days(rng.below(20) as i64);
        let h = new_hazard(
            &mut s,
            &leader,
            &b.id,
            unit.as_deref(),
            &item.id,
            &deadline.format("%Y-%m-%d").to_string(),
        );
        match rng.below(5) {
            0 => drop(
                s.hazard_action(
                    &h.id,
                    &HazardAction::Rectify {
                        note: String::new(),
                    },
                    None,
                )
                .unwrap(),
            ),
            1 => drop(
                s.hazard_action(
                    &h.id,
                    &HazardAction::Escalate {
                        to: "社区".into(),
                        note: String::new(),
                    },
                    None,
                )
                .unwrap(),
            ),
            _ => {}
        }
    }
    s.clock = at("2026-11-05T10:00:00+08:00");
    assert!(
        s.verify_tallies().unwrap().is_empty(),
        "tallies kept event by event match the hazards"
    );
    filters_agree_with_brute_force(&s);
}

#[test]
fn cli_overdue_json_lists_exactly_the_overdue_hazards() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let dbs = db.to_str().unwrap();
    assert!(
        run(dir.path(), &["init", "--demo", "--db", dbs])
            .status
            .success()
    );
    let o = run(
        dir.path(),
        &[
            "hazards", "--status", "overdue", "--format", "json", "--db", dbs,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let overdue: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let o = run(
        dir.path(),
        &[
            "hazards", "--status", "all", "--format", "json", "--db", dbs,
        ],
    );
    let all: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let want: Vec<&str> = all
        .iter()
        .filter(|h| {
            (h["status"] == "open" || h["status"] == "escalated")
                && h["deadline"].as_str().unwrap() < "2026-11-23"
        })
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    let got: Vec<&str> = overdue.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert!(!got.is_empty());
    assert_eq!(got.len(), want.len());
    assert!(want.iter().all(|w| got.contains(w)));
    for h in &overdue {
        let deadline =
            chrono::NaiveDate::parse_from_str(h["deadline"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let days = (chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap() - deadline).num_days();
        assert_eq!(h["days_overdue"].as_i64().unwrap(), days);
        assert!(days > 0);
    }
}

#[test]
fn cli_actions_and_their_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let dbs = db.to_str().unwrap();
    assert!(
        run(dir.path(), &["init", "--demo", "--db", dbs])
            .status
            .success()
    );
    let o = run(
        dir.path(),
        &[
            "hazards", "--status", "open", "--format", "json", "--db", dbs,
        ],
    );
    let open: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let h = open.iter().find(|h| h["status"] == "open").unwrap();
    let number = h["number"].as_str().unwrap();
    let o = run(
        dir.path(),
        &[
            "hazard",
            number,
            "--extend",
            "2026-11-01",
            "--reason",
            "x",
            "--db",
            dbs,
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("in the past"), "{}", stderr(&o));
    let o = run(
        dir.path(),
        &["hazard", number, "--extend", "+10", "--db", dbs],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("reason"), "{}", stderr(&o));
    let o = run(
        dir.path(),
        &[
            "hazard",
            number,
            "--extend",
            "+10",
            "--reason",
            "住户外出",
            "--format",
            "json",
            "--db",
            dbs,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["deadline"], "2026-12-03");
    assert_eq!(
        v["history"].as_array().unwrap().last().unwrap()["kind"],
        "extended"
    );
    let o = run(dir.path(), &["hazard", number, "--rectify", "--db", dbs]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(
        dir.path(),
        &[
            "hazard",
            number,
            "--escalate",
            "社区办公室",
            "--note",
            "x",
            "--db",
            dbs,
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("already rectified"), "{}", stderr(&o));
    let o = run(
        dir.path(),
        &["hazard", "YH-19990101-999", "--rectify", "--db", dbs],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no hazard YH-19990101-999"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_ledger_as_a_streamed_spreadsheet_reads_back() {
    use calamine::{Data, Reader};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let dbs = db.to_str().unwrap();
    assert!(
        run(dir.path(), &["init", "--demo", "--db", dbs])
            .status
            .success()
    );
    let o = run(
        dir.path(),
        &[
            "hazards", "--status", "all", "--format", "xlsx", "--db", dbs,
        ],
    );
    assert!(
        !o.status.success() && stderr(&o).contains("--out"),
        "{}",
        stderr(&o)
    );
    let out = dir.path().join("ledger.xlsx");
    let o = run(
        dir.path(),
        &[
            "hazards",
            "--status",
            "all",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
            "--db",
            dbs,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let total = s.stats().unwrap().hazards.total as usize;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<_> = range.rows().collect();
    assert_eq!(rows.len(), total + 1, "a header and one row per hazard");
    assert_eq!(rows[0][0], Data::String("Number".into()));
    assert!(
        matches!(rows[1][11], Data::DateTime(_)),
        "the deadline is a date cell: {:?}",
        rows[1][11]
    );
    assert!(
        matches!(rows[1][1], Data::DateTime(_)),
        "the found time is a date cell"
    );
    // Exports to a missing folder and to a full disk (a device node of our own) leave nothing
    // behind.
    let full = full_device(dir.path()).expect("tests run as root: mknod");
    let missing = dir.path().join("nope").join("x.xlsx");
    let o = run(
        dir.path(),
        &[
            "hazards",
            "--status",
            "all",
            "--format",
            "xlsx",
            "--out",
            missing.to_str().unwrap(),
            "--db",
            dbs,
        ],
    );
    assert!(!o.status.success());
    let o = run(
        dir.path(),
        &[
            "hazards",
            "--status",
            "all",
            "--format",
            "csv",
            "--out",
            full.to_str().unwrap(),
            "--db",
            dbs,
        ],
    );
    assert!(
        !o.status.success() && stderr(&o).contains("disk is full"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_ledger_workbook_keeps_times_numbers_and_formula_like_text_as_they_are() {
    use calamine::{Data, Reader};
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let dbs = db.to_str().unwrap();
    // A resident's name that a spreadsheet would run as a formula.
    let mut s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    let b = &s.building_summaries(None).unwrap()[0].building;
    let p = s.patrol_for(&s.people().unwrap()[0].id).unwrap();
    let slot = Slot {
        building_id: b.id.clone(),
        unit_id: None,
        item_id: "FUE-02".into(),
    };
    let h = s
        .record_hazard(&NewHazard {
            patrol_id: p,
            slot,
            category: "fuel".into(),
            spot: "外墙".into(),
            description: "纸箱".into(),
            severity: Severity::Medium,
            party_name: "=HYPERLINK(\"http://x\")".into(),
            party_room: "101".into(),
            party_phone: String::new(),
            found_by: None,
            deadline: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            fixed_on_spot: false,
            escalate: None,
        })
        .unwrap();
    drop(s);
    let out = dir.path().join("ledger.xlsx");
    let o = run(
        dir.path(),
        &[
            "hazards",
            "--status",
            "all",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
            "--db",
            dbs,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<_> = range.rows().collect();
    let row = rows
        .iter()
        .find(|r| r[0] == Data::String(h.number.clone()))
        .expect("the new hazard's row");
    // Found at: a date-time with its time of day (09:30 in the tests' clock).
    match &row[1] {
        Data::DateTime(t) => {
            let frac = t.as_f64().fract();
            assert!((frac - 9.5 / 24.0).abs() < 1e-6, "time of day kept: {frac}");
        }
        other => panic!("found at is not a date-time: {other:?}"),
    }
    // The resident's text is stored as the text itself, no apostrophe added.
    assert_eq!(row[8], Data::String("=HYPERLINK(\"http://x\")".into()));
    // Days overdue and recurrences are numbers.
    assert!(
        matches!(row[13], Data::Float(_) | Data::Int(_)),
        "{:?}",
        row[13]
    );
    assert!(
        matches!(row[14], Data::Float(_) | Data::Int(_)),
        "{:?}",
        row[14]
    );
    // The cell is marked as text for Excel (the quote prefix), so it is never a formula.
    let sheet = {
        let f = std::fs::File::open(&out).unwrap();
        let mut z = zip::ZipArchive::new(f).unwrap();
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut z.by_name("xl/styles.xml").unwrap(), &mut styles)
            .unwrap();
        styles
    };
    assert!(
        sheet.contains("quotePrefix=\"1\""),
        "a quote-prefixed style exists"
    );

    // Into a full disk: a clear message, and none of the zip writer's own text.
    if let Some(full) = full_device(dir.path()) {
        let o = run(
            dir.path(),
            &[
                "hazards",
                "--status",
                "all",
                "--format",
                "xlsx",
                "--out",
                full.to_str().unwrap(),
                "--db",
                dbs,
            ],
        );
        assert!(!o.status.success());
        assert!(stderr(&o).contains("disk is full"), "{}", stderr(&o));
        assert!(!stderr(&o).contains("ZipWriter"), "{}", stderr(&o));
    }
}
