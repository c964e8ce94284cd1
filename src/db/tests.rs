//! The pool and the connection.

use super::*;
use diesel::RunQueryDsl;

#[test]
fn a_connection_returned_in_the_middle_of_a_transaction_is_not_handed_out_again() {
    let path = std::env::temp_dir().join(format!("standby_pool_{}.db", std::process::id()));
    let url = format!("sqlite://{}", path.display());
    let pool = connect(&Backend::from_url(&url).unwrap(), 1).unwrap();
    {
        let mut conn = pool.get().unwrap();
        conn.batch_execute("CREATE TABLE t (n INTEGER)").unwrap();
        #[allow(irrefutable_let_patterns)]
        let DbConn::Sqlite(sqlite) = &mut *conn
        else {
            unreachable!("a sqlite URL")
        };
        // A use case that began its write and never finished (it panicked, say).
        AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE").unwrap();
        conn.batch_execute("INSERT INTO t VALUES (1)").unwrap();
    }
    let mut conn = pool.get().unwrap();
    let written = write_tx(&mut conn, |c| {
        c.batch_execute("INSERT INTO t VALUES (2)")?;
        Ok::<_, diesel::result::Error>(())
    });
    assert!(written.is_ok(), "a fresh connection: {written:?}");
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let rows: Vec<N> = diesel::sql_query("SELECT n FROM t")
        .load(&mut *conn)
        .unwrap();
    assert_eq!(
        rows.iter().map(|r| r.n).collect::<Vec<_>>(),
        [2],
        "the unfinished write was rolled back, not committed by the next user"
    );
    drop(conn);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[test]
fn the_backend_is_chosen_by_scheme_not_by_trial() {
    assert_eq!(
        Backend::from_url("sqlite://data/standby.db"),
        Ok(Backend::Sqlite("data/standby.db".into()))
    );
    assert!(Backend::from_url("host=127.0.0.1 dbname=x").is_err());
    assert!(Backend::from_url("data/standby.db").is_err());
    assert!(Backend::from_url("sqlite://").is_err());
}

#[test]
fn the_bundled_sqlite_keeps_its_plans_whatever_is_bound_and_takes_no_mutex_per_call() {
    // Without the query planner stability guarantee, SQLite plans `LIMIT ?` with the bound value and
    // re-parses the cached statement on every execution; serialized mode and memory statistics take a mutex
    // on every call and allocation (.cargo/config.toml sets the flags).
    #[derive(diesel::QueryableByName)]
    struct Opt {
        #[diesel(sql_type = diesel::sql_types::Text)]
        compile_options: String,
    }
    let mut conn = DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
    let options: Vec<Opt> = diesel::sql_query("PRAGMA compile_options")
        .load(&mut conn)
        .unwrap();
    let has = |o: &str| options.iter().any(|x| x.compile_options == o);
    assert!(
        has("ENABLE_QPSG"),
        "SQLite was built without SQLITE_ENABLE_QPSG"
    );
    assert!(
        has("THREADSAFE=2"),
        "SQLite was built serialized, not multi-threaded"
    );
    assert!(has("DEFAULT_MEMSTATUS=0"), "SQLite keeps memory statistics");
}
