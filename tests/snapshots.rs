//! Snapshots of every screen, in Chinese and English, at 80x24 and 120x40 (ratatui
//! TestBackend + insta), one test each so that one mismatch does not hide the others.
//! Review changes with `cargo insta review`.

mod common;

use common::*;
use firepatrol::i18n::Lang;
use firepatrol::store::StatusFilter;
use firepatrol::tui::app::App;
use std::path::Path;

const LEADER: &str = "刘建国";

/// Reach a screen by keys from a fresh start over a copy of the demo, and compare it with
/// `snapshots__{name}_{lang}_{w}x{h}.snap`.
fn check(name: &str, lang: Lang, (w, h): (u16, u16), reach: fn(&Path, Lang) -> App) {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let app = reach(&db, lang);
    let code = if lang.is_zh() { "zh" } else { "en" };
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(
            format!("snapshots__{name}_{code}_{w}x{h}"),
            scrub_temp(&screen(&app, w, h))
        );
    });
}

fn start(db: &Path, lang: Lang) -> App {
    open_app(db, lang, Some(LEADER))
}

/// The start screen, then keys.
fn after(db: &Path, lang: Lang, keys: &str) -> App {
    let mut a = start(db, lang);
    press(&mut a, keys);
    a
}

/// The re-check of the first plan building with open hazards.
fn recheck(db: &Path, lang: Lang) -> App {
    let mut a = start(db, lang);
    let k = a
        .state
        .plan
        .iter()
        .position(|i| a.state.buildings[*i].open > 0)
        .unwrap();
    press(&mut a, &format!("{}<enter>", "j".repeat(k)));
    go_to_recheck(&mut a);
    a
}

/// The checklist of the first plan building (past its re-check), then keys.
fn checklist_then(db: &Path, lang: Lang, keys: &str) -> App {
    let mut a = start(db, lang);
    press(&mut a, "<enter>");
    skip_recheck(&mut a);
    press(&mut a, keys);
    a
}

/// Earlier that day the leader answered the first two items of the first building (`yn`):
/// the screens below that show the day's progress, the resume line or the report see them.
fn two_answers_earlier(db: &Path, lang: Lang) {
    checklist_then(db, lang, "yn");
}

snapshots! {
    inspector => |db, lang| open_app(db, lang, None);
    start => start;
    picker_filtered => |db, lang| after(db, lang, "/gui");
    help_start => |db, lang| after(db, lang, "?");
    walk_recheck => recheck;
    extend_form => |db, lang| {
        let mut a = recheck(db, lang);
        press(&mut a, "e");
        a
    };
    walk_checklist => |db, lang| checklist_then(db, lang, "yn");
    help_walk => |db, lang| {
        two_answers_earlier(db, lang);
        checklist_then(db, lang, "?")
    };
    hazard_form_error => |db, lang| {
        two_answers_earlier(db, lang);
        checklist_then(db, lang, "x2F<tab><tab><tab>12a<enter>")
    };
    overview => |db, lang| {
        two_answers_earlier(db, lang);
        after(db, lang, "v")
    };
    ledger_overdue => |db, lang| {
        let mut a = start(db, lang);
        ledger_tab(&mut a, StatusFilter::Overdue);
        a
    };
    ledger_filter_form => |db, lang| after(db, lang, "lf<right><tab><tab><right>");
    hazard_detail => |db, lang| {
        let mut a = start(db, lang);
        ledger_tab(&mut a, StatusFilter::Overdue);
        press(&mut a, "jjjjjjjj<enter>");
        a
    };
    building_history => |db, lang| {
        let mut a = start(db, lang);
        ledger_tab(&mut a, StatusFilter::Overdue);
        press(&mut a, "jjjjjjjj<enter>h");
        a
    };
    report_preview => |db, lang| {
        two_answers_earlier(db, lang);
        after(db, lang, "e")
    };
    people => |db, lang| after(db, lang, "d");
    people_retire_confirm => |db, lang| after(db, lang, "djjx");
    people_assign_form => |db, lang| after(db, lang, "djjs<enter><right>");
    photos_confirm => |db, lang| {
        let pics = db.parent().unwrap().join("pics");
        std::fs::create_dir_all(&pics).unwrap();
        write(&pics, "IMG_0001.jpg", &jpeg(1));
        write(&pics, "IMG_0002.jpg", &jpeg(2));
        write(&pics, "notes.txt", b"not a picture");
        let mut a = start(db, lang);
        ledger_tab(&mut a, StatusFilter::Overdue);
        press(&mut a, "jjjjjjjj<enter>p");
        a.handle_event(crossterm::event::Event::Paste(pics.display().to_string()));
        press(&mut a, "<enter>");
        a
    };
}

fn jpeg(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([x as u8 * 4, y as u8 * 5, seed.wrapping_mul(37)])
    });
    let mut out = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut out, 85,
    ))
    .unwrap();
    out
}
