//! The `cte-hub` binary: parse the command line and run it.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: allocation was a quarter of the server's CPU time under load with the system
/// allocator (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = api::cli::Cli::parse();
    let stream = match cli.command {
        None | Some(api::cli::Command::Serve(_)) => api::telemetry::LogStream::Stdout,
        Some(_) => api::telemetry::LogStream::Stderr,
    };
    let telemetry = api::telemetry::init(cli.log_format, stream);
    let code = match api::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "cte-hub failed");
            eprintln!("cte-hub: {e}");
            ExitCode::FAILURE
        }
    };
    // Flushes buffered spans; blocking, so off the async workers.
    let _ = tokio::task::spawn_blocking(move || telemetry.shutdown()).await;
    code
}
