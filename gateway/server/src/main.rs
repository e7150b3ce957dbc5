//! `timebank-gateway`: see `timebank_gateway` and `docs/GATEWAY.md`. Any error ends the process
//! with one sentence on stderr and exit code 1, never a panic.

use clap::Parser;
use std::process::ExitCode;
use timebank_gateway::{
	api,
	config::{Cli, Command, Config},
	store, Gateway, GatewayError,
};

fn main() -> ExitCode {
	let cli = Cli::parse();
	let config = match cli.settings.resolve() {
		Ok(config) => config,
		Err(e) => return fail(&e.into()),
	};
	init_logs(&config.log);
	let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
		Ok(runtime) => runtime,
		Err(e) => {
			eprintln!("error: cannot start the async runtime: {e}");
			return ExitCode::FAILURE;
		}
	};
	let result = runtime.block_on(async move {
		match cli.command.unwrap_or(Command::Run) {
			Command::Run => run(config).await,
			Command::CheckConfig => {
				println!("{}", config.describe());
				Ok(())
			}
			Command::Migrate => migrate(&config).await,
			Command::Reconcile => reconcile(&config).await,
			Command::Openapi => {
				let document = api::openapi()
					.to_pretty_json()
					.map_err(|e| GatewayError::Output(e.to_string()))?;
				println!("{document}");
				Ok(())
			}
			Command::RotateKek { new_kek_file, new_kek_id } => {
				rotate_kek(config, new_kek_file, new_kek_id).await
			}
			Command::ExportKey { account, officer } => export_key(config, &account, &officer).await,
		}
	});
	match result {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => fail(&e),
	}
}

fn fail(e: &GatewayError) -> ExitCode {
	eprintln!("error: {e}");
	ExitCode::FAILURE
}

fn init_logs(filter: &str) {
	let filter = tracing_subscriber::EnvFilter::try_new(filter)
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

async fn run(config: Config) -> Result<(), GatewayError> {
	let listen = config.listen;
	tracing::info!(node = %config.node_url, listen = %listen, "starting");
	let gateway = Gateway::open(config).await?;
	let listener = tokio::net::TcpListener::bind(listen)
		.await
		.map_err(|e| GatewayError::Listen { addr: listen.to_string(), reason: e.to_string() })?;
	let mut workers = gateway.spawn_workers();
	if gateway.config.demo {
		workers.push(tokio::spawn(seed_demo(gateway.clone())));
	}
	tracing::info!(listen = %listen, "ready");
	let app = api::router(gateway).into_make_service_with_connect_info::<std::net::SocketAddr>();
	let server = axum::serve(listener, app);
	tokio::select! {
		result = server => {
			result.map_err(|e| GatewayError::Listen { addr: listen.to_string(), reason: e.to_string() })?;
		},
		_ = tokio::signal::ctrl_c() => tracing::info!("stopping (interrupt)"),
	}
	// Every step is committed before the next; stopping here loses nothing.
	for worker in workers {
		worker.abort();
	}
	Ok(())
}

/// Set up the demo branch beside the running gateway (its outbox sends the registrations), then
/// print who can sign in.
async fn seed_demo(gateway: Gateway) {
	match gateway.seed_demo().await {
		Ok(people) => {
			let url = format!("http://{}/api/docs/", gateway.config.listen);
			eprintln!("\nDemo branch ready (development chain only). Sign in at {url} with:");
			for person in people {
				eprintln!("  {:<16} {:<18} {}", person.phone, person.password, person.role);
			}
			eprintln!();
		}
		Err(e) => tracing::error!(error = %e, "the demo branch could not be set up"),
	}
}

async fn reconcile(config: &Config) -> Result<(), GatewayError> {
	let index = store::Db::open(&config.database, store::Database::Index).await?;
	let chain = timebank_gateway::chain::Chain::connect(&config.node_url).await?;
	let differences = timebank_gateway::indexer::reconcile(&index, &chain).await?;
	if differences.is_empty() {
		println!("the index agrees with the chain");
		return Ok(());
	}
	for difference in &differences {
		println!("{difference}");
	}
	Err(GatewayError::Reconcile(differences.len()))
}

async fn migrate(config: &Config) -> Result<(), GatewayError> {
	for database in [store::Database::Ops, store::Database::Vault, store::Database::Index] {
		store::Db::open(&config.database, database).await?;
		println!("{}: up to date", database.name());
	}
	Ok(())
}

async fn rotate_kek(
	config: Config,
	new_file: std::path::PathBuf,
	new_id: u32,
) -> Result<(), GatewayError> {
	use timebank_custody::{Custody, Kek, KekId};
	let vault_db = store::Db::open(&config.database, store::Database::Vault).await?;
	let current = Custody::new(Kek::from_file(&config.kek_file, KekId(config.kek_id))?);
	let next_kek = if new_file.exists() {
		Kek::from_file(&new_file, KekId(new_id))?
	} else {
		let kek = Kek::generate(KekId(new_id))?;
		kek.write_new_file(&new_file)?;
		kek
	};
	let next = Custody::new(next_kek);
	if next.kek_id() == current.kek_id() {
		return Err(GatewayError::Config(timebank_gateway::config::ConfigError::Invalid {
			key: "new-kek-id",
			source_name: "flag",
			reason: format!("{new_id} is the current KEK's id; give the new KEK another"),
		}));
	}
	let vault = timebank_gateway::vault::Vault::new(vault_db, std::sync::Arc::new(current));
	let done = vault.rewrap_all(&next).await?;
	println!(
		"rewrapped {done} member keys and personal fields under KEK {new_id}; now run with --kek-file {} --kek-id {new_id}",
		new_file.display()
	);
	Ok(())
}

async fn export_key(config: Config, account: &str, officer: &str) -> Result<(), GatewayError> {
	use timebank_gateway::keys::Reauthentication;
	let account = parse_account("account", account)?;
	let officer = parse_account("officer", officer)?;
	eprint!("the member's document number, as checked at the counter: ");
	let mut id_number = zeroize::Zeroizing::new(String::new());
	std::io::stdin().read_line(&mut id_number).map_err(|e| {
		GatewayError::Input(timebank_gateway::members::InputError::Unreadable(e.to_string()))
	})?;
	let gateway = Gateway::open(config).await?;
	let reauthentication =
		Reauthentication::Counter { officer, id_number: id_number.trim().to_owned() };
	let phrase = gateway.export_key(account, &reauthentication).await?;
	println!("{}", phrase.as_str());
	Ok(())
}

/// An account given as SS58 or as 0x and 64 hex digits.
fn parse_account(flag: &'static str, text: &str) -> Result<[u8; 32], GatewayError> {
	api::input::parse_account(text).ok_or_else(|| {
		GatewayError::Config(timebank_gateway::config::ConfigError::Invalid {
			key: flag,
			source_name: "flag",
			reason: format!("{text} is not an account (SS58, or 0x and 64 hex digits)"),
		})
	})
}
