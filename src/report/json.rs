//! `json`: the report for programs, schema `firepatrol.report/1` (`docs/report.schema.json`).
//! Codes, not words: `severity` is `low`/`medium`/`high`/`critical`, `status` is
//! `open`/`escalated`/`rectified`, `category` a checklist category code, times RFC 3339 and
//! days `YYYY-MM-DD`. A change that removes or renames a field gets a new schema number.
//!
//! The hazard lists are serialised as they are read from [`Lists`]: the document is the same
//! as one made from lists in memory, but memory stays flat.

use super::{Lists, Report, Section};
use crate::error::{Error, Result};
use crate::fsio::export_error;
use serde::ser::{Error as _, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::cell::RefCell;
use std::io::Write;
use std::path::Path;

/// One list, serialised by reading it. An error of the database is kept aside (serde only
/// carries its own errors) and given back by [`write`].
struct List<'a> {
    lists: &'a dyn Lists,
    section: Section,
    failed: &'a RefCell<Option<Error>>,
}

impl Serialize for List<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        let mut ser_err = None;
        let done = self.lists.each(self.section, &mut |h| {
            seq.serialize_element(h).map_err(|e| {
                ser_err = Some(e);
                // Only stops the reading: the serde error kept above is the one returned.
                Error::Usage(String::new())
            })
        });
        if let Some(e) = ser_err {
            return Err(e);
        }
        if let Err(e) = done {
            self.failed.replace(Some(e));
            return Err(S::Error::custom("the report's lists could not be read"));
        }
        seq.end()
    }
}

/// The report with its lists, field by field in the order of the schema.
struct Whole<'a> {
    r: &'a Report,
    lists: &'a dyn Lists,
    failed: &'a RefCell<Option<Error>>,
}

impl Serialize for Whole<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let r = self.r;
        let list = |section| List {
            lists: self.lists,
            section,
            failed: self.failed,
        };
        let mut st = s.serialize_struct("Report", 14)?;
        st.serialize_field("schema", r.schema)?;
        st.serialize_field("generated_at", &r.generated_at)?;
        st.serialize_field("community", &r.community)?;
        st.serialize_field("from", &r.from)?;
        st.serialize_field("to", &r.to)?;
        st.serialize_field("filters", &r.filters)?;
        st.serialize_field("redacted", &r.redacted)?;
        st.serialize_field("leaders", &r.leaders)?;
        st.serialize_field("summary", &r.summary)?;
        st.serialize_field("buildings", &r.buildings)?;
        st.serialize_field("found", &list(Section::Found))?;
        st.serialize_field("followed_up", &list(Section::FollowedUp))?;
        st.serialize_field("overdue", &list(Section::Overdue))?;
        st.serialize_field("charts", &r.charts)?;
        st.end()
    }
}

/// Write the JSON document (pretty, ending in a newline) to `w`; `path` names it in errors.
pub fn write(r: &Report, lists: &dyn Lists, w: &mut dyn Write, path: &Path) -> Result<()> {
    let failed = RefCell::new(None);
    let whole = Whole {
        r,
        lists,
        failed: &failed,
    };
    let done = serde_json::to_writer_pretty(&mut *w, &whole);
    if let Some(e) = failed.into_inner() {
        return Err(e);
    }
    done.map_err(|e| export_error(path, e.into()))?;
    w.write_all(b"\n").map_err(|e| export_error(path, e))
}
