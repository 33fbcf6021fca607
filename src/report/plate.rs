//! Service plates (服务牌): one printable HTML file, one plate per page, one plate per unit
//! entrance (or per building without units), on A4 or A5. Each plate names the place, its
//! area, building and unit leaders with their phones and duties, the office's phone, and a QR
//! code per leader that a phone camera saves as a contact (vCard 3.0).
//!
//! Leaders' names and phones are shown because the leaders agreed to it; nothing about
//! residents is ever read here.

use super::html::head;
use crate::domain::Role;
use crate::domain::roster::LEADER_DUTIES;
use crate::export::html_escape as e;
use crate::i18n::Lang;
use crate::store::{PlateEntrance, PlateLeader};
use std::fmt::Write as _;

/// The paper a plate is printed on (one plate a page).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Paper {
    A4,
    A5,
}

/// The roles a plate shows, in order: area, building, unit leader.
const PLATE_ROLES: [Role; 3] = [Role::AreaLeader, Role::BuildingLeader, Role::UnitLeader];

const PLATE_CSS: &str = r#"
body { max-width: none; padding: 0; font-size: calc(var(--u) * 4.2); }
.plate { width: calc(var(--u) * 128); min-height: calc(var(--u) * 180); margin: 0 auto;
         border: calc(var(--u) * 1.2) solid #b3261e; padding: calc(var(--u) * 5);
         display: flex; flex-direction: column; gap: calc(var(--u) * 3);
         break-after: page; page-break-after: always; break-inside: avoid; }
.plate:last-child { break-after: auto; page-break-after: auto; }
.plate header { text-align: center; border-bottom: calc(var(--u) * 0.6) solid #b3261e;
                padding-bottom: calc(var(--u) * 2); }
.plate .org { font-size: calc(var(--u) * 4.4); }
.plate h1 { font-size: calc(var(--u) * 9); letter-spacing: calc(var(--u) * 1.2); margin: calc(var(--u) * 1) 0;
            color: #b3261e; }
.plate .place { font-size: calc(var(--u) * 6.4); font-weight: bold; }
.leader { display: flex; align-items: center; gap: calc(var(--u) * 3); border: calc(var(--u) * 0.3) solid #777;
          padding: calc(var(--u) * 2) calc(var(--u) * 3); break-inside: avoid; }
.leader .who { flex: 1; }
.leader .role { display: inline-block; font-size: calc(var(--u) * 4.4); border: calc(var(--u) * 0.3) solid #111;
                padding: 0 calc(var(--u) * 1.5); margin-bottom: calc(var(--u) * 1); }
.leader .name { display: block; font-size: calc(var(--u) * 7.5); font-weight: bold; }
.leader .phone { display: block; font-size: calc(var(--u) * 6.4); letter-spacing: calc(var(--u) * 0.2); }
.leader .nobody { color: #333; font-size: calc(var(--u) * 5); margin-left: calc(var(--u) * 3); }
.qr { text-align: center; font-size: calc(var(--u) * 3); }
.qr svg { display: block; width: calc(var(--u) * 27); height: calc(var(--u) * 27); }
.duties { font-size: calc(var(--u) * 5); }
.duties b { margin-right: calc(var(--u) * 2); }
.plate footer { margin-top: auto; border-top: calc(var(--u) * 0.6) solid #b3261e; padding-top: calc(var(--u) * 2);
                text-align: center; font-size: calc(var(--u) * 4.6); }
.plate footer .office { display: block; font-size: calc(var(--u) * 6.4); font-weight: bold; }
@media screen { body { padding: 8mm; } .plate { margin-bottom: 8mm; } }
"#;

/// Escape a vCard text value (RFC 6350 3.4: backslash, comma, semicolon, newline).
fn vcard_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' | '\r' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// The contact a resident saves by scanning a leader's QR code: name, role, phone, and the
/// entrance they look after as the organisation.
pub fn vcard(leader: &PlateLeader, plate: &PlateEntrance, lang: Lang) -> String {
    let role = lang.cat().role(leader.role);
    let org = [
        plate.community.as_str(),
        plate.compound.as_str(),
        plate.building.as_str(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .map(|s| vcard_text(s))
    .collect::<Vec<_>>()
    .join(";");
    let name = vcard_text(&leader.name);
    format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:{name};;;;\r\nFN:{name}\r\nTITLE:{}\r\nORG:{org}\r\nTEL;TYPE=CELL:{}\r\nEND:VCARD\r\n",
        vcard_text(role),
        vcard_text(&leader.phone)
    )
}

/// The QR code of a text as inline SVG, one unit a module (sized by the page's style).
fn qr_svg(text: &str) -> Option<String> {
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .build();
    // Inline in HTML: no XML declaration.
    Some(match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    })
}

fn place_line(p: &PlateEntrance) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if !p.compound.is_empty() {
        parts.push(&p.compound);
    }
    parts.push(&p.building);
    if let Some((_, name)) = &p.unit {
        parts.push(name);
    }
    parts.join(" ")
}

fn leader_block(out: &mut String, l: &PlateLeader, plate: &PlateEntrance, lang: Lang) {
    let w = lang.cat().people;
    let _ = write!(
        out,
        "<div class=\"leader\"><div class=\"who\"><span class=\"role\">{}</span>\
         <span class=\"name\">{}</span>",
        e(lang.cat().role(l.role)),
        e(&l.name)
    );
    if !l.phone.is_empty() {
        let _ = write!(out, "<span class=\"phone\">☎ {}</span>", e(&l.phone));
    }
    out.push_str("</div>");
    if !l.phone.is_empty()
        && let Some(svg) = qr_svg(&vcard(l, plate, lang))
    {
        let _ = write!(
            out,
            "<div class=\"qr\">{svg}<span>{}</span></div>",
            e(w.plate_scan)
        );
    }
    out.push_str("</div>\n");
}

/// The plates as one printable HTML page.
pub fn render(plates: &[PlateEntrance], office_phone: &str, paper: Paper, lang: Lang) -> String {
    let c = lang.cat();
    let w = c.people;
    let (size, unit) = match paper {
        Paper::A4 => ("A4", "1.4mm"),
        Paper::A5 => ("A5", "1mm"),
    };
    let css =
        format!("{PLATE_CSS}\n@page {{ size: {size}; margin: 8mm; }}\n:root {{ --u: {unit}; }}\n");
    let mut out = String::new();
    head(&mut out, w.plate_doc_title, lang, &css);
    for p in plates {
        out.push_str("<section class=\"plate\">\n<header>");
        if !p.community.is_empty() {
            let _ = write!(out, "<div class=\"org\">{}</div>", e(&p.community));
        }
        let _ = writeln!(
            out,
            "<h1>{}</h1><div class=\"place\">{}</div></header>",
            e(w.plate_title),
            e(&place_line(p))
        );
        for role in PLATE_ROLES {
            if role == Role::UnitLeader && p.unit.is_none() {
                continue;
            }
            let of_role: Vec<&PlateLeader> = p.leaders.iter().filter(|l| l.role == role).collect();
            if of_role.is_empty() {
                let _ = writeln!(
                    out,
                    "<div class=\"leader\"><div class=\"who\"><span class=\"role\">{}</span>\
                     <span class=\"nobody\">{}</span></div></div>",
                    e(c.role(role)),
                    e(w.plate_nobody)
                );
            }
            for l in of_role {
                leader_block(&mut out, l, p, lang);
            }
        }
        let _ = write!(
            out,
            "<div class=\"duties\"><b>{}</b>{}</div>\n<footer>{}",
            e(w.plate_duties),
            e(&LEADER_DUTIES.join(" · ")),
            e(w.plate_call)
        );
        if !office_phone.is_empty() {
            let _ = write!(
                out,
                "<span class=\"office\">{} ☎ {}</span>",
                e(w.plate_office),
                e(office_phone)
            );
        }
        out.push_str("</footer>\n</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
