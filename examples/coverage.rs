//! Prints, per contract tag, how many of the vendor's v6..v8 operations the emulator serves:
//! `cargo run --example coverage [OPENAPI_DIR]` (default `../shared/openapi`). The README's
//! table of what is served is this output. With `--missing` it then lists each operation not
//! served yet, by version.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;
use vb365_mock::api;
use vb365_mock::wire::Version;

/// A path with its parameters blanked and in lower case, so templates compare.
fn shape(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "{}".to_owned()
            } else {
                segment.to_ascii_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn main() {
    let list_missing = std::env::args().any(|arg| arg == "--missing");
    let dir = std::env::args()
        .skip(1)
        .find(|arg| arg != "--missing")
        .map_or_else(|| PathBuf::from("../shared/openapi"), PathBuf::from);
    let mut missing: Vec<String> = Vec::new();
    let versions = [Version::V6, Version::V7, Version::V8];
    // tag -> per version (served, documented)
    let mut table: BTreeMap<String, [(usize, usize); 3]> = BTreeMap::new();
    let mut totals = [(0usize, 0usize); 3];
    for (column, version) in versions.into_iter().enumerate() {
        let path = dir.join(format!("{version}.json"));
        let text = std::fs::read(&path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        let document: Value = serde_json::from_slice(&text).expect("the document is JSON");
        let served: Vec<(String, String)> = api::routes(version)
            .table()
            .iter()
            .map(|route| {
                (
                    route.method.as_str().to_ascii_lowercase(),
                    shape(&route.path),
                )
            })
            .collect();
        for (path, item) in document["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("a path item") {
                let Some(tag) = operation["tags"][0].as_str() else {
                    continue;
                };
                let entry = &mut table.entry(tag.to_owned()).or_default()[column];
                entry.1 += 1;
                totals[column].1 += 1;
                if served.contains(&(method.clone(), shape(path))) {
                    entry.0 += 1;
                    totals[column].0 += 1;
                } else {
                    missing.push(format!(
                        "{version} {tag}: {} {path}",
                        method.to_ascii_uppercase()
                    ));
                }
            }
        }
    }
    println!("| contract tag | v6 | v7 | v8 |");
    println!("|---|---|---|---|");
    let cell = |(served, documented): (usize, usize)| {
        if documented == 0 {
            "–".to_owned()
        } else {
            format!("{served}/{documented}")
        }
    };
    for (tag, columns) in &table {
        if columns.iter().all(|(served, _)| *served == 0) {
            continue;
        }
        println!(
            "| {tag} | {} | {} | {} |",
            cell(columns[0]),
            cell(columns[1]),
            cell(columns[2])
        );
    }
    let untouched: Vec<&str> = table
        .iter()
        .filter(|(_, columns)| columns.iter().all(|(served, _)| *served == 0))
        .map(|(tag, _)| tag.as_str())
        .collect();
    println!(
        "| **all operations** | **{}** | **{}** | **{}** |",
        cell(totals[0]),
        cell(totals[1]),
        cell(totals[2])
    );
    println!();
    println!("Not served yet: {}.", untouched.join(", "));
    if list_missing {
        println!();
        for operation in missing {
            println!("{operation}");
        }
    }
}
