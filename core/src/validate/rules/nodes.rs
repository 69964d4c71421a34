//! Node count rules: odd, at least 3, at most 35.

use super::super::catalogue::{NODES_EVEN, NODES_TOO_FEW, NODES_TOO_MANY};
use super::Ctx;
use crate::validate::Violation;

/// The fewest nodes a cluster may have.
pub(crate) const MIN_NODES: i32 = 3;
/// The most nodes Redis Software supports.
pub(crate) const MAX_NODES: i32 = 35;

/// An even node count (no majority on a split).
pub(crate) fn nodes_even(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    if let Some(n) = ctx.spec.nodes
        && n % 2 == 0
    {
        out.push(NODES_EVEN.at(
            "spec.nodes",
            format!(
                "nodes is {n}, an even number: a quorum needs an odd count; use {} or {}",
                n - 1,
                n + 1
            ),
        ));
    }
}

/// Fewer than 3 nodes.
pub(crate) fn nodes_too_few(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    if let Some(n) = ctx.spec.nodes
        && n < MIN_NODES
    {
        out.push(NODES_TOO_FEW.at(
            "spec.nodes",
            format!("nodes is {n}; a cluster needs at least {MIN_NODES}"),
        ));
    }
}

/// More than 35 nodes.
pub(crate) fn nodes_too_many(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    if let Some(n) = ctx.spec.nodes
        && n > MAX_NODES
    {
        out.push(NODES_TOO_MANY.at(
            "spec.nodes",
            format!("nodes is {n}; Redis Software supports at most {MAX_NODES} nodes in a cluster"),
        ));
    }
}
