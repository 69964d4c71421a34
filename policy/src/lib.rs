//! The policy (work in progress).
