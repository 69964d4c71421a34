//! The REDB's update rules (REDB.md section 3, "On UPDATE"): what may not change once the database exists.
//! Compares effective values (defaults applied: type redis, isRof false, 1 shard).

use crate::redb::{DatabaseType, RedbObject};
use crate::validate::Violation;
use crate::validate::catalogue::*;

pub(crate) fn check(old: &RedbObject, new: &RedbObject, out: &mut Vec<Violation>) {
    let (old, new) = (&old.spec, &new.spec);
    if let Some(before) = old.database_port
        && new.database_port != Some(before)
    {
        let now = new.database_port.map_or("removed".to_string(), |p| p.to_string());
        out.push(REDB_PORT_CHANGED.at(
            "spec.databasePort",
            format!("databasePort was {before} and is now {now}; the port of a database never changes: set it back to {before}"),
        ));
    }
    let kind = |t: Option<DatabaseType>| match t.unwrap_or(DatabaseType::Redis) {
        DatabaseType::Redis => "redis",
        DatabaseType::Memcached => "memcached",
    };
    if kind(old.db_type) != kind(new.db_type) {
        out.push(REDB_TYPE_CHANGED.at(
            "spec.type",
            format!(
                "type was {} and is now {}; a database cannot change type: set it back, or create a new REDB",
                kind(old.db_type),
                kind(new.db_type)
            ),
        ));
    }
    let (rof_before, rof_now) = (old.is_rof.unwrap_or(false), new.is_rof.unwrap_or(false));
    if rof_before != rof_now {
        out.push(REDB_ROF_CHANGED.at(
            "spec.isRof",
            format!("isRof was {rof_before} and is now {rof_now}; Auto Tiering is chosen at creation: set it back to {rof_before}"),
        ));
    }
    let (before, now) = (old.shard_count.unwrap_or(1), new.shard_count.unwrap_or(1));
    if now < before {
        out.push(REDB_SHARD_COUNT_DECREASED.at(
            "spec.shardCount",
            format!(
                "shardCount was {before} and is now {now}; shards can be added, not removed: keep at least {before}"
            ),
        ));
    }
}
