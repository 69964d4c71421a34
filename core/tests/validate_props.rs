//! Property tests: random JSON anywhere in a REC never panics validation, the report is consistent (counts,
//! order, codes from RULES), and a valid report means the object deserializes into the typed REC.

use proptest::prelude::*;
use rec_core::validate::{Options, Severity, rule_for, validate};
use serde_json::{Value, json};

/// Spec fields to aim random values at (top level and nested).
const FIELDS: &[&[&str]] = &[
    &["nodes"],
    &["persistentSpec"],
    &["persistentSpec", "volumeSize"],
    &["persistentSpec", "enabled"],
    &["redisEnterpriseNodeResources"],
    &["redisEnterpriseNodeResources", "requests", "memory"],
    &["redisEnterpriseNodeResources", "limits"],
    &["podTolerations"],
    &["uiServiceType"],
    &["ingressOrRouteSpec"],
    &["userDefinedModules"],
    &["ocspConfiguration", "queryFrequency"],
    &["servicesRiggerSpec", "databaseServiceType"],
    &["sideContainersSpec"],
    &["redisEnterpriseAdditionalPodSpecAttributes"],
    &["extraLabels"],
    &["podAnnotations"],
    &["redisEnterpriseImageSpec"],
    &["license"],
    &["ldap"],
    &["volumes"],
];

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[a-zA-Z0-9 .:/_-]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("4Gi"),
            Just("4096Mi"),
            Just("4.5G"),
            Just("1e3"),
            Just("0.5"),
            Just("nan"),
            Just("-1"),
            Just("1e99999"),
            Just("99999999999999999999Ei"),
            Just("ingress"),
            Just("vault"),
            Just(""),
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z.]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn base() -> Value {
    json!({"apiVersion": "app.redislabs.com/v1", "kind": "RedisEnterpriseCluster", "metadata": {"name": "rec"},
           "spec": {"nodes": 3}})
}

fn set(target: &mut Value, path: &[&str], value: Value) {
    let mut at = target;
    for key in &path[..path.len() - 1] {
        if !at.get(*key).is_some_and(Value::is_object) {
            at[*key] = json!({});
        }
        at = &mut at[*key];
    }
    at[path[path.len() - 1]] = value;
}

fn check_report(object: &Value, old: Option<&Value>) {
    let report = validate(object, old, &Options::default());
    let errors = report
        .violations
        .iter()
        .filter(|v| v.severity == Severity::Error)
        .count();
    assert_eq!(report.errors, errors);
    assert_eq!(report.warnings, report.violations.len() - errors);
    assert_eq!(report.valid, errors == 0);
    for v in &report.violations {
        assert!(rule_for(&v.code).is_some(), "unknown code {}", v.code);
    }
    let keys: Vec<_> = report
        .violations
        .iter()
        .map(|v| (&v.path, &v.code, &v.message))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "not sorted");
    if report.valid {
        serde_json::from_value::<rec_core::RedisEnterpriseCluster>(object.clone())
            .unwrap_or_else(|e| panic!("valid but does not deserialize: {e}\n{object}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_values_in_spec_fields_never_panic(field in 0..FIELDS.len(), value in arb_json(), old_value in arb_json()) {
        let mut object = base();
        set(&mut object, &["spec"][..].iter().chain(FIELDS[field]).copied().collect::<Vec<_>>(), value);
        let mut old = base();
        set(&mut old, &["spec"][..].iter().chain(FIELDS[field]).copied().collect::<Vec<_>>(), old_value);
        check_report(&object, Some(&old));
    }

    #[test]
    fn random_values_as_the_whole_object_or_spec_never_panic(value in arb_json()) {
        check_report(&value, None);
        let mut object = base();
        object["spec"] = value.clone();
        check_report(&object, Some(&value));
    }
}

#[test]
fn deep_nesting_and_huge_numbers_do_not_panic() {
    let mut deep = json!(1);
    for _ in 0..120 {
        deep = json!([deep]);
    }
    let mut object = base();
    object["spec"]["volumes"] = deep.clone();
    object["spec"]["extraLabels"] = json!({"a": deep});
    object["spec"]["nodes"] = json!(u64::MAX);
    object["spec"]["redisEnterpriseTerminationGracePeriodSeconds"] = json!(1e308);
    let report = validate(&object, Some(&object), &Options::default());
    assert!(!report.valid);
}
