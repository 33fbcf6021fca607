//! Attach photos to a hazard from a folder (key `p` on its detail): the folder (or one file)
//! is typed, the last one used already filled in; the app reads it and says how many
//! pictures it found and which files it will not attach, and attaches after a yes, the way
//! `firepatrol hazard ID --photo` does (all or nothing).

use super::confirm::Confirm;
use super::{Form, FormPurpose, Screen, State};
use crate::domain::text::clean;
use crate::tui::effect::Effect;
use crate::tui::widgets::form::{Field, FieldId, FieldKind};
use std::path::PathBuf;
use tui_input::Input;

/// How many refused files the question lists by name.
const REFUSED_SHOWN: usize = 4;

/// A folder (or file) read for a hazard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    pub hazard_id: String,
    /// The hazard's number, for the question.
    pub number: String,
    /// What was typed, and the folder it names (a file's folder), remembered.
    pub path: String,
    pub folder: String,
    /// The pictures that passed the checks, in name order.
    pub files: Vec<PathBuf>,
    /// Each file that will not be attached, and why (worded for the user).
    pub refused: Vec<String>,
}

/// Open the form asking for the folder, with the last folder used filled in.
pub fn open(s: &mut State) -> Vec<Effect> {
    let w = s.lang.cat().people;
    let Some(d) = s.detail.as_ref() else {
        return vec![];
    };
    let h = &d.hazard;
    s.form = Some(Form {
        purpose: FormPurpose::AttachPhotos {
            hazard_id: h.id.clone(),
        },
        title: w.photos_title.to_string(),
        fields: vec![Field {
            id: FieldId::PhotoPath,
            kind: FieldKind::Text(Input::new(d.photo_folder.clone())),
        }],
        focus: 0,
        error: None,
        context: format!("{} {}", h.number, h.description),
        saving: false,
        back: Screen::Detail,
    });
    s.screen = Screen::Form;
    vec![]
}

/// Enter on the form: read the folder (nothing is attached yet).
pub fn save(f: &mut Form, c: &crate::i18n::Catalogue, hazard_id: String) -> Vec<Effect> {
    let path = clean(&f.text(FieldId::PhotoPath)).trim().to_string();
    if path.is_empty() {
        return f.fail(
            FieldId::PhotoPath,
            c.people.photos_path_required.to_string(),
        );
    }
    f.saving = true;
    vec![Effect::ScanPhotos { hazard_id, path }]
}

/// The folder was read: with no picture in it, say so on the field; else ask before
/// attaching, listing what will not be attached.
pub fn scanned(s: &mut State, scan: Scan) -> Vec<Effect> {
    let w = s.lang.cat().people;
    if let Some(d) = s.detail.as_mut() {
        d.photo_folder = scan.folder.clone();
    }
    if scan.files.is_empty() {
        let text = (w.photos_none)(&scan.path, scan.refused.len());
        if let Some(f) = s.form.as_mut() {
            f.saving = false;
            f.fail::<()>(FieldId::PhotoPath, text);
        }
        match scan.refused.first() {
            Some(first) => s.error(first.clone()),
            None => s.notice = None,
        }
        return vec![];
    }
    s.form = None;
    s.screen = Screen::Detail;
    let mut lines = vec![(w.photos_found)(scan.files.len(), &scan.path)];
    lines.extend(scan.refused.iter().take(REFUSED_SHOWN).cloned());
    if scan.refused.len() > REFUSED_SHOWN {
        lines.push((w.photos_more_refused)(scan.refused.len() - REFUSED_SHOWN));
    }
    s.confirm = Some(Confirm {
        lines,
        question: (w.photos_attach_ask)(scan.files.len(), &scan.number),
        yes: Effect::AttachPhotos {
            hazard_id: scan.hazard_id,
            files: scan.files,
        },
    });
    vec![]
}

/// The photos were attached: say so and show the hazard again (with its photo count).
pub fn attached(s: &mut State, hazard_id: String, done: String) -> Vec<Effect> {
    s.info(done);
    vec![Effect::LoadDetail { hazard_id }]
}
