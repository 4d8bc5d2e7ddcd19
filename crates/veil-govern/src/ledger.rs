//! The privacy-budget ledger. Each dataset (content hash + name) has a total
//! (ε, δ); every release is debited in one `BEGIN IMMEDIATE` transaction that
//! re-reads what was spent, refuses an overspend, and inserts the release —
//! so two processes cannot both spend the last of a budget, and a process
//! killed mid-write leaves either the whole release or none of it (SQLite's
//! journal, `synchronous = FULL`). Spending composes by basic composition:
//! ε and δ add up across releases.

use crate::error::{GovernError, Result};
use crate::time;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// `PRAGMA application_id` of a Veil store ("VEIL").
const APPLICATION_ID: i64 = 0x5645_494C;
/// Current schema version.
const SCHEMA_VERSION: i64 = 1;
/// Tolerance for float sums when comparing spending with a budget.
const SLACK: f64 = 1e-12;

const SCHEMA: &str = "
CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    content_sha256 TEXT NOT NULL,
    epsilon_total REAL NOT NULL CHECK (epsilon_total > 0),
    delta_total REAL NOT NULL CHECK (delta_total >= 0 AND delta_total < 1),
    created_at INTEGER NOT NULL
);
CREATE INDEX datasets_by_hash ON datasets(content_sha256);
CREATE TABLE releases (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    created_at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    epsilon REAL NOT NULL CHECK (epsilon >= 0),
    delta REAL NOT NULL CHECK (delta >= 0),
    accountant TEXT NOT NULL,
    unit_of_privacy TEXT NOT NULL,
    mechanisms TEXT NOT NULL,
    private INTEGER NOT NULL
);
CREATE INDEX releases_by_dataset ON releases(dataset_id);
";

/// A registered dataset and its budget.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Dataset {
    /// Row id.
    pub id: i64,
    /// Human name (unique).
    pub name: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub content_sha256: String,
    /// Total ε allowed.
    pub epsilon_total: f64,
    /// Total δ allowed.
    pub delta_total: f64,
    /// ε spent so far.
    pub epsilon_spent: f64,
    /// δ spent so far.
    pub delta_spent: f64,
    /// When it was registered (RFC 3339).
    pub created_at: String,
}

/// What a release asks the ledger to record.
#[derive(Clone, Debug, Serialize)]
pub struct NewRelease {
    /// e.g. "dp query".
    pub kind: String,
    /// What was released, in words (no data values).
    pub description: String,
    /// ε spent.
    pub epsilon: f64,
    /// δ spent.
    pub delta: f64,
    /// The accountant that computed (ε, δ).
    pub accountant: String,
    /// The unit of privacy.
    pub unit_of_privacy: String,
    /// JSON list of mechanisms with their sensitivities and parameters.
    pub mechanisms_json: String,
    /// False when the noise came from a fixed seed.
    pub private: bool,
}

/// A recorded release.
#[derive(Clone, Debug, Serialize)]
pub struct ReleaseRecord {
    /// Row id.
    pub id: i64,
    /// When it was debited (RFC 3339).
    pub created_at: String,
    /// What kind of release.
    pub kind: String,
    /// Description.
    pub description: String,
    /// ε.
    pub epsilon: f64,
    /// δ.
    pub delta: f64,
    /// Accountant.
    pub accountant: String,
    /// Unit of privacy.
    pub unit_of_privacy: String,
    /// Mechanisms (JSON).
    pub mechanisms: serde_json::Value,
    /// Whether the release was private (not seeded).
    pub private: bool,
}

/// An open ledger.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

impl Ledger {
    /// Opens the ledger at `path`, creating it when absent. A file that is not
    /// a SQLite database, fails SQLite's integrity check, or carries another
    /// application's id or a newer schema is refused with [`GovernError::Corrupt`].
    pub fn open(path: &Path) -> Result<Ledger> {
        let sql = |e: rusqlite::Error| classify(path, e);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )
        .map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(sql)?;
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(sql)?;
        if check != "ok" {
            return Err(GovernError::Corrupt {
                path: path.to_path_buf(),
                reason: format!("integrity check: {check}"),
            });
        }
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )
        .map_err(sql)?;
        let app: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(sql)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(sql)?;
        if app == 0 && version == 0 && tables == 0 {
            let tx_sql = format!(
                "BEGIN IMMEDIATE; {SCHEMA} PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            );
            conn.execute_batch(&tx_sql).map_err(sql)?;
        } else if app != APPLICATION_ID {
            return Err(GovernError::Corrupt {
                path: path.to_path_buf(),
                reason: "a SQLite database that is not a Veil ledger".into(),
            });
        } else if version != SCHEMA_VERSION {
            return Err(GovernError::Corrupt {
                path: path.to_path_buf(),
                reason: format!("schema version {version}, this Veil reads {SCHEMA_VERSION}"),
            });
        }
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> GovernError + '_ {
        move |e| classify(&self.path, e)
    }

    /// Registers a dataset with its total budget. ε must be finite and > 0,
    /// δ in [0, 1); the name must be new.
    pub fn register(
        &mut self,
        name: &str,
        content_sha256: &str,
        epsilon: f64,
        delta: f64,
    ) -> Result<Dataset> {
        if !(epsilon.is_finite() && epsilon > 0.0) {
            return Err(GovernError::InvalidBudget(format!(
                "epsilon must be finite and > 0, got {epsilon}"
            )));
        }
        if !(delta.is_finite() && (0.0..1.0).contains(&delta)) {
            return Err(GovernError::InvalidBudget(format!(
                "delta must be in [0, 1), got {delta}"
            )));
        }
        if self.dataset_by_name(name)?.is_some() {
            return Err(GovernError::DuplicateDataset(name.to_string()));
        }
        self.conn
            .execute(
                "INSERT INTO datasets (name, content_sha256, epsilon_total, delta_total, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![name, content_sha256, epsilon, delta, time::now_unix()],
            )
            .map_err(self.sql())?;
        self.dataset_by_name(name)?
            .ok_or_else(|| GovernError::UnknownDataset(name.to_string()))
    }

    fn dataset_where(&self, clause: &str, arg: &str) -> Result<Option<Dataset>> {
        let q = format!(
            "SELECT d.id, d.name, d.content_sha256, d.epsilon_total, d.delta_total,
                    COALESCE(SUM(r.epsilon), 0), COALESCE(SUM(r.delta), 0), d.created_at
             FROM datasets d LEFT JOIN releases r ON r.dataset_id = d.id
             WHERE {clause} GROUP BY d.id ORDER BY d.id LIMIT 1"
        );
        self.conn
            .query_row(&q, [arg], |r| {
                Ok(Dataset {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    content_sha256: r.get(2)?,
                    epsilon_total: r.get(3)?,
                    delta_total: r.get(4)?,
                    epsilon_spent: r.get(5)?,
                    delta_spent: r.get(6)?,
                    created_at: time::rfc3339(r.get(7)?),
                })
            })
            .optional()
            .map_err(self.sql())
    }

    /// The dataset registered under `name`.
    pub fn dataset_by_name(&self, name: &str) -> Result<Option<Dataset>> {
        self.dataset_where("d.name = ?1", name)
    }

    /// The first dataset registered with this content hash.
    pub fn dataset_by_hash(&self, sha256: &str) -> Result<Option<Dataset>> {
        self.dataset_where("d.content_sha256 = ?1", sha256)
    }

    /// All datasets, in registration order.
    pub fn datasets(&self) -> Result<Vec<Dataset>> {
        let names: Vec<String> = {
            let mut st = self
                .conn
                .prepare("SELECT name FROM datasets ORDER BY id")
                .map_err(self.sql())?;
            st.query_map([], |r| r.get(0))
                .map_err(self.sql())?
                .collect::<std::result::Result<_, _>>()
                .map_err(self.sql())?
        };
        let mut out = Vec::new();
        for n in names {
            if let Some(d) = self.dataset_by_name(&n)? {
                out.push(d);
            }
        }
        Ok(out)
    }

    /// Debits a release against the dataset in one transaction; refuses it
    /// (recording nothing) when it would exceed the remaining ε or δ.
    pub fn debit(&mut self, dataset: &str, release: &NewRelease) -> Result<ReleaseRecord> {
        if !(release.epsilon.is_finite()
            && release.epsilon >= 0.0
            && release.delta.is_finite()
            && release.delta >= 0.0)
        {
            return Err(GovernError::InvalidBudget(format!(
                "a release must spend finite, non-negative ε and δ, got ε={}, δ={}",
                release.epsilon, release.delta
            )));
        }
        let path = self.path.clone();
        let sql = |e: rusqlite::Error| classify(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let row: Option<(i64, f64, f64, f64, f64)> = tx
            .query_row(
                "SELECT d.id, d.epsilon_total, d.delta_total,
                        COALESCE(SUM(r.epsilon), 0), COALESCE(SUM(r.delta), 0)
                 FROM datasets d LEFT JOIN releases r ON r.dataset_id = d.id
                 WHERE d.name = ?1 GROUP BY d.id",
                [dataset],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(sql)?;
        let Some((id, e_tot, d_tot, e_spent, d_spent)) = row else {
            return Err(GovernError::UnknownDataset(format!("{dataset:?}")));
        };
        if e_spent + release.epsilon > e_tot + SLACK || d_spent + release.delta > d_tot + SLACK {
            return Err(GovernError::OverBudget {
                dataset: dataset.to_string(),
                epsilon: release.epsilon,
                delta: release.delta,
                remaining_epsilon: (e_tot - e_spent).max(0.0),
                remaining_delta: (d_tot - d_spent).max(0.0),
                total_epsilon: e_tot,
                total_delta: d_tot,
            });
        }
        let now = time::now_unix();
        tx.execute(
            "INSERT INTO releases (dataset_id, created_at, kind, description, epsilon, delta, accountant, unit_of_privacy, mechanisms, private)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                id,
                now,
                release.kind,
                release.description,
                release.epsilon,
                release.delta,
                release.accountant,
                release.unit_of_privacy,
                release.mechanisms_json,
                release.private
            ],
        )
        .map_err(sql)?;
        let rid = tx.last_insert_rowid();
        tx.commit().map_err(sql)?;
        Ok(ReleaseRecord {
            id: rid,
            created_at: time::rfc3339(now),
            kind: release.kind.clone(),
            description: release.description.clone(),
            epsilon: release.epsilon,
            delta: release.delta,
            accountant: release.accountant.clone(),
            unit_of_privacy: release.unit_of_privacy.clone(),
            mechanisms: serde_json::from_str(&release.mechanisms_json)
                .unwrap_or(serde_json::Value::Null),
            private: release.private,
        })
    }

    /// The releases debited against a dataset, oldest first.
    pub fn releases(&self, dataset: &str) -> Result<Vec<ReleaseRecord>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT r.id, r.created_at, r.kind, r.description, r.epsilon, r.delta, r.accountant,
                        r.unit_of_privacy, r.mechanisms, r.private
                 FROM releases r JOIN datasets d ON d.id = r.dataset_id
                 WHERE d.name = ?1 ORDER BY r.id",
            )
            .map_err(self.sql())?;
        let rows = st
            .query_map([dataset], |r| {
                let mech: String = r.get(8)?;
                Ok(ReleaseRecord {
                    id: r.get(0)?,
                    created_at: time::rfc3339(r.get(1)?),
                    kind: r.get(2)?,
                    description: r.get(3)?,
                    epsilon: r.get(4)?,
                    delta: r.get(5)?,
                    accountant: r.get(6)?,
                    unit_of_privacy: r.get(7)?,
                    mechanisms: serde_json::from_str(&mech).unwrap_or(serde_json::Value::Null),
                    private: r.get(9)?,
                })
            })
            .map_err(self.sql())?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        Ok(rows)
    }
}

/// Maps "not a database" and corruption codes to [`GovernError::Corrupt`].
fn classify(path: &Path, e: rusqlite::Error) -> GovernError {
    use rusqlite::ffi::ErrorCode;
    if let rusqlite::Error::SqliteFailure(f, _) = &e
        && matches!(f.code, ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    {
        return GovernError::Corrupt {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
    }
    GovernError::Sqlite {
        path: path.to_path_buf(),
        source: e,
    }
}
