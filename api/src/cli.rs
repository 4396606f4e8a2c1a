//! The `cte-hub` command line: `serve` (default), `migrate`, `seed` (with `--sample`,
//! `--synthetic`), `schema`, `client` (API clients), `token` (development tokens),
//! `import` (files partners have) and `export` (the whole catalogue).

use clap::{Parser, Subcommand, ValueEnum};
use migration::{Migrator, MigratorTrait};

use crate::{
    auth::{clients, tokens::SigningIdentity, Caller, Principal, Role},
    config::{AuthSettings, DatabaseSettings, LogFormat, ServeSettings},
    db::{self, StatementCounter},
    export,
    import::{self, Format, ImportKind, ImportRequest},
    schema, seed, startup,
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
// Parsed once per process: the size of `Serve`'s settings does not matter.
#[allow(clippy::large_enum_variant)]
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
    /// Register, list or revoke API clients of the client-credentials flow.
    Client {
        #[command(subcommand)]
        action: ClientAction,
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Print a token signed with the server's signing key (for development and scripts).
    Token {
        /// The organisation the token acts for (program code, district code (its CDS code, or its short code when it has none), college IPEDS id, partner code).
        #[arg(long)]
        org: String,
        /// Roles: admin, editor, reader (repeat or comma-separate).
        #[arg(long = "role", value_delimiter = ',', required = true)]
        roles: Vec<String>,
        /// The token's subject.
        #[arg(long, default_value = "dev")]
        sub: String,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 3600)]
        ttl_secs: u64,
        #[command(flatten)]
        auth: AuthSettings,
    },
    /// Import a file (see docs/import.md): all-or-nothing, upserted by natural key, audited.
    /// Exits non-zero when any row is rejected.
    Import {
        /// What the file holds.
        #[arg(value_enum, required_unless_present = "template")]
        kind: Option<ImportKind>,
        /// The file (`-` for standard input).
        #[arg(required_unless_present = "template")]
        file: Option<String>,
        /// Print the header-only CSV template of a kind and exit.
        #[arg(long, value_enum, value_name = "KIND", conflicts_with_all = ["kind", "file"])]
        template: Option<ImportKind>,
        /// Check and report everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the valid rows even when some are rejected (and list the rejected ones).
        #[arg(long)]
        partial: bool,
        /// File format; by default from the file name (.json, .txt/.tsv, else CSV).
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Import as an editor of this organisation (program code, district code (CDS code or short code), partner
        /// code): rows outside it are refused. Without it the import runs as admin.
        #[arg(long)]
        org: Option<String>,
        /// Roles of that identity (default editor).
        #[arg(long = "role", value_delimiter = ',', default_value = "editor")]
        roles: Vec<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Print a realistic generated `pubschls.txt` (tests and benchmarks; fixture rows say so).
    Fixture {
        /// The file to generate.
        #[arg(value_enum)]
        kind: FixtureKind,
        /// Data rows.
        #[arg(long, default_value_t = 20_000)]
        rows: usize,
    },
    /// Write the whole catalogue to standard output (or `--out`).
    Export {
        #[arg(value_enum)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        #[command(flatten)]
        database: DatabaseSettings,
    },
}

/// The test files `cte-hub fixture` generates.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FixtureKind {
    /// A CDE public schools file (`pubschls.txt`).
    Pubschls,
}

/// What `cte-hub export` writes.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ExportFormat {
    /// The whole catalogue in the import layouts (re-importable with `import catalog`).
    Json,
    /// Pathways, courses and certifications as CTDL JSON-LD (Credential Engine).
    Ctdl,
}

/// API client actions.
#[derive(Subcommand, Debug)]
pub enum ClientAction {
    /// Register a client; prints its id and secret (the secret is shown only this once).
    Create {
        /// The organisation it acts for.
        #[arg(long)]
        org: String,
        /// Its roles: admin, editor, reader (repeat or comma-separate).
        #[arg(long = "role", value_delimiter = ',', required = true)]
        roles: Vec<String>,
        /// A name people recognise ("Long Beach USD portal").
        #[arg(long, default_value = "")]
        name: String,
    },
    /// List clients (never their secrets).
    List,
    /// Revoke a client: its secret stops working at once.
    Revoke {
        /// The client id.
        client_id: String,
    },
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
    #[error(transparent)]
    Connect(#[from] db::ConnectError),
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Seed(#[from] seed::SeedError),
    #[error(transparent)]
    Startup(#[from] startup::StartupError),
    #[error(transparent)]
    Client(#[from] crate::auth::clients::ClientError),
    #[error(transparent)]
    Auth(#[from] crate::auth::AuthError),
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error(transparent)]
    Api(#[from] crate::error::ApiError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The import finished but refused rows; the report was printed.
    #[error("{0} row(s) rejected")]
    Rejected(usize),
    #[error("{0}")]
    Usage(String),
}

fn parse_roles(names: &[String]) -> Result<Vec<Role>, CliError> {
    names
        .iter()
        .map(|n| {
            Role::parse(n).ok_or_else(|| {
                CliError::Usage(format!("unknown role '{n}': use admin, editor or reader"))
            })
        })
        .collect()
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
        Command::Schema => print!("{}", schema::sdl()),
        Command::Client { action, database } => {
            let db = db::connect(&database.url, &StatementCounter::default()).await?;
            db::migrate(&db).await?;
            match action {
                ClientAction::Create { org, roles, name } => {
                    let roles = parse_roles(&roles)?;
                    let (client_id, secret) = clients::create(&db, &name, &org, &roles).await?;
                    println!("client_id:     {client_id}");
                    println!("client_secret: {secret}");
                    println!("(the secret is not stored and cannot be shown again)");
                }
                ClientAction::List => {
                    for c in clients::list(&db).await? {
                        let roles: Vec<&str> = c.roles.iter().map(|r| r.as_str()).collect();
                        println!(
                            "{}\t{}\t{}\t{}\t{}{}",
                            c.client_id,
                            c.org,
                            roles.join(","),
                            c.created_at.format("%Y-%m-%d"),
                            c.name,
                            if c.revoked { "\t(revoked)" } else { "" }
                        );
                    }
                }
                ClientAction::Revoke { client_id } => {
                    if clients::revoke(&db, &client_id).await? {
                        println!("revoked {client_id}");
                    } else {
                        return Err(CliError::Usage(format!(
                            "no live client has id '{client_id}'"
                        )));
                    }
                }
            }
        }
        Command::Token {
            org,
            roles,
            sub,
            ttl_secs,
            auth,
        } => {
            let principal = Principal {
                sub,
                org,
                roles: parse_roles(&roles)?,
            };
            let signing = SigningIdentity::load_or_create(&auth.signing_key_file)?;
            println!("{}", signing.issue(&auth, &principal, ttl_secs)?);
        }
        Command::Import {
            kind,
            file,
            template,
            dry_run,
            partial,
            format,
            org,
            roles,
            json,
            database,
        } => {
            if let Some(kind) = template {
                return match kind {
                    ImportKind::Pubschls | ImportKind::Catalog => Err(CliError::Usage(format!(
                        "{} has no CSV template: see docs/import.md",
                        kind.name()
                    ))),
                    kind => {
                        print!("{}", import::catalog::template(kind));
                        Ok(())
                    }
                };
            }
            let (Some(kind), Some(file)) = (kind, file) else {
                return Err(CliError::Usage("give a kind and a file".into()));
            };
            let bytes = if file == "-" {
                let mut buffer = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut buffer)?;
                buffer
            } else {
                std::fs::read(&file)
                    .map_err(|e| CliError::Usage(format!("cannot read {file}: {e}")))?
            };
            let principal = match org {
                Some(org) => Principal {
                    sub: format!("cli:{org}"),
                    org,
                    roles: parse_roles(&roles)?,
                },
                None => Principal {
                    sub: "cli".into(),
                    org: "cte-hub".into(),
                    roles: vec![Role::Admin],
                },
            };
            let db = db::connect(&database.url, &StatementCounter::default()).await?;
            db::migrate(&db).await?;
            let request = ImportRequest {
                kind,
                bytes: &bytes,
                format: format.or_else(|| (file != "-").then(|| Format::from_name(&file))),
                dry_run,
                partial,
            };
            let report = import::run(
                &db,
                &Caller::Authenticated(principal),
                None,
                request,
                &import::Console::new(),
            )
            .await?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report)
                        .map_err(|e| CliError::Usage(e.to_string()))?
                );
            } else {
                print!("{report}");
            }
            if report.has_rejections() {
                return Err(CliError::Rejected(report.rejected));
            }
        }
        Command::Fixture {
            kind: FixtureKind::Pubschls,
            rows,
        } => print!("{}", import::fixture::pubschls(rows)),
        Command::Export {
            format,
            out,
            database,
        } => {
            let db = db::connect(&database.url, &StatementCounter::default()).await?;
            db::migrate(&db).await?;
            let document = match format {
                ExportFormat::Json => export::catalog_json(&db).await?,
                ExportFormat::Ctdl => export::ctdl::catalog(&db).await?,
            };
            let mut text = serde_json::to_string_pretty(&document)
                .map_err(|e| CliError::Usage(e.to_string()))?;
            text.push('\n');
            match out {
                Some(path) => std::fs::write(&path, text)?,
                None => print!("{text}"),
            }
        }
    }
    Ok(())
}
