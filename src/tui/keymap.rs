//! The one key map. The app looks keys up here, the `?` overlay lists it, and a test checks
//! that the README's key table is exactly [`markdown_table`].

use crate::i18n::{Catalogue, Lang};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the keys are pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Everywhere (unless a text field takes the key).
    Global,
    Start,
    Inspector,
    Picker,
    Walk,
    Recheck,
    Form,
    Ledger,
    Detail,
    History,
    /// The day's report preview.
    Report,
}

/// What a key means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    Up,
    Down,
    PageUp,
    PageDown,
    Open,
    Back,
    Quit,
    ForceQuit,
    Help,
    Search,
    Picker,
    Resume,
    ChangeInspector,
    AnswerOk,
    AnswerNa,
    AnswerHazard,
    Undo,
    NextUnit,
    PrevUnit,
    Rectified,
    StillOpen,
    Extend,
    Escalate,
    NextField,
    PrevField,
    Save,
    Cancel,
    Prev,
    Next,
    Toggle,
    Ledger,
    Overview,
    Sort,
    Filters,
    History,
    Respond,
    Reopen,
    /// Preview the day's report and write its files.
    Report,
    /// Write a rectification notice for the hazard.
    Notice,
}

pub struct Binding {
    pub context: Context,
    /// How the keys are written in help and the README.
    pub keys: &'static str,
    pub act: Act,
    pub help: fn(&Catalogue) -> &'static str,
}

macro_rules! b {
    ($ctx:ident, $keys:literal, $act:ident, $help:ident) => {
        Binding {
            context: Context::$ctx,
            keys: $keys,
            act: Act::$act,
            help: |c| c.$help,
        }
    };
}

/// Every binding, in the order help shows them.
pub static BINDINGS: &[Binding] = &[
    b!(Global, "?", Help, k_help),
    b!(Global, "Ctrl-C", ForceQuit, k_force_quit),
    b!(Global, "/", Search, k_search),
    b!(Global, "j k Down Up", Down, k_move),
    b!(Global, "PgDn PgUp", PageDown, k_page),
    b!(Start, "Enter", Open, k_start_open),
    b!(Start, "b", Picker, k_picker),
    b!(Start, "r", Resume, k_resume),
    b!(Start, "p", ChangeInspector, k_change_inspector),
    b!(Start, "l", Ledger, k_ledger),
    b!(Start, "v", Overview, k_overview),
    b!(Start, "e", Report, k_report),
    b!(Start, "q", Quit, k_quit),
    b!(Inspector, "Enter", Open, k_pick_person),
    b!(Inspector, "Esc", Back, k_back),
    b!(Picker, "Enter", Open, k_picker_open),
    b!(Picker, "/", Search, k_filter),
    b!(Picker, "h", History, k_history),
    b!(Picker, "Esc", Back, k_back),
    b!(Walk, "y Space", AnswerOk, k_ok),
    b!(Walk, "n", AnswerNa, k_na),
    b!(Walk, "x", AnswerHazard, k_hazard),
    b!(Walk, "u", Undo, k_undo),
    b!(Walk, "Enter", Open, k_change),
    b!(Walk, "]", NextUnit, k_next_unit),
    b!(Walk, "[", PrevUnit, k_prev_unit),
    b!(Walk, "Esc", Back, k_walk_back),
    b!(Recheck, "r", Rectified, k_rectified),
    b!(Recheck, "o", StillOpen, k_still_open),
    b!(Recheck, "e", Extend, k_extend),
    b!(Recheck, "c", Escalate, k_escalate),
    b!(Recheck, "Enter", Open, k_to_checklist),
    b!(Recheck, "Esc", Back, k_walk_back),
    b!(Ledger, "Tab Shift-Tab", NextField, k_status),
    b!(Ledger, "s", Sort, k_sort),
    b!(Ledger, "f", Filters, k_filters),
    b!(Ledger, "/", Search, k_text_filter),
    b!(Ledger, "Enter", Open, k_detail_open),
    b!(Ledger, "h", History, k_history),
    b!(Ledger, "Esc", Back, k_back),
    b!(Detail, "r", Rectified, k_rectify_note),
    b!(Detail, "e", Extend, k_extend),
    b!(Detail, "c", Escalate, k_escalate),
    b!(Detail, "a", Respond, k_respond),
    b!(Detail, "o", Reopen, k_reopen),
    b!(Detail, "h", History, k_history),
    b!(Detail, "n", Notice, k_notice),
    b!(Detail, "Esc", Back, k_back),
    b!(History, "Enter", Open, k_detail_open),
    b!(History, "Esc", Back, k_back),
    b!(Report, "Esc", Back, k_back),
    b!(Form, "Tab Shift-Tab", NextField, k_fields),
    b!(Form, "Left Right", Next, k_choices),
    b!(Form, "Space", Toggle, k_toggle),
    b!(Form, "Enter", Save, k_save),
    b!(Form, "Esc", Cancel, k_cancel),
];

/// Look a key up: the context's own bindings first, then the global ones. `typing` is true
/// when a text field has the focus: printable keys then belong to the field.
pub fn lookup(context: Context, key: KeyEvent, typing: bool) -> Option<Act> {
    use KeyCode as K;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, K::Char('c')) {
        return Some(Act::ForceQuit);
    }
    let act = match (context, key.code) {
        (_, K::F(1)) => Act::Help,
        (Context::Form, K::Tab) => Act::NextField,
        (Context::Form, K::BackTab) => Act::PrevField,
        (Context::Form, K::Enter) => Act::Save,
        (Context::Form, K::Esc) => Act::Cancel,
        (Context::Form, K::Up) => Act::PrevField,
        (Context::Form, K::Down) => Act::NextField,
        (Context::Form, K::Left) => Act::Prev,
        (Context::Form, K::Right) => Act::Next,
        (Context::Form, K::Char(' ')) if !typing => Act::Toggle,
        (Context::Form, K::Char('?')) if !typing => Act::Help,
        (Context::Form, _) => return None,
        (_, K::Char(_)) if typing => return None,
        (_, K::Up) | (_, K::Char('k')) => Act::Up,
        (_, K::Down) | (_, K::Char('j')) => Act::Down,
        (_, K::PageUp) => Act::PageUp,
        (_, K::PageDown) => Act::PageDown,
        (_, K::Char('?')) => Act::Help,
        (_, K::Esc) => Act::Back,
        (_, K::Enter) => Act::Open,
        (Context::Start, K::Char('b')) => Act::Picker,
        (Context::Start, K::Char('r')) => Act::Resume,
        (Context::Start, K::Char('p')) => Act::ChangeInspector,
        (Context::Start, K::Char('q')) => Act::Quit,
        (Context::Start, K::Char('l')) => Act::Ledger,
        (Context::Start, K::Char('v')) => Act::Overview,
        (Context::Start, K::Char('e')) => Act::Report,
        (Context::Detail, K::Char('n')) => Act::Notice,
        (Context::Picker, K::Char('h')) => Act::History,
        (Context::Ledger, K::Tab) => Act::NextField,
        (Context::Ledger, K::BackTab) => Act::PrevField,
        (Context::Ledger, K::Left) => Act::Prev,
        (Context::Ledger, K::Right) => Act::Next,
        (Context::Ledger, K::Char('s')) => Act::Sort,
        (Context::Ledger, K::Char('f')) => Act::Filters,
        (Context::Ledger | Context::Detail, K::Char('h')) => Act::History,
        (Context::Detail, K::Char('r')) => Act::Rectified,
        (Context::Detail, K::Char('e')) => Act::Extend,
        (Context::Detail, K::Char('c')) => Act::Escalate,
        (Context::Detail, K::Char('a')) => Act::Respond,
        (Context::Detail, K::Char('o')) => Act::Reopen,
        (Context::Walk, K::Char('y') | K::Char(' ')) => Act::AnswerOk,
        (Context::Walk, K::Char('n')) => Act::AnswerNa,
        (Context::Walk, K::Char('x')) => Act::AnswerHazard,
        (Context::Walk, K::Char('u')) => Act::Undo,
        (Context::Walk | Context::Recheck, K::Char(']')) => Act::NextUnit,
        (Context::Walk | Context::Recheck, K::Char('[')) => Act::PrevUnit,
        (Context::Recheck, K::Char('r')) => Act::Rectified,
        (Context::Recheck, K::Char('o')) => Act::StillOpen,
        (Context::Recheck, K::Char('e')) => Act::Extend,
        (Context::Recheck, K::Char('c')) => Act::Escalate,
        (_, K::Char('/')) => Act::Search,
        _ => return None,
    };
    Some(act)
}

/// The bindings help shows for a context: its own, then the global ones.
pub fn help_rows(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.context == context).chain(
        BINDINGS
            .iter()
            .filter(move |b| b.context == Context::Global && context != Context::Form),
    )
}

/// The README's key table for one language.
pub fn markdown_table(lang: Lang) -> String {
    let c = lang.cat();
    let mut s = String::new();
    let head = if lang.is_zh() {
        "| 界面 | 按键 | 作用 |\n|---|---|---|\n"
    } else {
        "| where | keys | what it does |\n|---|---|---|\n"
    };
    s.push_str(head);
    for b in BINDINGS {
        let keys = b.keys.replace('|', "\\|");
        s.push_str(&format!(
            "| {} | `{}` | {} |\n",
            context_name(c, b.context),
            keys,
            (b.help)(c)
        ));
    }
    s
}

pub fn context_name(c: &Catalogue, ctx: Context) -> &'static str {
    match ctx {
        Context::Global => c.ctx_global,
        Context::Start => c.ctx_start,
        Context::Inspector => c.ctx_inspector,
        Context::Picker => c.ctx_picker,
        Context::Walk => c.ctx_walk,
        Context::Recheck => c.ctx_recheck,
        Context::Form => c.ctx_form,
        Context::Ledger => c.ctx_ledger,
        Context::Detail => c.ctx_detail,
        Context::History => c.ctx_history,
        Context::Report => c.ctx_report,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn every_documented_binding_is_reachable() {
        // Each binding's first key, pressed in its context, gives its action.
        for b in BINDINGS {
            let first = b.keys.split(' ').next().unwrap_or("");
            let code = match first {
                "Enter" => KeyCode::Enter,
                "Esc" => KeyCode::Esc,
                "Tab" => KeyCode::Tab,
                "Space" => KeyCode::Char(' '),
                "PgDn" => KeyCode::PageDown,
                "Left" => KeyCode::Left,
                "Ctrl-C" => continue,
                s if s.chars().count() == 1 => KeyCode::Char(s.chars().next().unwrap_or(' ')),
                other => panic!("unknown key name {other}"),
            };
            let ctx = if b.context == Context::Global {
                Context::Walk
            } else {
                b.context
            };
            let got = lookup(ctx, key(code), false);
            let want = match b.act {
                Act::Next => Act::Prev, // "Left Right": the first is Left
                a => a,
            };
            assert_eq!(got, Some(want), "{:?} {}", b.context, b.keys);
        }
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Context::Form, ctrl_c, true), Some(Act::ForceQuit));
    }

    #[test]
    fn typing_keeps_letters_for_the_field() {
        assert_eq!(lookup(Context::Picker, key(KeyCode::Char('q')), true), None);
        assert_eq!(
            lookup(Context::Picker, key(KeyCode::Esc), true),
            Some(Act::Back)
        );
        assert_eq!(lookup(Context::Form, key(KeyCode::Char('y')), true), None);
    }
}
