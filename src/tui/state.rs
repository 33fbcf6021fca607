//! The app's state as callers outside the app see it. The state is defined with the screens
//! that own it (`screens`: the whole [`State`], and each screen's part in its own module).

pub use super::screens::start::ResumePoint;
pub use super::screens::walk::{Phase, Section, UndoEntry, Walk};
pub use super::screens::{Form, FormPurpose, Notice, Screen, State};
