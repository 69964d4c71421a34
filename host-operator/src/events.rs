//! Kubernetes Events on the REC through kube's `Recorder` (events.k8s.io/v1; needs RBAC create + patch).
//!
//! Publishing is best effort: a failed event is logged and never fails the reconcile. Notes are cut to the API's
//! 1 kB limit. Reasons are the reconcile error names or fixed PascalCase strings (bounded, never user text).

use k8s_openapi::api::core::v1::ObjectReference;
use kube::runtime::events::{Event, EventType, Recorder};

/// The largest note the Events API accepts.
const MAX_NOTE: usize = 1024;

/// Publishes one event about `regarding`.
pub async fn publish(
    recorder: &Recorder,
    regarding: &ObjectReference,
    type_: EventType,
    reason: &str,
    action: &str,
    note: String,
) {
    let event = Event {
        type_,
        reason: reason.into(),
        note: Some(cut(note)),
        action: action.into(),
        secondary: None,
    };
    if let Err(e) = recorder.publish(&event, regarding).await {
        tracing::warn!(error = %e, reason, "publishing an event failed");
    }
}

fn cut(mut note: String) -> String {
    if note.len() > MAX_NOTE {
        let mut end = MAX_NOTE - 3;
        while !note.is_char_boundary(end) {
            end -= 1;
        }
        note.truncate(end);
        note.push_str("...");
    }
    note
}

#[cfg(test)]
mod tests {
    #[test]
    fn notes_fit_the_api_limit() {
        let note = super::cut("ü".repeat(2000));
        assert!(note.len() <= super::MAX_NOTE && note.ends_with("..."));
        assert_eq!(super::cut("short".into()), "short");
    }
}
