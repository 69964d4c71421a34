//! The browser build (work in progress).
