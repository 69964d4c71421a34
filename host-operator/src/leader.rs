//! Leader election on a `coordination.k8s.io/v1` Lease, written with kube's own `Api<Lease>`, so two replicas can
//! run and only one reconciles.
//!
//! The usual client-go algorithm: take the lease when it is free, ours, or expired (its holder did not renew
//! within `leaseDurationSeconds`); every write carries the read `resourceVersion`, so of two candidates only one
//! wins (the other gets 409 and retries). The leader renews every `renew_every`; when renewing fails for longer
//! than the lease duration it has lost the lease and must stop reconciling. On shutdown it releases the lease so
//! the standby takes over at once. Not done: `preferredHolder`/`strategy` (coordinated leader election).

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use kube::api::{Api, ObjectMeta, PostParams};
use std::time::Duration;

/// Timings and names of one election.
#[derive(Clone, Debug)]
pub struct LeaseConfig {
    pub name: String,
    pub identity: String,
    pub lease_duration: Duration,
    pub renew_every: Duration,
    pub retry_every: Duration,
}

impl LeaseConfig {
    /// The defaults client-go uses (15 s lease, 2 s retry), renewing every 5 s.
    pub fn new(name: impl Into<String>, identity: impl Into<String>) -> Self {
        LeaseConfig {
            name: name.into(),
            identity: identity.into(),
            lease_duration: Duration::from_secs(15),
            renew_every: Duration::from_secs(5),
            retry_every: Duration::from_secs(2),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the lease could not be read or written: {0}")]
    Api(#[from] kube::Error),
    #[error("lost the lease: it was not renewed for {0:?}")]
    Lost(Duration),
}

/// One candidate for the lease.
pub struct Elector {
    api: Api<Lease>,
    config: LeaseConfig,
}

impl Elector {
    pub fn new(api: Api<Lease>, config: LeaseConfig) -> Self {
        Elector { api, config }
    }

    /// Tries once to take or renew the lease; true when this candidate holds it afterwards. A write conflict
    /// (another candidate was faster) is an ordinary `false`.
    pub async fn try_acquire(&self, now: Timestamp) -> Result<bool, Error> {
        let spec = |transitions: i32, acquired: Timestamp| LeaseSpec {
            holder_identity: Some(self.config.identity.clone()),
            lease_duration_seconds: Some(self.config.lease_duration.as_secs().try_into().unwrap_or(i32::MAX)),
            acquire_time: Some(MicroTime(acquired)),
            renew_time: Some(MicroTime(now)),
            lease_transitions: Some(transitions),
            ..LeaseSpec::default()
        };
        let Some(mut lease) = self.api.get_opt(&self.config.name).await? else {
            let lease = Lease {
                metadata: ObjectMeta {
                    name: Some(self.config.name.clone()),
                    ..ObjectMeta::default()
                },
                spec: Some(spec(0, now)),
            };
            return written(self.api.create(&PostParams::default(), &lease).await);
        };
        let current = lease.spec.clone().unwrap_or_default();
        let holder = current.holder_identity.as_deref().filter(|h| !h.is_empty());
        let ours = holder == Some(self.config.identity.as_str());
        if !ours && holder.is_some() && !expired(&current, now) {
            return Ok(false);
        }
        let transitions = current.lease_transitions.unwrap_or(0);
        lease.spec = Some(if ours {
            spec(transitions, current.acquire_time.map_or(now, |t| t.0))
        } else {
            spec(transitions.saturating_add(1), now)
        });
        written(
            self.api
                .replace(&self.config.name, &PostParams::default(), &lease)
                .await,
        )
    }

    /// Waits until this candidate holds the lease.
    pub async fn acquire(&self) -> Result<(), Error> {
        loop {
            match self.try_acquire(Timestamp::now()).await {
                Ok(true) => {
                    tracing::info!(lease = %self.config.name, identity = %self.config.identity, "became the leader");
                    return Ok(());
                }
                Ok(false) => tracing::debug!(lease = %self.config.name, "another replica leads; standing by"),
                Err(e) => tracing::warn!(error = %e, "leader election failed; retrying"),
            }
            tokio::time::sleep(self.config.retry_every).await;
        }
    }

    /// Renews the lease until renewing has failed for a whole lease duration; returns why leadership ended.
    pub async fn keep(&self) -> Error {
        let mut last_renewed = tokio::time::Instant::now();
        loop {
            tokio::time::sleep(self.config.renew_every).await;
            match self.try_acquire(Timestamp::now()).await {
                Ok(true) => last_renewed = tokio::time::Instant::now(),
                Ok(false) => return Error::Lost(last_renewed.elapsed()),
                Err(e) => tracing::warn!(error = %e, "renewing the lease failed"),
            }
            if last_renewed.elapsed() > self.config.lease_duration {
                return Error::Lost(last_renewed.elapsed());
            }
        }
    }

    /// Gives the lease up (when held), so a standby replica takes over without waiting for it to expire.
    pub async fn release(&self) -> Result<(), Error> {
        let Some(mut lease) = self.api.get_opt(&self.config.name).await? else {
            return Ok(());
        };
        let spec = lease.spec.get_or_insert_with(LeaseSpec::default);
        if spec.holder_identity.as_deref() != Some(self.config.identity.as_str()) {
            return Ok(());
        }
        spec.holder_identity = None;
        spec.renew_time = None;
        spec.acquire_time = None;
        self.api
            .replace(&self.config.name, &PostParams::default(), &lease)
            .await?;
        Ok(())
    }
}

/// Whether the holder missed its renewal deadline.
fn expired(spec: &LeaseSpec, now: Timestamp) -> bool {
    let Some(renewed) = spec.renew_time.as_ref().or(spec.acquire_time.as_ref()) else {
        return true;
    };
    let duration = SignedDuration::from_secs(spec.lease_duration_seconds.unwrap_or(15).into());
    renewed
        .0
        .saturating_add(duration)
        .map_or(true, |deadline| deadline < now)
}

fn written(result: Result<Lease, kube::Error>) -> Result<bool, Error> {
    match result {
        Ok(_) => Ok(true),
        Err(kube::Error::Api(status)) if status.code == 409 => Ok(false),
        Err(e) => Err(e.into()),
    }
}
