//! firepatrol: fire-safety patrols for building leaders in residential communities.
//!
//! Layers, each depending only on those above it:
//! - [`domain`]: types and rules (no I/O);
//! - [`i18n`]: every user-visible string, one catalogue per language;
//! - [`import`]: reading the office's lists (CSV/XLSX);
//! - [`store`]: the SQLite database (all SQL lives there);
//! - [`demo`]: the built-in demo community;
//! - [`report`]: the end-of-day report and rectification notices, in every export format,
//!   and the service plates; [`photos`]: photo files of hazards;
//! - `tui` (the terminal app) and [`cli`] on top.

pub mod cli;
pub mod demo;
pub mod domain;
pub mod error;
pub mod export;
pub mod fsio;
#[doc(hidden)]
pub mod fuzzing;
pub mod generate;
pub mod i18n;
pub mod import;
pub mod lookup;
pub mod paths;
pub mod photos;
pub mod report;
pub mod search;
pub mod store;
pub mod sync;
pub mod tui;
