//! Checklist templates as data: items with a stable id, a category, prompts in Chinese and
//! English, a severity, a default deadline, a scope and the site kinds they apply to.
//!
//! The defaults live in `src/domain/templates/*.toml` and are the same format that
//! `firepatrol template export` writes and `template import` reads (TOML or JSON).

use super::deadline::DeadlineRule;
use super::text::clean;
use super::{Scope, Severity, SiteKind};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Stable id, e.g. `residential`.
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable id, e.g. `EGR-01`: answers and hazards refer to it.
    pub id: String,
    /// Category code (`egress`, `ebike`, `equipment`, `electric`, `combustible`, `gas`,
    /// `access`, `signage`, or an office's own).
    pub category: String,
    /// The question as the leader reads it ("is it fine?").
    pub prompt_zh: String,
    pub prompt_en: String,
    /// The default hazard description when the answer is "hazard".
    pub hazard_zh: String,
    pub hazard_en: String,
    pub severity: Severity,
    pub deadline: DeadlineRule,
    pub scope: Scope,
    pub kinds: Vec<SiteKind>,
    /// The rule the item rests on (依据), printed on notices.
    #[serde(default)]
    pub basis: String,
}

impl Item {
    pub fn prompt(&self, zh: bool) -> &str {
        if zh { &self.prompt_zh } else { &self.prompt_en }
    }
    pub fn hazard_text(&self, zh: bool) -> &str {
        if zh { &self.hazard_zh } else { &self.hazard_en }
    }
    pub fn applies_to(&self, kind: SiteKind) -> bool {
        self.kinds.contains(&kind)
    }
}

/// One problem found while checking a template file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateProblem {
    /// Where: `items[3] (EGR-04).prompt_zh`, or the parser's line and column.
    pub place: String,
    pub problem: TemplateProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateProblemKind {
    /// The file does not parse; the parser's own message.
    Syntax(String),
    Empty,
    TooLong(usize),
    BadId,
    DuplicateId(String),
    NoItems,
    NoKinds,
}

const MAX_FIELD: usize = 300;

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Template {
    /// Parse a template from TOML or JSON (by the first non-blank character) and validate it.
    pub fn parse(text: &str) -> Result<Template, Vec<TemplateProblem>> {
        let syntax = |m: String| {
            vec![TemplateProblem {
                place: String::new(),
                problem: TemplateProblemKind::Syntax(super::text::clean(&m)),
            }]
        };
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        let t: Template = if trimmed.starts_with('{') {
            serde_json::from_str(trimmed).map_err(|e| syntax(e.to_string()))?
        } else {
            toml::from_str(trimmed).map_err(|e| syntax(e.to_string()))?
        };
        t.validated()
    }

    /// Clean every text field and check the template; all problems are returned at once.
    pub fn validated(mut self) -> Result<Template, Vec<TemplateProblem>> {
        let mut problems = Vec::new();
        check_field(&mut problems, "id".into(), &mut self.id, true);
        check_field(&mut problems, "name_zh".into(), &mut self.name_zh, true);
        check_field(&mut problems, "name_en".into(), &mut self.name_en, true);
        for (i, item) in self.items.iter_mut().enumerate() {
            let label = item_label(&item.id);
            let at = |f: &str| format!("items[{}] ({label}).{f}", i + 1);
            let p = &mut problems;
            check_field(p, at("id"), &mut item.id, true);
            check_field(p, at("category"), &mut item.category, true);
            check_field(p, at("prompt_zh"), &mut item.prompt_zh, true);
            check_field(p, at("prompt_en"), &mut item.prompt_en, true);
            check_field(p, at("hazard_zh"), &mut item.hazard_zh, true);
            check_field(p, at("hazard_en"), &mut item.hazard_en, true);
            check_field(p, at("basis"), &mut item.basis, false);
            if item.kinds.is_empty() {
                p.push(TemplateProblem {
                    place: at("kinds"),
                    problem: TemplateProblemKind::NoKinds,
                });
            }
        }
        if !self.id.is_empty() && !is_code(&self.id) {
            problems.push(TemplateProblem {
                place: "id".into(),
                problem: TemplateProblemKind::BadId,
            });
        }
        if self.items.is_empty() {
            problems.push(TemplateProblem {
                place: "items".into(),
                problem: TemplateProblemKind::NoItems,
            });
        }
        let mut seen = std::collections::HashSet::new();
        for (i, item) in self.items.iter().enumerate() {
            let place = format!("items[{}] ({}).id", i + 1, item_label(&item.id));
            if !item.id.is_empty() && !is_code(&item.id) {
                problems.push(TemplateProblem {
                    place: place.clone(),
                    problem: TemplateProblemKind::BadId,
                });
            }
            if !is_code(&item.category) && !item.category.is_empty() {
                problems.push(TemplateProblem {
                    place: format!("items[{}] ({}).category", i + 1, item_label(&item.id)),
                    problem: TemplateProblemKind::BadId,
                });
            }
            if !seen.insert(item.id.clone()) {
                problems.push(TemplateProblem {
                    place,
                    problem: TemplateProblemKind::DuplicateId(item.id.clone()),
                });
            }
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn name(&self, zh: bool) -> &str {
        if zh { &self.name_zh } else { &self.name_en }
    }
}

fn check_field(
    problems: &mut Vec<TemplateProblem>,
    place: String,
    value: &mut String,
    required: bool,
) {
    *value = clean(value);
    let n = value.chars().count();
    if required && value.is_empty() {
        problems.push(TemplateProblem {
            place,
            problem: TemplateProblemKind::Empty,
        });
    } else if n > MAX_FIELD {
        problems.push(TemplateProblem {
            place,
            problem: TemplateProblemKind::TooLong(n),
        });
    }
}

fn item_label(id: &str) -> String {
    let s: String = clean(id).chars().take(20).collect();
    if s.is_empty() { "?".into() } else { s }
}

const DEFAULT_FILES: [&str; 3] = [
    include_str!("templates/residential.toml"),
    include_str!("templates/shop.toml"),
    include_str!("templates/bike_shed.toml"),
];

/// The checklists shipped with the program: residential building, street-side shop, bike shed.
pub fn default_templates() -> Vec<Template> {
    DEFAULT_FILES
        .iter()
        .filter_map(|f| Template::parse(f).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_cover_every_site_kind() {
        assert_eq!(default_templates().len(), DEFAULT_FILES.len());
        for f in DEFAULT_FILES {
            if let Err(p) = Template::parse(f) {
                panic!("default template does not validate: {p:?}");
            }
        }
        let all: Vec<Item> = default_templates()
            .into_iter()
            .flat_map(|t| t.items)
            .collect();
        for kind in SiteKind::ALL {
            assert!(
                all.iter().any(|i| i.applies_to(*kind)),
                "no item for {kind:?}"
            );
        }
        let ids: std::collections::HashSet<_> = all.iter().map(|i| &i.id).collect();
        assert_eq!(
            ids.len(),
            all.len(),
            "item ids must be unique across templates"
        );
    }

    #[test]
    fn export_round_trips_in_both_formats() {
        for t in default_templates() {
            assert_eq!(Template::parse(&t.to_toml()), Ok(t.clone()));
            assert_eq!(Template::parse(&t.to_json()), Ok(t.clone()));
        }
    }

    #[test]
    fn validation_names_the_place() {
        let mut t = default_templates().remove(0);
        t.items[2].prompt_zh = "  \u{1b}[2J ".into();
        t.items[3].id = t.items[0].id.clone();
        t.items[4].kinds.clear();
        let problems = t.validated().unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.place == "items[3] (EGR-03).prompt_zh"
                    && p.problem == TemplateProblemKind::Empty)
        );
        assert!(
            problems.iter().any(
                |p| matches!(&p.problem, TemplateProblemKind::DuplicateId(id) if id == "EGR-01")
            )
        );
        assert!(
            problems
                .iter()
                .any(|p| p.problem == TemplateProblemKind::NoKinds)
        );
    }

    #[test]
    fn syntax_errors_and_unknown_fields_are_reported() {
        assert!(matches!(
            Template::parse("id = ").unwrap_err()[0].problem,
            TemplateProblemKind::Syntax(_)
        ));
        let bad = "id = \"x\"\nname_zh = \"x\"\nname_en = \"x\"\ncolour = 1\nitems = []";
        assert!(matches!(
            Template::parse(bad).unwrap_err()[0].problem,
            TemplateProblemKind::Syntax(_)
        ));
        let bad_sev = DEFAULT_FILES[0].replacen("severity = \"high\"", "severity = \"huge\"", 1);
        assert!(Template::parse(&bad_sev).is_err());
    }
}
