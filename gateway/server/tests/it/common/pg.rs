//! A throwaway PostgreSQL server from Debian's package, started by the test itself as a non-root
//! user (`initdb` refuses root): its own directory, a Unix socket there, no TCP, stopped and
//! removed when the test ends. Never a mock.

use std::{
	path::{Path, PathBuf},
	process::{Command, Stdio},
};

/// A running server and the connection string of its `gateway` superuser.
pub struct PgServer {
	dir: tempfile::TempDir,
	bin: PathBuf,
	port: u16,
}

/// The newest `/usr/lib/postgresql/<version>/bin` (Debian's layout; `pg_ctl` is not on PATH).
fn server_bin() -> PathBuf {
	let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
		.expect(
			"PostgreSQL is not installed: the gateway's tests run against a real server \
			 (scripts/install-prerequisites installs Debian's `postgresql`)",
		)
		.filter_map(|entry| {
			let entry = entry.ok()?;
			let version = entry.file_name().to_str()?.parse().ok()?;
			let bin = entry.path().join("bin");
			bin.join("initdb").exists().then_some((version, bin))
		})
		.collect();
	versions.sort();
	versions.pop().expect("no /usr/lib/postgresql/<version>/bin/initdb").1
}

fn as_server_user(bin: &Path, tool: &str) -> Command {
	// Running as root (CI): the server runs as the `postgres` user the package created.
	if nix_is_root() {
		let mut command = Command::new("runuser");
		command.args(["-u", "postgres", "--"]).arg(bin.join(tool));
		command
	} else {
		Command::new(bin.join(tool))
	}
}

fn nix_is_root() -> bool {
	Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

impl PgServer {
	/// Start a fresh server.
	pub fn start() -> Self {
		let bin = server_bin();
		let dir = tempfile::Builder::new().prefix("timebank-pg").tempdir().expect("temp dir");
		let data = dir.path().join("data");
		if nix_is_root() {
			let status = Command::new("chown")
				.args(["-R", "postgres:postgres"])
				.arg(dir.path())
				.status()
				.expect("chown");
			assert!(status.success(), "cannot give the test directory to the postgres user");
		}
		let output = as_server_user(&bin, "initdb")
			.args(["-A", "trust", "-U", "gateway", "--no-sync", "-E", "UTF8", "-D"])
			.arg(&data)
			.output()
			.expect("run initdb");
		assert!(
			output.status.success(),
			"initdb failed: {}",
			String::from_utf8_lossy(&output.stderr)
		);
		let port = crate::common::free_port();
		let options = format!(
			"-k {} -p {port} -c listen_addresses='' -c fsync=off -c full_page_writes=off",
			dir.path().display()
		);
		let output = as_server_user(&bin, "pg_ctl")
			.args(["-w", "-t", "60", "-l"])
			.arg(dir.path().join("server.log"))
			.arg("-D")
			.arg(&data)
			.args(["-o", &options, "start"])
			.stdin(Stdio::null())
			.output()
			.expect("run pg_ctl");
		assert!(
			output.status.success(),
			"pg_ctl start failed: {}{}",
			String::from_utf8_lossy(&output.stdout),
			std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default()
		);
		Self { dir, bin, port }
	}

	/// The connection string for database `dbname`.
	pub fn url(&self, dbname: &str) -> String {
		format!(
			"host={} port={} user=gateway dbname={dbname}",
			self.dir.path().display(),
			self.port
		)
	}

	/// A new empty database on this server; its connection string.
	pub async fn database(&self, name: &str) -> String {
		let (client, connection) =
			tokio_postgres::connect(&self.url("postgres"), tokio_postgres::NoTls)
				.await
				.expect("connect to the test server");
		tokio::spawn(connection);
		client.batch_execute(&format!("CREATE DATABASE {name}")).await.expect("create database");
		self.url(name)
	}
}

impl Drop for PgServer {
	fn drop(&mut self) {
		let _ = as_server_user(&self.bin, "pg_ctl")
			.args(["-m", "immediate", "-D"])
			.arg(self.dir.path().join("data"))
			.arg("stop")
			.stdout(Stdio::null())
			.stderr(Stdio::null())
			.status();
	}
}
