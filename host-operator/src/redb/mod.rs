//! RedisEnterpriseDatabases (REDB): the operator validates every REDB it sees against its watch cache (the RECs and
//! REDBs it holds are the core's *context*) and reports the verdict in the REDB's status (`specStatus`,
//! `observedGeneration`, a `SpecValid` condition) and in Events.
//!
//! It deliberately does nothing else with a REDB: creating, resizing or deleting the database takes the
//! cluster's REST API, out of this project's reach, so it adds no finalizer, creates no Service or Secret and
//! writes no field of the status that only the database's own state can fill (`status`, `version`, endpoints,
//! shards). Nor the update rules: they compare with the previous spec, which the operator does not keep for a
//! REDB; the admission policy applies them on UPDATE.
//!
//! - [`cache`]: the watch cache (reflectors of RECs and REDBs) and the trigger that re-validates on a change;
//! - [`context`]: pure, the objects of the cache one REDB's rules read;
//! - [`status`]: pure, the status and the Event of a verdict;
//! - [`reconcile`]: the driver (read -> context -> validate (wasm) -> status -> events);
//! - [`controller`]: the REDB controller, fed by its own watch and by the cache's trigger.

pub mod cache;
pub mod context;
pub mod controller;
pub mod reconcile;
pub mod status;
