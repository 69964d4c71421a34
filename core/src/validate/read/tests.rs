//! The model reader held to serde's derived `Deserialize` (read through `validate::de`, as the core read the model
//! before): the same model, the same error (message and path) and the same ignored fields, for every REC and REDB
//! in the corpus as it is and with every value in it replaced by each kind of wrong value, and with an unknown
//! field added to every object in it.

use super::*;
use crate::api::*;
use crate::redb::RedbObject;
use crate::validate::corpus_support;
use crate::validate::de;
use crate::validate::suggest::fields_of;
use serde::de::DeserializeOwned;
use serde_json::json;
use std::fmt::Debug;

/// One reader's answer: the model or the error's message and path, and the ignored paths.
type Answer<T> = (Result<T, (String, JsonPath)>, Vec<JsonPath>);

/// Both readers' answers for one value.
fn answers<T>(value: &Value) -> [Answer<T>; 2]
where
    T: FromValue + DeserializeOwned,
{
    let ours = {
        let mut ignored = Vec::new();
        let result = read::<T>(value, &mut ignored).map_err(|e| (e.message().to_string(), e.path().clone()));
        (result, ignored)
    };
    let serde = {
        let mut ignored = Vec::new();
        let result = de::from_value::<T>(value, &mut ignored).map_err(|e| (e.message().to_string(), e.path().clone()));
        (result, ignored)
    };
    [ours, serde]
}

fn agree<T>(value: &Value) -> bool
where
    T: FromValue + DeserializeOwned + PartialEq + Debug,
{
    let [ours, serde] = answers::<T>(value);
    assert_eq!(ours, serde, "the readers differ on {value}");
    ours.0.is_ok()
}

/// Every REC and REDB object of the corpus (anything with `metadata` and `spec`), each once.
fn corpus_objects() -> Vec<Value> {
    fn collect(value: &Value, out: &mut Vec<Value>) {
        match value {
            Value::Object(map) => {
                if map.contains_key("metadata") && map.contains_key("spec") && !out.contains(value) {
                    out.push(value.clone());
                }
                map.values().for_each(|v| collect(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    corpus_support::cases().iter().for_each(|case| collect(case, &mut out));
    out
}

/// The JSON pointer of every value in `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| pointers(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| pointers(v, format!("{at}/{i}"), out)),
        _ => {}
    }
    out.push(at);
}

/// A value of each JSON type, numbers at and past the ends of every integer type the model has.
fn wrong_values() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(7),
        json!(-7),
        json!(65536),
        json!(4294967296u64),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(1.5),
        json!("x"),
        json!("IfNotPresent"),
        json!([]),
        json!([1, "a"]),
        json!({}),
        json!({"zz": 1}),
        json!({"x": null}),
        json!({"a": 1, "b": 2}),
    ]
}

#[test]
fn the_reader_reads_every_corpus_object_as_serde_does_with_every_value_replaced_by_a_wrong_one() {
    let objects = corpus_objects();
    assert!(objects.len() > 250, "the corpus has RECs and REDBs: {}", objects.len());
    let (mut read_ok, mut compared) = (0, 0);
    // Each place of the schema (a pointer with its indices taken out) is changed once, in the first object that
    // has it: every field every corpus object writes, without the thousands of repeats.
    let mut seen = std::collections::BTreeSet::new();
    for object in &objects {
        let is_redb = object["kind"] == "RedisEnterpriseDatabase";
        let check = |value: &Value| match is_redb {
            true => agree::<Box<RedbObject>>(value),
            false => agree::<Box<RecObject>>(value),
        };
        read_ok += usize::from(check(object));
        let mut places = Vec::new();
        pointers(object, String::new(), &mut places);
        let kind = if is_redb { "redb" } else { "rec" };
        let places = places.iter().filter(|place| {
            let schema: Vec<&str> = place
                .split('/')
                .map(|step| if step.parse::<usize>().is_ok() { "[]" } else { step })
                .collect();
            !place.is_empty() && seen.insert(format!("{kind}{}", schema.join("/")))
        });
        for place in places {
            for wrong in wrong_values() {
                let mut changed = object.clone();
                *changed.pointer_mut(place).expect("a place of the object") = wrong;
                check(&changed);
                compared += 1;
            }
            if let Some(Value::Object(map)) = object.pointer(place).cloned() {
                let mut changed = object.clone();
                let mut map = map;
                map.insert("unknownField".into(), json!(1));
                *changed.pointer_mut(place).expect("a place of the object") = Value::Object(map);
                check(&changed);
                compared += 1;
            }
        }
    }
    assert!(read_ok > 200, "most corpus objects read: {read_ok}");
    assert!(compared > 5_000, "{compared} values compared");
}

#[test]
fn an_enum_written_as_an_object_and_a_flattened_map_read_as_serde_reads_them() {
    for spec in [
        json!({"imagePullPolicy": {"Always": null}}),
        json!({"imagePullPolicy": {"Always": 1}}),
        json!({"imagePullPolicy": {"Sometimes": null}}),
        json!({"imagePullPolicy": {"Always": null, "Never": null}}),
        json!({"imagePullPolicy": 3}),
    ] {
        agree::<ImageSpec>(&spec);
    }
    // Kubernetes types: a required field null or missing is its default, a quantity may be a number.
    for resources in [
        json!({"limits": {"cpu": 2, "memory": 1.5}, "requests": {"cpu": "1"}, "claims": [{"name": null}, {}]}),
        json!({"limits": {"cpu": true}}),
        json!({"limits": {"cpu": null}}),
        json!({"claims": [{"name": 5}]}),
        json!({"claims": "x"}),
    ] {
        agree::<core::ResourceRequirements>(&resources);
    }
    for env in [
        json!({"name": "A", "valueFrom": {"fieldRef": {"fieldPath": null}, "resourceFieldRef": {"divisor": 1}}}),
        json!({"valueFrom": {"secretKeyRef": {"key": 1}}}),
        json!({"valueFrom": {"fileKeyRef": {"path": "p", "volumeName": "v", "key": "k", "x": 1}}}),
    ] {
        agree::<core::EnvVar>(&env);
    }
    for alerts in [
        json!({"bdb_high_latency": {"enabled": true, "threshold": "5"}, "bdb_new_alert": {"enabled": false}}),
        json!({"bdb_high_latency": "x", "other": 1}),
        json!([]),
    ] {
        agree::<crate::redb::AlertSettings>(&alerts);
    }
}

#[test]
fn the_field_names_are_those_serde_lists() {
    macro_rules! same {
        ($($ty:ty),*) => {$(
            assert_eq!(<$ty as FromValue>::FIELDS, fields_of::<$ty>(), stringify!($ty));
        )*};
    }
    same!(
        Metadata,
        RedisEnterpriseClusterSpec,
        PersistentSpec,
        ImageSpec,
        Services,
        ApiService,
        ServicesRiggerSpec,
        IngressOrRouteSpec,
        ActiveActive,
        ServicesConfiguration,
        SecurityContextSpec,
        OcspConfiguration,
        UpgradeSpec,
        RedisOnFlashSpec,
        ServiceBrokerSpec,
        UserDefinedModule,
        AdditionalPodSpecAttributes,
        Ldap,
        crate::redb::RedisEnterpriseDatabaseSpec,
        crate::redb::DatabaseBackup,
        crate::redb::ConnectionSettings,
        crate::redb::DatabaseOssClusterSettings,
        crate::redb::ClusterRef,
        crate::redb::DatabaseModule,
        crate::redb::ReplicaSource,
        crate::redb::RolePermission,
        core::ConfigMapKeySelector,
        core::EnvVar,
        core::EnvVarSource,
        core::FileKeySelector,
        core::HostAlias,
        core::LocalObjectReference,
        core::ObjectFieldSelector,
        core::PodAffinityTerm,
        core::PodAntiAffinity,
        core::ResourceClaim,
        core::ResourceFieldSelector,
        core::ResourceRequirements,
        core::SecretKeySelector,
        core::Toleration,
        core::VolumeMount,
        core::WeightedPodAffinityTerm,
        meta::LabelSelector,
        meta::LabelSelectorRequirement
    );
}
