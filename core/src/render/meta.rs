//! The one helper that writes every rendered object's metadata: name, namespace, labels and the owner reference
//! to the REC. Builders call [`Meta::object`], so no object can miss them.
//!
//! Labels, in increasing precedence: the user's `extraLabels`, then ours (`app`, `redis.io/cluster`,
//! `app.kubernetes.io/*`). Ours win because selectors and pruning depend on them; a user label with one of
//! those keys is ignored rather than allowed to break selection.
//!
//! Namespace: the REC's `metadata.namespace`; a REC without one (a file in the preview) renders objects without
//! a namespace, which land where they are applied, like the REC itself.
//! Owner reference: only when the REC has a `metadata.uid` (the API server rejects an owner reference without
//! one, and a REC read from a file has none); the operator always renders stored RECs, which have one.

use crate::api::{GROUP, KIND, Metadata};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};
use std::collections::BTreeMap;

/// `app` label value on every object.
pub const APP: &str = "redis-enterprise";
/// The label naming the cluster an object belongs to.
pub const CLUSTER_LABEL: &str = "redis.io/cluster";
/// The label naming a pod's role (node, services-rigger, services-broker).
pub const ROLE_LABEL: &str = "redis.io/role";

/// Which part of the cluster an object belongs to (`app.kubernetes.io/component`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Component {
    Rbac,
    Credentials,
    Api,
    Ui,
    Metrics,
    Node,
    ServicesRigger,
    ServicesBroker,
}

impl Component {
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Rbac => "rbac",
            Component::Credentials => "credentials",
            Component::Api => "api",
            Component::Ui => "ui",
            Component::Metrics => "metrics",
            Component::Node => "node",
            Component::ServicesRigger => "services-rigger",
            Component::ServicesBroker => "services-broker",
        }
    }
}

/// The kinds of pods the REC runs (`redis.io/role`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodRole {
    Node,
    ServicesRigger,
    ServicesBroker,
}

impl PodRole {
    pub fn as_str(self) -> &'static str {
        match self {
            PodRole::Node => "node",
            PodRole::ServicesRigger => "services-rigger",
            PodRole::ServicesBroker => "services-broker",
        }
    }

    fn component(self) -> Component {
        match self {
            PodRole::Node => Component::Node,
            PodRole::ServicesRigger => Component::ServicesRigger,
            PodRole::ServicesBroker => Component::ServicesBroker,
        }
    }
}

/// What every object's metadata is made from: the owning REC and the operator.
#[derive(Clone, Debug)]
pub struct Meta {
    name: String,
    namespace: Option<String>,
    uid: Option<String>,
    extra_labels: BTreeMap<String, String>,
    managed_by: String,
}

impl Meta {
    /// Metadata source for the objects of REC `rec_meta` (its name, namespace, uid) with the spec's `extraLabels`.
    pub fn new(rec_meta: &Metadata, extra_labels: Option<&BTreeMap<String, String>>, managed_by: &str) -> Self {
        Self {
            name: rec_meta.name.clone().unwrap_or_default(),
            namespace: rec_meta.namespace.clone().filter(|n| !n.is_empty()),
            uid: rec_meta.uid.clone().filter(|u| !u.is_empty()),
            extra_labels: extra_labels.cloned().unwrap_or_default(),
            managed_by: managed_by.to_string(),
        }
    }

    /// The REC's name (prefix of every object name).
    pub fn rec_name(&self) -> &str {
        &self.name
    }

    /// The REC's namespace, when known.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// Name, namespace, labels and owner reference of an object of `component`.
    pub fn object(&self, name: impl Into<String>, component: Component) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            namespace: self.namespace.clone(),
            labels: Some(self.labels(component)),
            owner_references: self.owner_reference().map(|o| vec![o]),
            ..Default::default()
        }
    }

    /// The labels of every object: `extraLabels`, then ours on top.
    pub fn labels(&self, component: Component) -> BTreeMap<String, String> {
        let mut labels = self.extra_labels.clone();
        labels.extend(self.selector_labels());
        labels.insert("app.kubernetes.io/name".into(), APP.into());
        labels.insert("app.kubernetes.io/instance".into(), self.name.clone());
        labels.insert("app.kubernetes.io/managed-by".into(), self.managed_by.clone());
        labels.insert("app.kubernetes.io/component".into(), component.as_str().into());
        labels
    }

    /// The labels of a pod of `role`: the object labels plus `redis.io/role`.
    pub fn pod_labels(&self, role: PodRole) -> BTreeMap<String, String> {
        let mut labels = self.labels(role.component());
        labels.insert(ROLE_LABEL.into(), role.as_str().into());
        labels
    }

    /// The label selector of the pods of `role`: `app`, `redis.io/cluster` and `redis.io/role`.
    pub fn pod_selector(&self, role: PodRole) -> BTreeMap<String, String> {
        let mut labels = self.selector_labels();
        labels.insert(ROLE_LABEL.into(), role.as_str().into());
        labels
    }

    /// [`Meta::pod_selector`] as a `LabelSelector`.
    pub fn label_selector(&self, role: PodRole) -> LabelSelector {
        LabelSelector {
            match_labels: Some(self.pod_selector(role)),
            ..Default::default()
        }
    }

    fn selector_labels(&self) -> BTreeMap<String, String> {
        [
            ("app".to_string(), APP.to_string()),
            (CLUSTER_LABEL.to_string(), self.name.clone()),
        ]
        .into()
    }

    /// Controller owner reference to the REC (always `app.redislabs.com/v1`, the storage version), or none
    /// when the REC has no uid.
    fn owner_reference(&self) -> Option<OwnerReference> {
        self.uid.as_ref().map(|uid| OwnerReference {
            api_version: format!("{GROUP}/v1"),
            kind: KIND.into(),
            name: self.name.clone(),
            uid: uid.clone(),
            controller: Some(true),
            block_owner_deletion: Some(true),
        })
    }
}
