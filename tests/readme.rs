//! The README's key tables are exactly what the key map generates.

use firepatrol::i18n::Lang;
use firepatrol::tui::keymap::markdown_table;

#[test]
fn readme_key_tables_match_the_key_map() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let want = format!(
            "<!-- keys:{tag} -->\n{}<!-- /keys:{tag} -->",
            markdown_table(lang)
        );
        assert!(
            readme.contains(&want),
            "README key table ({tag}) is out of date; it should read:\n{want}"
        );
    }
}
