//! The office's effects: changes to the people and their duties, and photos read from a
//! folder, through the same store functions as `firepatrol people` and `hazard --photo`; the
//! inbox's actions, the laptops, and a laptop's sync with the office.

use super::{LAST_PHOTO_FOLDER, Runner};
use crate::domain::Thing;
use crate::error::{Error, Result};
use crate::i18n::refusal;
use crate::store::Store;
use crate::tui::effect::{Effect, PeopleChange};
use crate::tui::msg::Msg;

impl Runner {
    /// Make a change to the people through the store functions `firepatrol people` uses; what
    /// was done, worded as the command line words it.
    pub(super) fn change_people(
        &mut self,
        change: PeopleChange,
    ) -> Result<(String, Option<String>)> {
        let c = self.lang.cat();
        let w = c.people;
        let person = |store: &Store, id: &str| -> Result<crate::store::Person> {
            store
                .people_cards()?
                .into_iter()
                .map(|card| card.person)
                .find(|p| p.id == id)
                .ok_or_else(|| Error::NotFound {
                    what: Thing::Person,
                    key: id.to_string(),
                })
        };
        let building = |store: &Store, id: &str| -> Result<crate::store::Building> {
            store.building(id)?.ok_or_else(|| Error::NotFound {
                what: Thing::Building,
                key: id.to_string(),
            })
        };
        let place = |b: &crate::store::Building, unit: Option<i64>| match unit {
            Some(n) => format!("{} {}", b.display_name(), (w.unit)(n)),
            None => b.display_name(),
        };
        Ok(match change {
            PeopleChange::Add { name, role, phone } => {
                let id = self.store.add_person(&name, role, &phone)?;
                let p = person(&self.store, &id)?;
                return Ok(((w.added)(&p.name, c.role(p.role), &p.phone), Some(id)));
            }
            PeopleChange::Edit {
                person_id,
                name,
                role,
                phone,
            } => {
                self.store
                    .edit_person(&person_id, name.as_deref(), role, phone.as_deref())?;
                let p = person(&self.store, &person_id)?;
                (w.edited)(&p.name, c.role(p.role), &p.phone)
            }
            PeopleChange::Assign {
                person_id,
                building_id,
                unit,
            } => {
                let b = building(&self.store, &building_id)?;
                self.store.assign(&person_id, &b, unit)?;
                (w.assigned)(&person(&self.store, &person_id)?.name, &place(&b, unit))
            }
            PeopleChange::Unassign {
                person_id,
                building_id,
                unit,
            } => {
                let b = building(&self.store, &building_id)?;
                self.store.unassign(&person_id, &b, unit)?;
                (w.unassigned)(&person(&self.store, &person_id)?.name, &place(&b, unit))
            }
            PeopleChange::Retire { person_id } => {
                let n = self.store.retire(&person_id)?;
                (w.retired_done)(&person(&self.store, &person_id)?.name, n)
            }
        })
        .map(|t| (t, None))
    }

    /// Read a folder (or one file) of photos: every file checked as attaching checks it.
    pub(super) fn scan_photos(
        &mut self,
        hazard_id: String,
        path: String,
    ) -> Result<crate::tui::screens::attach::Scan> {
        let w = self.lang.cat().people;
        let number = self
            .store
            .hazard(&hazard_id)?
            .map(|h| h.number)
            .unwrap_or_default();
        let p = crate::paths::expand_home(&path);
        let meta = std::fs::metadata(&p).map_err(|e| Error::Io {
            path: p.clone(),
            source: e,
        })?;
        let (folder, candidates) = if meta.is_dir() {
            (path.clone(), crate::photos::files_in(&p)?)
        } else {
            let folder = p.parent().map(|f| f.display().to_string());
            (folder.unwrap_or_default(), vec![p.clone()])
        };
        // The folder looked in is offered next time, attached from or not.
        self.store.set_meta(LAST_PHOTO_FOLDER, &folder)?;
        let mut files = Vec::new();
        let mut refused = Vec::new();
        for f in candidates {
            let name = f
                .file_name()
                .map(|n| crate::domain::text::clean(&n.to_string_lossy()))
                .unwrap_or_default();
            match crate::photos::check(&f) {
                Ok(_) => files.push(f),
                Err(Error::Photo { problem, .. }) => {
                    refused.push((w.photos_refused)(&name, &(w.photo_why)(&problem)))
                }
                Err(e) => refused.push((w.photos_refused)(&name, &e.message(self.lang))),
            }
        }
        Ok(crate::tui::screens::attach::Scan {
            hazard_id,
            number,
            path,
            folder,
            files,
            refused,
        })
    }
}

impl Runner {
    /// The office's effects (inbox, laptops) and a laptop's sync.
    pub(super) fn run_office(&mut self, effect: Effect) -> Result<Vec<Msg>> {
        let w = self.lang.cat().office;
        match effect {
            Effect::LoadInbox => Ok(vec![Msg::InboxLoaded(self.store.inbox()?)]),
            Effect::LoadToday => Ok(vec![Msg::TodayLoaded(self.store.community_today()?)]),
            Effect::OfficeAction {
                hazard_id,
                actions,
                done,
            } => {
                for action in &actions {
                    if let Err(r) = self.store.hazard_action(&hazard_id, action, None)? {
                        return Ok(vec![Msg::Refused(refusal(self.lang, &r))]);
                    }
                }
                Ok(vec![Msg::OfficeDone(done)])
            }
            Effect::LoadDevices => Ok(vec![Msg::DevicesLoaded {
                rows: self.store.devices()?,
                done: None,
            }]),
            Effect::AddDevice { person_id } => {
                let Some(p) = self
                    .store
                    .people_in_service()?
                    .into_iter()
                    .find(|p| p.id == person_id)
                else {
                    return Err(Error::NotFound {
                        what: Thing::Person,
                        key: person_id,
                    });
                };
                let e = crate::sync::add_device(&mut self.store, Some(&p.id), &p.name)?;
                let dir = crate::paths::enrolments_dir(self.store.path());
                crate::report::ensure_dir(&dir)?;
                let file = dir.join(format!("{}-{}.enrol", e.device.letter, p.name));
                crate::fsio::write_private_atomic(&file, &e.file)?;
                // The code is shown here only, never written beside the file.
                let code = crate::sync::keys::show_code(&e.code);
                // The code first: on a small screen the rest may wrap out of sight.
                let done = format!(
                    "{}  {}",
                    (self.lang.cat().sync.enrol_code)(&code),
                    (w.device_added)(&e.device.letter, &p.name, &file.display().to_string())
                );
                Ok(vec![Msg::DevicesLoaded {
                    rows: self.store.devices()?,
                    done: Some(done),
                }])
            }
            Effect::RevokeDevice { id } => {
                let sw = self.lang.cat().sync;
                let d = self.store.devices()?.into_iter().find(|d| d.id == id);
                let done = match d {
                    Some(d) if self.store.revoke_device(&d.id)? => {
                        (sw.revoked)(&d.letter, &d.person_name)
                    }
                    Some(d) => (sw.revoked_already)(&d.letter, &d.person_name),
                    None => (sw.no_device)(&id),
                };
                Ok(vec![Msg::DevicesLoaded {
                    rows: self.store.devices()?,
                    done: Some(done),
                }])
            }
            Effect::LoadProposals => Ok(vec![Msg::ProposalsLoaded {
                rows: self.store.proposals(false)?,
                done: None,
            }]),
            Effect::DecideProposal { number, accept } => {
                use crate::store::proposals::{Decision, NotDecided};
                let sw = self.lang.cat().sync;
                let decision = if accept {
                    Decision::Accept
                } else {
                    Decision::Decline
                };
                let done = match self.store.decide(number, decision, "office")? {
                    Ok(_) if accept => (sw.accepted)(number),
                    Ok(_) => (sw.declined)(number),
                    Err(NotDecided::NoSuchProposal(n)) => (sw.no_proposal)(n),
                    Err(NotDecided::AlreadyDecided { number, status }) => {
                        (sw.decided_already)(number, &status)
                    }
                };
                Ok(vec![Msg::ProposalsLoaded {
                    rows: self.store.proposals(false)?,
                    done: Some(done),
                }])
            }
            Effect::SyncNow => {
                let sw = self.lang.cat().sync;
                let Some(url) = self
                    .store
                    .meta(crate::store::meta::MetaKey::SyncOfficeUrl)?
                else {
                    return Err(Error::Usage(sw.no_url.to_string()));
                };
                let (r, sent) = crate::sync::http::sync_with(
                    &mut self.store,
                    &url,
                    crate::sync::http::CLIENT_TIMEOUT,
                )?;
                Ok(vec![Msg::Synced((sw.synced)(&url, sent, &r.applied))])
            }
            _ => Ok(vec![]),
        }
    }
}
