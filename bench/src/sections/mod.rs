//! One module per section of the list (numbered as there); each adds rows to the table.

pub mod browser;
pub mod core;
pub mod guest_memory;
pub mod operator;
pub mod policy;
pub mod policy_context;
pub mod redb;
pub mod roll;
pub mod sizes;
pub mod startup;
