//! Importing the catalogue and opening balances from a spreadsheet: all or nothing. Every row is checked
//! (against the rules and against the database) before anything is written; opening balances become one
//! pending voucher (期初建账) per warehouse, countersigned like any movement.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::posting::insert;
use crate::audit::{model::Change, service as audit};
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Text;
use crate::inventory::model::{
    authorize_catalogue, authorize_stock, parse_sheet, Line, MovementKind, MovementState, Quantity,
    StockAction, MAX_LINES,
};
use crate::inventory::store::ledger::{NewMovement, Receipt};
use crate::inventory::store::{
    catalogue as cat_store, stocktakes as st_store, warehouses as wh_store,
};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// What an import did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportSummary {
    pub rows: usize,
    pub items_created: usize,
    pub batches_created: usize,
    /// Opening-balance vouchers waiting for their countersignature.
    pub vouchers: Vec<String>,
}

/// Whether the actor may import at all (checked before an upload is read).
pub fn authorize(actor: &Actor) -> ServiceResult<()> {
    authorize_catalogue(actor)
}

/// Imports an uploaded file (XLSX or CSV). The caller's right to import is checked before the file is read.
pub fn import_file(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    file: &[u8],
) -> ServiceResult<ImportSummary> {
    authorize(actor)?;
    import(conn, actor, now, tz, &crate::sheets::read_grid(file)?)
}

/// Imports a sheet already read into a grid of text.
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    grid: &[Vec<String>],
) -> ServiceResult<ImportSummary> {
    authorize_catalogue(actor)?;
    let rows = parse_sheet(grid).map_err(ServiceError::InvalidRows)?;
    write_tx(conn, |c| {
        let tree = org_store::unit_tree(c)?;
        let warehouses: HashMap<String, wh_store::Warehouse> = wh_store::all(c)?
            .into_iter()
            .map(|w| (w.name.clone(), w))
            .collect();
        let mut errors: Vec<(usize, String, Text)> = Vec::new();
        let mut items: HashMap<String, i64> = HashMap::new();
        let mut batches: HashMap<(i64, String), i64> = HashMap::new();
        let mut openings: HashMap<i64, Vec<Line>> = HashMap::new();
        let (mut items_created, mut batches_created) = (0, 0);
        for r in &rows {
            if cat_store::find_category(c, r.item.category.as_str())?.is_none() {
                errors.push((
                    r.row,
                    "分类代码".into(),
                    Text::new("该分类不存在", "No such category"),
                ));
                continue;
            }
            let item_id = match items.get(&r.item.code) {
                Some(id) => *id,
                None => {
                    let id = match cat_store::find_item_by_code(c, &r.item.code)? {
                        Some(existing) => existing.id,
                        None => {
                            let created = cat_store::insert_item(c, &r.item, db_time(now))?;
                            audit::record(
                                c,
                                Some(actor),
                                now,
                                Change::of("item", created.id, None, None, Some(&created))
                                    .action("import"),
                            )?;
                            items_created += 1;
                            created.id
                        }
                    };
                    items.insert(r.item.code.clone(), id);
                    id
                }
            };
            let Some(batch) = &r.batch else { continue };
            let key = (item_id, batch.batch_no.clone());
            let batch_id = match batches.get(&key) {
                Some(id) => *id,
                None => {
                    let id = match cat_store::batches_of(c, item_id)?
                        .into_iter()
                        .find(|b| b.batch_no == batch.batch_no)
                    {
                        Some(existing) => existing.id,
                        None => {
                            let created = cat_store::insert_batch(c, item_id, batch, db_time(now))?;
                            audit::record(
                                c,
                                Some(actor),
                                now,
                                Change::of("batch", created.id, None, None, Some(&created))
                                    .action("import"),
                            )?;
                            batches_created += 1;
                            created.id
                        }
                    };
                    batches.insert(key, id);
                    id
                }
            };
            let Some((name, qty)) = &r.opening else {
                continue;
            };
            let Some(w) = warehouses.get(name) else {
                errors.push((
                    r.row,
                    "储备库".into(),
                    Text::new(
                        format!("没有名为“{name}”的储备库"),
                        format!("No warehouse named “{name}”"),
                    ),
                ));
                continue;
            };
            if authorize_stock(actor, StockAction::Move, w.unit_id, &tree).is_err() {
                errors.push((
                    r.row,
                    "储备库".into(),
                    Text::new(
                        format!("您不能为“{name}”建账"),
                        format!("You may not record stock in “{name}”"),
                    ),
                ));
                continue;
            }
            if st_store::open_of(c, w.id)?.is_some() {
                errors.push((
                    r.row,
                    "储备库".into(),
                    Text::new(
                        format!("“{name}”正在盘点"),
                        format!("“{name}” is being counted"),
                    ),
                ));
                continue;
            }
            let lines = openings.entry(w.id).or_default();
            match lines.iter_mut().find(|l| l.batch_id == batch_id) {
                Some(l) => l.qty = l.qty.checked_add(*qty).unwrap_or(Quantity::MAX),
                None => lines.push(Line {
                    item_id,
                    batch_id,
                    qty: *qty,
                }),
            }
        }
        if !errors.is_empty() {
            return Err(ServiceError::InvalidRows(errors));
        }
        let mut vouchers = Vec::new();
        let mut by_warehouse: Vec<(i64, Vec<Line>)> = openings.into_iter().collect();
        by_warehouse.sort_by_key(|(w, _)| *w);
        for (warehouse_id, lines) in by_warehouse {
            let w = warehouses
                .values()
                .find(|w| w.id == warehouse_id)
                .ok_or_else(|| ServiceError::Internal("warehouse vanished".into()))?;
            for chunk in lines.chunks(MAX_LINES) {
                let new = NewMovement {
                    warehouse_id,
                    unit_id: w.unit_id,
                    kind: MovementKind::Opening,
                    voucher_no: String::new(),
                    reason: "期初库存导入".into(),
                    state: MovementState::Pending,
                    emergency: false,
                    created_by: actor.account_id,
                    created_at: db_time(now),
                    reverses_id: None,
                    counterpart_warehouse_id: None,
                    stocktake_id: None,
                    receipt: Receipt::default(),
                };
                let m = insert(c, w.unit_id, new, chunk, now, tz)?;
                audit::record(
                    c,
                    Some(actor),
                    now,
                    Change::of("movement", m.id, Some(w.unit_id), None, Some(&m)),
                )?;
                vouchers.push(m.voucher_no);
            }
        }
        Ok(ImportSummary {
            rows: rows.len(),
            items_created,
            batches_created,
            vouchers,
        })
    })
}
