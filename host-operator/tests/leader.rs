//! Leader election on a Lease in the in-memory API server: one holder at a time, takeover after expiry,
//! release on shutdown.

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::coordination::v1::Lease;
use kube::Api;
use kube_fake_client::ClientBuilder;
use rec_operator::leader::{Elector, LeaseConfig};

#[tokio::test]
async fn one_holder_at_a_time_takeover_after_expiry_and_release() {
    let client = ClientBuilder::new().build().await.expect("fake API server");
    let api: Api<Lease> = Api::namespaced(client, "rec-operator");
    let a = Elector::new(api.clone(), LeaseConfig::new("leader", "a"));
    let b = Elector::new(api.clone(), LeaseConfig::new("leader", "b"));
    let now = Timestamp::now();

    assert!(a.try_acquire(now).await.expect("a tries"), "a takes the free lease");
    assert!(
        !b.try_acquire(now).await.expect("b tries"),
        "b must wait while a holds it"
    );
    assert!(
        a.try_acquire(now + SignedDuration::from_secs(5))
            .await
            .expect("a renews")
    );
    assert!(
        !b.try_acquire(now + SignedDuration::from_secs(19))
            .await
            .expect("b tries"),
        "renewed 14 s ago"
    );

    let later = now + SignedDuration::from_secs(21);
    assert!(
        b.try_acquire(later).await.expect("b tries"),
        "a missed its renewal: b takes over"
    );
    let lease = api.get("leader").await.expect("lease").spec.expect("spec");
    assert_eq!(lease.holder_identity.as_deref(), Some("b"));
    assert_eq!(lease.lease_transitions, Some(1));
    assert_eq!(lease.lease_duration_seconds, Some(15));

    a.release().await.expect("a releases nothing it does not hold");
    assert_eq!(
        api.get("leader")
            .await
            .expect("lease")
            .spec
            .and_then(|s| s.holder_identity)
            .as_deref(),
        Some("b")
    );
    b.release().await.expect("b releases");
    assert!(
        a.try_acquire(later).await.expect("a tries"),
        "a released lease is free at once"
    );
}
