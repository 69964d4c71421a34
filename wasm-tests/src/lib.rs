//! The agreement harness (work in progress).
