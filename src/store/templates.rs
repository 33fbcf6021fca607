//! Checklist templates. Each import is a new version row; the newest per template is in force.

use super::Store;
use super::journal::{NewEvent, log_event};
use crate::domain::SiteKind;
use crate::domain::checklist::{
    Item, Template, TemplateProblem, TemplateProblemKind, default_templates,
};
use crate::error::{Error, Result};
use rusqlite::params;

impl Store {
    /// The templates in force, in the order they were first added.
    pub fn templates(&self) -> Result<Vec<Template>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT body FROM template_version t
                 WHERE id = (SELECT id FROM template_version u WHERE u.template_id = t.template_id
                             ORDER BY created_at DESC, seq DESC, id DESC LIMIT 1)
                 ORDER BY (SELECT min(created_at) FROM template_version u WHERE u.template_id = t.template_id),
                          template_id",
            )
            .map_err(|e| self.db_err(e))?;
        let bodies: Vec<String> = st
            .query_map([], |r| r.get(0))
            .map_err(|e| self.db_err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.db_err(e))?;
        bodies
            .iter()
            .map(|b| {
                serde_json::from_str::<Template>(b).map_err(|_| {
                    super::with_backup(Error::Damaged {
                        path: self.path.clone(),
                        backup: None,
                    })
                })
            })
            .collect()
    }

    /// The checklist items that apply to a kind of site, template order then item order.
    pub fn checklist_for(&self, kind: SiteKind) -> Result<Vec<Item>> {
        Ok(self
            .templates()?
            .into_iter()
            .flat_map(|t| t.items)
            .filter(|i| i.applies_to(kind))
            .collect())
    }

    /// Store a (validated) template as the new version in force. Item ids must not be used by
    /// another template, since answers and hazards refer to them.
    pub fn import_template(&mut self, t: &Template, source: &std::path::Path) -> Result<()> {
        let others = self.templates()?;
        let mut problems = Vec::new();
        for (i, item) in t.items.iter().enumerate() {
            if let Some(o) = others
                .iter()
                .find(|o| o.id != t.id && o.items.iter().any(|x| x.id == item.id))
            {
                problems.push(TemplateProblem {
                    place: format!("items[{}] ({}).id", i + 1, item.id),
                    problem: TemplateProblemKind::DuplicateId(format!("{} ({})", item.id, o.id)),
                });
            }
        }
        if !problems.is_empty() {
            return Err(Error::Template {
                path: source.to_path_buf(),
                problems,
            });
        }
        // A template that cannot be written as JSON is reported like one that cannot be read.
        let body = serde_json::to_string(t).map_err(|e| Error::Template {
            path: source.to_path_buf(),
            problems: vec![TemplateProblem {
                place: String::new(),
                problem: TemplateProblemKind::Syntax(e.to_string()),
            }],
        })?;
        let at = self.now_stamp();
        let device = self.device_id.clone();
        self.write(|tx| {
            insert_version(tx, &device, &at, &t.id, &body)?;
            log_event(
                tx,
                &device,
                &NewEvent {
                    at: &at,
                    person_id: None,
                    entity: "template",
                    entity_id: &t.id,
                    action: "imported",
                    old_value: None,
                    new_value: Some(&format!("{} items", t.items.len())),
                    note: "",
                },
            )
        })
    }

    /// Put the shipped templates in a database that has none.
    pub(crate) fn ensure_default_templates(&mut self) -> Result<()> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM template_version", [], |r| r.get(0))
            .map_err(|e| self.db_err(e))?;
        if n > 0 {
            return Ok(());
        }
        let at = self.now_stamp();
        let device = self.device_id.clone();
        let defaults = default_templates();
        self.write(|tx| {
            for t in &defaults {
                let body = serde_json::to_string(t).unwrap_or_default();
                insert_version(tx, &device, &at, &t.id, &body)?;
            }
            Ok(())
        })
    }
}

fn insert_version(
    tx: &rusqlite::Transaction,
    device: &str,
    at: &str,
    template_id: &str,
    body: &str,
) -> rusqlite::Result<()> {
    let id = crate::domain::new_id();
    tx.execute(
        "INSERT INTO template_version (id, seq, template_id, body, created_at, device_id)
         VALUES (?1, (SELECT ifnull(max(seq), 0) + 1 FROM template_version), ?2, ?3, ?4, ?5)",
        params![id, template_id, body, at, device],
    )?;
    super::journal::seal(tx, "template_version", &id)
}
