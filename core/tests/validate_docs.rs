//! `docs/rules.md` is generated from `rec_core::validate::RULES`; this test fails when the committed file is stale.
//! Regenerate with `REC_BLESS=1 cargo test -p rec-core --test validate_docs`.

use std::path::Path;

#[test]
fn rules_md_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
    let expected = rec_core::validate::rules_markdown();
    if std::env::var_os("REC_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("docs dir")).expect("create docs/");
        std::fs::write(&path, &expected).expect("write docs/rules.md");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "docs/rules.md is stale or missing; regenerate it with `REC_BLESS=1 cargo test -p rec-core --test validate_docs`"
    );
}

#[test]
fn rules_md_lists_every_code_once() {
    let md = rec_core::validate::rules_markdown();
    for rule in rec_core::validate::RULES {
        assert_eq!(md.matches(&format!("| `{}` |", rule.code)).count(), 1, "{}", rule.code);
    }
    let mut codes: Vec<_> = rec_core::validate::RULES.iter().map(|r| r.code).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), rec_core::validate::RULES.len(), "duplicate codes in RULES");
}
