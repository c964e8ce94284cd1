//! Dependencies point one way (`docs/ARCHITECTURE.md`, "Layers"): no module imports a layer above its
//! own, `notify`, `config` and `jobs` import no feature area, and a feature area imports another only where
//! the architecture allows it.

use std::path::Path;

/// Modules by layer, bottom up; a longer path wins over its prefix.
const LAYERS: &[(&str, u8)] = &[
    ("db", 0),
    ("i18n", 0),
    ("error", 0),
    ("clock", 0),
    ("cron", 0),
    ("pagination", 0),
    ("sheets", 0),
    ("org", 1),
    ("org::model", 1),
    ("org::store", 1),
    ("org::credentials", 1),
    ("audit", 1),
    ("audit::model", 1),
    ("audit::store", 1),
    ("audit::service", 1),
    ("config", 1),
    ("metrics", 1),
    ("mail", 1),
    ("attachments", 1),
    ("state", 2),
    ("jobs", 2),
    ("web", 3),
    ("org::service", 4),
    ("org::api", 4),
    ("org::pages", 4),
    ("org::demo", 4),
    ("audit::api", 4),
    ("audit::pages", 4),
    ("notify", 5),
    ("inventory", 6),
    ("teams", 6),
    ("calendar", 6),
    ("duty", 6),
    ("drills", 6),
    ("allocation", 6),
    ("circulars", 6),
    ("app", 7),
    ("demo", 7),
];

/// Feature areas another area may use.
const AREA_PEERS: &[(&str, &[&str])] = &[
    ("teams", &["inventory"]),
    ("calendar", &[]),
    ("duty", &["teams", "calendar"]),
    ("drills", &["teams", "inventory"]),
    ("allocation", &["inventory"]),
    ("circulars", &[]),
];

fn layer_of(path: &str) -> Option<(u8, &'static str)> {
    LAYERS
        .iter()
        .filter(|(m, _)| path == *m || path.starts_with(&format!("{m}::")))
        .max_by_key(|(m, _)| m.len())
        .map(|(m, l)| (*l, *m))
}

fn area(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

/// The module a source file belongs to, as `crate::` paths name it.
fn module_of(file: &Path, src: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .filter(|p| p != "mod")
        .collect();
    parts.join("::")
}

/// Every `crate::a::b` a file names, including each name of a `crate::{a, b::c}` group.
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in text.split("crate::").skip(1) {
        if let Some(group) = part.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or_default();
            out.extend(
                inner
                    .split(',')
                    .map(|n| {
                        n.trim()
                            .split(" as ")
                            .next()
                            .unwrap_or_default()
                            .to_string()
                    })
                    .filter(|n| !n.is_empty()),
            );
        } else {
            let path: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push(path.trim_end_matches(':').to_string());
        }
    }
    out
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_module_imports_a_layer_above_its_own_or_an_area_beside_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut wrong = Vec::new();
    for file in &all {
        let module = module_of(file, &src);
        // Crate roots of their own (the service's `main`, the bare benchmark server) sit above every layer.
        if matches!(module.as_str(), "lib" | "main") || module.starts_with("bin::") {
            continue;
        }
        let Some((own, own_module)) = layer_of(&module) else {
            wrong.push(format!("{module}: not placed in a layer"));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for target in references(&text) {
            let Some((theirs, their_module)) = layer_of(&target) else {
                continue;
            };
            if theirs > own {
                wrong.push(format!(
                    "{module} (layer {own}) imports crate::{target} (layer {theirs})"
                ));
            } else if theirs == 6 && own == 6 && area(own_module) != area(their_module) {
                let allowed = AREA_PEERS
                    .iter()
                    .find(|(a, _)| *a == area(own_module))
                    .is_some_and(|(_, peers)| peers.contains(&area(their_module)));
                if !allowed {
                    wrong.push(format!("{module} imports the area crate::{target}"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "dependencies against the layers:\n{}",
        wrong.join("\n")
    );
}
