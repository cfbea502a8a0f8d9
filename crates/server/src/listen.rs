//! The HTTP listener: HTTP/1.1 connections served with a deadline for each request's header
//! and a cap on connections, in all and per client address, so that no one client can hold
//! the process's file descriptors with half-sent requests (slowloris) and shut out everyone
//! else, the SMTP listener of the same process included.
//!
//! A connection over a cap is closed as soon as it is accepted. Behind a reverse proxy
//! (`trust_proxy_headers`) every connection comes from the proxy, so only the total cap
//! applies; the proxy holds its own clients to account.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use forewarn_ingest::clients::{ClientSlot, Clients};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How many connections the listener keeps and how long a request's header may take.
#[derive(Clone, Debug)]
pub struct ConnectionLimits {
    /// Connections open at once, from everyone.
    pub total: usize,
    /// Connections open at once from one client address; `None` behind a reverse proxy.
    pub per_client: Option<usize>,
    /// How long a client has to send a request's whole header, the first and each one after
    /// on a kept-alive connection; a connection that sends none in time is closed.
    pub header_read: Duration,
}

/// A place for one connection: one of the total, and one of its client's when those are
/// capped. Both are given back when it is dropped.
struct Slot {
    _client: Option<ClientSlot>,
    _total: tokio::sync::OwnedSemaphorePermit,
}

/// A place for a new connection from `ip`, if both caps allow it.
fn admit(
    limits: &ConnectionLimits,
    total: &Arc<Semaphore>,
    clients: &Clients,
    ip: IpAddr,
) -> Option<Slot> {
    let permit = total.clone().try_acquire_owned().ok()?;
    let client = match limits.per_client {
        Some(cap) => Some(clients.take(ip, cap)?),
        None => None,
    };
    Some(Slot {
        _client: client,
        _total: permit,
    })
}

/// Serves `app` on `listener` until `shutdown` completes; then accepts nothing more and waits
/// for the requests under way to finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let total = Arc::new(Semaphore::new(limits.total.max(1)));
    let clients = Clients::default();
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors or a connection reset before it was taken:
                    // wait a moment rather than spin, and go on.
                    tracing::warn!(%error, "accepting an HTTP connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(slot) = admit(&limits, &total, &clients, peer.ip()) else {
            metrics::counter!("forewarn_http_connections_refused_total").increment(1);
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request| {
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            let mut app = app.clone();
            async move {
                use tower::Service;
                app.call(request).await
            }
        });
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "HTTP connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_count_connections_and_give_places_back() {
        let limits = ConnectionLimits {
            total: 3,
            per_client: Some(2),
            header_read: Duration::from_secs(1),
        };
        let total = Arc::new(Semaphore::new(limits.total));
        let clients = Clients::default();
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let first = admit(&limits, &total, &clients, a).unwrap();
        let _second = admit(&limits, &total, &clients, a).unwrap();
        assert!(
            admit(&limits, &total, &clients, a).is_none(),
            "a third from one client"
        );
        let _other = admit(&limits, &total, &clients, b).unwrap();
        assert!(
            admit(&limits, &total, &clients, b).is_none(),
            "a fourth in all"
        );
        drop(first);
        assert!(
            admit(&limits, &total, &clients, a).is_some(),
            "the place came back"
        );
        let behind_proxy = ConnectionLimits {
            per_client: None,
            ..limits
        };
        let total = Arc::new(Semaphore::new(behind_proxy.total));
        let clients = Clients::default();
        let held: Vec<Slot> = (0..3)
            .map(|_| admit(&behind_proxy, &total, &clients, a).unwrap())
            .collect();
        assert!(admit(&behind_proxy, &total, &clients, a).is_none());
        assert_eq!(clients.open(a), 0, "behind a proxy no client is counted");
        drop(held);
        assert!(admit(&behind_proxy, &total, &clients, a).is_some());
    }
}
