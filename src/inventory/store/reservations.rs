//! Reservations and the reserved quantity of each balance. Holding is a conditional update whose
//! affected-row count is checked (never more than the balance has free), so two requests racing for the same
//! stock reserve exactly what is there. Never commits on its own.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::codes::text_columns;
use crate::db::schema::{balances, reservations};
use crate::db::DbConn;
use crate::inventory::model::{Quantity, ReservationState};

text_columns!(ReservationState);

/// A reservation as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = reservations)]
pub struct Reservation {
    pub id: i64,
    pub warehouse_id: i64,
    pub batch_id: i64,
    pub item_id: i64,
    /// Held now (milli-units): less than reserved once part is released, used or lost in a count.
    #[serde(skip)]
    pub held_qty: i64,
    #[serde(skip)]
    pub reserved_qty: i64,
    pub state: ReservationState,
    pub purpose: String,
    /// What holds it, for the area that made it (`allocation_line:12`, `drill:3`); empty when set aside by hand.
    pub held_for: String,
    /// The date the hold is meant to end (shown; nothing lapses by itself).
    pub until: Option<NaiveDate>,
    pub created_by: i64,
    #[serde(serialize_with = "crate::db::utc::serialize")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    pub closed_by: Option<i64>,
    #[serde(serialize_with = "crate::db::utc::option::serialize")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<NaiveDateTime>,
    /// What happened to it (released by hand, shrunk by a count …).
    pub note: String,
}

/// A new reservation.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = reservations)]
pub struct NewReservation {
    pub warehouse_id: i64,
    pub batch_id: i64,
    pub item_id: i64,
    pub held_qty: i64,
    pub reserved_qty: i64,
    pub state: ReservationState,
    pub purpose: String,
    pub held_for: String,
    pub until: Option<NaiveDate>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

/// Adds `amount` to a balance's reserved quantity only if that much is free (held, not reserved); false when
/// it is not.
pub fn hold(
    conn: &mut DbConn,
    warehouse_id: i64,
    batch_id: i64,
    amount: Quantity,
) -> QueryResult<bool> {
    let n = diesel::update(
        balances::table
            .filter(balances::warehouse_id.eq(warehouse_id))
            .filter(balances::batch_id.eq(batch_id))
            .filter(balances::qty.ge(balances::reserved + amount.milli())),
    )
    .set(balances::reserved.eq(balances::reserved + amount.milli()))
    .execute(conn)?;
    Ok(n == 1)
}

/// Takes `amount` off a balance's reserved quantity.
pub fn unhold(
    conn: &mut DbConn,
    warehouse_id: i64,
    batch_id: i64,
    amount: Quantity,
) -> QueryResult<bool> {
    let n = diesel::update(
        balances::table
            .filter(balances::warehouse_id.eq(warehouse_id))
            .filter(balances::batch_id.eq(batch_id))
            .filter(balances::reserved.ge(amount.milli())),
    )
    .set(balances::reserved.eq(balances::reserved - amount.milli()))
    .execute(conn)?;
    Ok(n == 1)
}

/// A balance's quantity and how much of it is reserved.
pub fn on_hand(
    conn: &mut DbConn,
    warehouse_id: i64,
    batch_id: i64,
) -> QueryResult<(Quantity, Quantity)> {
    let row: Option<(i64, i64)> = balances::table
        .filter(balances::warehouse_id.eq(warehouse_id))
        .filter(balances::batch_id.eq(batch_id))
        .select((balances::qty, balances::reserved))
        .first(conn)
        .optional()?;
    let (qty, reserved) = row.unwrap_or_default();
    Ok((Quantity::from_milli(qty), Quantity::from_milli(reserved)))
}

/// Stores a reservation; returns its id.
pub fn insert(conn: &mut DbConn, new: &NewReservation) -> QueryResult<i64> {
    diesel::insert_into(reservations::table)
        .values(new)
        .returning(reservations::id)
        .get_result(conn)
}

/// One reservation.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Reservation>> {
    reservations::table
        .find(id)
        .select(Reservation::as_select())
        .first(conn)
        .optional()
}

/// A warehouse's reservations, those held first, newest first.
pub fn of_warehouse(
    conn: &mut DbConn,
    warehouse_id: i64,
    held_only: bool,
) -> QueryResult<Vec<Reservation>> {
    let mut q = reservations::table
        .filter(reservations::warehouse_id.eq(warehouse_id))
        .into_boxed::<crate::db::MultiBackend>();
    if held_only {
        q = q.filter(reservations::state.eq(ReservationState::Held));
    }
    q.order((reservations::state.asc(), reservations::id.desc()))
        .limit(500)
        .select(Reservation::as_select())
        .load(conn)
}

/// The reservations held on a batch in a warehouse, oldest first.
pub fn held_on(
    conn: &mut DbConn,
    warehouse_id: i64,
    batch_id: i64,
) -> QueryResult<Vec<Reservation>> {
    reservations::table
        .filter(reservations::warehouse_id.eq(warehouse_id))
        .filter(reservations::batch_id.eq(batch_id))
        .filter(reservations::state.eq(ReservationState::Held))
        .order(reservations::id.asc())
        .select(Reservation::as_select())
        .load(conn)
}

/// Sets what a reservation holds now; closes it (released or used, by whom, when) when nothing is left.
pub fn set_held(
    conn: &mut DbConn,
    id: i64,
    held: Quantity,
    closing: Option<(ReservationState, Option<i64>, NaiveDateTime)>,
    note: &str,
) -> QueryResult<usize> {
    let target = reservations::table
        .filter(reservations::id.eq(id))
        .filter(reservations::state.eq(ReservationState::Held));
    match closing {
        Some((state, by, at)) => diesel::update(target)
            .set((
                reservations::held_qty.eq(held.milli()),
                reservations::state.eq(state),
                reservations::closed_by.eq(by),
                reservations::closed_at.eq(Some(at)),
                reservations::note.eq(note),
            ))
            .execute(conn),
        None => diesel::update(target)
            .set((
                reservations::held_qty.eq(held.milli()),
                reservations::note.eq(note),
            ))
            .execute(conn),
    }
}

/// The reservations held for a purpose (`allocation:12`) of one item in a warehouse, oldest first.
pub fn held_for(
    conn: &mut DbConn,
    warehouse_id: i64,
    what: &str,
    item_id: i64,
) -> QueryResult<Vec<Reservation>> {
    reservations::table
        .filter(reservations::warehouse_id.eq(warehouse_id))
        .filter(reservations::held_for.eq(what))
        .filter(reservations::item_id.eq(item_id))
        .filter(reservations::state.eq(ReservationState::Held))
        .order(reservations::id.asc())
        .select(Reservation::as_select())
        .load(conn)
}
