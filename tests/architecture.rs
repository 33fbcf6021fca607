//! The house keeps its floors: arrows between source files point one way only.
//!
//! The layers, from the bottom: `domain` (types and rules, no I/O) and `search` (pure text:
//! keys and matching), `store` (all SQL), then `import`, `report`, `lookup` and `i18n`, then
//! the app (`tui`) and the command line (`cli`) on top. This test reads `src/**/*.rs` as text (the `crate::` and `super::`
//! paths each file names outside its test module) and fails when a lower floor names a
//! higher one, or when files name each other in a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/store/mod.rs` -> [store]; `src/store/journal.rs` -> [store, journal]; lib.rs -> [].
fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Module = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments, string contents and its `#[cfg(test)] mod` (tests
/// may reach anywhere).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            // a char literal such as '"' or '{' (lifetimes 'a pass through untouched)
            '\'' => {
                let rest: String = chars.clone().take(3).collect();
                let mut it = rest.chars();
                match (it.next(), it.next(), it.next()) {
                    (Some('\\'), _, _) => {
                        for c in chars.by_ref() {
                            if c == '\'' {
                                break;
                            }
                        }
                        out.push_str("' '");
                    }
                    (Some(_), Some('\''), _) => {
                        chars.next();
                        chars.next();
                        out.push_str("' '");
                    }
                    _ => out.push('\''),
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Expand the brace groups of a `use` tree: `crate::a::{b, c::{d}}` -> the paths.
fn expand_use(tree: &str) -> Vec<Vec<String>> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    fn go(prefix: &[String], t: &str, out: &mut Vec<Vec<String>>) {
        if let Some(open) = t.find('{') {
            let head: Vec<String> = t[..open]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            let inner = &t[open + 1..t.rfind('}').unwrap_or(t.len())];
            let mut p = prefix.to_vec();
            p.extend(head);
            let (mut depth, mut start) = (0, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        go(&p, &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            go(&p, &inner[start..], out);
        } else if !t.is_empty() {
            let t = t.split("as").next().unwrap_or(t);
            let mut p = prefix.to_vec();
            p.extend(t.split("::").filter(|s| !s.is_empty()).map(String::from));
            out.push(p);
        }
    }
    let mut out = Vec::new();
    go(&[], &tree, &mut out);
    out
}

/// The longest module that a path names, seen from `here`.
fn resolve(here: &Module, path: &[String], modules: &BTreeSet<Module>) -> Option<Module> {
    let (mut base, rest): (Module, &[String]) = match path.first().map(String::as_str) {
        Some("crate") => (vec![], &path[1..]),
        Some("self") => (here.clone(), &path[1..]),
        Some("super") => {
            let mut base = here.clone();
            let mut rest = path;
            while rest.first().map(String::as_str) == Some("super") {
                base.pop();
                rest = &rest[1..];
            }
            (base, rest)
        }
        _ => return None,
    };
    let mut best = None;
    if modules.contains(&base) {
        best = Some(base.clone());
    }
    for seg in rest {
        base.push(seg.clone());
        if modules.contains(&base) {
            best = Some(base.clone());
        }
    }
    best
}

struct House {
    edges: BTreeMap<Module, BTreeSet<Module>>,
}

fn read_house() -> House {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut edges = BTreeMap::new();
    for f in &files {
        let here = module_of(&src, f);
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let code = code_of(&text);
        let mut to = BTreeSet::new();
        let mut paths: Vec<Vec<String>> = Vec::new();
        // `use` trees
        let mut rest = code.as_str();
        while let Some(i) = rest.find("use ") {
            let before = rest[..i].chars().last();
            rest = &rest[i + 4..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let end = rest.find(';').unwrap_or(rest.len());
            paths.extend(expand_use(&rest[..end]));
        }
        // paths written inline: crate::a::b, super::x
        for start in ["crate::", "super::"] {
            let mut from = 0;
            while let Some(i) = code[from..].find(start) {
                let at = from + i;
                from = at + start.len();
                if code[..at]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                {
                    continue;
                }
                let path: String = code[at..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                paths.push(
                    path.split("::")
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                );
            }
        }
        for p in paths {
            if let Some(m) = resolve(&here, &p, &modules) {
                // a parent declaring or re-exporting its children is not an arrow
                let child_of_here = m.len() > here.len() && m[..here.len()] == here[..];
                if m != here && !child_of_here {
                    to.insert(m);
                }
            }
        }
        edges.insert(here, to);
    }
    House { edges }
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "lib".into()
    } else {
        m.join("/")
    }
}

#[test]
fn lower_floors_never_name_the_app_or_the_command_line() {
    let house = read_house();
    let mut breaches = Vec::new();
    for (from, tos) in &house.edges {
        let Some(top) = from.first().map(String::as_str) else {
            continue;
        };
        for to in tos {
            let target = to.first().map(String::as_str);
            let up = matches!(
                top,
                "domain"
                    | "store"
                    | "search"
                    | "import"
                    | "report"
                    | "i18n"
                    | "lookup"
                    | "paths"
                    | "fsio"
                    | "error"
                    | "export"
                    | "sync"
            ) && matches!(target, Some("cli" | "tui"));
            // What travels and how it is checked is below the app: the LAN server and the
            // incoming rows' rules name neither the app nor the command line (above), and the
            // domain's rules for incoming rows name nothing of sync.
            let domain_sync = top == "domain" && target == Some("sync");
            let domain_io = top == "domain"
                && matches!(target, Some("store" | "report" | "fsio" | "paths" | "i18n"));
            // The store computes search keys when it writes a building: key making is pure
            // text (search names nothing of the store), so that arrow points down.
            let store_up =
                top == "store" && matches!(target, Some("report" | "lookup" | "i18n" | "import"));
            let search_down = top == "search" && target.is_some_and(|t| t != "search");
            let error_up = top == "error" && matches!(target, Some("i18n" | "store"));
            if up || domain_io || domain_sync || store_up || error_up || search_down {
                breaches.push(format!("{} -> {}", name(from), name(to)));
            }
        }
    }
    assert!(
        breaches.is_empty(),
        "arrows pointing up a floor:\n{}",
        breaches.join("\n")
    );
}

#[test]
fn no_two_files_name_each_other_in_a_circle() {
    let house = read_house();
    // Tarjan's strongly connected components over files.
    struct Walk<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on: BTreeSet<&'a Module>,
        circles: Vec<Vec<String>>,
    }
    fn strong<'a>(w: &mut Walk<'a>, v: &'a Module) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        w.on.insert(v);
        let edges = w.edges;
        for t in edges.get(v).into_iter().flatten() {
            let Some((t, _)) = edges.get_key_value(t) else {
                continue;
            };
            if !w.index.contains_key(t) {
                strong(w, t);
                let lt = w.low[t];
                let lv = w.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lt);
            } else if w.on.contains(t) {
                let it = w.index[t];
                let lv = w.low.get_mut(v).expect("visited");
                *lv = (*lv).min(it);
            }
        }
        if w.low[v] == w.index[v] {
            let mut comp = Vec::new();
            while let Some(x) = w.stack.pop() {
                w.on.remove(x);
                comp.push(name(x));
                if x == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                w.circles.push(comp);
            }
        }
    }
    let mut w = Walk {
        edges: &house.edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        circles: Vec::new(),
    };
    for v in house.edges.keys() {
        if !w.index.contains_key(v) {
            strong(&mut w, v);
        }
    }
    let circles: Vec<String> = w.circles.iter().map(|c| c.join(" <-> ")).collect();
    assert!(
        circles.is_empty(),
        "files that name each other in a circle:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_reader_sees_arrows_it_should() {
    // The test is only as good as its reading: a known arrow must be found.
    let house = read_house();
    let reaches_store = house
        .edges
        .iter()
        .filter(|(m, _)| m.first().map(String::as_str) == Some("cli"))
        .any(|(_, tos)| {
            tos.iter()
                .any(|t| t.first().map(String::as_str) == Some("store"))
        });
    assert!(reaches_store, "the command line names the store");
    let domain = house
        .edges
        .keys()
        .filter(|m| m.first().map(String::as_str) == Some("domain"));
    assert!(domain.count() >= 3, "the domain's files are read");
}
