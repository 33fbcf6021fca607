//! The command line as clap reads it: the program's options, its commands and their flags,
//! and the parsers of their values. Nothing here runs anything.

use crate::domain::Role;
use crate::domain::day::parse_stored;
use crate::i18n::Lang;
use crate::report::ledger::LedgerFormat;
use crate::store::StatusFilter;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "firepatrol",
    version,
    about = "消防安全巡查 — fire-safety patrols for building leaders",
    long_about = "消防安全巡查 — fire-safety patrols for building leaders.\n\n\
        Without a command, opens the patrol app on your database.\n\
        Try `firepatrol demo` to open it on a built-in demo community."
)]
pub struct Cli {
    /// Database file [default: the platform data folder, e.g. ~/.local/share/firepatrol/firepatrol.db]
    #[arg(long, global = true, env = "FIREPATROL_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Language of the interface: zh (中文) or en [default: from LANG]
    #[arg(long, global = true, value_name = "zh|en", value_parser = parse_lang)]
    pub lang: Option<Lang>,

    /// Pretend the time is this (RFC 3339 or YYYY-MM-DD): for tests and demonstrations.
    #[arg(long, global = true, env = "FIREPATROL_NOW", hide = true)]
    pub now: Option<String>,

    /// Who is patrolling (picked by fuzzy match on name; skips the question)
    #[arg(long, value_name = "NAME")]
    pub inspector: Option<String>,

    /// Benchmarking aid: load and draw the first screen exactly as a normal start does (into
    /// an off-screen 120x40 buffer when standard output is not a terminal), then exit
    #[arg(long)]
    pub exit_after_first_frame: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

fn parse_lang(s: &str) -> std::result::Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| "use zh or en".to_string())
}

#[derive(Subcommand, Debug)]
pub enum DevicesCmd {
    /// List the laptops with their person, last sync and records received
    List,
    /// Enrol a leader's laptop: writes the enrolment file to take to it
    Add {
        /// Whose laptop (a name from the people list)
        #[arg(long, value_name = "NAME")]
        person: String,
        /// Where to write the enrolment file (sealed: it opens only with the code printed
        /// on the last line, which is given to the leader apart from the file)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// text, or json (the laptop, the file and the code as one object)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// A new enrolment file for a laptop enrolled before, after a key was lost (the office's
    /// on a new PC, or the laptop's): its letter stays, its records come in at its next sync
    Reenrol {
        #[arg(value_name = "CODE|ID")]
        id: String,
        /// Where to write the new enrolment file (it opens with the code on the last line)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// text, or json (the laptop, the file and the code as one object)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Refuse a laptop's files from now on (its code, e.g. B, or its id)
    Revoke {
        #[arg(value_name = "CODE|ID")]
        id: String,
    },
    /// Laptops' changes to the lists, waiting for the office (the office's version stands
    /// until one is accepted), and what else differed
    Conflicts,
    /// Accept a laptop's proposed change to the lists (its number in `devices conflicts`)
    Accept {
        #[arg(value_name = "N")]
        number: i64,
    },
    /// Decline a laptop's proposed change (the office's version stays everywhere)
    Decline {
        #[arg(value_name = "N")]
        number: i64,
    },
    /// Take a revoked laptop back: its files are accepted again
    Restore {
        #[arg(value_name = "CODE|ID")]
        id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the app on the built-in demo community (its own database; yours is never touched)
    Demo {
        #[command(subcommand)]
        action: Option<DemoCmd>,
        /// Build the demo database anew (otherwise it is built once and reopened, so a
        /// patrol recorded in the demo is still there after a restart)
        #[arg(long)]
        fresh: bool,
        /// Who is patrolling
        #[arg(long, value_name = "NAME")]
        inspector: Option<String>,
        /// The office's demo: the community office, whose records arrived from three demo
        /// laptops through the real sync code (its own database too)
        #[arg(long)]
        office: bool,
    },
    /// Create the database (with --demo: filled with the demo community)
    Init {
        #[arg(long)]
        demo: bool,
        /// Make it the community office's database: it keeps the whole community's records,
        /// enrols the leaders' laptops and answers their sync files
        #[arg(long, conflicts_with = "demo")]
        office: bool,
    },
    /// The office's laptops: list them, enrol one (writes its enrolment file), revoke one
    Devices {
        #[command(subcommand)]
        action: Option<DevicesCmd>,
    },
    /// On a leader's laptop: join the community with the enrolment file from the office
    /// (creates the database if there is none; what the laptop has stays)
    Join {
        /// The enrolment file
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The 8-digit code the office gave with the file (asked for at the terminal when
        /// left out)
        #[arg(long, value_name = "CODE")]
        code: Option<String>,
        /// This laptop takes the place of the one that used this enrolment file before (a
        /// replaced laptop): the office retires the old one; its records stay
        #[arg(long)]
        replace: bool,
    },
    /// Exchange records with the office: on a laptop `--out FILE` writes a sync file, `FILE`
    /// takes in the office's reply, `http://HOST:PORT` does both over the office LAN (and is
    /// remembered); at the office `FILE` takes in a laptop's file and writes the reply
    Sync {
        /// A sync file to take in, or the office's address (http://HOST:PORT)
        #[arg(value_name = "FILE|URL")]
        source: Option<String>,
        /// On a laptop: write everything the office has not acknowledged to this file
        #[arg(long, value_name = "FILE", conflicts_with = "source")]
        out: Option<PathBuf>,
        /// At the office: where to write the reply [default: beside the input, with .reply]
        #[arg(long, value_name = "FILE")]
        reply: Option<PathBuf>,
    },
    /// At the office: wait for laptops to sync over the office LAN
    Serve {
        /// The address and port to listen on, e.g. 0.0.0.0:8080
        #[arg(long, value_name = "ADDR:PORT", default_value = "0.0.0.0:8080")]
        listen: String,
    },
    /// Import the office's lists from .csv (UTF-8 or GBK) or .xlsx
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Checklist templates: list, export to adapt, import
    Template {
        #[command(subcommand)]
        action: TemplateCmd,
    },
    /// Counts of buildings, people, patrols, answers and hazards
    Stats {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Copy the database safely, even while the app is running
    Backup {
        /// Where to write [default: backups/ in the data folder]
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Check the database: integrity, references, each device's record chain (also against the
    /// newest automatic backup), every record against its seal, hazard states against their events
    Check,
    /// Replace the database with a checked backup (read only, never changed; a copy of the current
    /// file is kept first and never overwritten)
    Restore {
        /// The backup to restore, e.g. backups/firepatrol-auto-2026-11-22.db
        from: PathBuf,
    },
    /// Find buildings by name, pinyin, initials or number (xfr2, xinfurong, 2栋, 新芙蓉)
    Find {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The hazard ledger (隐患台账), filtered
    Hazards {
        /// open, due-today, due-week, overdue, escalated, rectified or all
        #[arg(long, default_value = "open", value_parser = parse_status)]
        status: StatusFilter,
        /// Only buildings whose name (compound and building) contains this
        #[arg(long, value_name = "QUERY")]
        building: Option<String>,
        /// Only hazards found on or after this day
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        since: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = LedgerFormat::Table)]
        format: LedgerFormat,
        /// Write to this file (0600, complete or not at all) instead of standard output;
        /// required for xlsx
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Show one hazard with its history, or act on it (by number YH-..., id or id prefix)
    Hazard {
        id: String,
        /// Rectified (checked), with an optional --note
        #[arg(long, group = "action")]
        rectify: bool,
        /// Extend the deadline to DATE (+3, 12-01, 2026-12-01, fri); needs --reason
        #[arg(long, value_name = "DATE", group = "action")]
        extend: Option<String>,
        /// Escalate to TO (e.g. 社区办公室), with an optional --note
        #[arg(long, value_name = "TO", group = "action")]
        escalate: Option<String>,
        /// Record the community office's response to an escalated hazard
        #[arg(long, value_name = "TEXT", group = "action")]
        respond: Option<String>,
        /// Reopen a rectified hazard; needs --reason
        #[arg(long, group = "action")]
        reopen: bool,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Attach photos (JPEG or PNG, at most 25 MB each): all of them or, if one is
        /// refused, none
        #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with = "action")]
        photo: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// End-of-day report: a day (today by default) or a range, for the group chat, for
    /// print, for Excel or for programs
    Report {
        /// today, yesterday or YYYY-MM-DD [default: today]
        #[arg(long, value_name = "DAY", conflicts_with_all = ["from", "to"])]
        date: Option<String>,
        /// First day of a range (with --to)
        #[arg(long, value_name = "DAY", requires = "to")]
        from: Option<String>,
        /// Last day of a range (with --from)
        #[arg(long, value_name = "DAY", requires = "from")]
        to: Option<String>,
        /// Only this leader's patrols, hazards and actions (name, pinyin or initials)
        #[arg(long, value_name = "NAME")]
        inspector: Option<String>,
        /// Only buildings in this grid
        #[arg(long, value_name = "GRID")]
        grid: Option<String>,
        #[arg(long, value_enum, default_value_t = crate::report::Format::Text)]
        format: crate::report::Format,
        /// Write to this file (through a temporary file, 0600) instead of standard output
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Show residents' names and phone numbers in full (for the office's own records).
        /// By default every report is for sharing: names masked (张*), phones masked
        /// (138 **** 1234); the leaders' names stay
        #[arg(long)]
        full: bool,
        /// Mask residents' names and phone numbers (the default; kept for old scripts)
        #[arg(long, hide = true, conflicts_with = "full")]
        redact: bool,
    },
    /// The office's monthly summary (月度汇总): per grid, compound and leader, patrols,
    /// hazards found and what became of them, escalations, recurrence, and last month
    Summary {
        /// The month, YYYY-MM [default: this month]
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
        /// text (for the group chat), html (print on A4), xlsx (a sheet per breakdown) or
        /// json; without --format and --out, all four are written to reports/ beside the
        /// database
        #[arg(long, value_enum)]
        format: Option<crate::report::summary::SummaryFormat>,
        /// Write to this file (through a temporary file, 0600) instead of standard output
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// The patrol record book (防火巡查记录) of a day: a printable A4 page per leader
    Record {
        /// today, yesterday or YYYY-MM-DD [default: today]
        #[arg(long, value_name = "DAY")]
        date: Option<String>,
        /// Only this leader's page (name, pinyin or initials)
        #[arg(long, value_name = "NAME")]
        inspector: Option<String>,
        /// Where to write [default: reports/ beside the database]; - for standard output
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Rectification notices (隐患整改告知书) for hazards: a printable HTML file, a page per
    /// responsible party with the resident's copy and the office's stub
    Notice {
        /// Hazards by number (YH-...), id or id prefix
        #[arg(required = true, value_name = "HAZARD-ID")]
        ids: Vec<String>,
        /// Where to write [default: reports/ beside the database]; - for standard output
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Print the resident's name and phone in full. By default they are masked, as
        /// in everything meant to be shared
        #[arg(long)]
        full: bool,
        /// Write notices for closed (rectified or withdrawn) hazards too; without it they are
        /// named and nothing is written
        #[arg(long)]
        closed: bool,
        /// Mask residents' names and phone numbers (the default; kept for old scripts)
        #[arg(long, hide = true, conflicts_with = "full")]
        redact: bool,
    },
    /// People and their duties: list them, add, edit, assign to buildings or units, retire
    People {
        #[command(subcommand)]
        action: Option<PeopleCmd>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Service plates (服务牌) for the entrances: one printable HTML file, a plate per unit
    /// entrance (or per building without units), with the leaders, their phones, duties and
    /// a QR code to save each leader as a contact
    Plate {
        /// Only this building (compound and name, pinyin or initials)
        #[arg(long, value_name = "B", group = "which")]
        building: Option<String>,
        /// Only the buildings of this compound
        #[arg(long, value_name = "C", group = "which")]
        compound: Option<String>,
        /// Every building (the default)
        #[arg(long, group = "which")]
        all: bool,
        /// Paper: a5 (the usual plate) or a4
        #[arg(long, value_enum, default_value_t = crate::report::plate::Paper::A5)]
        paper: crate::report::plate::Paper,
        /// Where to write [default: reports/ beside the database]; - for standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Photos of hazards from a phone's photo folder
    Photos {
        #[command(subcommand)]
        action: PhotosCmd,
    },
}

#[derive(Subcommand, Debug)]
pub enum PeopleCmd {
    /// Add a person
    Add {
        name: String,
        /// 片长, 楼栋长, 单元长, 网格员, 社区 (or area_leader, building_leader, unit_leader,
        /// grid_worker, office)
        #[arg(long, value_name = "ROLE", value_parser = parse_role)]
        role: Role,
        #[arg(long, value_name = "PHONE")]
        phone: String,
    },
    /// Change a person's name, role or phone
    Edit {
        /// Name (pinyin or initials work), or the first characters of the id
        person: String,
        #[arg(long, value_name = "N")]
        name: Option<String>,
        #[arg(long, value_name = "R", value_parser = parse_role)]
        role: Option<Role>,
        #[arg(long, value_name = "P")]
        phone: Option<String>,
    },
    /// Make a person look after a building, or one unit (entrance) of it
    Assign {
        person: String,
        /// The building (compound and name, pinyin or initials)
        #[arg(long, value_name = "B")]
        building: String,
        /// The unit number (单元)
        #[arg(long, value_name = "U", value_parser = clap::value_parser!(i64).range(1..=99))]
        unit: Option<i64>,
    },
    /// Take an assignment back (the record stays)
    Unassign {
        person: String,
        #[arg(long, value_name = "B")]
        building: String,
        #[arg(long, value_name = "U", value_parser = clap::value_parser!(i64).range(1..=99))]
        unit: Option<i64>,
    },
    /// Retire a person: their duties end, their patrols, hazards and records stay
    Retire { person: String },
}

#[derive(Subcommand, Debug)]
pub enum PhotosCmd {
    /// Match the photos of a folder to the hazards recorded nearest in time that day (by the
    /// camera's time), show the matches and ask before attaching
    Import {
        dir: PathBuf,
        /// Attach without asking
        #[arg(long)]
        yes: bool,
    },
}

fn parse_role(s: &str) -> std::result::Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        "use 片长, 楼栋长, 单元长, 网格员 or 社区 (area_leader, building_leader, unit_leader, grid_worker, office)"
            .to_string()
    })
}

fn parse_status(s: &str) -> std::result::Result<StatusFilter, String> {
    StatusFilter::parse(s).ok_or_else(|| {
        let all: Vec<&str> = StatusFilter::ALL.iter().map(|f| f.code()).collect();
        format!("use one of: {}", all.join(", "))
    })
}

fn parse_day(s: &str) -> std::result::Result<NaiveDate, String> {
    parse_stored(s).ok_or_else(|| "use YYYY-MM-DD".to_string())
}

#[derive(Subcommand, Debug)]
pub enum DemoCmd {
    /// Generate a district-scale database for benchmarks (deterministic for a seed and a day)
    Generate {
        #[arg(long, default_value_t = 1000)]
        buildings: usize,
        #[arg(long, default_value_t = 10000)]
        hazards: usize,
        /// Days of history the hazards are spread over
        #[arg(long, default_value_t = 365)]
        days: i64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The database to create (must not exist yet)
        #[arg(long = "out", value_name = "PATH")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportWhat {
    /// Buildings: columns community/社区, grid/网格, compound/小区, building/楼栋 (required),
    /// address/地址, kind/类型, units/单元数, floors/楼层数, leader/楼栋长, phone/电话
    Buildings {
        file: PathBuf,
        /// Show what would change, write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// People: columns name/姓名 (required), role/角色, phone/电话, compound/小区,
    /// building/楼栋, unit/单元
    People {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TemplateCmd {
    /// List the checklist templates in force
    List,
    /// Write a template as TOML or JSON (to standard output, or --out)
    Export {
        /// Template id (see `template list`)
        id: String,
        #[arg(long, value_enum, default_value_t = TemplateFormat::Toml)]
        format: TemplateFormat,
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Read a template (TOML or JSON), check it, and put it in force
    Import { file: PathBuf },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    Toml,
    Json,
}
