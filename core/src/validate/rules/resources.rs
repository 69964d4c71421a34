//! Resource rules: quantities parse, node memory is high enough, limits are not below requests (and equal them
//! on the nodes), and the node volume is large enough for the memory it persists.

use super::super::catalogue::*;
use super::super::path::Loc;
use super::{Ctx, node_memory, persistence_enabled, resource_blocks};
use crate::quantity::{self, Milli};
use crate::validate::Violation;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

/// 8Gi, the production minimum node memory.
pub(crate) const PRODUCTION_NODE_MEMORY: Milli = Milli(8 * (1 << 30) * 1000);
/// An explicit volume below this many times the memory request is an error.
pub(crate) const VOLUME_MIN_FACTOR: i128 = 3;
/// An explicit volume below this many times the memory request is a warning (and the default size).
pub(crate) const VOLUME_RECOMMENDED_FACTOR: i128 = 5;

/// Writes a value in binary units (`12Gi`), as memory is usually written.
fn show(m: Milli) -> String {
    quantity::format(m, true)
}

/// Calls `f` with every quantity of the spec and its path. A visit rather than a list: a user's container's
/// resources are read from its JSON for the visit alone, and nothing is copied or formatted for a quantity that
/// is fine.
fn for_each_quantity(ctx: &Ctx<'_>, mut f: impl FnMut(Loc<'_>, &Quantity)) {
    let s = ctx.spec;
    let mut map = |base: Loc<'_>, m: Option<&BTreeMap<String, Quantity>>| {
        for (k, q) in m.into_iter().flatten() {
            f(base.key(k), q);
        }
    };
    for (base, r) in resource_blocks(s) {
        map(base.field("requests"), r.requests.as_ref());
        map(base.field("limits"), r.limits.as_ref());
    }
    let attrs = [
        (
            "spec.redisEnterpriseAdditionalPodSpecAttributes",
            s.redis_enterprise_additional_pod_spec_attributes.as_ref(),
        ),
        (
            "spec.servicesRiggerSpec.servicesRiggerAdditionalPodSpecAttributes",
            s.services_rigger_spec
                .as_ref()
                .and_then(|r| r.services_rigger_additional_pod_spec_attributes.as_ref()),
        ),
    ];
    for (base, a) in attrs {
        map(Loc::new(base).field("overhead"), a.and_then(|a| a.overhead.as_ref()));
    }
    let singles = [
        (
            "spec.persistentSpec.volumeSize",
            s.persistent_spec.as_ref().and_then(|p| p.volume_size.as_ref()),
        ),
        (
            "spec.redisOnFlashSpec.flashDiskSize",
            s.redis_on_flash_spec.as_ref().and_then(|f| f.flash_disk_size.as_ref()),
        ),
        (
            "spec.serviceBrokerSpec.persistentSpec.volumeSize",
            s.service_broker_spec
                .as_ref()
                .and_then(|b| b.persistent_spec.as_ref())
                .and_then(|p| p.volume_size.as_ref()),
        ),
    ];
    for (path, q) in singles {
        if let Some(q) = q {
            f(Loc::new(path), q);
        }
    }
}

/// A quantity that does not parse, or is negative.
pub(crate) fn quantity_invalid(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    for_each_quantity(ctx, |path, q| {
        let problem = match quantity::parse(&q.0) {
            Err(e) => format!("{e}"),
            Ok(m) if m.0 < 0 => "is negative".to_string(),
            Ok(_) => return,
        };
        out.push(QUANTITY_INVALID.at(
            path,
            format!(
                "quantity {} {problem}; write a non-negative quantity such as 4Gi, 4096Mi, 500m or 2",
                super::quoted(&q.0)
            ),
        ));
    });
}

/// Node memory request below 4Gi or the `minNodeMemory` option.
pub(crate) fn memory_too_low(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let min = ctx.options.min_node_memory;
    if let Some((memory, path, explicit)) = node_memory(ctx.spec)
        && memory < min
    {
        let seen = if explicit {
            format!("memory request {}", show(memory))
        } else {
            format!("default memory {}", show(memory))
        };
        out.push(MEMORY_TOO_LOW.at(
            path,
            format!(
                "{seen} is below the minimum {} a node needs (smaller nodes are OOM-killed); request at least {}",
                show(min),
                show(min)
            ),
        ));
    }
}

/// Production minimum memory (warning).
pub(crate) fn memory_below_production(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    if let Some((memory, path, explicit)) = node_memory(ctx.spec)
        && memory < PRODUCTION_NODE_MEMORY
        && memory >= ctx.options.min_node_memory
    {
        let seen = if explicit {
            "memory request"
        } else {
            "default memory request"
        };
        out.push(MEMORY_BELOW_PRODUCTION.at(
            path,
            format!(
                "{seen} {} is below the production minimum 8Gi; fine for testing, request 8Gi or more in production",
                show(memory)
            ),
        ));
    }
}

/// A limit below its request, in any resource block.
pub(crate) fn limits_below_requests(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    for (base, r) in resource_blocks(ctx.spec) {
        let (Some(requests), Some(limits)) = (&r.requests, &r.limits) else {
            continue;
        };
        for (name, request) in requests {
            let Some(limit) = limits.get(name) else { continue };
            if let (Ok(req), Ok(lim)) = (quantity::parse(&request.0), quantity::parse(&limit.0))
                && lim < req
            {
                out.push(LIMITS_BELOW_REQUESTS.at(
                    base.field("limits").key(name),
                    format!(
                        "{name} limit {} is below its request {}; raise the limit to at least {}",
                        limit.0, request.0, request.0
                    ),
                ));
            }
        }
    }
}

/// Node limits that differ from the requests (warning; only when both are written).
pub(crate) fn limits_differ_from_requests(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let Some(r) = &ctx.spec.redis_enterprise_node_resources else {
        return;
    };
    let (Some(requests), Some(limits)) = (&r.requests, &r.limits) else {
        return;
    };
    let parse = |q: Option<&Quantity>| q.map(|q| quantity::parse(&q.0));
    let names: std::collections::BTreeSet<&String> = requests.keys().chain(limits.keys()).collect();
    for name in names {
        let (req, lim) = (requests.get(name), limits.get(name));
        let differs = match (parse(req), parse(lim)) {
            (Some(Ok(a)), Some(Ok(b))) => a != b,
            (Some(Err(_)), _) | (_, Some(Err(_))) => false,
            _ => true,
        };
        if differs {
            let shown = |q: Option<&Quantity>| q.map(|q| q.0.clone()).unwrap_or_else(|| "unset".into());
            out.push(LIMITS_DIFFER_FROM_REQUESTS.at(
                Loc::new("spec.redisEnterpriseNodeResources.limits").key(name),
                format!(
                    "{name} limit {} differs from the request {}; set them equal so node pods get Guaranteed QoS",
                    shown(lim),
                    shown(req)
                ),
            ));
        }
    }
}

/// The explicit volume size and the memory request, when persistence is on and both parse.
fn volume_and_memory<'a>(ctx: &Ctx<'a>) -> Option<(Milli, &'a str, Milli)> {
    if !persistence_enabled(ctx.spec) {
        return None;
    }
    let text = &ctx.spec.persistent_spec.as_ref()?.volume_size.as_ref()?.0;
    let volume = quantity::parse(text).ok()?;
    let (memory, _, _) = node_memory(ctx.spec)?;
    Some((volume, text, memory))
}

/// Explicit volume below 3 x memory.
pub(crate) fn volume_too_small(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let Some((volume, text, memory)) = volume_and_memory(ctx) else {
        return;
    };
    let min = Milli(memory.0.saturating_mul(VOLUME_MIN_FACTOR));
    if volume < min {
        out.push(VOLUME_TOO_SMALL.at(
            "spec.persistentSpec.volumeSize",
            format!(
                "volumeSize {text} is smaller than {VOLUME_MIN_FACTOR} x the memory request {} ({}); set at least {}, \
                 recommended {}",
                show(memory),
                show(min),
                show(min),
                show(Milli(memory.0.saturating_mul(VOLUME_RECOMMENDED_FACTOR)))
            ),
        ));
    }
}

/// Explicit volume below 5 x memory (warning).
pub(crate) fn volume_below_recommended(ctx: &Ctx<'_>, out: &mut Vec<Violation>) {
    let Some((volume, text, memory)) = volume_and_memory(ctx) else {
        return;
    };
    let min = Milli(memory.0.saturating_mul(VOLUME_MIN_FACTOR));
    let recommended = Milli(memory.0.saturating_mul(VOLUME_RECOMMENDED_FACTOR));
    if volume >= min && volume < recommended {
        out.push(VOLUME_BELOW_RECOMMENDED.at(
            "spec.persistentSpec.volumeSize",
            format!(
                "volumeSize {text} is smaller than the recommended {VOLUME_RECOMMENDED_FACTOR} x the memory request {} \
                 ({}); set {} or more",
                show(memory),
                show(recommended),
                show(recommended)
            ),
        ));
    }
}
