//! The result table: one row per figure, printed as markdown. Sections that cannot run add a "skipped" row.
//!
//! Knows nothing about what is measured.

use crate::timing::{Stats, human};
use std::fmt::Write;

/// One line of the table.
pub struct Row {
    pub section: &'static str,
    pub what: String,
    pub median: String,
    pub spread: String,
    pub note: String,
}

/// Every row, in the order the sections ran.
#[derive(Default)]
pub struct Table {
    rows: Vec<Row>,
}

impl Table {
    /// A timed figure: median, p10–p90 (and p99 when asked), with a note.
    pub fn time(&mut self, section: &'static str, what: impl Into<String>, s: &Stats, note: impl Into<String>) {
        self.rows.push(Row {
            section,
            what: what.into(),
            median: human(s.median),
            spread: format!("p10 {} / p90 {} (n={})", human(s.p10), human(s.p90), s.samples),
            note: note.into(),
        });
    }

    /// A figure that is not a time (a ratio, a size, a rate) with its own spread text.
    pub fn value(
        &mut self,
        section: &'static str,
        what: impl Into<String>,
        median: impl Into<String>,
        spread: impl Into<String>,
        note: impl Into<String>,
    ) {
        self.rows.push(Row {
            section,
            what: what.into(),
            median: median.into(),
            spread: spread.into(),
            note: note.into(),
        });
    }

    /// A section (or part) that could not run, and why.
    pub fn skipped(&mut self, section: &'static str, what: impl Into<String>, why: impl std::fmt::Display) {
        self.value(section, what, "skipped", "", format!("skipped: {why}"));
    }

    /// The markdown table.
    pub fn markdown(&self) -> String {
        let mut out = String::from("| section | figure | median | spread | note |\n|---|---|---|---|---|\n");
        for r in &self.rows {
            let note = r.note.replace('|', "/").replace('\n', " ");
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                r.section, r.what, r.median, r.spread, note
            );
        }
        out
    }
}

/// `a / b` as `1.23x`.
pub fn ratio(a: &Stats, b: &Stats) -> String {
    format!(
        "{:.2}x",
        a.median.as_secs_f64() / b.median.as_secs_f64().max(f64::MIN_POSITIVE)
    )
}

/// The spread of a ratio, from the p10s and the p90s of both sides.
pub fn ratio_spread(a: &Stats, b: &Stats) -> String {
    let r = |x: std::time::Duration, y: std::time::Duration| x.as_secs_f64() / y.as_secs_f64().max(f64::MIN_POSITIVE);
    format!("p10/p10 {:.2}x, p90/p90 {:.2}x", r(a.p10, b.p10), r(a.p90, b.p90))
}
