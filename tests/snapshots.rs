//! Snapshots of every screen, in Chinese and English, at 80x24 and 120x40 (ratatui
//! TestBackend + insta). Review changes with `cargo insta review`.

mod common;

use common::*;
use firepatrol::i18n::Lang;
use firepatrol::tui::app::App;
use firepatrol::tui::state::Phase;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LEADER: &str = "刘建国";

/// Every screen, reached by keys from a fresh start: (name, how to get there).
fn screens(lang: Lang) -> Vec<(&'static str, App)> {
    let dir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
    let db = demo_copy(dir.path());
    let mut out = Vec::new();
    out.push(("inspector", open_app(&db, lang, None)));
    let start = || open_app(&db, lang, Some(LEADER));
    out.push(("start", start()));
    let mut a = start();
    press(&mut a, "/gui");
    out.push(("picker_filtered", a));
    let mut a = start();
    press(&mut a, "?");
    out.push(("help_start", a));
    // The first plan building with open hazards: its re-check.
    let mut a = start();
    let k = a
        .state
        .plan
        .iter()
        .position(|i| a.state.buildings[*i].open > 0)
        .unwrap();
    press(&mut a, &format!("{}<enter>", "j".repeat(k)));
    while a.state.walk.as_ref().unwrap().phase != Phase::Recheck {
        press(&mut a, "]");
    }
    out.push(("walk_recheck", a));
    let mut a = start();
    press(&mut a, &format!("{}<enter>", "j".repeat(k)));
    while a.state.walk.as_ref().unwrap().phase != Phase::Recheck {
        press(&mut a, "]");
    }
    press(&mut a, "e");
    out.push(("extend_form", a));
    let mut a = start();
    press(&mut a, "<enter>");
    if a.state.walk.as_ref().unwrap().phase == Phase::Recheck {
        press(&mut a, "<enter>");
    }
    press(&mut a, "yn");
    out.push(("walk_checklist", a));
    let mut a = start();
    press(&mut a, "<enter>");
    if a.state.walk.as_ref().unwrap().phase == Phase::Recheck {
        press(&mut a, "<enter>");
    }
    press(&mut a, "?");
    out.push(("help_walk", a));
    let mut a = start();
    press(&mut a, "<enter>");
    if a.state.walk.as_ref().unwrap().phase == Phase::Recheck {
        press(&mut a, "<enter>");
    }
    press(&mut a, "x2F<tab><tab><tab>12a<enter>");
    out.push(("hazard_form_error", a));
    let mut a = start();
    press(&mut a, "v");
    out.push(("overview", a));
    let mut a = start();
    press(&mut a, "l<tab><tab><tab>");
    out.push(("ledger_overdue", a));
    let mut a = start();
    press(&mut a, "lf<right><tab><tab><right>");
    out.push(("ledger_filter_form", a));
    let mut a = start();
    press(&mut a, "l<tab><tab><tab>jjjjjjjj<enter>");
    out.push(("hazard_detail", a));
    let mut a = start();
    press(&mut a, "l<tab><tab><tab>jjjjjjjj<enter>h");
    out.push(("building_history", a));
    let mut a = start();
    press(&mut a, "e");
    out.push(("report_preview", a));
    out
}

#[test]
fn every_screen_in_both_languages_and_sizes() {
    for lang in [Lang::Zh, Lang::En] {
        let code = if lang.is_zh() { "zh" } else { "en" };
        for (name, app) in screens(lang) {
            for (w, h) in SIZES {
                insta::assert_snapshot!(
                    format!("{name}_{code}_{w}x{h}"),
                    scrub_temp(&screen(&app, w, h))
                );
            }
        }
    }
}

/// Temporary folders ("/tmp/.tmpAbC123") differ on every run: shown as "<tmp>".
fn scrub_temp(s: &str) -> String {
    let tmp = std::env::temp_dir().join(".tmp").display().to_string();
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(&tmp) {
        out.push_str(&rest[..i]);
        out.push_str("<tmp>");
        let after = &rest[i + tmp.len()..];
        let end = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}
