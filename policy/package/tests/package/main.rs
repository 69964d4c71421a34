//! The policy package's integration tests, in one test binary (each links wasmtime: one binary instead of two
//! saves a link and a few hundred MB of debug build): `annotated` checks the module as it ships, `artifacthub`
//! the generated Artifact Hub package file.

mod annotated;
mod artifacthub;
