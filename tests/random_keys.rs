//! Property test: random key sequences at random terminal sizes (1x1 up to 300x100) never
//! panic, and every answer the screen shows is stored, and nothing else.

mod common;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use firepatrol::i18n::Lang;
use firepatrol::store::{OpenMode, Store};
use proptest::prelude::*;

fn key_strategy() -> impl Strategy<Value = KeyEvent> {
    let codes = vec![
        KeyCode::Char('y'),
        KeyCode::Char(' '),
        KeyCode::Char('n'),
        KeyCode::Char('x'),
        KeyCode::Char('u'),
        KeyCode::Char('j'),
        KeyCode::Char('k'),
        KeyCode::Char(']'),
        KeyCode::Char('['),
        KeyCode::Char('/'),
        KeyCode::Char('?'),
        KeyCode::Char('b'),
        KeyCode::Char('r'),
        KeyCode::Char('p'),
        KeyCode::Char('o'),
        KeyCode::Char('e'),
        KeyCode::Char('c'),
        KeyCode::Char('q'),
        KeyCode::Char('3'),
        KeyCode::Char('楼'),
        KeyCode::Char('+'),
        KeyCode::Enter,
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Backspace,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Delete,
        KeyCode::F(1),
    ];
    prop::sample::select(codes).prop_map(|c| KeyEvent::new(c, KeyModifiers::NONE))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn random_keys_never_panic_and_the_screen_matches_the_database(
        keys in prop::collection::vec(key_strategy(), 1..80),
        w in 1u16..=300,
        h in 1u16..=100,
        zh in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let db = demo_copy(dir.path());
        let lang = if zh { Lang::Zh } else { Lang::En };
        let mut app = open_app(&db, lang, Some("刘建国"));
        for k in keys {
            app.key(k);
            let _ = screen(&app, w, h);
            if app.quit() {
                break;
            }
        }
        let s = Store::open(&db, OpenMode::Existing, clock()).unwrap();
        prop_assert!(s.check().unwrap().is_empty());
        if let (Some(walk), Some(pos)) = (app.state.walk.as_ref(), s.last_position().unwrap())
            && walk.pending.is_none() {
                let stored = s.answers(&pos.patrol_id, &walk.building.id).unwrap();
                prop_assert_eq!(&walk.answers, &stored);
            }
    }
}
