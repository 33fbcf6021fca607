//! Typing into a single-line text field (tui-input): which key edits how, and the limits.

use crate::domain::text::{MAX_TEXT_CHARS, clean};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

/// The edit a key makes in a text field, if any.
pub fn input_request(k: &KeyEvent) -> Option<InputRequest> {
    use KeyCode as K;
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    Some(match k.code {
        K::Char('u') if ctrl => InputRequest::DeleteLine,
        K::Char('w') if ctrl => InputRequest::DeletePrevWord,
        K::Char(c) if !ctrl && !c.is_control() => InputRequest::InsertChar(c),
        K::Backspace => InputRequest::DeletePrevChar,
        K::Delete => InputRequest::DeleteNextChar,
        K::Left => InputRequest::GoToPrevChar,
        K::Right => InputRequest::GoToNextChar,
        K::Home => InputRequest::GoToStart,
        K::End => InputRequest::GoToEnd,
        _ => return None,
    })
}

/// Typed text is limited so that a field never grows without end.
const FIELD_LIMIT: usize = MAX_TEXT_CHARS;

pub fn type_into(input: &mut Input, req: InputRequest) {
    if let InputRequest::InsertChar(c) = req
        && (input.value().chars().count() >= FIELD_LIMIT
            || clean(&c.to_string()).is_empty() && c != ' ')
    {
        return;
    }
    input.handle(req);
}

/// Pasted text, cleaned of control characters, typed into a field.
pub fn paste_into(input: &mut Input, text: &str) {
    for c in clean(text).chars() {
        type_into(input, InputRequest::InsertChar(c));
    }
}
