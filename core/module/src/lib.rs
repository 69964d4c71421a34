//! The core module: exports the JSON ABI (work in progress).
