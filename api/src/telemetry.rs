//! Logging and tracing setup, done once at start-up. `RUST_LOG` filters
//! (default `info`). When the standard `OTEL_EXPORTER_OTLP_ENDPOINT` (or
//! `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, spans (one per HTTP request,
//! with the request log line as an event) are also exported over OTLP/HTTP
//! (protobuf) to that collector; the other `OTEL_*` variables
//! (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_EXPORTER_OTLP_HEADERS`,
//! `OTEL_BSP_*`, `OTEL_SDK_DISABLED`) work as the OpenTelemetry specification says.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};

use crate::config::LogFormat;

/// Keeps the span exporter alive; [`Telemetry::shutdown`] flushes what is buffered.
#[must_use = "call shutdown() before exit, or buffered spans are lost"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Whether spans are exported (an OTLP endpoint is configured).
    pub fn exporting(&self) -> bool {
        self.provider.is_some()
    }

    /// Sends the spans still buffered and stops the exporter.
    pub fn shutdown(self) {
        if let Some(provider) = self.provider {
            if let Err(e) = provider.shutdown() {
                eprintln!("cte-hub: OpenTelemetry shutdown: {e}");
            }
        }
    }
}

/// Installs the global subscriber; a second call (as in tests) is a no-op.
pub fn init(format: LogFormat, stream: LogStream) -> Telemetry {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let provider = otlp_provider();
    let otel = provider
        .as_ref()
        .map(|p| tracing_opentelemetry::layer().with_tracer(p.tracer("cte-hub")));
    let registry = tracing_subscriber::registry().with(filter).with(otel);
    // Colour codes only for a person at a terminal: piped to a file or a collector they are noise.
    let ansi = match stream {
        LogStream::Stdout => std::io::IsTerminal::is_terminal(&std::io::stdout()),
        LogStream::Stderr => std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
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
                    .with_ansi(false)
                    .with_writer(writer),
            )
            .try_init(),
        LogFormat::Pretty => registry
            .with(fmt::layer().compact().with_ansi(ansi).with_writer(writer))
            .try_init(),
    };
    Telemetry { provider }
}

/// The OTLP span pipeline, when the environment asks for one.
fn otlp_provider() -> Option<SdkTracerProvider> {
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.trim().is_empty());
    let disabled =
        std::env::var("OTEL_SDK_DISABLED").is_ok_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if disabled
        || !(set("OTEL_EXPORTER_OTLP_ENDPOINT") || set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
    {
        return None;
    }
    let exporter = match opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .build()
    {
        Ok(exporter) => exporter,
        Err(e) => {
            // Telemetry must never stop the service: say why and run without it.
            eprintln!("cte-hub: OpenTelemetry export disabled: {e}");
            return None;
        }
    };
    let service = std::env::var("OTEL_SERVICE_NAME")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "cte-hub".to_owned());
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name(service)
        .build();
    Some(
        SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(resource)
            .build(),
    )
}

/// Where logs go: the server logs to stdout (collected by the platform); commands that print
/// results (`export`, `import --json`, `schema`) log to stderr so their output stays clean.
#[derive(Clone, Copy, Debug)]
pub enum LogStream {
    Stdout,
    Stderr,
}
