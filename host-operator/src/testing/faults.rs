//! Fault injection in front of the in-memory API, at the HTTP layer where a real API server fails: an injector
//! looks at each request (method and path) and may answer it with an error status (409 Conflict, 500, ...),
//! never answer it (a hang: the operator's step timeout must end it), or first delete an object behind the
//! operator's back (an owned object, the credentials Secret, the REC itself) and then let the request through.
//!
//! kube-fake-client's own interceptors are synchronous and do not see the kind of a GET; this layer sees every
//! request as the API server would. It decides nothing itself: the injector (a test's schedule) does.

use kube::Client;
use kube::api::{Api, ApiResource, DeleteParams, DynamicObject};
use kube::client::Body;
use std::sync::Arc;

/// A request as the injector sees it.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// `GET`, `POST`, `PATCH`, `DELETE`, ...
    pub method: &'a str,
    /// The URL path without the query, e.g. `/apis/apps/v1/namespaces/redis/statefulsets/rec`.
    pub path: &'a str,
}

impl Call<'_> {
    /// Whether the request is about `plural` (a collection, an object of it or its status).
    pub fn is(&self, method: &str, plural: &str) -> bool {
        self.method == method && self.path.split('/').any(|segment| segment == plural)
    }

    /// The object's name when the path names one (`.../<plural>/<name>[/status]`).
    pub fn name(&self, plural: &str) -> Option<&str> {
        let mut segments = self.path.split('/').skip_while(|s| *s != plural);
        segments.next()?;
        segments.next()
    }
}

/// What happens to one request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answered at once with this HTTP status (and a Kubernetes `Status` body naming it as injected).
    Status(u16),
    /// Never answered.
    Hang,
    /// The object is deleted (as another client would), then the request goes through.
    DeleteFirst { resource: ApiResource, name: String },
}

/// Decides, per request, whether a fault happens.
pub type Injector = Arc<dyn Fn(&Call<'_>) -> Option<Fault> + Send + Sync>;

/// A client that sends every request through `inject` before `inner` (the in-memory API) sees it.
pub fn with_faults(inner: Client, inject: Injector) -> Client {
    let namespace = inner.default_namespace().to_string();
    let service = tower::service_fn(move |request: http::Request<Body>| {
        let inner = inner.clone();
        let call = Call {
            method: request.method().as_str(),
            path: request.uri().path(),
        };
        let fault = inject(&call);
        async move {
            match fault {
                None => {}
                Some(Fault::Status(code)) => return Ok(status(code)),
                Some(Fault::Hang) => std::future::pending::<()>().await,
                Some(Fault::DeleteFirst { resource, name }) => {
                    let namespace = namespace_of(request.uri().path()).unwrap_or_default();
                    let api: Api<DynamicObject> = Api::namespaced_with(inner.clone(), &namespace, &resource);
                    // Already gone is as good as deleted.
                    let _ = api.delete(&name, &DeleteParams::default()).await;
                }
            }
            inner.send(request).await
        }
    });
    Client::new(service, namespace)
}

fn namespace_of(path: &str) -> Option<String> {
    let mut segments = path.split('/').skip_while(|s| *s != "namespaces");
    segments.next()?;
    segments.next().map(str::to_string)
}

/// An API server error answer: a `Status` object with the code and its usual reason.
fn status(code: u16) -> http::Response<Body> {
    let reason = match code {
        404 => "NotFound",
        409 => "Conflict",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        _ => "Unknown",
    };
    let body = serde_json::json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": format!("injected fault: {code} {reason}"),
        "reason": reason,
        "code": code,
    });
    super::apiserver::respond_with(code, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_name_their_resource_and_object() {
        let call = Call {
            method: "PATCH",
            path: "/apis/app.redislabs.com/v1/namespaces/redis/redisenterpriseclusters/rec/status",
        };
        assert!(call.is("PATCH", "redisenterpriseclusters"));
        assert!(!call.is("GET", "redisenterpriseclusters"));
        assert_eq!(call.name("redisenterpriseclusters"), Some("rec"));
        assert_eq!(namespace_of(call.path).as_deref(), Some("redis"));
        let list = Call {
            method: "GET",
            path: "/api/v1/namespaces/redis/services",
        };
        assert_eq!(list.name("services"), None);
    }

    #[test]
    fn injected_statuses_read_as_api_errors() {
        let response = status(409);
        assert_eq!(response.status(), 409);
        assert_eq!(status(599).status(), 599);
    }
}
