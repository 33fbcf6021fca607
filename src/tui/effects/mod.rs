//! Effects: run an [`Effect`] against the store and report the outcome as [`Msg`]s. One
//! store write per user change; the screen shows a change as saved only after this returns.

use super::effect::{Effect, SaveKind};
use super::msg::{BuildingCounts, Msg, Saved};
use super::screens::detail::Detail;
use super::screens::history::History;
use super::screens::ledger::LEDGER_PAGE;
use super::screens::overview::Overview;
use super::screens::report::ReportPreview;
use super::screens::start::{ItemCounts, ResumePoint, StartData};
use super::screens::walk::{UndoEntry, WalkData, next_unanswered, sections};
use crate::domain::{AnswerValue, Thing};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::i18n::refusal;
use crate::store::Store;
use crate::store::meta::MetaKey;
use std::collections::HashMap;

mod office;

/// Settings key remembering who patrolled last on this laptop.
pub const LAST_INSPECTOR: MetaKey = MetaKey::LastInspector;

/// Settings key remembering the folder photos were last attached from.
pub const LAST_PHOTO_FOLDER: MetaKey = MetaKey::LastPhotoFolder;

pub struct Runner {
    pub store: Store,
    pub lang: Lang,
    /// (inspector, day) -> patrol id
    patrols: HashMap<(String, String), String>,
}

impl Runner {
    pub fn new(store: Store, lang: Lang) -> Runner {
        Runner {
            store,
            lang,
            patrols: HashMap::new(),
        }
    }

    fn patrol(&mut self, inspector: &str) -> Result<String> {
        let day = self.store.clock.today().format("%Y-%m-%d").to_string();
        let key = (inspector.to_string(), day);
        if let Some(p) = self.patrols.get(&key) {
            return Ok(p.clone());
        }
        let p = self.store.patrol_for(inspector)?;
        self.patrols.insert(key, p.clone());
        Ok(p)
    }

    fn day_answered(&mut self, inspector: &str) -> Result<i64> {
        let p = self.patrol(inspector)?;
        self.store.patrol_progress(&p)
    }

    /// Run one effect: the messages it gives back, or why it failed.
    pub fn run(&mut self, effect: Effect) -> Result<Vec<Msg>> {
        match effect {
            Effect::LoadStart => Ok(vec![Msg::StartLoaded(Box::new(self.load_start()?))]),
            Effect::RememberInspector(id) => {
                self.store.set_meta(LAST_INSPECTOR, &id)?;
                Ok(vec![])
            }
            Effect::OpenWalk {
                building_id,
                resume,
                inspector,
            } => {
                let Some(building) = self.store.building(&building_id)? else {
                    return Err(Error::NotFound {
                        what: Thing::Building,
                        key: building_id,
                    });
                };
                let items = self.store.checklist_for(building.kind)?;
                let units = self.store.units(&building.id)?;
                let (answers, hazards) = match inspector {
                    Some(i) => {
                        let p = self.patrol(&i)?;
                        let answers = self.store.answers(&p, &building.id)?;
                        let mut hazards = HashMap::new();
                        for ((unit, item), v) in &answers {
                            if *v == AnswerValue::Hazard {
                                let slot = crate::store::Slot {
                                    building_id: building.id.clone(),
                                    unit_id: unit.clone(),
                                    item_id: item.clone(),
                                };
                                if let Some(h) = self.store.hazard_of_answer(&p, &slot)? {
                                    hazards.insert((unit.clone(), item.clone()), h);
                                }
                            }
                        }
                        (answers, hazards)
                    }
                    None => Default::default(),
                };
                // Hazards found today in this walk are not re-checked in it.
                let today = self.store.clock.today().format("%Y-%m-%d").to_string();
                let open: Vec<crate::store::HazardRow> = self
                    .store
                    .open_hazards_at(&building.id)?
                    .into_iter()
                    .filter(|h| !h.found_at.starts_with(&today))
                    .collect();
                let ids: Vec<&str> = open.iter().map(|h| h.id.as_str()).collect();
                let office_words = self.store.office_words(&ids)?;
                Ok(vec![Msg::WalkLoaded(Box::new(WalkData {
                    office_words,
                    building,
                    items,
                    units,
                    answers,
                    hazards,
                    open,
                    resume,
                }))])
            }
            Effect::SaveAnswer {
                inspector,
                slot,
                value,
                before,
                void_hazard,
                kind,
            } => {
                let p = self.patrol(&inspector)?;
                self.store.record_answer(
                    &p,
                    &slot,
                    value,
                    void_hazard.as_deref(),
                    Some(&inspector),
                )?;
                let saved = match kind {
                    SaveKind::Answer => Saved::Answer(UndoEntry {
                        slot: slot.clone(),
                        before,
                        after: value,
                        hazard_id: None,
                    }),
                    SaveKind::Undo => Saved::Undo,
                };
                let day_answered = self.day_answered(&inspector)?;
                Ok(vec![Msg::AnswerSaved {
                    slot,
                    value,
                    saved,
                    day_answered,
                }])
            }
            Effect::SaveAnswers {
                inspector,
                slots,
                value,
            } => {
                let p = self.patrol(&inspector)?;
                self.store.record_answers(&p, &slots, value)?;
                let day_answered = self.day_answered(&inspector)?;
                Ok(vec![Msg::AnswersSaved {
                    slots,
                    value,
                    day_answered,
                }])
            }
            Effect::SaveHazard {
                inspector,
                mut hazard,
            } => {
                hazard.patrol_id = self.patrol(&inspector)?;
                let receipt = self.store.record_hazard(&hazard)?;
                let day_answered = self.day_answered(&inspector)?;
                Ok(vec![Msg::HazardSaved {
                    slot: hazard.slot.clone(),
                    receipt,
                    day_answered,
                }])
            }
            Effect::LoadCounts(rows) => {
                let ids: Vec<&str> = rows.iter().map(|(_, id)| id.as_str()).collect();
                let counts = self.store.building_counts(&ids)?;
                Ok(vec![Msg::CountsLoaded(
                    rows.into_iter()
                        .zip(counts)
                        .map(|((row, building_id), counts)| BuildingCounts {
                            row,
                            building_id,
                            counts,
                        })
                        .collect(),
                )])
            }
            Effect::LoadLedger(filter, choices) => Ok(vec![self.load_ledger(&filter, choices)?]),
            Effect::LoadDetail { hazard_id } => {
                let Some(hazard) = self.store.hazard(&hazard_id)? else {
                    return Err(Error::NotFound {
                        what: Thing::Hazard,
                        key: hazard_id,
                    });
                };
                let history = self.store.hazard_history(&hazard_id)?;
                // A database from before photos, read where it cannot be upgraded, has none.
                let photos = self.store.photos_of(&hazard_id).map_or(0, |p| p.len());
                let photo_folder = self
                    .store
                    .meta(LAST_PHOTO_FOLDER)
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                Ok(vec![Msg::DetailLoaded(Box::new(Detail {
                    hazard,
                    history,
                    photos,
                    photo_folder,
                    confirm_notice: false,
                }))])
            }
            Effect::LoadHistory { building_id } => {
                let Some(building) = self.store.building(&building_id)? else {
                    return Err(Error::NotFound {
                        what: Thing::Building,
                        key: building_id,
                    });
                };
                let (visits, hazards) = self.store.building_history(&building_id)?;
                Ok(vec![Msg::HistoryLoaded(Box::new(History {
                    building,
                    visits,
                    hazards,
                    cursor: 0,
                }))])
            }
            Effect::WriteReport => Ok(vec![self.write_report()?]),
            Effect::WriteSummary => {
                let today = self.store.clock.today();
                let first =
                    today - chrono::Duration::days(i64::from(chrono::Datelike::day(&today)) - 1);
                let s = crate::report::summary::build(&self.store, first)?;
                let dir = crate::paths::reports_dir(self.store.path());
                crate::report::summary_out::write_files(&s, self.lang, &dir)?;
                Ok(vec![Msg::SummaryWritten(dir.display().to_string())])
            }
            Effect::WriteNotice { hazard_id } => {
                let Some(h) = self.store.hazard(&hazard_id)? else {
                    return Err(Error::NotFound {
                        what: Thing::Hazard,
                        key: hazard_id,
                    });
                };
                let items = crate::report::items_by_id(&self.store)?;
                let hazards = [h];
                let community = self.store.communities()?.join("、");
                let (html, _) = crate::report::notice::render_for(
                    &community,
                    &hazards,
                    &items,
                    self.lang,
                    self.store.clock.today(),
                    // For sharing: the resident's name and phone masked (as `notice`), and
                    // so no photos.
                    true,
                    &std::collections::HashMap::new(),
                );
                let dir = crate::paths::reports_dir(self.store.path());
                crate::report::ensure_dir(&dir)?;
                let path = dir.join(crate::report::notice::file_name(&hazards));
                crate::fsio::write_private_atomic(&path, html.as_bytes())?;
                Ok(vec![Msg::NoticeWritten(path.display().to_string())])
            }
            Effect::LoadPeople => Ok(vec![Msg::PeopleLoaded {
                cards: self.store.people_cards()?,
                done: None,
                select: None,
            }]),
            Effect::People(change) => match self.change_people(change) {
                Ok((done, select)) => Ok(vec![Msg::PeopleLoaded {
                    cards: self.store.people_cards()?,
                    done: Some(done),
                    select,
                }]),
                Err(Error::Person(p)) => {
                    let text = (self.lang.cat().people.problem)(&p);
                    Ok(vec![match super::screens::people::field_of(&p) {
                        Some(field) => Msg::RefusedAt { field, text },
                        None => Msg::Refused(text),
                    }])
                }
                Err(e) => Err(e),
            },
            Effect::ScanPhotos { hazard_id, path } => Ok(vec![Msg::PhotosScanned(Box::new(
                self.scan_photos(hazard_id, path)?,
            ))]),
            Effect::AttachPhotos { hazard_id, files } => {
                let n = crate::photos::attach(&mut self.store, &hazard_id, &files)?;
                let number = self
                    .store
                    .hazard(&hazard_id)?
                    .map(|h| h.number)
                    .unwrap_or_default();
                let done = (self.lang.cat().people.photos_attached)(
                    &number,
                    n,
                    files.len().saturating_sub(n),
                );
                Ok(vec![Msg::PhotosAttached { hazard_id, done }])
            }
            e @ (Effect::LoadInbox
            | Effect::OfficeAction { .. }
            | Effect::LoadDevices
            | Effect::AddDevice { .. }
            | Effect::RevokeDevice { .. }
            | Effect::SyncNow
            | Effect::StopSync
            | Effect::LoadProposals
            | Effect::DecideProposal { .. }
            | Effect::LoadToday) => self.run_office(e),
            Effect::HazardAction {
                inspector,
                hazard_id,
                action,
                verdict,
            } => {
                match self
                    .store
                    .hazard_action(&hazard_id, &action, inspector.as_deref())?
                {
                    Ok(()) => Ok(vec![Msg::ActionDone { hazard_id, verdict }]),
                    Err(r) => Ok(vec![Msg::Refused(refusal(self.lang, &r))]),
                }
            }
        }
    }

    /// Today's report for everyone: the chat text to preview, and the files for the office.
    fn write_report(&mut self) -> Result<Msg> {
        use crate::report::Format;
        let today = self.store.clock.today();
        let scope = crate::store::ReportScope {
            from: today,
            to: today,
            inspector: None,
            grid: None,
        };
        // Everything here is for sharing: residents' names and phones masked.
        let opts = crate::report::Options {
            redact: true,
            ..Default::default()
        };
        let r = crate::report::build(&self.store, &scope, &opts)?;
        let lists = crate::report::lists(&self.store, &scope, &opts, &r)?;
        let dir = crate::paths::reports_dir(self.store.path());
        let files = crate::report::write_files(
            &r,
            &lists,
            self.lang,
            &dir,
            &[
                Format::Text,
                Format::Md,
                Format::Csv,
                Format::Xlsx,
                Format::Html,
            ],
        )?;
        Ok(Msg::ReportWritten(Box::new(ReportPreview {
            text: crate::report::text::render(&r, &lists, self.lang)?,
            dir: dir.display().to_string(),
            files: files
                .iter()
                .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect(),
            scroll: 0,
        })))
    }

    fn load_ledger(&mut self, filter: &crate::store::LedgerFilter, choices: bool) -> Result<Msg> {
        let (rows, total) = self.store.ledger(filter, LEDGER_PAGE)?;
        let counts = self.store.ledger_counts(filter)?;
        let choices = match choices {
            true => Some(self.store.ledger_choices()?),
            false => None,
        };
        Ok(Msg::LedgerLoaded {
            rows,
            total,
            counts,
            choices,
        })
    }

    fn load_start(&mut self) -> Result<StartData> {
        let people = self.store.people_in_service()?;
        let remembered_id = self.store.meta(LAST_INSPECTOR)?;
        let remembered = remembered_id
            .as_ref()
            .and_then(|id| people.iter().find(|p| &p.id == id).cloned());
        let buildings = self
            .store
            .building_summaries(remembered.as_ref().map(|p| p.id.as_str()))?;
        let counts = self.store.due_counts()?;
        let day_answered = match &remembered {
            Some(p) => {
                let id = p.id.clone();
                self.day_answered(&id)?
            }
            None => 0,
        };
        let resume = self.resume_point(&people)?;
        // Buildings started today but not finished (by this leader's patrol).
        let today = self.store.clock.today().format("%Y-%m-%d").to_string();
        let mut unfinished = std::collections::HashSet::new();
        if let Some(p) = &remembered {
            let patrol = self.patrol(&p.id.clone())?;
            for b in buildings
                .iter()
                .filter(|b| b.last_day.as_deref() == Some(today.as_str()))
            {
                let items = self.store.checklist_for(b.building.kind)?;
                let units = self.store.units(&b.building.id)?;
                let total: usize = sections(&items, &units).iter().map(|s| s.items.len()).sum();
                if self.store.answers(&patrol, &b.building.id)?.len() < total {
                    unfinished.insert(b.building.id.clone());
                }
            }
        }
        let mut items_per_kind = HashMap::new();
        for kind in crate::domain::SiteKind::ALL {
            let items = self.store.checklist_for(*kind)?;
            let unit = items
                .iter()
                .filter(|i| i.scope == crate::domain::Scope::Unit)
                .count();
            items_per_kind.insert(
                *kind,
                ItemCounts {
                    building: items.len() - unit,
                    per_unit: unit,
                },
            );
        }
        let overview = Overview {
            by_category: self.store.open_by_category()?,
            daily: self.store.found_vs_rectified(30)?,
        };
        let role = self.store.sync_role()?;
        let sync = match role {
            Some(crate::store::devices::Role::Laptop) => {
                let (pending, last) = self.store.sync_pending()?;
                Some(super::screens::start::SyncState {
                    pending,
                    last,
                    url: self
                        .store
                        .meta(crate::store::meta::MetaKey::SyncOfficeUrl)?,
                    proposals_waiting: self
                        .store
                        .own_proposals()?
                        .iter()
                        .filter(|p| p.pending())
                        .count(),
                })
            }
            _ => None,
        };
        Ok(StartData {
            role,
            sync,
            overview,
            items_per_kind,
            unfinished,
            community: self.store.communities()?.join("、"),
            people,
            remembered,
            buildings,
            counts,
            day_answered,
            resume,
        })
    }

    /// The walk to offer resuming: today's newest answer, if its building is not finished.
    fn resume_point(&mut self, people: &[crate::store::Person]) -> Result<Option<ResumePoint>> {
        let Some(last) = self.store.last_position()? else {
            return Ok(None);
        };
        if last.day != self.store.clock.today().format("%Y-%m-%d").to_string() {
            return Ok(None);
        }
        let Some(inspector) = people.iter().find(|p| p.id == last.inspector_id).cloned() else {
            return Ok(None);
        };
        let Some(building) = self.store.building(&last.slot.building_id)? else {
            return Ok(None);
        };
        let items = self.store.checklist_for(building.kind)?;
        let units = self.store.units(&building.id)?;
        let answers = self.store.answers(&last.patrol_id, &building.id)?;
        let sections = sections(&items, &units);
        let total: usize = sections.iter().map(|s| s.items.len()).sum();
        if answers.len() >= total {
            return Ok(None);
        }
        let from = sections.iter().enumerate().find_map(|(si, sec)| {
            if sec.unit.as_ref().map(|u| &u.id) != last.slot.unit_id.as_ref() {
                return None;
            }
            sec.items
                .iter()
                .position(|i| items[*i].id == last.slot.item_id)
                .map(|ii| (si, ii))
        });
        let Some((si, ii)) =
            from.and_then(|(si, ii)| next_unanswered(&sections, &items, &answers, si, ii))
        else {
            return Ok(None);
        };
        let unit_number = sections[si].unit.as_ref().map(|u| u.number);
        let item_index = ii;
        Ok(Some(ResumePoint {
            inspector,
            building,
            slot: last.slot,
            unit_number,
            item_index,
        }))
    }
}
