//! The wire side of the in-memory API server: which resource a path names, the query, selectors, delete
//! options, and the shape of answers (lists, partial object metadata, `Status` errors). No object is stored
//! or changed here.

use super::errors::ApiError;
use super::kinds::{self, Resource};
use super::object;
use super::store::{DeleteOptions, Propagation};
use kube::client::Body;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// One request, read.
pub struct Call<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: BTreeMap<String, String>,
    pub content_type: String,
    pub accept: String,
    pub body: &'a [u8],
}

impl Call<'_> {
    pub fn json(&self) -> Result<Value, ApiError> {
        serde_json::from_slice(self.body)
            .map_err(|e| ApiError::bad_request(format!("the body of the request is not JSON: {e}")))
    }
}

/// Where a request goes.
pub struct Route {
    pub resource: &'static Resource,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub status: bool,
}

/// `/api/v1[/namespaces/<ns>]/<plural>[/<name>[/status]]` or the same under `/apis/<group>/<version>`.
pub fn route(path: &str) -> Result<Route, ApiError> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (group, version, rest) = match segments.as_slice() {
        ["api", version, rest @ ..] => ("", *version, rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return Err(ApiError::not_served(path)),
    };
    let (namespace, rest) = match rest {
        ["namespaces", namespace, rest @ ..] if !rest.is_empty() => (Some(namespace.to_string()), rest),
        rest => (None, rest),
    };
    let (plural, name, status) = match rest {
        [plural] => (*plural, None, false),
        [plural, name] => (*plural, Some(name.to_string()), false),
        [plural, name, "status"] => (*plural, Some(name.to_string()), true),
        _ => return Err(ApiError::not_served(path)),
    };
    let resource = kinds::find(group, version, plural).ok_or_else(|| ApiError::not_served(path))?;
    if name.is_some() && namespace.is_none() {
        return Err(ApiError::not_served(path));
    }
    if status && !resource.status {
        return Err(ApiError::not_served(path));
    }
    Ok(Route {
        resource,
        namespace,
        name,
        status,
    })
}

pub fn query(text: &str) -> BTreeMap<String, String> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

/// Percent-decoding of a query component (`+` is a space).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (byte, None) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The items `labelSelector` and `fieldSelector` (`metadata.name`, `metadata.namespace`) let through.
pub fn select(items: Vec<Value>, query: &BTreeMap<String, String>) -> Result<Vec<Value>, ApiError> {
    let mut items = items;
    if let Some(selector) = query.get("labelSelector").filter(|s| !s.is_empty()) {
        let mut kept = Vec::new();
        for item in items {
            let labels = object::labels(&item);
            if kube_fake_client::label_selector::matches_label_selector(&labels, selector)
                .map_err(|e| ApiError::bad_request(format!("unable to parse requirement: {e}")))?
            {
                kept.push(item);
            }
        }
        items = kept;
    }
    if let Some(selector) = query.get("fieldSelector").filter(|s| !s.is_empty()) {
        for requirement in selector.split(',') {
            let (field, negate, value) = match requirement.split_once("!=") {
                Some((field, value)) => (field, true, value),
                None => {
                    let (field, value) = requirement.split_once('=').unwrap_or((requirement, ""));
                    (field, false, value.trim_start_matches('='))
                }
            };
            let pointer = match field {
                "metadata.name" => "/metadata/name",
                "metadata.namespace" => "/metadata/namespace",
                other => {
                    return Err(ApiError::bad_request(format!("field label not supported: {other}")));
                }
            };
            items.retain(|item| (object::str_at(item, pointer) == Some(value)) != negate);
        }
    }
    Ok(items)
}

pub fn delete_options(call: &Call<'_>) -> Result<DeleteOptions, ApiError> {
    let body: Value = if call.body.is_empty() { json!({}) } else { call.json()? };
    let policy = call
        .query
        .get("propagationPolicy")
        .cloned()
        .or_else(|| object::str_at(&body, "/propagationPolicy").map(str::to_string));
    let orphan = call
        .query
        .get("orphanDependents")
        .map(|v| v == "true")
        .or_else(|| body.get("orphanDependents").and_then(Value::as_bool));
    let propagation = match (policy.as_deref(), orphan) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"\": orphanDependents and deletionPropagation cannot be both set",
            ));
        }
        (Some("Orphan"), _) | (None, Some(true)) => Propagation::Orphan,
        (Some("Foreground"), _) => Propagation::Foreground,
        (Some("Background") | None, _) => Propagation::Background,
        (Some(other), _) => {
            return Err(ApiError::bad_request(format!(
                "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{other}\": supported values: \"Foreground\", \"Background\", \"Orphan\""
            )));
        }
    };
    let grace_period_seconds = call
        .query
        .get("gracePeriodSeconds")
        .and_then(|g| g.parse().ok())
        .or_else(|| body.get("gracePeriodSeconds").and_then(Value::as_i64));
    let dry_run = call.query.get("dryRun").is_some_and(|v| v == "All")
        || body
            .get("dryRun")
            .and_then(Value::as_array)
            .is_some_and(|d| d.iter().any(|v| v == "All"));
    Ok(DeleteOptions {
        propagation,
        grace_period_seconds,
        uid: object::str_at(&body, "/preconditions/uid").map(str::to_string),
        resource_version: object::str_at(&body, "/preconditions/resourceVersion").map(str::to_string),
        dry_run,
    })
}

/// Whether the client asked for metadata only (`Accept: ...;as=PartialObjectMetadata[List]`).
fn wants_metadata(accept: &str) -> bool {
    accept.contains("as=PartialObjectMetadata")
}

pub fn partial(object: Value, accept: &str) -> Value {
    if wants_metadata(accept) {
        json!({ "apiVersion": "meta.k8s.io/v1", "kind": "PartialObjectMetadata", "metadata": object["metadata"] })
    } else {
        object
    }
}

pub fn list(resource: &Resource, items: Vec<Value>, revision: u64, accept: &str) -> Value {
    let metadata = json!({ "resourceVersion": revision.to_string() });
    if wants_metadata(accept) {
        let items: Vec<Value> = items.into_iter().map(|o| partial(o, accept)).collect();
        return json!({ "apiVersion": "meta.k8s.io/v1", "kind": "PartialObjectMetadataList", "metadata": metadata, "items": items });
    }
    json!({
        "apiVersion": resource.api_version(),
        "kind": format!("{}List", resource.kind),
        "metadata": metadata,
        "items": items,
    })
}

pub fn respond(result: Result<Value, ApiError>) -> http::Response<Body> {
    match result {
        Ok(value) => respond_with(200, value),
        Err(error) => respond_with(error.code, error.to_status()),
    }
}

pub fn respond_with(code: u16, body: Value) -> http::Response<Body> {
    let mut response = http::Response::new(Body::from(body.to_string().into_bytes()));
    *response.status_mut() = http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_route_to_resources() {
        let r = route("/apis/apps/v1/namespaces/redis/statefulsets/rec/status").expect("routes");
        assert_eq!(
            (r.resource.kind, r.namespace.as_deref(), r.name.as_deref(), r.status),
            ("StatefulSet", Some("redis"), Some("rec"), true)
        );
        let all = route("/api/v1/pods").expect("routes");
        assert_eq!((all.resource.kind, all.namespace, all.name), ("Pod", None, None));
        assert_eq!(route("/api/v1/namespaces/redis/nodes").err().map(|e| e.code), Some(404));
        assert_eq!(
            route("/api/v1/namespaces/redis/secrets/s/status").err().map(|e| e.code),
            Some(404)
        );
    }

    #[test]
    fn queries_are_decoded() {
        let q = query("labelSelector=app%3Dredis%2Ctier+in+%28db%29&dryRun=All&x");
        assert_eq!(q["labelSelector"], "app=redis,tier in (db)");
        assert_eq!(q["dryRun"], "All");
        assert_eq!(q["x"], "");
        assert_eq!(decode("100%"), "100%");
    }
}
