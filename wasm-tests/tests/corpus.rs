//! The corpus itself: big enough, every rule code, every operation and outcome, and the hostile inputs.

use rec_core::validate::{REDB_RULES, RULES};
use rec_wasm_tests::{OpName, Outcome, corpus_dir, load};
use std::collections::BTreeSet;

#[test]
fn the_corpus_has_at_least_150_cases() {
    let cases = load(&corpus_dir()).expect("the corpus loads");
    assert!(cases.len() >= 150, "only {} cases", cases.len());
}

#[test]
fn every_rule_code_appears_in_some_case() {
    let cases = load(&corpus_dir()).expect("the corpus loads");
    let covered: BTreeSet<&str> = cases
        .iter()
        .flat_map(|c| c.expect.codes.iter().map(String::as_str))
        .collect();
    // `redb-kind` cannot be met through the `validate` operation, which reads an object as a REDB by its kind;
    // the policy meets it (the kind comes from the admission request) and policy/tests cover it.
    let missing: Vec<&str> = RULES
        .iter()
        .chain(REDB_RULES)
        .map(|rule| rule.code)
        .filter(|code| *code != "redb-kind" && !covered.contains(code))
        .collect();
    assert!(missing.is_empty(), "rule codes no case expects: {missing:?}");
}

#[test]
fn validate_cases_expect_only_catalogued_codes() {
    // Render adds its own codes (`entropy-missing`...); validation emits only the catalogue's.
    let cases = load(&corpus_dir()).expect("the corpus loads");
    let known: BTreeSet<&str> = RULES.iter().chain(REDB_RULES).map(|rule| rule.code).collect();
    let unknown: Vec<(&str, &str)> = cases
        .iter()
        .filter(|c| c.op == OpName::Validate)
        .flat_map(|c| c.expect.codes.iter().map(move |code| (c.name.as_str(), code.as_str())))
        .filter(|(_, code)| !known.contains(code))
        .collect();
    assert!(
        unknown.is_empty(),
        "validate cases expect codes that are not in RULES: {unknown:?}"
    );
}

#[test]
fn every_operation_and_outcome_appears() {
    let cases = load(&corpus_dir()).expect("the corpus loads");
    let ops: BTreeSet<OpName> = cases.iter().map(|c| c.op).collect();
    assert_eq!(ops.len(), rec_core::abi::Op::ALL.len(), "operations covered: {ops:?}");
    let outcomes: BTreeSet<Outcome> = cases.iter().map(|c| c.expect.outcome).collect();
    assert_eq!(outcomes.len(), 3, "outcomes covered: {outcomes:?}");
}

#[test]
fn the_hostile_inputs_are_there() {
    let cases = load(&corpus_dir()).expect("the corpus loads");
    let hostile: Vec<_> = cases.iter().filter(|c| c.file.starts_with("hostile")).collect();
    assert!(
        hostile.iter().any(|c| std::str::from_utf8(&c.input).is_err()),
        "no invalid UTF-8 case"
    );
    assert!(hostile.iter().any(|c| c.input.len() > 100_000), "no huge input case");
    assert!(
        hostile
            .iter()
            .any(|c| c.input.windows(64).any(|w| w.iter().all(|b| *b == b'['))),
        "no deep nesting case"
    );
}
