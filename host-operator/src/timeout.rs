//! The bound on a step's API calls: a request the API server never answers must end the reconcile with that
//! step's reason, not hang it (and with it one of the controller's reconcile slots) forever.
//!
//! One bound per step rather than per HTTP request: the client behind `kube::Client` may be any tower service
//! (the in-memory API in the tests), so the operator bounds what it awaits itself. kube's own read timeout
//! (295 s, sized for watches) stays as the outer net for real connections.

use std::future::Future;
use std::time::Duration;

/// The default bound on one step's API calls.
pub const DEFAULT_API_TIMEOUT: Duration = Duration::from_secs(30);

/// A step's API calls did not finish within the bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the API server did not answer within {after:?}")]
pub struct TimedOut {
    pub after: Duration,
}

/// Runs `step`, failing with [`TimedOut`] (converted into the step's own error) when it takes longer than `limit`.
pub async fn bounded<T, E: From<TimedOut>>(limit: Duration, step: impl Future<Output = Result<T, E>>) -> Result<T, E> {
    tokio::time::timeout(limit, step)
        .await
        .unwrap_or_else(|_| Err(TimedOut { after: limit }.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, thiserror::Error)]
    enum StepError {
        #[error(transparent)]
        TimedOut(#[from] TimedOut),
    }

    #[tokio::test(start_paused = true)]
    async fn a_step_that_never_answers_times_out_and_a_quick_one_does_not() {
        let limit = Duration::from_secs(5);
        let hung = bounded::<(), StepError>(limit, std::future::pending()).await;
        assert_eq!(hung, Err(StepError::TimedOut(TimedOut { after: limit })));
        let quick = bounded::<u8, StepError>(limit, async { Ok(7) }).await;
        assert_eq!(quick, Ok(7));
    }
}
