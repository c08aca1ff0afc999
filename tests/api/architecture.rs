//! The module dependencies of `docs/ARCHITECTURE.md` hold: every `crate::` path under `src/`
//! names a module its top-level module may use.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The table of `docs/ARCHITECTURE.md`: module -> the modules it may use.
fn allowed() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root().join("docs/ARCHITECTURE.md"))
        .expect("docs/ARCHITECTURE.md is readable");
    let mut table = BTreeMap::new();
    for line in text.lines().filter(|line| line.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let module = cells[1].trim_matches('`').to_owned();
        let uses = cells[2]
            .split(',')
            .map(|name| name.trim().trim_matches('`').to_owned())
            .filter(|name| !name.is_empty())
            .collect();
        table.insert(module, uses);
    }
    table
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

/// The modules a source text names through `crate::`, including in `crate::{a, b}` groups.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
        }
    }
    // Items of the crate root (`AppState`, `MAX_BODY_BYTES`) are open to every module.
    names.retain(|name| name.chars().next().is_some_and(char::is_lowercase));
    names
}

#[test]
fn every_module_uses_only_what_the_architecture_allows() {
    let table = allowed();
    assert!(
        table.contains_key("model") && table.contains_key("api"),
        "the table of docs/ARCHITECTURE.md was not found"
    );
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let top = relative
            .components()
            .next()
            .and_then(|component| component.as_os_str().to_str())
            .map(|name| name.trim_end_matches(".rs").to_owned())
            .expect("a file name");
        if top == "lib" || top == "main" {
            continue;
        }
        let Some(may_use) = table.get(&top) else {
            violations.push(format!(
                "src/{top} is not in the table of docs/ARCHITECTURE.md"
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("a source file is readable");
        for module in named_modules(&text) {
            if module != top && !may_use.contains(&module) {
                violations.push(format!(
                    "{} uses crate::{module}, which {top} may not",
                    relative.display()
                ));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn paths_in_groups_and_inline_are_found() {
    let names = named_modules("use crate::{AppState, store::World};\nlet x = crate::wire::ok();");
    assert_eq!(
        names,
        BTreeSet::from(["store".to_owned(), "wire".to_owned()])
    );
}
