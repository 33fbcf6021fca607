//! `firepatrol find`: buildings by name, pinyin, initials or number.

use super::args::Format;
use super::{Env, out};
use crate::error::Result;
use crate::store::OpenMode;

/// One building found by `firepatrol find`.
#[derive(serde::Serialize)]
struct Found {
    id: String,
    /// The full display name: compound and building.
    name: String,
    score: i64,
    compound: String,
    building: String,
    address: String,
    kind: crate::domain::SiteKind,
    last_patrol: Option<String>,
    open_hazards: i64,
}

pub(super) fn find(env: &Env, query: &str, limit: usize, format: Format) -> Result<()> {
    let store = env.open(OpenMode::ReadOnly)?;
    // Hazards are counted for the hits only, not for every building.
    let all = store.building_summaries(None)?;
    let mut index = crate::lookup::building_index(&all);
    let hits: Vec<(i64, &crate::store::BuildingSummary)> = index
        .query(query, limit)
        .into_iter()
        .filter_map(|h| all.get(h.handle as usize).map(|b| (h.score, b)))
        .collect();
    let ids: Vec<&str> = hits.iter().map(|(_, b)| b.building.id.as_str()).collect();
    let counts = store.building_counts(&ids)?;
    let found: Vec<Found> = hits
        .into_iter()
        .zip(counts)
        .map(|((score, b), c)| Found {
            id: b.building.id.clone(),
            name: b.building.display_name(),
            score,
            compound: b.building.compound.clone(),
            building: b.building.name.clone(),
            address: b.building.address.clone(),
            kind: b.building.kind,
            last_patrol: b.last_day.clone(),
            open_hazards: c.open,
        })
        .collect();
    match format {
        Format::Json => out(&serde_json::to_string_pretty(&found).unwrap_or_default()),
        Format::Text => {
            use crate::domain::text::pad;
            let c = env.lang.cat();
            if found.is_empty() {
                out(&(c.nu.find_none)(query.trim()));
            }
            // Readable lines: the building, its address, its last patrol and open hazards.
            for f in &found {
                let last = match &f.last_patrol {
                    Some(d) => (c.nu.find_last)(d),
                    None => c.nu.find_never.to_string(),
                };
                let open = if f.open_hazards > 0 {
                    (c.nu.find_open)(f.open_hazards)
                } else {
                    String::new()
                };
                out(format!(
                    "{} {} {} {last}",
                    pad(&f.name, 24),
                    pad(&f.address, 20),
                    pad(&open, 12),
                )
                .trim_end());
            }
        }
    }
    Ok(())
}
