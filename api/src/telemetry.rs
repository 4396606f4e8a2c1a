//! Logging setup, done once at start-up. `RUST_LOG` filters (default `info`).

use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};

use crate::config::LogFormat;

/// Installs the global subscriber; a second call (as in tests) is a no-op.
pub fn init(format: LogFormat, stream: LogStream) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let writer = move || -> Box<dyn std::io::Write> {
        match stream {
            LogStream::Stdout => Box::new(std::io::stdout()),
            LogStream::Stderr => Box::new(std::io::stderr()),
        }
    };
    let _ = match format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_writer(writer),
            )
            .try_init(),
        LogFormat::Pretty => registry
            .with(fmt::layer().compact().with_writer(writer))
            .try_init(),
    };
}

/// Where logs go: the server logs to stdout (collected by the platform); commands that print
/// results (`export`, `import --json`, `schema`) log to stderr so their output stays clean.
#[derive(Clone, Copy, Debug)]
pub enum LogStream {
    Stdout,
    Stderr,
}
