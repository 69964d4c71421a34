//! The agreement harness (work in progress).

pub mod policy_host;
