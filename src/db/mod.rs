//! Database plumbing: one connection type over SQLite and PostgreSQL, the pool, migrations, write transactions.
//!
//! Nothing above a `store.rs` needs to know which backend runs; backend differences live here.

pub mod codes;
pub mod once;
pub mod schema;
pub mod schema_allocation;
pub mod schema_calendar;
pub mod schema_circulars;
pub mod schema_drills;
pub mod schema_duty;
pub mod schema_teams;
pub mod settings;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{CustomizeConnection, ManageConnection};
use diesel::Connection;
#[cfg(feature = "postgres")]
use diesel::RunQueryDsl;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

/// A connection to whichever backend the URL names.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    #[cfg(feature = "postgres")]
    Pg(diesel::PgConnection),
    // SQLite stays last: the derive tries variants in order when asked to guess, which we never let it do.
    Sqlite(diesel::SqliteConnection),
}

/// The connection pool shared by handlers and jobs.
pub type Pool = r2d2::Pool<Manager>;
/// A connection checked out of the pool.
pub type PooledConn = r2d2::PooledConnection<Manager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
#[cfg(feature = "postgres")]
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
/// Session advisory lock key that serialises migrations when several instances start at once.
#[cfg(feature = "postgres")]
const MIGRATION_LOCK_KEY: i64 = 0x0053_5441_4e44_4259; // "STANDBY"

/// Which database engine a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file at the given path.
    Sqlite(String),
    /// A PostgreSQL URL, passed to libpq unchanged.
    Postgres(String),
}

impl Backend {
    /// Reads the backend from the URL scheme; anything else is refused rather than guessed.
    pub fn from_url(url: &str) -> Result<Self, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(
                    "a sqlite:// URL needs a file path, e.g. sqlite://data/standby.db".into(),
                );
            }
            Ok(Backend::Sqlite(path.to_string()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            if cfg!(feature = "postgres") {
                Ok(Backend::Postgres(url.to_string()))
            } else {
                Err(
                    "this build has no PostgreSQL support; rebuild with `--features postgres`"
                        .into(),
                )
            }
        } else {
            Err("the URL must start with sqlite:// or postgres://".into())
        }
    }
}

/// An r2d2 manager that opens the backend named by the URL scheme, never by trial and error
/// (a failed PostgreSQL URL must not fall through and create a SQLite file).
#[derive(Debug, Clone)]
pub struct Manager {
    backend: Backend,
}

impl Manager {
    /// A manager for the given backend.
    pub fn new(backend: Backend) -> Self {
        Manager { backend }
    }

    fn open(&self) -> diesel::ConnectionResult<DbConn> {
        match &self.backend {
            Backend::Sqlite(path) => diesel::SqliteConnection::establish(path).map(DbConn::Sqlite),
            #[cfg(feature = "postgres")]
            Backend::Postgres(url) => diesel::PgConnection::establish(url).map(DbConn::Pg),
            #[cfg(not(feature = "postgres"))]
            Backend::Postgres(_) => Err(diesel::ConnectionError::BadConnection(
                "PostgreSQL support is not compiled in".into(),
            )),
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        self.open().map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    /// A connection is not handed out again when a transaction is still open on it (a use case panicked
    /// between BEGIN and COMMIT) or its transaction manager saw a failed commit or rollback, or when it comes
    /// back from a panicking thread: the next request would otherwise inherit the half-done work or SQLite's
    /// write lock.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking() || diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

/// Per-connection settings. On SQLite `busy_timeout` must come first: the pool opens connections in
/// parallel and the WAL switch would otherwise fail with "database is locked". Each pooled SQLite connection
/// keeps a page cache of at most 1 MiB (SQLite's default is 2 MB): a connection's cache goes stale whenever
/// another commits, so a larger one bought little, and halving it took a process under ten minutes of mixed
/// load from 105 to 82 MB resident (BENCHMARKS.md, issue 11).
#[derive(Debug)]
struct ConnectionSetup;

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        let sql = match conn {
            DbConn::Sqlite(_) => {
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -1024;"
            }
            #[cfg(feature = "postgres")]
            DbConn::Pg(_) => "SET TIME ZONE 'UTC'",
        };
        conn.batch_execute(sql)
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Opens the pool. For SQLite the file's folder is created first.
pub fn connect(backend: &Backend, max_size: u32) -> anyhow::Result<Pool> {
    if let Backend::Sqlite(path) = backend {
        if let Some(dir) = std::path::Path::new(path).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
    }
    let manager = Manager::new(backend.clone());
    // One direct attempt first: an unreachable server fails at once with the driver's own message
    // instead of after the pool's timeout.
    manager
        .open()
        .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}"))?;
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        // No connections opened ahead in the background: r2d2 would open a replacement whenever the last idle one
        // is taken, and a short command exiting while one is half-open crashes in libpq's TLS library as the
        // exit handlers tear it down (seen in about one `standby ledger verify` in seven on PostgreSQL).
        // Connections are still kept and reused; only the first request after a long idle pays for one.
        .min_idle(Some(0))
        // No `SELECT 1` on every checkout: [`checkout`] tests only a PostgreSQL connection that has rested.
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(15))
        .connection_customizer(Box::new(ConnectionSetup))
        .build(manager)?;
    Ok(pool)
}

/// A PostgreSQL connection that rested in the pool longer than this is tested with `SELECT 1` before it is
/// handed out (the server may have closed it meanwhile); one in steady use is not, which saves a round trip per
/// request. HikariCP skips its check within 500 ms of the last use for the same reason.
pub const REST_BEFORE_CHECK: Duration = Duration::from_secs(1);

/// When a pooled connection was last handed out, kept in r2d2's per-connection extensions.
struct HandedOut(std::time::Instant);

/// Takes a connection from the pool. A SQLite connection is handed out as it is (a file does not go away under a
/// connection; a broken one is caught by [`Manager::has_broken`] when it comes back). A PostgreSQL connection
/// that has rested longer than [`REST_BEFORE_CHECK`] is tested first; a dead one is marked broken, so that the
/// pool discards it when it is dropped here, and the next one is tried. A connection that died while in steady
/// use fails its request once and is discarded the same way.
pub fn checkout(pool: &Pool) -> Result<PooledConn, r2d2::Error> {
    for _ in 0..pool.max_size() {
        let mut conn = pool.get()?;
        if matches!(*conn, DbConn::Sqlite(_)) {
            return Ok(conn);
        }
        let now = std::time::Instant::now();
        let rested = r2d2::PooledConnection::extensions(&conn)
            .get::<HandedOut>()
            .is_none_or(|last| now.duration_since(last.0) > REST_BEFORE_CHECK);
        r2d2::PooledConnection::extensions_mut(&mut conn).insert(HandedOut(now));
        if !rested || conn.batch_execute("SELECT 1").is_ok() {
            return Ok(conn);
        }
        <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(&mut conn)
            .set_in_error();
    }
    pool.get()
}

fn migrations_for(conn: &DbConn) -> EmbeddedMigrations {
    match conn {
        DbConn::Sqlite(_) => SQLITE_MIGRATIONS,
        #[cfg(feature = "postgres")]
        DbConn::Pg(_) => PG_MIGRATIONS,
    }
}

/// Applies pending migrations; on PostgreSQL under a session advisory lock so that concurrent starts
/// apply each migration exactly once. Returns the versions applied.
pub fn migrate(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let source = migrations_for(conn);
    #[cfg(feature = "postgres")]
    if let DbConn::Pg(_) = conn {
        diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
            .execute(conn)?;
    }
    let result = conn
        .run_pending_migrations(source)
        .map(|versions| versions.iter().map(|v| v.to_string()).collect())
        .map_err(|e| anyhow::anyhow!("migration failed: {e}"));
    #[cfg(feature = "postgres")]
    if let DbConn::Pg(_) = conn {
        diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
            .execute(conn)?;
    }
    result
}

/// True when every embedded migration has been applied (the readiness check).
pub fn migrations_current(conn: &mut DbConn) -> bool {
    let source = migrations_for(conn);
    matches!(conn.has_pending_migration(source), Ok(false))
}

/// Serialises SQLite write transactions within the process.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `f` in a write transaction: `BEGIN IMMEDIATE` on SQLite (so the busy timeout applies instead of a
/// failed lock upgrade), an ordinary transaction on PostgreSQL. Commits on `Ok`, rolls back on `Err`.
/// Inside another write transaction (a request done once wraps its use case) it is a savepoint.
pub fn write_tx<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let depth = <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth();
    if matches!(depth, Ok(Some(_))) {
        return conn.transaction(f);
    }
    match conn {
        DbConn::Sqlite(sqlite) => {
            // Writers queue here rather than in SQLite's busy handler, which sleeps in growing steps and
            // turns contention into long tails. One process owns a SQLite file, so a process lock suffices;
            // busy_timeout still covers other processes (the CLI).
            let _writer = SQLITE_WRITER
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(value) => {
                    <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
                    Ok(value)
                }
                Err(e) => {
                    <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
                    Err(e)
                }
            }
        }
        #[cfg(feature = "postgres")]
        DbConn::Pg(_) => conn.transaction(f),
    }
}

/// Holds the row `id` of `table` until the transaction ends (`SELECT … FOR UPDATE` on PostgreSQL), so that
/// two writers deciding on the same thing go one after the other; SQLite's writers already are.
pub fn lock_row(conn: &mut DbConn, table: &'static str, id: i64) -> diesel::QueryResult<()> {
    match conn {
        #[cfg(feature = "postgres")]
        DbConn::Pg(_) => {
            use diesel::RunQueryDsl;
            diesel::sql_query(format!("SELECT id FROM {table} WHERE id = $1 FOR UPDATE"))
                .bind::<diesel::sql_types::BigInt, _>(id)
                .execute(conn)?;
        }
        DbConn::Sqlite(_) => {
            let _ = (table, id);
        }
    }
    Ok(())
}

/// A write that may run into a unique key: the stores report it as [`WriteError::AlreadyExists`], so that
/// use cases answer it on their own terms without knowing the database's error types.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A row with the same unique key exists.
    #[error("already exists")]
    AlreadyExists,
    /// Anything else the database said.
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// The result of such a write.
pub type WriteResult<T> = Result<T, WriteError>;

/// Reads a write's result, telling a unique-key violation apart.
pub fn unique<T>(result: diesel::QueryResult<T>) -> WriteResult<T> {
    result.map_err(|e| match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => WriteError::AlreadyExists,
        other => WriteError::Db(other),
    })
}

/// Whether an error means the database was busy (SQLite's lock held by another process past the busy
/// timeout): the request may be retried.
pub fn is_busy(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(_, info) if info.message().contains("database is locked"))
}

/// Copies a running SQLite database to `target` as one consistent snapshot (`VACUUM INTO`: writers go on
/// meanwhile; the copy holds what was committed when it began, indexes included). PostgreSQL is backed up with
/// its own tools (`pg_dump`, see the README); asking here says so. The target must not exist yet.
pub fn backup(conn: &mut DbConn, target: &std::path::Path) -> anyhow::Result<()> {
    match conn {
        DbConn::Sqlite(_) => {
            if target.exists() {
                anyhow::bail!("{} already exists; choose a new file", target.display());
            }
            if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let path = target
                .to_str()
                .ok_or_else(|| anyhow::anyhow!("the backup path must be valid UTF-8"))?;
            conn.batch_execute(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))?;
            Ok(())
        }
        #[cfg(feature = "postgres")]
        DbConn::Pg(_) => anyhow::bail!(
            "PostgreSQL is backed up with pg_dump (pg_dump -Fc -f standby.dump \"$STANDBY_DATABASE_URL\"); \
             see the README"
        ),
    }
}

/// The current time as stored: UTC, truncated to microseconds so both backends hold the same value.
pub fn db_time(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    t.naive_utc().trunc_subsecs(6)
}

#[cfg(test)]
mod tests;

/// Serde helpers that write stored (naive UTC) timestamps as RFC 3339 instants with `Z`.
pub mod utc {
    use chrono::{NaiveDateTime, SecondsFormat};
    use serde::Serializer;

    /// `2026-11-28T02:00:00Z`.
    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }

    /// The same for optional times.
    pub mod option {
        use super::*;

        /// `null` or `2026-11-28T02:00:00Z`.
        pub fn serialize<S: Serializer>(
            t: &Option<NaiveDateTime>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }
    }
}
