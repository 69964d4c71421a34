//! The HTTP endpoints a kubelet and Prometheus use: `/healthz` (the process serves), `/readyz` (the engine is
//! loaded and, on the leader, the REC cache has synced; a standby replica is ready to take over) and `/metrics`.
//!
//! Plain hyper, one small handler: no routing framework for three paths.

use crate::metrics::Metrics;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::net::TcpListener;

/// What `/readyz` reports.
#[derive(Default)]
pub struct Readiness {
    ready: AtomicBool,
}

impl Readiness {
    pub fn set(&self, ready: bool) {
        self.ready.store(ready, Ordering::SeqCst);
    }

    pub fn get(&self) -> bool {
        self.ready.load(Ordering::SeqCst)
    }
}

/// Shared state of the endpoints.
pub struct Health {
    pub readiness: Arc<Readiness>,
    pub metrics: Arc<Metrics>,
}

/// Answers one request (separate from the server so it can be tested without a socket).
pub fn answer(health: &Health, method: &Method, path: &str) -> (StatusCode, &'static str, String) {
    const TEXT: &str = "text/plain; charset=utf-8";
    if method != Method::GET {
        return (StatusCode::METHOD_NOT_ALLOWED, TEXT, "only GET\n".into());
    }
    match path {
        "/healthz" => (StatusCode::OK, TEXT, "ok\n".into()),
        "/readyz" if health.readiness.get() => (StatusCode::OK, TEXT, "ready\n".into()),
        "/readyz" => (StatusCode::SERVICE_UNAVAILABLE, TEXT, "caches not synced\n".into()),
        "/metrics" => match health.metrics.encode() {
            Ok(text) => (
                StatusCode::OK,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
                text,
            ),
            Err(e) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                TEXT,
                format!("metrics not encodable: {e}\n"),
            ),
        },
        _ => (StatusCode::NOT_FOUND, TEXT, "not found\n".into()),
    }
}

/// Binds `addr` and serves until the task is dropped.
pub async fn serve(addr: SocketAddr, health: Arc<Health>) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    tracing::info!(%addr, "serving /healthz, /readyz and /metrics");
    loop {
        let (stream, _) = listener.accept().await?;
        let health = health.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req: Request<Incoming>| {
                let (status, content_type, body) = answer(&health, req.method(), req.uri().path());
                let response = Response::builder()
                    .status(status)
                    .header("content-type", content_type)
                    .body(Full::new(Bytes::from(body)));
                async move { Ok::<_, Infallible>(response.unwrap_or_default()) }
            });
            if let Err(e) = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(error = %e, "health connection ended");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readiness_follows_the_flag_and_paths_answer() {
        let health = Health {
            readiness: Arc::default(),
            metrics: Arc::default(),
        };
        assert_eq!(answer(&health, &Method::GET, "/healthz").0, StatusCode::OK);
        assert_eq!(
            answer(&health, &Method::GET, "/readyz").0,
            StatusCode::SERVICE_UNAVAILABLE
        );
        health.readiness.set(true);
        assert_eq!(answer(&health, &Method::GET, "/readyz").0, StatusCode::OK);
        let (status, _, body) = answer(&health, &Method::GET, "/metrics");
        assert_eq!(status, StatusCode::OK);
        assert!(
            body.contains("rec_operator_reconcile_duration_seconds_count 0"),
            "{body}"
        );
        assert_eq!(answer(&health, &Method::GET, "/nope").0, StatusCode::NOT_FOUND);
        assert_eq!(
            answer(&health, &Method::POST, "/healthz").0,
            StatusCode::METHOD_NOT_ALLOWED
        );
    }

    #[tokio::test]
    async fn serves_over_tcp() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        drop(listener);
        let health = Arc::new(Health {
            readiness: Arc::default(),
            metrics: Arc::default(),
        });
        let server = tokio::spawn(serve(addr, health));
        let mut answer = String::new();
        for _ in 0..50 {
            if let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                stream
                    .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
                    .await
                    .expect("write");
                stream.read_to_string(&mut answer).await.expect("read");
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        server.abort();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("ok\n"), "{answer}");
    }
}
