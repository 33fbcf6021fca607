//! The README's key tables are exactly what the key map generates.
//! After changing the key map: `UPDATE_README=1 cargo test --test readme`.

use firepatrol::i18n::Lang;
use firepatrol::tui::keymap::markdown_table;

#[test]
fn readme_key_tables_match_the_key_map() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let mut readme = std::fs::read_to_string(path).unwrap();
    let update = std::env::var_os("UPDATE_README").is_some();
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let (open, close) = (
            format!("<!-- keys:{tag} -->\n"),
            format!("<!-- /keys:{tag} -->"),
        );
        let want = format!("{open}{}{close}", markdown_table(lang));
        if readme.contains(&want) {
            continue;
        }
        let (Some(a), Some(b)) = (readme.find(&open), readme.find(&close)) else {
            panic!("README has no {open} ... {close} block");
        };
        if update {
            readme.replace_range(a..b + close.len(), &want);
        } else {
            panic!(
                "README key table ({tag}) is out of date; run UPDATE_README=1 cargo test --test readme. It should read:\n{want}"
            );
        }
    }
    if update {
        std::fs::write(path, readme).unwrap();
    }
}
