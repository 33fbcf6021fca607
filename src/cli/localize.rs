//! The command line in the interface language: clap's `Command` (derived in [`super::args`])
//! gets its help texts, headings and flags from the catalogue, and clap's errors are worded
//! by us. The language is known before parsing: `--lang` on the command line, else the locale.

use super::args::Cli;
use crate::i18n::Lang;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};

/// The interface language as the raw command line and the locale say it (before parsing).
pub fn early_lang() -> Lang {
    let args: Vec<String> = std::env::args().collect();
    let mut given = None;
    for (k, a) in args.iter().enumerate() {
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            given = Lang::parse(v);
        } else if a == "--lang" {
            given = args.get(k + 1).and_then(|v| Lang::parse(v));
        }
    }
    let var = |k: &str| std::env::var(k).ok();
    given.unwrap_or_else(|| {
        Lang::from_locale(
            var("LC_ALL").as_deref(),
            var("LC_MESSAGES").as_deref(),
            var("LANG").as_deref(),
        )
    })
}

/// The command with its texts in `lang`: help of every command and option from the
/// catalogue (where it has one; the English texts are the derive's own), headings, the help
/// and version flags.
pub fn command(lang: Lang) -> Command {
    let w = &lang.cat().nu;
    let mut cmd = Cli::command();
    cmd.build();
    localize(cmd, "", lang)
        .help_template(w.cli_template)
        .after_help(w.cli_after_help)
}

fn localize(mut cmd: Command, path: &str, lang: Lang) -> Command {
    let w = &lang.cat().nu;
    let text = |key: &str| w.cli_help.iter().find(|(k, _)| *k == key).map(|(_, t)| *t);
    if let Some(t) = text(if path.is_empty() { "about" } else { path }) {
        cmd = cmd.about(t).long_about(None::<&str>);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let key = if path.is_empty() {
            format!("--{id}")
        } else {
            format!("{path} --{id}")
        };
        // A global option (--db, --lang) has the program's text in every command.
        let own = text(&key).or_else(|| text(&format!("--{id}")));
        let flag = |a: Arg| match id.as_str() {
            "help" => a.help(w.cli_help_flag).long_help(w.cli_help_flag),
            "version" => a.help(w.cli_version_flag).long_help(w.cli_version_flag),
            _ => a,
        };
        cmd = cmd.mut_arg(&id, |a| {
            let a = flag(a);
            let heading = if a.is_positional() {
                w.cli_arguments
            } else {
                w.cli_options
            };
            let a = a.help_heading(heading);
            match own {
                // The catalogue's text names the values itself.
                Some(t) => a.help(t).long_help(None::<&str>).hide_possible_values(true),
                None => a,
            }
        });
    }
    cmd = cmd.subcommand_help_heading(w.cli_commands);
    cmd = cmd.help_template(w.cli_template);
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &sub_path, lang));
    }
    if cmd.get_subcommands().any(|s| s.get_name() == "help") {
        cmd = cmd.mut_subcommand("help", |s| s.about(w.cli_help_command));
    }
    cmd.mut_args(|a| match a.get_action() {
        ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong => {
            a.help(w.cli_help_flag).long_help(w.cli_help_flag)
        }
        ArgAction::Version => a.help(w.cli_version_flag).long_help(w.cli_version_flag),
        _ => a,
    })
}

/// clap's error in our words: what was wrong, a suggestion where clap has one (and
/// `import buildings FILE` for an import without a kind), and where to read more.
pub fn error_text(lang: Lang, e: &clap::Error) -> String {
    let w = &lang.cat().nu;
    let get = |k: ContextKind| -> Option<String> {
        match e.get(k)? {
            ContextValue::String(s) => Some(s.clone()),
            ContextValue::Strings(v) => Some(v.join(", ")),
            ContextValue::StyledStr(s) => Some(s.to_string()),
            ContextValue::StyledStrs(v) => Some(
                v.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ContextValue::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let mut msg = match e.kind() {
        ErrorKind::InvalidValue => match get(ContextKind::ValidValue) {
            Some(valid) => (w.cli_e_value_one_of)(&arg, &value, &valid),
            None => (w.cli_e_value)(&arg, &value),
        },
        // The value parser's own reason names what would do (the roles, the statuses …).
        ErrorKind::ValueValidation => match std::error::Error::source(&e) {
            Some(why) => format!("{}: {why}", (w.cli_e_value)(&arg, &value)),
            None => (w.cli_e_value)(&arg, &value),
        },
        ErrorKind::UnknownArgument => (w.cli_e_unknown_arg)(&arg),
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::InvalidSubcommand).unwrap_or_default();
            let args: Vec<String> = std::env::args().skip(1).collect();
            if args.iter().any(|a| a == "import") && !sub.is_empty() {
                (w.cli_e_import_kind)(&sub)
            } else {
                (w.cli_e_unknown_command)(&sub)
            }
        }
        ErrorKind::ArgumentConflict => {
            let prior = get(ContextKind::PriorArg).unwrap_or_default();
            (w.cli_e_conflict)(&arg, &prior)
        }
        ErrorKind::MissingRequiredArgument => (w.cli_e_missing)(&arg),
        ErrorKind::MissingSubcommand => {
            let name = get(ContextKind::InvalidSubcommand).unwrap_or_default();
            (w.cli_e_missing_command)(&name)
        }
        ErrorKind::TooManyValues => (w.cli_e_too_many)(&arg, &value),
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            (w.cli_e_value)(&arg, &value)
        }
        _ => w.cli_e_other.to_string(),
    };
    if let Some(s) =
        get(ContextKind::SuggestedSubcommand).or_else(|| get(ContextKind::SuggestedArg))
    {
        msg.push('\n');
        msg.push_str(&(w.cli_e_did_you_mean)(&s));
    }
    msg
}

/// Parse the command line in `lang`. Help and version are printed here (exit 0); an error
/// is worded by [`error_text`] (exit 2).
pub fn parse(lang: Lang) -> Result<Cli, i32> {
    use clap::FromArgMatches;
    let matches = match command(lang).try_get_matches() {
        Ok(m) => m,
        Err(e) => return Err(show(lang, &e)),
    };
    Cli::from_arg_matches(&matches).map_err(|e| show(lang, &e))
}

fn show(lang: Lang, e: &clap::Error) -> i32 {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            0
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            2
        }
        _ => {
            let c = lang.cat();
            eprintln!(
                "firepatrol: {}: {}\n{}",
                c.cli_error,
                error_text(lang, e),
                c.nu.cli_e_see_help
            );
            2
        }
    }
}
