//! The one key table. The app looks keys up in [`BINDINGS`], the `?` overlay and the hint line
//! list it, and a test checks that the README's key tables are exactly [`markdown_table`].

use crate::i18n::{Catalogue, Lang};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the keys are pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Everywhere (unless a text field takes the key); in forms only help and Ctrl-C.
    Global,
    /// In any text field while it is being typed in.
    Text,
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
    /// People and their duties (the office's list).
    People,
    /// The building list, choosing a building to assign a person to.
    PickBuilding,
    /// A question to confirm (yes or no) over the screen.
    Confirm,
    /// The office's inbox: escalations waiting for its response.
    Inbox,
    /// The office's laptops.
    Devices,
    /// The laptops' proposed changes to the lists, at the office.
    Proposals,
    /// Today across the community.
    Today,
    /// The start screen of a laptop that joined a community: the start screen's keys, and
    /// the ones of sync.
    LaptopStart,
}

impl Context {
    /// Are the keys of `binding` this context's own (or of the screen it extends)?
    pub fn owns(self, binding: Context) -> bool {
        binding == self || (self == Context::LaptopStart && binding == Context::Start)
    }

    /// Does this screen have a text field (so the text keys apply and help lists them)?
    pub fn has_text(self) -> bool {
        matches!(
            self,
            Context::Inspector
                | Context::Picker
                | Context::Form
                | Context::Ledger
                | Context::PickBuilding
        )
    }
}

/// What a key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    MoveUp,
    MoveDown,
    PageUp,
    PageDown,
    /// Open or choose what the cursor is on.
    Open,
    Back,
    Quit,
    ForceQuit,
    ShowHelp,
    Search,
    OpenPicker,
    ResumeWalk,
    ChangeInspector,
    AnswerOk,
    AnswerNa,
    AnswerHazard,
    /// Change the answer of an answered item (Enter on the checklist).
    ChangeAnswer,
    Undo,
    /// The unanswered items of this list are all OK (asks first, saying how many).
    RestOk,
    NextUnit,
    PrevUnit,
    /// Leave the re-check for the checklist.
    ToChecklist,
    MarkRectified,
    MarkStillOpen,
    ExtendDeadline,
    Escalate,
    NextField,
    PrevField,
    NextChoice,
    PrevChoice,
    Toggle,
    Save,
    Cancel,
    ClearField,
    DeleteWord,
    OpenLedger,
    ToggleOverview,
    NextStatus,
    PrevStatus,
    NextSort,
    EditFilters,
    OpenHistory,
    OfficeResponse,
    Reopen,
    /// Preview the day's report and write its files.
    WriteReport,
    /// Write a rectification notice for the hazard.
    WriteNotice,
    /// The people and duties screen.
    OpenPeople,
    AddPerson,
    EditPerson,
    /// Assign the person a building or unit (choose the building first).
    AssignDuty,
    UnassignDuty,
    RetirePerson,
    /// Attach photos to the hazard from a folder.
    AttachPhotos,
    /// Confirm the question asked.
    Yes,
    /// Decline the question asked.
    No,
    /// Write this month's summary (月度汇总) files.
    WriteSummary,
    /// The office asks a leader to re-check a hazard.
    AssignRecheck,
    /// The office's laptops screen.
    OpenDevices,
    /// The laptops' proposed changes to the lists.
    OpenProposals,
    /// Accept or decline the proposal under the cursor (asks first).
    AcceptProposal,
    DeclineProposal,
    /// Enrol a laptop (writes its enrolment file).
    AddDevice,
    /// Revoke a laptop (asks first).
    Revoke,
    /// Sync with the remembered office address (on a laptop).
    SyncNow,
    /// Today across the community (the office).
    OpenToday,
}

pub struct Binding {
    pub context: Context,
    /// The keys, as help and the README write them, separated by spaces.
    pub keys: &'static str,
    /// What each key does, in the order of `keys`; one act stands for all of them.
    pub acts: &'static [Act],
    pub help: fn(&Catalogue) -> &'static str,
    /// Shown on the hint line (alternative keys are only in help and the README).
    pub hint: bool,
}

impl Binding {
    /// Each key name with what it does.
    pub fn pairs(&self) -> impl Iterator<Item = (&'static str, Act)> + '_ {
        self.keys
            .split(' ')
            .enumerate()
            .map(|(i, name)| (name, self.acts[i.min(self.acts.len() - 1)]))
    }
}

macro_rules! b {
    ($ctx:ident, $keys:literal, [$($act:ident),+], $help:ident) => {
        Binding {
            context: Context::$ctx,
            keys: $keys,
            acts: &[$(Act::$act),+],
            help: |c| c.$help,
            hint: true,
        }
    };
}

/// An alternative key: in help and the README, not on the hint line.
macro_rules! alt {
    ($ctx:ident, $keys:literal, [$($act:ident),+], $help:ident) => {
        Binding {
            hint: false,
            ..b!($ctx, $keys, [$($act),+], $help)
        }
    };
}

/// A binding whose help is in the people words (`c.people`).
macro_rules! bp {
    ($ctx:ident, $keys:literal, [$($act:ident),+], $help:ident) => {
        Binding {
            context: Context::$ctx,
            keys: $keys,
            acts: &[$(Act::$act),+],
            help: |c| c.people.$help,
            hint: true,
        }
    };
}

/// A binding whose help is in the office words (`c.office`).
macro_rules! bo {
    ($ctx:ident, $keys:literal, [$($act:ident),+], $help:ident) => {
        Binding {
            context: Context::$ctx,
            keys: $keys,
            acts: &[$(Act::$act),+],
            help: |c| c.office.$help,
            hint: true,
        }
    };
}

/// Every binding, in the order help shows them.
pub static BINDINGS: &[Binding] = &[
    b!(Global, "? F1", [ShowHelp], k_help),
    b!(Global, "Ctrl-C", [ForceQuit], k_force_quit),
    b!(Global, "/", [Search], k_search),
    b!(
        Global,
        "j k Down Up",
        [MoveDown, MoveUp, MoveDown, MoveUp],
        k_move
    ),
    b!(Global, "PgDn PgUp", [PageDown, PageUp], k_page),
    b!(Text, "Ctrl-U", [ClearField], k_clear_field),
    b!(Text, "Ctrl-W", [DeleteWord], k_delete_word),
    b!(Start, "Enter", [Open], k_start_open),
    b!(Start, "b", [OpenPicker], k_picker),
    b!(Start, "r", [ResumeWalk], k_resume),
    b!(Start, "p", [ChangeInspector], k_change_inspector),
    b!(Start, "l", [OpenLedger], k_ledger),
    b!(Start, "v", [ToggleOverview], k_overview),
    b!(Start, "e", [WriteReport], k_report),
    b!(Start, "q", [Quit], k_quit),
    bp!(Start, "d", [OpenPeople], k_people),
    Binding {
        context: Context::Start,
        keys: "m",
        acts: &[Act::WriteSummary],
        help: |c| c.summary.k_summary,
        hint: true,
    },
    bo!(LaptopStart, "s", [SyncNow], k_sync),
    bo!(Inbox, "Enter", [Open], k_open),
    bo!(Inbox, "a", [OfficeResponse], k_respond),
    bo!(Inbox, "r", [MarkRectified], k_rectified),
    bo!(Inbox, "s", [AssignRecheck], k_assign),
    bo!(Inbox, "l", [OpenLedger], k_ledger),
    bo!(Inbox, "d", [OpenDevices], k_devices),
    bo!(Inbox, "t", [OpenToday], k_today),
    bo!(Inbox, "p", [OpenPeople], k_people),
    b!(Inbox, "q", [Quit], k_quit),
    bo!(Devices, "a", [AddDevice], k_add_device),
    bo!(Devices, "x", [Revoke], k_revoke),
    bo!(Devices, "c", [OpenProposals], k_proposals),
    b!(Devices, "Esc", [Back], k_back),
    bo!(Proposals, "a", [AcceptProposal], k_accept),
    bo!(Proposals, "x", [DeclineProposal], k_decline),
    b!(Proposals, "Esc", [Back], k_back),
    b!(Today, "Esc", [Back], k_back),
    b!(Inspector, "Enter", [Open], k_pick_person),
    b!(Inspector, "Esc", [Back], k_back),
    b!(Picker, "Enter", [Open], k_picker_open),
    b!(Picker, "/", [Search], k_filter),
    b!(Picker, "h", [OpenHistory], k_history),
    b!(Picker, "Esc", [Back], k_back),
    b!(Walk, "y Space", [AnswerOk], k_ok),
    b!(Walk, "n", [AnswerNa], k_na),
    b!(Walk, "x", [AnswerHazard], k_hazard),
    Binding {
        context: Context::Walk,
        keys: "a",
        acts: &[Act::RestOk],
        help: |c| c.nu.k_rest_ok,
        hint: true,
    },
    b!(Walk, "u", [Undo], k_undo),
    b!(Walk, "Enter", [ChangeAnswer], k_change),
    b!(Walk, "]", [NextUnit], k_next_unit),
    b!(Walk, "[", [PrevUnit], k_prev_unit),
    b!(Walk, "Esc", [Back], k_walk_back),
    b!(Recheck, "r", [MarkRectified], k_rectified),
    b!(Recheck, "o", [MarkStillOpen], k_still_open),
    b!(Recheck, "e", [ExtendDeadline], k_extend),
    b!(Recheck, "c", [Escalate], k_escalate),
    b!(Recheck, "Enter", [ToChecklist], k_to_checklist),
    alt!(Recheck, "]", [NextUnit], k_next_unit),
    alt!(Recheck, "[", [PrevUnit], k_prev_unit),
    b!(Recheck, "Esc", [Back], k_walk_back),
    b!(Ledger, "Tab Shift-Tab", [NextStatus, PrevStatus], k_status),
    alt!(Ledger, "Right Left", [NextStatus, PrevStatus], k_status),
    b!(Ledger, "s", [NextSort], k_sort),
    b!(Ledger, "f", [EditFilters], k_filters),
    b!(Ledger, "/", [Search], k_text_filter),
    b!(Ledger, "Enter", [Open], k_detail_open),
    b!(Ledger, "h", [OpenHistory], k_history),
    b!(Ledger, "Esc", [Back], k_back),
    b!(Detail, "r", [MarkRectified], k_rectify_note),
    b!(Detail, "e", [ExtendDeadline], k_extend),
    b!(Detail, "c", [Escalate], k_escalate),
    b!(Detail, "a", [OfficeResponse], k_respond),
    b!(Detail, "o", [Reopen], k_reopen),
    b!(Detail, "h", [OpenHistory], k_history),
    b!(Detail, "n", [WriteNotice], k_notice),
    bp!(Detail, "p", [AttachPhotos], k_photos),
    b!(Detail, "Esc", [Back], k_back),
    b!(History, "Enter", [Open], k_detail_open),
    b!(History, "Esc", [Back], k_back),
    b!(Report, "Esc", [Back], k_back),
    bp!(People, "a", [AddPerson], k_add),
    bp!(People, "e", [EditPerson], k_edit),
    Binding {
        hint: false,
        ..bp!(People, "Enter", [EditPerson], k_edit)
    },
    bp!(People, "s", [AssignDuty], k_assign),
    bp!(People, "u", [UnassignDuty], k_unassign),
    bp!(People, "x", [RetirePerson], k_retire),
    b!(People, "Esc", [Back], k_back),
    bp!(PickBuilding, "Enter", [Open], k_pick),
    b!(PickBuilding, "/", [Search], k_filter),
    b!(PickBuilding, "Esc", [Back], k_back),
    bp!(Confirm, "y", [Yes], k_yes),
    bp!(Confirm, "n Esc", [No], k_no),
    b!(Form, "Tab Shift-Tab", [NextField, PrevField], k_fields),
    alt!(Form, "Down Up", [NextField, PrevField], k_fields),
    b!(Form, "Left Right", [PrevChoice, NextChoice], k_choices),
    b!(Form, "Space", [Toggle], k_toggle),
    b!(Form, "Enter", [Save], k_save),
    b!(Form, "Esc", [Cancel], k_cancel),
];

/// A key name of the table: its code, whether it needs Ctrl, and whether it types a character
/// (then a text field that has the focus takes it).
fn key_of(name: &str) -> Option<(KeyCode, bool, bool)> {
    use KeyCode as K;
    let named = match name {
        "Enter" => K::Enter,
        "Esc" => K::Esc,
        "Tab" => K::Tab,
        "Shift-Tab" => K::BackTab,
        "Up" => K::Up,
        "Down" => K::Down,
        "Left" => K::Left,
        "Right" => K::Right,
        "PgUp" => K::PageUp,
        "PgDn" => K::PageDown,
        "F1" => K::F(1),
        "Space" => return Some((K::Char(' '), false, true)),
        _ => {
            if let Some(c) = name.strip_prefix("Ctrl-") {
                let c = c.chars().next()?.to_ascii_lowercase();
                return Some((K::Char(c), true, false));
            }
            let mut chars = name.chars();
            let c = chars.next()?;
            return chars.next().is_none().then_some((K::Char(c), false, true));
        }
    };
    Some((named, false, false))
}

/// Where `?` opens help even while a text field has the focus: the filters of the people
/// and building lists (no name has a `?` in it). In forms and the ledger's text filter `?`
/// is typed, and F1 opens help.
fn question_is_help(context: Context) -> bool {
    matches!(context, Context::Inspector | Context::Picker)
}

/// Does the key `name` act now (a typed character is left to the text field while
/// `typing`, except `?` where it is help)?
fn acts_now(context: Context, name: &str, act: Act, typing: bool) -> bool {
    let types = key_of(name).is_some_and(|(_, _, types)| types);
    !(typing && types) || (name == "?" && act == Act::ShowHelp && question_is_help(context))
}

/// The keys of a binding that act now, as help and the hint line show them ("Down Up" for
/// "j k Down Up" while typing); `None` when none does.
pub fn live_keys(b: &Binding, context: Context, typing: bool) -> Option<String> {
    let keys: Vec<&str> = b
        .pairs()
        .filter(|(name, act)| acts_now(context, name, *act, typing))
        .map(|(name, _)| name)
        .collect();
    (!keys.is_empty()).then(|| keys.join(" "))
}

/// The act of the first key of `rows` that `key` presses (a typed character is left to the
/// text field while `typing`).
fn find<'a>(
    rows: impl Iterator<Item = &'a Binding>,
    key: KeyEvent,
    context: Context,
    typing: bool,
) -> Option<Act> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    rows.flat_map(|b| b.pairs()).find_map(|(name, act)| {
        let (code, needs_ctrl, _) = key_of(name)?;
        let hit = code == key.code && (!needs_ctrl || ctrl) && acts_now(context, name, act, typing);
        hit.then_some(act)
    })
}

fn rows_of(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| context.owns(b.context))
}

/// Look a key up in the table: Ctrl-C first; then, while typing, the text keys; then the
/// screen's own keys; then the global ones (in a form only help: a form takes the others).
/// `typing` is true when a text field has the focus: typed characters then belong to it.
pub fn lookup(context: Context, key: KeyEvent, typing: bool) -> Option<Act> {
    let ctrl_keys = rows_of(Context::Global).filter(|b| b.keys.starts_with("Ctrl-"));
    let text = rows_of(Context::Text).filter(move |_| typing && context.has_text());
    let global = rows_of(Context::Global)
        .filter(move |b| context != Context::Form || b.acts.contains(&Act::ShowHelp));
    find(
        ctrl_keys.chain(text).chain(rows_of(context)).chain(global),
        key,
        context,
        typing,
    )
}

/// The bindings help shows for a context: its own, the text keys where there is a text
/// field, then the global ones (not in forms).
pub fn help_rows(context: Context) -> impl Iterator<Item = &'static Binding> {
    rows_of(context)
        .chain(rows_of(Context::Text).filter(move |_| context.has_text()))
        .chain(rows_of(Context::Global).filter(move |_| context != Context::Form))
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
        Context::Text => c.ctx_text,
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
        Context::People => c.people.ctx_people,
        Context::PickBuilding => c.people.ctx_pick_building,
        Context::Confirm => c.people.ctx_confirm,
        Context::Inbox => c.office.ctx_inbox,
        Context::Devices => c.office.ctx_devices,
        Context::Proposals => c.office.ctx_proposals,
        Context::Today => c.office.ctx_today,
        Context::LaptopStart => c.office.ctx_laptop_start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn every_key_of_the_table_does_what_the_table_says() {
        for b in BINDINGS {
            for (name, act) in b.pairs() {
                let (code, ctrl, _) = key_of(name).unwrap_or_else(|| panic!("key name {name}"));
                let m = if ctrl {
                    KeyModifiers::CONTROL
                } else {
                    KeyModifiers::NONE
                };
                let (ctx, typing) = match b.context {
                    Context::Global => (Context::Walk, false),
                    Context::Text => (Context::Form, true),
                    other => (other, false),
                };
                let got = lookup(ctx, KeyEvent::new(code, m), typing);
                assert_eq!(got, Some(act), "{:?} {name}", b.context);
            }
        }
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Context::Form, ctrl_c, true), Some(Act::ForceQuit));
        assert_eq!(
            lookup(Context::Recheck, ctrl_c, false),
            Some(Act::ForceQuit)
        );
    }

    #[test]
    fn typing_keeps_letters_for_the_field() {
        assert_eq!(lookup(Context::Picker, key(KeyCode::Char('q')), true), None);
        assert_eq!(
            lookup(Context::Picker, key(KeyCode::Esc), true),
            Some(Act::Back)
        );
        assert_eq!(lookup(Context::Form, key(KeyCode::Char('y')), true), None);
        assert_eq!(lookup(Context::Form, key(KeyCode::Char('?')), true), None);
        assert_eq!(
            lookup(Context::Form, key(KeyCode::F(1)), true),
            Some(Act::ShowHelp)
        );
    }

    #[test]
    fn the_people_filter_keeps_letters_but_question_mark_is_help() {
        let typed = |c| lookup(Context::Inspector, key(KeyCode::Char(c)), true);
        assert_eq!(typed('j'), None);
        assert_eq!(typed('k'), None);
        assert_eq!(typed('?'), Some(Act::ShowHelp));
        assert_eq!(
            lookup(Context::Inspector, key(KeyCode::Down), true),
            Some(Act::MoveDown)
        );
        // What help and the hint line say is what works.
        let moves = BINDINGS
            .iter()
            .find(|b| b.acts.contains(&Act::MoveDown))
            .unwrap();
        assert_eq!(
            live_keys(moves, Context::Inspector, true).as_deref(),
            Some("Down Up")
        );
        assert_eq!(
            live_keys(moves, Context::Start, false).as_deref(),
            Some("j k Down Up")
        );
        let help = &BINDINGS[0];
        assert_eq!(
            live_keys(help, Context::Inspector, true).as_deref(),
            Some("? F1")
        );
        assert_eq!(live_keys(help, Context::Form, true).as_deref(), Some("F1"));
    }

    #[test]
    fn esc_does_not_quit_the_start_screen() {
        assert_eq!(lookup(Context::Start, key(KeyCode::Esc), false), None);
        assert_eq!(
            lookup(Context::Start, key(KeyCode::Char('q')), false),
            Some(Act::Quit)
        );
    }

    #[test]
    fn forms_take_the_global_moves() {
        assert_eq!(lookup(Context::Form, key(KeyCode::Char('j')), false), None);
        assert_eq!(lookup(Context::Form, key(KeyCode::PageDown), false), None);
        assert_eq!(
            lookup(Context::Form, key(KeyCode::Down), false),
            Some(Act::NextField)
        );
    }

    #[test]
    fn help_lists_the_text_keys_where_there_is_a_text_field() {
        let has = |ctx| help_rows(ctx).any(|b| b.keys == "Ctrl-U");
        assert!(has(Context::Form) && has(Context::Picker) && has(Context::Ledger));
        assert!(!has(Context::Walk) && !has(Context::Start));
        assert!(help_rows(Context::Form).all(|b| b.context != Context::Global));
    }
}
