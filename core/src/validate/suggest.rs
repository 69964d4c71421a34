//! "Did you mean": the known field names of the object that holds an unknown field, and the closest one.
//!
//! The names come from the model reader (`FromValue::FIELDS`: what `#[derive(FromValue)]` and the Kubernetes
//! types' readers match keys against), so they cannot drift from what is read; a test holds them to the field
//! lists serde's derive passes to `deserialize_struct` ([`fields_of`]). Covers the
//! root, `metadata` and the spec blocks people write most; elsewhere no suggestion is made.

use super::read::FromValue;
use crate::api::*;
use k8s_openapi::api::core::v1::{ResourceRequirements, Toleration};
#[cfg(test)]
use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A deserializer that only records the field names a struct asks for.
#[cfg(test)]
struct FieldNames<'a>(&'a mut &'static [&'static str]);

#[cfg(test)]
impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("field names only"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("field names only"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// The field names serde's derive lists for struct `T` (empty when `T` is not a plain struct).
#[cfg(test)]
pub(crate) fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

/// The known field names at `parent` (a displayed path with indices written `[]`).
fn known_fields(parent: &str) -> &'static [&'static str] {
    match parent {
        "." => &["apiVersion", "kind", "metadata", "spec", "status"],
        "metadata" => Metadata::FIELDS,
        "spec" => RedisEnterpriseClusterSpec::FIELDS,
        "spec.persistentSpec" => PersistentSpec::FIELDS,
        "spec.redisEnterpriseNodeResources"
        | "spec.bootstrapperResources"
        | "spec.redisEnterpriseServicesRiggerResources" => ResourceRequirements::FIELDS,
        "spec.redisEnterpriseImageSpec"
        | "spec.redisEnterpriseServicesRiggerImageSpec"
        | "spec.bootstrapperImageSpec" => ImageSpec::FIELDS,
        "spec.services" => Services::FIELDS,
        "spec.services.apiService" => ApiService::FIELDS,
        "spec.servicesRiggerSpec" => ServicesRiggerSpec::FIELDS,
        "spec.ingressOrRouteSpec" => IngressOrRouteSpec::FIELDS,
        "spec.activeActive" => ActiveActive::FIELDS,
        "spec.redisEnterpriseServicesConfiguration" => ServicesConfiguration::FIELDS,
        "spec.securityContext" => SecurityContextSpec::FIELDS,
        "spec.ocspConfiguration" => OcspConfiguration::FIELDS,
        "spec.upgradeSpec" => UpgradeSpec::FIELDS,
        "spec.redisOnFlashSpec" => RedisOnFlashSpec::FIELDS,
        "spec.serviceBrokerSpec" => ServiceBrokerSpec::FIELDS,
        "spec.podTolerations[]" => Toleration::FIELDS,
        "spec.userDefinedModules[]" => UserDefinedModule::FIELDS,
        _ => &[],
    }
}

/// The known field closest to `unknown` at `parent` (case-insensitive match, or at most 2 edits away).
pub(crate) fn did_you_mean(parent: &str, unknown: &str) -> Option<&'static str> {
    let parent = strip_indices(parent);
    // In a value held as checked JSON (`api::checked`), no `Deserialize` lists the fields: its shape does.
    match super::shape::holding(&parent) {
        Some((shape, below)) => closest(&super::shape::properties_at(shape, below), unknown),
        None => closest(known_fields(&parent), unknown),
    }
}

/// The name of `known` closest to `unknown` (case-insensitive match, or at most 2 edits away).
pub(crate) fn closest(known: &[&'static str], unknown: &str) -> Option<&'static str> {
    let lower = unknown.to_ascii_lowercase();
    let mut best: Option<(usize, &'static str)> = None;
    for &known in known {
        let d = if known.eq_ignore_ascii_case(unknown) {
            0
        } else {
            edit_distance(&lower, &known.to_ascii_lowercase())
        };
        if d <= 2 && d < unknown.len() && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, known));
        }
    }
    best.map(|(_, k)| k)
}

/// `spec.podTolerations[3]` -> `spec.podTolerations[]`.
pub(crate) fn strip_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            c if in_index && c.is_ascii_digit() => {}
            c => out.push(c),
        }
    }
    out
}

/// Levenshtein distance (short field names only; capped inputs keep it cheap).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().take(64).collect(), b.chars().take(64).collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_field_names() {
        assert_eq!(did_you_mean("spec", "node"), Some("nodes"));
        assert_eq!(did_you_mean("spec", "Nodes"), Some("nodes"));
        assert_eq!(did_you_mean("spec.persistentSpec", "volumesize"), Some("volumeSize"));
        assert_eq!(did_you_mean("spec.volumes[0]", "secrett"), Some("secret"));
        assert_eq!(did_you_mean("spec.volumes[0].hostPath", "tipe"), Some("type"));
        assert_eq!(
            did_you_mean(
                "spec.redisEnterpriseAdditionalPodSpecAttributes.volumes[1].projected.sources[0].configMap",
                "nmae"
            ),
            Some("name")
        );
        assert_eq!(did_you_mean("spec.volumesX", "nmae"), None);
        assert_eq!(
            did_you_mean(
                "spec.servicesRiggerSpec.servicesRiggerAdditionalPodSpecAttributes.initContainers[0].livenessProbe",
                "httpget"
            ),
            Some("httpGet")
        );
        assert_eq!(did_you_mean("spec.sideContainersSpec[2]", "imagee"), Some("image"));
        assert_eq!(did_you_mean("spec.podTolerations[2]", "keyy"), Some("key"));
        assert_eq!(did_you_mean("metadata", "lables"), Some("labels"));
        assert_eq!(did_you_mean("spec", "somethingElse"), None);
        assert_eq!(did_you_mean("spec.unmodelled", "node"), None);
        assert!(RedisEnterpriseClusterSpec::FIELDS.len() >= 65);
    }
}
