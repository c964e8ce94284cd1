//! What the reserves tell people, as a reminder source: batches nearing expiry, stock below its norm,
//! stocktakes due and overdue, equipment inspections due and overdue, vouchers waiting for or owing a
//! countersignature, and a failed ledger verification. Each rule (one file each) yields notices with a dedupe
//! key per occasion; `notify` addresses, renders and sends them. The lead times and waits are this area's own
//! settings.

mod expiry;
mod inspections;
mod mail;
mod mismatch;
mod norms;
mod signatures;
mod stocktakes;

pub use mismatch::ledger_mismatch;
pub use signatures::{countersign_owed, owed_to, waiting_keys};

use chrono::{DateTime, Utc};

use crate::config::{ConfigError, Vars};
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::store::warehouses as wh_store;
use crate::notify::model::{KindSpec, Mode, Reason};
use crate::notify::service::Outgoing;
use crate::notify::ReminderSource;

/// The reserves' settings (reminder lead times and waits).
pub type Settings = ReminderSettings;

/// A batch reaching one of its expiry leads.
pub static BATCH_EXPIRY: KindSpec = KindSpec {
    code: "batch_expiry",
    zh: "物资临期",
    en: "Batch expiring",
    default_mode: Mode::Immediate,
    unit_choice: true,
    chat: true,
};
/// Usable stock below a warehouse's reserve norm.
pub static BELOW_NORM: KindSpec = KindSpec {
    code: "below_norm",
    zh: "低于储备定额",
    en: "Below reserve norm",
    default_mode: Mode::Digest,
    unit_choice: true,
    chat: true,
};
/// A stocktake falling due soon.
pub static STOCKTAKE_DUE: KindSpec = KindSpec {
    code: "stocktake_due",
    zh: "盘点即将到期",
    en: "Stocktake due",
    default_mode: Mode::Digest,
    unit_choice: true,
    chat: true,
};
/// A stocktake past due.
pub static STOCKTAKE_OVERDUE: KindSpec = KindSpec {
    code: "stocktake_overdue",
    zh: "盘点已逾期",
    en: "Stocktake overdue",
    default_mode: Mode::Immediate,
    unit_choice: true,
    chat: true,
};
/// Equipment whose inspection (检查维护) falls due soon.
pub static INSPECTION_DUE: KindSpec = KindSpec {
    code: "inspection_due",
    zh: "设备检查即将到期",
    en: "Inspection due",
    default_mode: Mode::Digest,
    unit_choice: true,
    chat: false,
};
/// Equipment whose inspection is past due.
pub static INSPECTION_OVERDUE: KindSpec = KindSpec {
    code: "inspection_overdue",
    zh: "设备检查已逾期",
    en: "Inspection overdue",
    default_mode: Mode::Immediate,
    unit_choice: true,
    chat: true,
};
/// A voucher waiting too long for its second signature.
pub static COUNTERSIGN_WAITING: KindSpec = KindSpec {
    code: "countersign_waiting",
    zh: "凭证待复核签字",
    en: "Awaiting countersignature",
    default_mode: Mode::Immediate,
    unit_choice: true,
    chat: false,
};
/// An emergency issue still owing its second signature.
pub static COUNTERSIGN_OWED: KindSpec = KindSpec {
    code: "countersign_owed",
    zh: "紧急出库待补签",
    en: "Countersignature owed",
    default_mode: Mode::Immediate,
    unit_choice: true,
    chat: false,
};
/// The nightly verification found the books and the ledger apart (to the district's administrators).
pub static LEDGER_MISMATCH: KindSpec = KindSpec {
    code: "ledger_mismatch",
    zh: "账簿核验不符",
    en: "Ledger verification failed",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: true,
};

/// The custodian of a warehouse or of the batch where it lies.
pub static CUSTODIAN: Reason = Reason {
    code: "custodian",
    zh: "保管人",
    en: "Custodian",
};
/// Someone who may give a voucher its second signature.
pub static COUNTERSIGNER: Reason = Reason {
    code: "countersigner",
    zh: "复核签字人",
    en: "Countersigner",
};

static KINDS: [&KindSpec; 9] = [
    &BATCH_EXPIRY,
    &BELOW_NORM,
    &STOCKTAKE_DUE,
    &STOCKTAKE_OVERDUE,
    &INSPECTION_DUE,
    &INSPECTION_OVERDUE,
    &COUNTERSIGN_WAITING,
    &COUNTERSIGN_OWED,
    &LEDGER_MISMATCH,
];
static REASONS: [&Reason; 2] = [&CUSTODIAN, &COUNTERSIGNER];

/// Who hears about a batch's stock in a warehouse: whoever keeps it there (`kept_by`), else the warehouse's
/// custodians, read once per warehouse into `custodians`.
fn keepers(
    conn: &mut DbConn,
    warehouse_id: i64,
    kept_by: Option<i64>,
    custodians: &mut Option<Vec<i64>>,
) -> ServiceResult<Vec<(i64, &'static Reason)>> {
    let ids = match (kept_by, custodians.as_ref()) {
        (Some(p), _) => vec![p],
        (None, Some(all)) => all.clone(),
        (None, None) => custodians
            .insert(wh_store::custodians(conn, warehouse_id)?)
            .clone(),
    };
    Ok(ids.into_iter().map(|p| (p, &CUSTODIAN)).collect())
}

/// When the reserves' reminders fall due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSettings {
    /// Days before a batch expires to remind, largest first, `STANDBY_EXPIRY_LEAD_DAYS` (`90,30,7`).
    pub expiry_lead_days: Vec<i64>,
    /// Hours a movement may wait for its countersignature before a reminder,
    /// `STANDBY_COUNTERSIGN_REMIND_HOURS` (24).
    pub countersign_after_hours: i64,
    /// Days before a stocktake falls due to remind, `STANDBY_STOCKTAKE_REMIND_DAYS` (7).
    pub stocktake_ahead_days: i64,
    /// Days before an inspection of equipment falls due to remind (and to show it as due soon),
    /// `STANDBY_INSPECTION_REMIND_DAYS` (7).
    pub inspection_ahead_days: i64,
}

fn inspection_window(vars: &Vars) -> Result<i64, ConfigError> {
    vars.number("STANDBY_INSPECTION_REMIND_DAYS", 7, 0..=90)
}

/// The days before an inspection falls due that it shows as due soon: the reminders' window (its variable
/// was checked at start-up).
pub fn inspection_ahead_days(vars: &Vars) -> ServiceResult<i64> {
    inspection_window(vars).map_err(|e| ServiceError::Internal(e.to_string()))
}

impl ReminderSettings {
    /// Reads the section from the environment.
    pub fn from_vars(vars: &Vars) -> Result<ReminderSettings, ConfigError> {
        Ok(ReminderSettings {
            expiry_lead_days: vars.days("STANDBY_EXPIRY_LEAD_DAYS", &[90, 30, 7])?,
            countersign_after_hours: vars.number(
                "STANDBY_COUNTERSIGN_REMIND_HOURS",
                24,
                1..=720,
            )?,
            stocktake_ahead_days: vars.number("STANDBY_STOCKTAKE_REMIND_DAYS", 7, 0..=90)?,
            inspection_ahead_days: inspection_window(vars)?,
        })
    }
}

impl ReminderSource for super::Area {
    fn area(&self) -> &'static str {
        "inventory"
    }

    fn kinds(&self) -> &'static [&'static KindSpec] {
        &KINDS
    }

    fn reasons(&self) -> &'static [&'static Reason] {
        &REASONS
    }

    fn findings(
        &self,
        conn: &mut DbConn,
        now: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> ServiceResult<Vec<Outgoing>> {
        let rules = &self.settings;
        let warehouses: Vec<_> = wh_store::all(conn)?
            .into_iter()
            .filter(|w| w.active)
            .collect();
        let mut out = Vec::new();
        for w in &warehouses {
            out.extend(expiry::findings(conn, w, now, tz, &rules.expiry_lead_days)?);
            out.extend(norms::findings(conn, w, now, tz)?);
            out.extend(stocktakes::findings(
                conn,
                w,
                now,
                tz,
                rules.stocktake_ahead_days,
            )?);
            out.extend(inspections::findings(
                conn,
                w,
                now,
                tz,
                rules.inspection_ahead_days,
            )?);
        }
        out.extend(signatures::findings(
            conn,
            &warehouses,
            now,
            tz,
            rules.countersign_after_hours,
        )?);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserves_settings_name_their_variables() {
        let vars = |k: &str, v: &str| Vars::new([(k.to_string(), v.to_string())].into());
        let defaults = ReminderSettings::from_vars(&Vars::default()).unwrap();
        assert_eq!(defaults.expiry_lead_days, [90, 30, 7]);
        for (var, value) in [
            ("STANDBY_EXPIRY_LEAD_DAYS", "90,thirty"),
            ("STANDBY_COUNTERSIGN_REMIND_HOURS", "0"),
            ("STANDBY_STOCKTAKE_REMIND_DAYS", "-1"),
            ("STANDBY_INSPECTION_REMIND_DAYS", "91"),
        ] {
            let e = ReminderSettings::from_vars(&vars(var, value)).unwrap_err();
            assert_eq!(e.variable, var);
        }
    }

    #[test]
    fn units_choose_how_they_hear_every_kind_but_the_ledger_mismatch() {
        let chosen: Vec<&str> = KINDS
            .iter()
            .filter(|k| k.unit_choice)
            .map(|k| k.code)
            .collect();
        assert_eq!(chosen.len(), 8);
        assert!(!LEDGER_MISMATCH.unit_choice);
        assert_eq!(BELOW_NORM.default_mode, Mode::Digest);
        assert_eq!(COUNTERSIGN_OWED.default_mode, Mode::Immediate);
    }
}
