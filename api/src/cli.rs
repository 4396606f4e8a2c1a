//! The `cte-hub` command line: `serve` (default), `migrate`, `seed` (with `--sample`, `--synthetic`), `schema`.

use clap::{Parser, Subcommand, ValueEnum};
use migration::{Migrator, MigratorTrait};

use crate::{
    config::{DatabaseSettings, LogFormat, ServeSettings},
    db::{self, StatementCounter},
    graphql, seed, startup,
};

/// CTE Hub: California Career Technical Education data as a GraphQL API.
#[derive(Parser, Debug)]
#[command(name = "cte-hub", version, about)]
pub struct Cli {
    /// Log format.
    #[arg(long, env = "CTE_HUB_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrate, seed an empty database, and serve HTTP (the default).
    Serve(ServeSettings),
    /// Apply or inspect schema migrations.
    Migrate {
        #[arg(value_enum, default_value_t = MigrateAction::Up)]
        action: MigrateAction,
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Load the real reference data (idempotent); `--sample` adds the illustrative catalogue.
    Seed {
        #[arg(long)]
        sample: bool,
        /// Also load the deterministic synthetic benchmark data set at this scale (1 = California size).
        #[arg(long, value_name = "SCALE")]
        synthetic: Option<f64>,
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Print the GraphQL SDL (the content of `schema.graphql`).
    Schema,
}

/// Migration actions.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum MigrateAction {
    Up,
    Down,
    Status,
    Fresh,
}

/// Errors that end the process with a message and a non-zero exit.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Seed(#[from] seed::SeedError),
    #[error(transparent)]
    Startup(#[from] startup::StartupError),
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let command = match cli.command {
        Some(command) => command,
        // No subcommand: serve, with settings from the environment.
        None => match Cli::parse_from(["cte-hub", "serve"]).command {
            Some(command) => command,
            None => return Ok(()),
        },
    };
    match command {
        Command::Serve(settings) => {
            let app = startup::App::build(settings).await?;
            app.run_until_stopped().await?;
        }
        Command::Migrate { action, database } => {
            let db = db::connect(&database.url, &StatementCounter::default()).await?;
            match action {
                MigrateAction::Up => Migrator::up(&db, None).await?,
                MigrateAction::Down => Migrator::down(&db, Some(1)).await?,
                MigrateAction::Status => Migrator::status(&db).await?,
                MigrateAction::Fresh => Migrator::fresh(&db).await?,
            }
            tracing::info!(database = %database.redacted(), ?action, "migrations done");
        }
        Command::Seed {
            sample,
            synthetic,
            database,
        } => {
            let db = db::connect(&database.url, &StatementCounter::default()).await?;
            db::migrate(&db).await?;
            let mut inserted = seed::reference(&db).await?.inserted;
            if sample {
                inserted += seed::sample(&db).await?.inserted;
            }
            if let Some(scale) = synthetic {
                inserted += seed::synthetic(&db, scale).await?.inserted;
            }
            println!(
                "seeded {}: {inserted} records inserted",
                database.redacted()
            );
        }
        Command::Schema => print!("{}", graphql::sdl()),
    }
    Ok(())
}
