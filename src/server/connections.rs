//! Connections before TLS: a bound on how many are open at once, and a stall timeout that closes one on which nothing moves.

use std::future::Ready;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum_server::accept::Accept;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// An acceptor that hands out a permit per connection and times out stalled ones; it runs
/// before the TLS handshake, so a refused connection costs no handshake.
#[derive(Debug, Clone)]
pub struct GuardedAcceptor {
    permits: Arc<Semaphore>,
    max_connections: usize,
    stall_timeout: Duration,
    last_warning: Arc<AtomicU64>,
}

/// Refusals are logged at most once a minute: a flood of them should not flood the log too.
const WARNING_INTERVAL_SECONDS: u64 = 60;

impl GuardedAcceptor {
    /// At most `max_connections` open at once, each closed after `stall_timeout` without a
    /// byte moving.
    pub fn new(max_connections: usize, stall_timeout: Duration) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(max_connections)),
            max_connections,
            stall_timeout,
            last_warning: Arc::new(AtomicU64::new(0)),
        }
    }

    fn warn_refused(&self) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let last = self.last_warning.load(Ordering::Relaxed);
        if now >= last + WARNING_INTERVAL_SECONDS
            && self
                .last_warning
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tracing::warn!(
                max_connections = self.max_connections,
                "refusing connections: the most open at once is reached (--max-connections)"
            );
        }
    }
}

impl<S> Accept<TcpStream, S> for GuardedAcceptor {
    type Stream = GuardedStream;
    type Service = S;
    type Future = Ready<io::Result<(GuardedStream, S)>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let Ok(permit) = self.permits.clone().try_acquire_owned() else {
            self.warn_refused();
            return std::future::ready(Err(io::Error::other("too many connections")));
        };
        std::future::ready(Ok((
            GuardedStream {
                inner: stream,
                stall_timeout: self.stall_timeout,
                stall: Box::pin(tokio::time::sleep(self.stall_timeout)),
                last_progress: Instant::now(),
                _permit: permit,
            },
            service,
        )))
    }
}

/// A connection holding its permit (given back when it closes) and failing a read or a
/// write that has waited past the stall timeout since the last byte moved.
#[derive(Debug)]
pub struct GuardedStream {
    inner: TcpStream,
    stall_timeout: Duration,
    stall: Pin<Box<Sleep>>,
    last_progress: Instant,
    _permit: OwnedSemaphorePermit,
}

impl GuardedStream {
    /// Notes when bytes moved; fails a wait that has lasted the stall timeout since. The
    /// timer is moved on only when it fires early, not on every read and write, which
    /// keeps it off the path of a busy connection.
    fn watch<T>(
        &mut self,
        context: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.last_progress = Instant::now();
            return poll;
        }
        while self.stall.as_mut().poll(context).is_ready() {
            let deadline = self.last_progress + self.stall_timeout;
            if Instant::now() >= deadline {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "nothing moved on the connection within the stall timeout",
                )));
            }
            self.stall.as_mut().reset(deadline);
        }
        Poll::Pending
    }
}

impl AsyncRead for GuardedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_read(context, buffer);
        this.watch(context, poll)
    }
}

impl AsyncWrite for GuardedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(context, buffer);
        this.watch(context, poll)
    }

    fn poll_flush(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(context);
        this.watch(context, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(context)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffers: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(context, buffers);
        this.watch(context, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
