//! The report's hazard lists built in memory the way the report was made before it streamed
//! (issue 12): every found, followed-up and overdue hazard loaded into vectors, the summary's
//! counts taken from them. A reference for tests: the streamed output must equal what the
//! formats write from these lists, and the summary counted in SQLite must equal these counts.

use firepatrol::domain::{HazardEventKind, HazardStatus, Severity};
use firepatrol::error::Result;
use firepatrol::report::{self, Lists, ReportHazard, Section};
use firepatrol::store::{ReportScope, Store};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The three lists in memory, with the photos by hazard id.
#[derive(Clone, Debug, Default)]
pub struct MemLists {
    pub found: Vec<ReportHazard>,
    pub followed_up: Vec<ReportHazard>,
    pub overdue: Vec<ReportHazard>,
    pub photos: BTreeMap<String, Vec<String>>,
}

impl MemLists {
    pub fn list(&self, s: Section) -> &[ReportHazard] {
        match s {
            Section::Found => &self.found,
            Section::FollowedUp => &self.followed_up,
            Section::Overdue => &self.overdue,
        }
    }

    /// Every hazard once: found, followed up, overdue.
    pub fn all(&self) -> impl Iterator<Item = (Section, &ReportHazard)> {
        Section::ALL
            .into_iter()
            .flat_map(move |s| self.list(s).iter().map(move |h| (s, h)))
    }
}

impl Lists for MemLists {
    fn each(&self, section: Section, f: &mut dyn FnMut(&ReportHazard) -> Result<()>) -> Result<()> {
        self.list(section).iter().try_for_each(f)
    }

    fn photos(&self, hazard_id: &str) -> Result<Vec<String>> {
        Ok(self.photos.get(hazard_id).cloned().unwrap_or_default())
    }
}

/// The counts of the summary that come from the hazards, as the in-memory build made them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefCounts {
    pub hazards_found: i64,
    pub by_severity: Vec<(Severity, i64)>,
    pub by_category: Vec<(String, i64)>,
    pub fixed_on_spot: i64,
    pub rectified: i64,
    pub extended: i64,
    pub escalated: i64,
    pub recurring: i64,
    pub still_open: i64,
    pub overdue_carried: i64,
}

/// The lists and counts of a scope, loaded whole (the old `report::build`).
pub fn reference(store: &Store, scope: &ReportScope, redact: bool) -> (MemLists, RefCounts) {
    let today = store.clock.today();
    let basis: HashMap<String, String> = store
        .templates()
        .unwrap()
        .into_iter()
        .flat_map(|t| t.items)
        .map(|i| (i.id, i.basis))
        .collect();
    let found_rows = store.report_found(scope).unwrap();
    let events = store.report_events(scope).unwrap();
    let found_ids: HashSet<&str> = found_rows.iter().map(|h| h.id.as_str()).collect();
    let (mut rectified, mut extended, mut escalated) =
        (HashSet::new(), HashSet::new(), HashSet::new());
    let mut acted_order: Vec<String> = Vec::new();
    let mut actions: HashMap<String, Vec<report::ReportAction>> = HashMap::new();
    for e in &events {
        match e.kind {
            HazardEventKind::Rectified if !e.on_the_spot => {
                rectified.insert(e.hazard_id.clone());
            }
            HazardEventKind::Reopened => {
                rectified.remove(&e.hazard_id);
            }
            HazardEventKind::Extended => {
                extended.insert(e.hazard_id.clone());
            }
            HazardEventKind::Escalated => {
                escalated.insert(e.hazard_id.clone());
            }
            _ => {}
        }
        if e.on_the_spot {
            continue;
        }
        if !found_ids.contains(e.hazard_id.as_str()) && !actions.contains_key(&e.hazard_id) {
            acted_order.push(e.hazard_id.clone());
        }
        actions
            .entry(e.hazard_id.clone())
            .or_default()
            .push(report::action_of(e));
    }
    let to_report = |h: &firepatrol::store::HazardRow| {
        report::hazard_of(
            h,
            today,
            basis.get(&h.item_id).map_or("", String::as_str),
            actions.get(&h.id).cloned().unwrap_or_default(),
        )
    };
    let found: Vec<ReportHazard> = found_rows.iter().map(to_report).collect();
    let followed_up: Vec<ReportHazard> = store
        .hazards_by_id(&acted_order)
        .unwrap()
        .iter()
        .map(to_report)
        .collect();
    let followed_ids: HashSet<&str> = followed_up.iter().map(|h| h.id.as_str()).collect();
    let overdue_rows = store.report_overdue(scope).unwrap();
    let overdue: Vec<ReportHazard> = overdue_rows
        .iter()
        .filter(|h| !followed_ids.contains(h.id.as_str()))
        .map(to_report)
        .collect();
    let mut cats: BTreeMap<String, i64> = BTreeMap::new();
    for h in &found {
        *cats.entry(h.category.clone()).or_default() += 1;
    }
    let mut by_category: Vec<(String, i64)> = cats.into_iter().collect();
    by_category.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let counts = RefCounts {
        hazards_found: found.len() as i64,
        by_severity: Severity::ALL
            .iter()
            .rev()
            .map(|s| (*s, found.iter().filter(|h| h.severity == *s).count() as i64))
            .collect(),
        by_category,
        fixed_on_spot: found.iter().filter(|h| h.fixed_on_spot).count() as i64,
        rectified: rectified.len() as i64,
        extended: extended.len() as i64,
        escalated: escalated.len() as i64,
        recurring: found.iter().filter(|h| h.recurrence > 0).count() as i64,
        still_open: found
            .iter()
            .filter(|h| matches!(h.status, HazardStatus::Open | HazardStatus::Escalated))
            .count() as i64,
        overdue_carried: overdue_rows.len() as i64,
    };
    let mut lists = MemLists {
        found,
        followed_up,
        overdue,
        photos: BTreeMap::new(),
    };
    if redact {
        // Every party's name on record, as a shared report masks them.
        let names = report::mask_names(all_party_names(store));
        for h in lists
            .found
            .iter_mut()
            .chain(lists.followed_up.iter_mut())
            .chain(lists.overdue.iter_mut())
        {
            report::redact_hazard(h, &names);
        }
    } else {
        let ids: Vec<&str> = lists.all().map(|(_, h)| h.id.as_str()).collect();
        lists.photos = firepatrol::photos::thumbs_for(store, &ids)
            .unwrap()
            .into_iter()
            .collect();
    }
    (lists, counts)
}

/// The same counts as the streamed report's summary holds them.
pub fn counts_of(r: &report::Report) -> RefCounts {
    let s = &r.summary;
    RefCounts {
        hazards_found: s.hazards_found,
        by_severity: s
            .by_severity
            .iter()
            .map(|x| (x.severity, x.count))
            .collect(),
        by_category: s
            .by_category
            .iter()
            .map(|x| (x.category.clone(), x.count))
            .collect(),
        fixed_on_spot: s.fixed_on_spot,
        rectified: s.rectified,
        extended: s.extended,
        escalated: s.escalated,
        recurring: s.recurring,
        still_open: s.still_open,
        overdue_carried: s.overdue_carried,
    }
}

/// A report made the streamed way, with the in-memory reference beside it: made, its
/// summary's counts are checked against the reference, and every rendering is checked to be
/// byte for byte the one made from the reference lists.
pub struct Built {
    pub store: Store,
    pub scope: ReportScope,
    pub opts: report::Options,
    pub report: report::Report,
    /// The lists in memory (the reference).
    pub mem: MemLists,
}

impl std::ops::Deref for Built {
    type Target = report::Report;
    fn deref(&self) -> &report::Report {
        &self.report
    }
}

impl Built {
    pub fn new(store: Store, scope: ReportScope, opts: report::Options) -> Built {
        let report = report::build(&store, &scope, &opts).unwrap();
        let (mem, counts) = reference(&store, &scope, opts.redact);
        assert_eq!(counts_of(&report), counts, "summary counted in SQLite");
        assert_eq!(
            (
                report.lists.found,
                report.lists.followed_up,
                report.lists.overdue
            ),
            (mem.found.len(), mem.followed_up.len(), mem.overdue.len()),
            "the lists' lengths"
        );
        Built {
            store,
            scope,
            opts,
            report,
            mem,
        }
    }

    pub fn lists(&self) -> report::StoreLists<'_> {
        report::lists(&self.store, &self.scope, &self.opts, &self.report).unwrap()
    }

    /// The report in one format, streamed from the database (and equal to the reference).
    pub fn render(&self, lang: firepatrol::i18n::Lang, f: report::Format) -> Result<Vec<u8>> {
        let streamed = report::render(&self.report, &self.lists(), lang, f)?;
        let reference = report::render(&self.report, &self.mem, lang, f)?;
        assert!(
            streamed == reference,
            "streamed {f:?} differs from the in-memory reference"
        );
        Ok(streamed)
    }

    /// The chat text (checked as [`Built::render`] does).
    pub fn text(&self, lang: firepatrol::i18n::Lang) -> String {
        String::from_utf8(self.render(lang, report::Format::Text).unwrap()).unwrap()
    }

    /// The chat text's summary lines.
    pub fn chat_summary(&self, lang: firepatrol::i18n::Lang) -> String {
        let streamed = report::text::summary(&self.report, &self.lists(), lang).unwrap();
        let reference = report::text::summary(&self.report, &self.mem, lang).unwrap();
        assert_eq!(streamed, reference);
        streamed
    }
}

/// Every party's name on record, read plainly (one row per hazard).
fn all_party_names(store: &Store) -> Vec<String> {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let mut st = conn.prepare("SELECT party_name FROM hazard").unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<String>>>()
        .unwrap()
}
