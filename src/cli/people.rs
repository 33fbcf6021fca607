//! `firepatrol people` (the office's list of people and their duties), `firepatrol plate`
//! (service plates) and `firepatrol photos import` (a phone's photo folder).

use super::args::{Format, PeopleCmd, PhotosCmd};
use super::{Env, out};
use crate::domain::Thing;
use crate::error::{Error, Result};
use crate::fsio::write_private_atomic;
use crate::store::{Building, OpenMode, Person, PersonCard, Store};
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

/// Find a person by what the office typed: the id or its first characters, the exact name
/// (several people of that name are listed, not guessed), else the best match by pinyin or
/// initials.
pub(super) fn find_person(env: &Env, store: &Store, key: &str) -> Result<Person> {
    let w = env.lang.cat().people;
    let cards = store.people_cards()?;
    let q = crate::domain::text::clean(key);
    let not_found = || Error::NotFound {
        what: Thing::Person,
        key: q.clone(),
    };
    if q.is_empty() {
        return Err(not_found());
    }
    if let Some(c) = cards
        .iter()
        .find(|c| c.person.id == q || (q.len() >= 8 && c.person.id.starts_with(&q)))
    {
        return Ok(c.person.clone());
    }
    let same: Vec<&PersonCard> = cards.iter().filter(|c| c.person.name == q).collect();
    match same.as_slice() {
        [one] => return Ok(one.person.clone()),
        [] => {}
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|c| {
                    format!(
                        "{} {} ({})",
                        c.person.name,
                        c.person.phone,
                        &c.person.id[..8.min(c.person.id.len())]
                    )
                })
                .collect();
            return Err(Error::Usage((w.person_ambiguous)(&q, &list.join(", "))));
        }
    }
    let people: Vec<Person> = cards.into_iter().map(|c| c.person).collect();
    crate::lookup::best_person(&people, &q)
        .cloned()
        .ok_or_else(not_found)
}

/// Find a building: its full name ("小区 楼栋") or its name when only one building has it,
/// else the search (pinyin, initials, numbers) when it finds exactly one.
pub(super) fn find_building(env: &Env, store: &Store, key: &str) -> Result<Building> {
    let w = env.lang.cat().people;
    let q = crate::domain::text::clean(key);
    let all = store.all_buildings()?;
    let exact: Vec<&Building> = all
        .iter()
        .filter(|b| b.display_name() == q || b.name == q)
        .collect();
    let ambiguous = |list: Vec<String>| {
        let shown: Vec<String> = list.iter().take(8).cloned().collect();
        Error::Usage((w.building_ambiguous)(&q, &shown.join(", ")))
    };
    match exact.as_slice() {
        [one] => return Ok((*one).clone()),
        [] => {}
        many => return Err(ambiguous(many.iter().map(|b| b.display_name()).collect())),
    }
    let summaries = store.building_summaries(None)?;
    let mut index = crate::lookup::building_index(&summaries);
    let found: Vec<&Building> = crate::lookup::matches(&mut index, &q)
        .into_iter()
        .filter_map(|(i, _)| summaries.get(i).map(|s| &s.building))
        .collect();
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::NotFound {
            what: Thing::Building,
            key: q.clone(),
        }),
        many => Err(ambiguous(many.iter().map(|b| b.display_name()).collect())),
    }
}

fn place(env: &Env, b: &Building, unit: Option<i64>) -> String {
    match unit {
        Some(n) => format!("{} {}", b.display_name(), (env.lang.cat().people.unit)(n)),
        None => b.display_name(),
    }
}

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// `firepatrol people [add|edit|assign|unassign|retire]`.
pub(super) fn people(env: &Env, action: Option<PeopleCmd>, format: Format) -> Result<()> {
    let c = env.lang.cat();
    let w = c.people;
    let Some(action) = action else {
        return list(env, format);
    };
    let mut store = env.open(OpenMode::Existing)?;
    match action {
        PeopleCmd::Add { name, role, phone } => {
            let id = store.add_person(&name, role, &phone)?;
            let p = find_person(env, &store, &id)?;
            out(&(w.added)(&p.name, c.role(p.role), &p.phone));
        }
        PeopleCmd::Edit {
            person,
            name,
            role,
            phone,
        } => {
            let p = find_person(env, &store, &person)?;
            store.edit_person(&p.id, name.as_deref(), role, phone.as_deref())?;
            let p = find_person(env, &store, &p.id)?;
            out(&(w.edited)(&p.name, c.role(p.role), &p.phone));
        }
        PeopleCmd::Assign {
            person,
            building,
            unit,
        } => {
            let p = find_person(env, &store, &person)?;
            let b = find_building(env, &store, &building)?;
            store.assign(&p.id, &b, unit)?;
            out(&(w.assigned)(&p.name, &place(env, &b, unit)));
        }
        PeopleCmd::Unassign {
            person,
            building,
            unit,
        } => {
            let p = find_person(env, &store, &person)?;
            let b = find_building(env, &store, &building)?;
            store.unassign(&p.id, &b, unit)?;
            out(&(w.unassigned)(&p.name, &place(env, &b, unit)));
        }
        PeopleCmd::Retire { person } => {
            let p = find_person(env, &store, &person)?;
            let n = store.retire(&p.id)?;
            out(&(w.retired_done)(&p.name, n));
        }
    }
    Ok(())
}

fn list(env: &Env, format: Format) -> Result<()> {
    let c = env.lang.cat();
    let w = c.people;
    let store = env.open(OpenMode::ReadOnly)?;
    let cards = store.people_cards()?;
    if format == Format::Json {
        out(&serde_json::to_string_pretty(&cards).unwrap_or_default());
        return Ok(());
    }
    if cards.is_empty() {
        out(w.no_people);
        return Ok(());
    }
    let rows: Vec<[String; 4]> = cards
        .iter()
        .map(|card| {
            let duties: Vec<String> = card
                .duties
                .iter()
                .map(|d| match d.unit {
                    Some(n) => format!("{} {}", d.building, (w.unit)(n)),
                    None => d.building.clone(),
                })
                .collect();
            let name = if card.retired {
                format!("{}{}", card.person.name, w.retired)
            } else {
                card.person.name.clone()
            };
            [
                name,
                c.role(card.person.role).to_string(),
                if card.person.phone.is_empty() {
                    w.none.to_string()
                } else {
                    card.person.phone.clone()
                },
                if duties.is_empty() {
                    w.none.to_string()
                } else {
                    duties.join(", ")
                },
            ]
        })
        .collect();
    let head = [w.col_name, w.col_role, w.col_phone, w.col_duties];
    let widths: Vec<usize> = (0..3)
        .map(|i| {
            rows.iter()
                .map(|r| UnicodeWidthStr::width(r[i].as_str()))
                .chain([UnicodeWidthStr::width(head[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: [&str; 4]| {
        format!(
            "{}  {}  {}  {}",
            pad(cells[0], widths[0]),
            pad(cells[1], widths[1]),
            pad(cells[2], widths[2]),
            cells[3]
        )
    };
    out(&line(head));
    for r in &rows {
        out(&line([&r[0], &r[1], &r[2], &r[3]]));
    }
    Ok(())
}

/// `firepatrol plate [--building B | --compound C | --all] [--paper a5|a4] [--out FILE]`.
pub(super) fn plate(
    env: &Env,
    building: Option<String>,
    compound: Option<String>,
    paper: crate::report::plate::Paper,
    target: Option<PathBuf>,
) -> Result<()> {
    let w = env.lang.cat().people;
    let store = env.open(OpenMode::ReadOnly)?;
    let buildings: Vec<Building> = match (&building, &compound) {
        (Some(b), _) => vec![find_building(env, &store, b)?],
        (None, Some(q)) => {
            let q = crate::domain::text::clean(q);
            let all = store.all_buildings()?;
            let of: Vec<Building> = all.iter().filter(|b| b.compound == q).cloned().collect();
            if of.is_empty() {
                let mut names: Vec<String> = all
                    .iter()
                    .map(|b| b.compound.clone())
                    .filter(|c| !c.is_empty())
                    .collect();
                names.dedup();
                return Err(Error::Usage((w.plate_no_compound)(&q, &names.join(", "))));
            }
            of
        }
        (None, None) => store.all_buildings()?,
    };
    if buildings.is_empty() {
        return Err(Error::Usage(w.plate_no_buildings.to_string()));
    }
    let mut plates = Vec::new();
    for b in &buildings {
        plates.extend(store.plates_of(b)?);
    }
    let html = crate::report::plate::render(&plates, &store.office_phone()?, paper, env.lang);
    if target.as_deref() == Some(Path::new("-")) {
        super::out_bytes(html.as_bytes());
        return Ok(());
    }
    let path = match target {
        Some(p) => p,
        None => {
            let dir = crate::paths::reports_dir(&env.db);
            crate::report::ensure_dir(&dir)?;
            let which = match (&building, &compound) {
                (Some(_), _) => buildings[0].display_name(),
                (None, Some(c)) => crate::domain::text::clean(c),
                _ => "all".to_string(),
            };
            let safe: String = which
                .chars()
                .map(|ch| if ch.is_alphanumeric() { ch } else { '-' })
                .collect();
            dir.join(format!("plates-{safe}.html"))
        }
    };
    write_private_atomic(&path, html.as_bytes())?;
    out(&(w.plate_written)(
        &path.display().to_string(),
        plates.len(),
    ));
    Ok(())
}

/// `firepatrol photos import DIR [--yes]`.
pub(super) fn photos(env: &Env, action: PhotosCmd) -> Result<()> {
    let w = env.lang.cat().people;
    let PhotosCmd::Import { dir, yes } = action;
    let mut store = env.open(OpenMode::Existing)?;
    let proposal = crate::photos::propose(&store, &dir)?;
    let name = |p: &Path| {
        p.file_name()
            .map(|n| crate::domain::text::clean(&n.to_string_lossy()))
            .unwrap_or_default()
    };
    let time = |s: &str| s.replace('T', " ").chars().take(16).collect::<String>();
    for (c, h) in &proposal.matched {
        let found = crate::domain::clock::parse_stamp(&h.found_at)
            .map(|t| t.naive_local().format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| h.found_at.clone());
        out(&(w.photos_match)(
            &name(&c.path),
            &time(c.photo.taken_at.as_deref().unwrap_or("")),
            &h.number,
            &h.place,
            &found,
        ));
    }
    for (p, why) in &proposal.unmatched {
        out(&match why {
            crate::photos::Unmatched::NoTime => (w.photos_no_time)(&name(p)),
            crate::photos::Unmatched::NoHazardThatDay(d) => (w.photos_no_hazard)(&name(p), d),
        });
    }
    for e in &proposal.refused {
        out(&(w.photos_skipped)(&e.message(env.lang)));
    }
    if proposal.matched.is_empty() {
        out(w.photos_nothing);
        return Ok(());
    }
    if !yes {
        super::out_bytes((w.photos_ask)(proposal.matched.len()).as_bytes());
        let mut answer = String::new();
        let read = std::io::stdin().read_line(&mut answer).unwrap_or(0);
        if read == 0 {
            out("");
            out(w.photos_need_yes);
            return Ok(());
        }
        let a = answer.trim().to_lowercase();
        if !matches!(a.as_str(), "y" | "yes" | "是" | "好") {
            out(w.photos_cancelled);
            return Ok(());
        }
    }
    let n = crate::photos::attach_proposal(&mut store, &proposal)?;
    out(&(w.photos_done)(n));
    Ok(())
}
