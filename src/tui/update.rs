//! `update(&mut State, Msg) -> Vec<Effect>`: the router. Every change of the app's state
//! happens in the screen that owns it; this only sends each message there. Pure: no terminal,
//! no database, no clock. What must touch the store is returned as an [`Effect`]; its outcome
//! comes back as a [`Msg`].

use super::effect::Effect;
use super::keymap::{Act, lookup};
use super::msg::{BuildingCounts, Msg, Saved};
use super::screens::walk;
use super::screens::{
    FormPurpose, Screen, State, attach, confirm, detail, devices, hazard_forms, history, inbox,
    inspector, ledger, people, picker, proposals, report, start, today,
};
use super::widgets::form::FormKey;
use crossterm::event::{KeyEvent, KeyEventKind};

/// How many rows around the cursor get their hazard counts loaded.
const COUNT_WINDOW: usize = 60;

/// Ask for the hazard counts of the buildings on (or near) the screen that lack them. Counts
/// are loaded for what is shown, never for all buildings: a district has thousands.
fn counts_effect(s: &mut State) -> Option<Effect> {
    let window = |cursor: usize, len: usize| {
        cursor.saturating_sub(COUNT_WINDOW)..(cursor + COUNT_WINDOW).min(len)
    };
    let rows: Vec<usize> = match s.screen {
        Screen::Start => window(s.plan_cursor, s.plan.len())
            .filter_map(|k| s.plan.get(k).copied())
            .collect(),
        Screen::Picker => window(s.picker.cursor, s.picker.matches.len())
            .filter_map(|k| s.picker.matches.get(k).map(|m| m.0))
            .collect(),
        _ => vec![],
    };
    let mut want = Vec::new();
    for i in rows {
        if let Some(b) = s.buildings.get_mut(i).filter(|b| !b.counted) {
            b.counted = true;
            want.push((i, b.building.id.clone()));
        }
    }
    (!want.is_empty()).then_some(Effect::LoadCounts(want))
}

pub fn update(s: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = route(s, msg);
    effects.extend(counts_effect(s));
    effects
}

fn route(s: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(k) => key(s, k),
        Msg::Paste(_) if s.too_small() => vec![],
        Msg::Paste(text) => {
            paste(s, &text);
            vec![]
        }
        Msg::Resize(w, h) => {
            s.size = Some((w, h));
            vec![]
        }
        Msg::CountsLoaded(counts) => {
            for BuildingCounts {
                row,
                building_id,
                counts: c,
            } in counts
            {
                if let Some(b) = s
                    .buildings
                    .get_mut(row)
                    .filter(|b| b.building.id == building_id)
                {
                    (b.open, b.due_today, b.overdue) = (c.open, c.due_today, c.overdue);
                }
            }
            vec![]
        }
        Msg::StartLoaded(d) => start::loaded(s, *d),
        Msg::InboxLoaded(rows) => {
            inbox::loaded(s, rows);
            vec![]
        }
        Msg::OfficeDone(text) => inbox::done(s, text),
        Msg::DevicesLoaded { rows, done } => {
            devices::loaded(s, rows, done);
            vec![]
        }
        Msg::ProposalsLoaded { rows, done } => {
            proposals::loaded(s, rows, done);
            vec![]
        }
        Msg::TodayLoaded(grids) => {
            s.today_view.grids = grids;
            vec![]
        }
        Msg::Synced(text) => {
            s.syncing = None;
            s.info(text);
            vec![Effect::LoadStart]
        }
        Msg::SyncTick(secs) => {
            s.syncing = Some(secs);
            s.info((s.lang.cat().office.syncing_for)(secs));
            vec![]
        }
        Msg::SyncFailed(text) => {
            s.syncing = None;
            s.error(text);
            vec![Effect::LoadStart]
        }
        Msg::SyncStopped(text) => {
            s.syncing = None;
            s.info(text);
            vec![Effect::LoadStart]
        }
        Msg::SyncFinishing => {
            s.info(s.lang.cat().office.sync_finishing.to_string());
            vec![]
        }
        Msg::WalkLoaded(d) => {
            walk::loaded(s, *d);
            vec![]
        }
        Msg::AnswerSaved {
            slot,
            value,
            saved,
            day_answered,
        } => {
            s.day_answered = day_answered;
            match saved {
                Saved::Answer(entry) => walk::checklist::answered(s, slot, value, entry),
                Saved::Undo => walk::checklist::undone(s, slot, value),
            }
        }
        Msg::AnswersSaved {
            slots,
            value,
            day_answered,
        } => {
            s.day_answered = day_answered;
            walk::checklist::rest_answered(s, slots, value)
        }
        Msg::HazardSaved {
            slot,
            receipt,
            day_answered,
        } => walk::hazard_form::saved(s, slot, receipt, day_answered),
        Msg::ActionDone { hazard_id, verdict } => {
            // The form (if any) is closed; its screen, or the one on screen, acts on it.
            let back = s.form.take().map(|f| f.back).unwrap_or(s.screen);
            s.screen = if back == Screen::Form {
                Screen::Walk
            } else {
                back
            };
            if s.screen == Screen::Detail {
                return detail::action_done(s, hazard_id);
            }
            if let Some(verdict) = verdict {
                walk::recheck::verdict_saved(s, hazard_id, verdict);
            }
            vec![]
        }
        Msg::LedgerLoaded {
            rows,
            total,
            counts,
            choices,
        } => {
            ledger::loaded(&mut s.ledger, rows, total, counts, choices);
            vec![]
        }
        Msg::DetailLoaded(d) => {
            s.detail = Some(*d);
            s.screen = Screen::Detail;
            vec![]
        }
        Msg::HistoryLoaded(h) => {
            s.history = Some(*h);
            s.screen = Screen::History;
            vec![]
        }
        Msg::ReportWritten(p) => {
            report::written(s, *p);
            vec![]
        }
        Msg::SummaryWritten(dir) => {
            s.info((s.lang.cat().summary.app_written)(&dir));
            vec![]
        }
        Msg::NoticeWritten(path) => {
            s.info((s.lang.cat().t_notice_written)(&path));
            vec![]
        }
        Msg::PeopleLoaded {
            cards,
            done,
            select,
        } => {
            people::loaded(s, cards, done, select);
            vec![]
        }
        Msg::PhotosScanned(scan) => attach::scanned(s, *scan),
        Msg::PhotosAttached { hazard_id, done } => attach::attached(s, hazard_id, done),
        Msg::RefusedAt { field, text } => {
            match s.form.as_mut() {
                Some(f) if f.index_of(field).is_some() => {
                    f.saving = false;
                    f.fail::<()>(field, text);
                }
                Some(f) => {
                    f.saving = false;
                    f.error = Some((f.focus, text));
                }
                None => s.error(text),
            }
            vec![]
        }
        Msg::Refused(text) => {
            if let Some(f) = s.form.as_mut() {
                f.saving = false;
                f.error = Some((f.focus, text));
            } else {
                s.error(text);
            }
            vec![]
        }
        Msg::Failed(text) => {
            if let Some(w) = s.walk.as_mut() {
                // A batch that failed saved nothing (one transaction): its items stay open.
                w.pending_rest = false;
                if let Some(p) = w.pending.take() {
                    w.unsaved = Some(p);
                }
            }
            if let Some(f) = s.form.as_mut() {
                f.saving = false;
                f.error = Some((f.focus, text.clone()));
            }
            s.error(text);
            vec![]
        }
    }
}

fn key(s: &mut State, k: KeyEvent) -> Vec<Effect> {
    if k.kind == KeyEventKind::Release {
        return vec![];
    }
    let act = lookup(s.context(), k, s.typing());
    // Ctrl-C while a sync runs beside the app stops the sync, not the app.
    if act == Some(Act::ForceQuit) && s.syncing.is_some() {
        return vec![Effect::StopSync];
    }
    if act == Some(Act::ForceQuit) {
        s.quit = true;
        return vec![];
    }
    // "Window too small" is all that is shown: nothing may act unseen (Ctrl-C still quits).
    if s.too_small() {
        return vec![];
    }
    // Esc on the start screen does not quit (only q does): say so.
    if s.screen == Screen::Start && !s.help && k.code == crossterm::event::KeyCode::Esc {
        s.info(s.lang.cat().nu.quit_with_q.to_string());
        return vec![];
    }
    if s.help {
        s.help = false;
        return vec![];
    }
    if act == Some(Act::ShowHelp) {
        s.help = true;
        return vec![];
    }
    if s.confirm.is_some() {
        return confirm::key(s, act);
    }
    match s.screen {
        Screen::Inspector => inspector::key(s, k, act),
        Screen::Start => start::key(s, act),
        Screen::Picker if s.picker.assign_to.is_some() => people::pick_key(s, k, act),
        Screen::Picker => picker::key(s, k, act),
        Screen::People => people::key(s, act),
        Screen::Inbox => inbox::key(s, act),
        Screen::Devices if act == Some(Act::OpenProposals) => proposals::open(s),
        Screen::Devices => devices::key(s, act),
        Screen::Proposals => proposals::key(s, act),
        Screen::Today => today::key(s, act),
        Screen::Walk => walk::checklist::key(s, act),
        Screen::Form => form_key(s, k, act),
        Screen::Ledger => ledger::key(s, k, act),
        Screen::Detail => detail::key(s, act),
        Screen::History => history::key(s, act),
        Screen::Report => report::key(s, act),
    }
}

/// Pasted text goes into the text field that has the focus, if any.
fn paste(s: &mut State, text: &str) {
    match s.screen {
        Screen::Inspector => inspector::paste(s, text),
        Screen::Picker => picker::paste(s, text),
        Screen::Form => {
            if let Some(f) = s.form.as_mut() {
                f.paste(text);
            }
        }
        _ => {}
    }
}

/// A key on a form: the form itself moves and types; Esc returns to the screen under it;
/// Enter saves, as the screen that owns the form's purpose says.
fn form_key(s: &mut State, k: KeyEvent, act: Option<Act>) -> Vec<Effect> {
    let c = s.lang.cat();
    let Some(f) = s.form.as_mut() else {
        s.screen = Screen::Walk;
        return vec![];
    };
    match f.key(c, k, act) {
        FormKey::Edited => vec![],
        FormKey::Cancel => {
            let back = f.back;
            s.form = None;
            s.screen = back;
            s.info(c.t_cancelled.to_string());
            vec![]
        }
        FormKey::Save => save_form(s),
    }
}

/// Check what every form checks, then hand the form to the screen that owns its purpose. On
/// a problem the message is on the field and everything typed stays.
fn save_form(s: &mut State) -> Vec<Effect> {
    let (c, today) = (s.lang.cat(), s.today);
    // The office's forms (people, photos) do not need someone patrolling.
    match s.form.as_ref().map(|f| f.purpose.clone()) {
        Some(FormPurpose::AttachPhotos { hazard_id }) => {
            return match s.form.as_mut() {
                Some(f) => attach::save(f, c, hazard_id),
                None => vec![],
            };
        }
        Some(
            purpose @ (FormPurpose::AddPerson
            | FormPurpose::EditPerson { .. }
            | FormPurpose::Assign { .. }
            | FormPurpose::Unassign { .. }),
        ) => return people::save(s, purpose),
        Some(
            purpose @ (FormPurpose::OfficeRespond { .. }
            | FormPurpose::OfficeRectify { .. }
            | FormPurpose::AssignRecheck { .. }),
        ) => return inbox::save(s, purpose),
        Some(FormPurpose::AddDevice) => return devices::save(s),
        _ => {}
    }
    // At the office the office acts (no person); elsewhere someone patrolling does.
    let office = s.role == Some(crate::store::devices::Role::Office);
    let inspector = s.inspector.as_ref().map(|p| p.id.clone());
    if inspector.is_none() && !office {
        return vec![];
    }
    let Some(f) = s.form.as_mut() else {
        return vec![];
    };
    let Ok(deadline) = f.check_common(c, today) else {
        return vec![];
    };
    match f.purpose.clone() {
        FormPurpose::NewHazard { slot, category } => match inspector {
            Some(i) => walk::hazard_form::save(s, i, slot, category, deadline),
            None => vec![],
        },
        FormPurpose::Extend { hazard_id } => {
            hazard_forms::save_extend(f, c, inspector, hazard_id, deadline.unwrap_or(today))
        }
        FormPurpose::Escalate { hazard_id } => {
            hazard_forms::save_escalate(f, c, inspector, hazard_id)
        }
        FormPurpose::LedgerFilter => ledger::filter::apply(s),
        purpose @ (FormPurpose::Rectify { .. }
        | FormPurpose::Respond { .. }
        | FormPurpose::Reopen { .. }) => hazard_forms::save_note(f, c, inspector, purpose),
        _ => vec![],
    }
}
