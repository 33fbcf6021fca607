//! The laptops' proposed changes to the lists (名单修改建议), at the office: each with its
//! list, the row in people's words, who proposed it and what would change. `a` accepts one
//! (it becomes the office's own change and reaches every laptop), `x` declines it (the
//! office's version stays everywhere), each after a question; the decision travels back to
//! the laptops that proposed it with their next reply.

use super::{Screen, State, confirm::Confirm, go_back};
use crate::store::proposals::Proposal;
use crate::tui::effect::Effect;
use crate::tui::keymap::Act;
use crate::tui::widgets::{Theme, fit, move_cursor};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

#[derive(Default)]
pub struct Proposals {
    pub rows: Vec<Proposal>,
    pub cursor: usize,
}

pub fn open(s: &mut State) -> Vec<Effect> {
    s.back_stack.push(s.screen);
    s.screen = Screen::Proposals;
    s.notice = None;
    vec![Effect::LoadProposals]
}

/// The waiting proposals were loaded; after a decision (`done`), the notice says what it did.
pub fn loaded(s: &mut State, rows: Vec<Proposal>, done: Option<String>) {
    s.proposals.rows = rows;
    s.proposals.cursor = s
        .proposals
        .cursor
        .min(s.proposals.rows.len().saturating_sub(1));
    if let Some(text) = done {
        s.info(text);
    }
}

pub fn key(s: &mut State, act: Option<Act>) -> Vec<Effect> {
    let w = s.lang.cat().office;
    match act {
        Some(a @ (Act::MoveUp | Act::MoveDown | Act::PageUp | Act::PageDown)) => {
            move_cursor(&mut s.proposals.cursor, s.proposals.rows.len(), a)
        }
        Some(a @ (Act::AcceptProposal | Act::DeclineProposal)) => {
            let Some(p) = s.proposals.rows.get(s.proposals.cursor) else {
                s.info(w.proposals_none.to_string());
                return vec![];
            };
            let accept = a == Act::AcceptProposal;
            s.confirm = Some(Confirm {
                lines: vec![
                    format!(
                        "{} {} ({})",
                        (s.lang.cat().sync.list_word)(&p.table),
                        p.what,
                        p.senders
                    ),
                    p.detail.clone(),
                ],
                question: if accept { w.accept_ask } else { w.decline_ask }.to_string(),
                yes: Effect::DecideProposal {
                    number: p.number,
                    accept,
                },
            });
        }
        Some(Act::Back) => return go_back(s),
        _ => {}
    }
    vec![]
}

pub fn draw(frame: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let c = s.lang.cat();
    let w = c.office;
    let inner_w = area.width.saturating_sub(4) as usize;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(fit(&(w.proposals_title)(s.proposals.rows.len()), inner_w));
    if s.proposals.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(w.proposals_none)
                .wrap(ratatui::widgets::Wrap { trim: false })
                .block(block),
            area,
        );
        return;
    }
    // Two lines a proposal: what and who, then what would change.
    let items: Vec<ListItem> = s
        .proposals
        .rows
        .iter()
        .map(|p| {
            let head = format!(
                "{:>3}. {} {} {} ({})",
                p.number,
                p.first_at.get(..10).unwrap_or(&p.first_at),
                (c.sync.list_word)(&p.table),
                p.what,
                p.senders
            );
            ListItem::new(vec![
                Line::from(fit(&head, inner_w)),
                Line::from(fit(&format!("     {}", p.detail), inner_w)),
            ])
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(s.proposals.cursor));
    frame.render_stateful_widget(
        List::new(items)
            .block(block)
            .highlight_style(t.selected())
            .highlight_symbol("> "),
        area,
        &mut state,
    );
}
