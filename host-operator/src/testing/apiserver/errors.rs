//! The API server's refusals, shaped as the real one shapes them: the HTTP code, the `reason`, and a message a
//! client (or a test) can match against what a cluster says, e.g. `StatefulSet.apps "rec" is invalid: spec:
//! Forbidden: ...` or `Operation cannot be fulfilled on pods "rec-0": the object has been modified; ...`.

use super::kinds::Resource;
use serde_json::{Value, json};

/// A refused request.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    pub details: Value,
}

/// One field error of a 422 Invalid answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    /// The field path, e.g. `spec.resources.requests.storage`.
    pub field: String,
    pub kind: CauseKind,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CauseKind {
    Forbidden,
    Required,
    /// `Invalid value: <value>`.
    Invalid(Value),
    /// `Unsupported value: <value>` (a value outside a fixed set).
    NotSupported(Value),
}

impl Cause {
    pub fn forbidden(field: &str, detail: impl Into<String>) -> Self {
        Self::new(field, CauseKind::Forbidden, detail)
    }

    pub fn required(field: &str, detail: impl Into<String>) -> Self {
        Self::new(field, CauseKind::Required, detail)
    }

    pub fn invalid(field: &str, value: Value, detail: impl Into<String>) -> Self {
        Self::new(field, CauseKind::Invalid(value), detail)
    }

    pub fn not_supported(field: &str, value: Value, detail: impl Into<String>) -> Self {
        Self::new(field, CauseKind::NotSupported(value), detail)
    }

    fn new(field: &str, kind: CauseKind, detail: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            kind,
            detail: detail.into(),
        }
    }

    /// `Forbidden: ...` (the message without the field, as in `details.causes`).
    fn message(&self) -> String {
        match &self.kind {
            CauseKind::Forbidden => format!("Forbidden: {}", self.detail),
            CauseKind::Required => format!("Required value: {}", self.detail),
            CauseKind::Invalid(value) => format!("Invalid value: {}: {}", shown(value), self.detail),
            CauseKind::NotSupported(value) => format!("Unsupported value: {}: {}", shown(value), self.detail),
        }
    }

    fn reason(&self) -> &'static str {
        match self.kind {
            CauseKind::Forbidden => "FieldValueForbidden",
            CauseKind::Required => "FieldValueRequired",
            CauseKind::Invalid(_) => "FieldValueInvalid",
            CauseKind::NotSupported(_) => "FieldValueNotSupported",
        }
    }
}

impl ApiError {
    fn new(code: u16, reason: &'static str, message: String, details: Value) -> Self {
        Self {
            code,
            reason,
            message,
            details,
        }
    }

    fn about(resource: &Resource, name: &str) -> Value {
        json!({ "name": name, "group": resource.group, "kind": resource.plural })
    }

    pub fn not_found(resource: &Resource, name: &str) -> Self {
        let message = format!("{} \"{name}\" not found", resource.qualified());
        Self::new(404, "NotFound", message, Self::about(resource, name))
    }

    pub fn already_exists(resource: &Resource, name: &str) -> Self {
        let message = format!("{} \"{name}\" already exists", resource.qualified());
        Self::new(409, "AlreadyExists", message, Self::about(resource, name))
    }

    /// A write based on a stale `resourceVersion`.
    pub fn conflict(resource: &Resource, name: &str) -> Self {
        Self::cannot_fulfil(
            resource,
            name,
            "the object has been modified; please apply your changes to the latest version and try again",
        )
    }

    /// A delete whose `preconditions` do not hold (`what` is `UID` or `ResourceVersion`).
    pub fn precondition(resource: &Resource, name: &str, what: &str, expected: &str, actual: &str) -> Self {
        let detail =
            format!("Precondition failed: {what} in precondition: {expected}, {what} in object meta: {actual}");
        Self::cannot_fulfil(resource, name, &detail)
    }

    fn cannot_fulfil(resource: &Resource, name: &str, detail: &str) -> Self {
        let message = format!(
            "Operation cannot be fulfilled on {} \"{name}\": {detail}",
            resource.qualified()
        );
        Self::new(409, "Conflict", message, Self::about(resource, name))
    }

    /// 422 Invalid with every cause, as `<Kind>.<group> "<name>" is invalid: <causes>`.
    pub fn invalid(resource: &Resource, name: &str, causes: &[Cause]) -> Self {
        let lines: Vec<String> = causes.iter().map(|c| format!("{}: {}", c.field, c.message())).collect();
        let joined = match lines.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        let message = format!("{} \"{name}\" is invalid: {joined}", resource.qualified_kind());
        let causes: Vec<Value> = causes
            .iter()
            .map(|c| json!({ "reason": c.reason(), "message": c.message(), "field": c.field }))
            .collect();
        let details = json!({ "name": name, "group": resource.group, "kind": resource.kind, "causes": causes });
        Self::new(422, "Invalid", message, details)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message.into(), json!({}))
    }

    /// What the API server answers when storage refuses (e.g. a create carrying a `resourceVersion`).
    pub fn internal(detail: &str) -> Self {
        Self::new(
            500,
            "InternalError",
            format!("Internal error occurred: {detail}"),
            json!({ "causes": [{ "message": detail }] }),
        )
    }

    pub fn not_served(path: &str) -> Self {
        Self::new(
            404,
            "NotFound",
            format!("the server could not find the requested resource ({path})"),
            json!({}),
        )
    }

    pub fn method_not_allowed(what: &str) -> Self {
        Self::new(
            405,
            "MethodNotAllowed",
            format!("{what} is not supported by the in-memory API server"),
            json!({}),
        )
    }

    pub fn unsupported_media_type(content_type: &str) -> Self {
        Self::new(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {content_type:?})"
            ),
            json!({}),
        )
    }

    /// The `Status` object the API server sends with the code.
    pub fn to_status(&self) -> Value {
        json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "details": self.details,
            "code": self.code,
        })
    }
}

/// A value as the API server's messages show it: a string quoted, anything else as JSON.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::apiserver::kinds::find;

    #[test]
    fn messages_read_like_the_api_servers() {
        let sts = find("apps", "v1", "statefulsets").expect("served");
        let pods = find("", "v1", "pods").expect("served");
        assert_eq!(
            ApiError::conflict(pods, "rec-0").message,
            "Operation cannot be fulfilled on pods \"rec-0\": the object has been modified; please apply your \
             changes to the latest version and try again"
        );
        let one = ApiError::invalid(sts, "rec", &[Cause::forbidden("spec", "no")]);
        assert_eq!(
            (one.code, one.message.as_str()),
            (422, "StatefulSet.apps \"rec\" is invalid: spec: Forbidden: no")
        );
        assert_eq!(one.details["causes"][0]["reason"], "FieldValueForbidden");
        let two = ApiError::invalid(
            pods,
            "p",
            &[
                Cause::required("spec.containers", "must have at least one"),
                Cause::invalid("spec.x", json!("y"), "is bad"),
            ],
        );
        assert_eq!(
            two.message,
            "Pod \"p\" is invalid: [spec.containers: Required value: must have at least one, spec.x: Invalid \
             value: \"y\": is bad]"
        );
        assert_eq!(
            ApiError::not_found(sts, "x").message,
            "statefulsets.apps \"x\" not found"
        );
    }
}
