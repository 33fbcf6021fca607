//! The terminal app.
use crate::error::Result;
use crate::i18n::Lang;
use crate::store::Store;

pub fn run(_store: Store, _lang: Lang, _inspector: Option<String>) -> Result<()> {
    Ok(())
}
