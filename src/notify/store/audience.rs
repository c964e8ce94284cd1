//! Who hears what: each unit's contact addresses and chosen modes, people's addresses, languages and digest
//! choice. Never commits on its own.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{accounts, people, unit_notice_settings, units};
use crate::db::DbConn;
use crate::i18n::Lang;
use crate::notify::model::Mode;

/// A unit's chosen modes (kinds not listed use their default).
pub fn unit_modes(conn: &mut DbConn, unit_id: i64) -> QueryResult<Vec<(String, Mode)>> {
    unit_notice_settings::table
        .filter(unit_notice_settings::unit_id.eq(unit_id))
        .select((unit_notice_settings::kind, unit_notice_settings::mode))
        .load(conn)
}

/// Replaces a unit's chosen modes.
pub fn set_unit_modes(conn: &mut DbConn, unit_id: i64, modes: &[(&str, Mode)]) -> QueryResult<()> {
    diesel::delete(unit_notice_settings::table.filter(unit_notice_settings::unit_id.eq(unit_id)))
        .execute(conn)?;
    for (kind, mode) in modes {
        diesel::insert_into(unit_notice_settings::table)
            .values((
                unit_notice_settings::unit_id.eq(unit_id),
                unit_notice_settings::kind.eq(*kind),
                unit_notice_settings::mode.eq(*mode),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Sets a unit's contact addresses.
pub fn set_contacts(
    conn: &mut DbConn,
    unit_id: i64,
    contacts: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(units::table.find(unit_id))
        .set((
            units::contact_emails.eq(contacts),
            units::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Active people among `ids` who have an address: (id, name, email, the language of their account).
pub fn reach_people(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<Vec<(i64, String, String, Lang)>> {
    let found: Vec<(i64, String, String)> = people::table
        .filter(people::id.eq_any(ids))
        .filter(people::active.eq(true))
        .filter(people::email.ne(""))
        .select((people::id, people::name, people::email))
        .load(conn)?;
    let langs: Vec<(Option<i64>, String)> = accounts::table
        .filter(accounts::person_id.eq_any(ids))
        .filter(accounts::active.eq(true))
        .select((accounts::person_id, accounts::language))
        .load(conn)?;
    Ok(found
        .into_iter()
        .map(|(id, name, email)| {
            let lang = langs
                .iter()
                .find(|(p, _)| *p == Some(id))
                .and_then(|(_, l)| Lang::parse(l))
                .unwrap_or_default();
            (id, name, email, lang)
        })
        .collect())
}

/// Records whether a person wants the daily digest.
pub fn set_digest_opt_out(
    conn: &mut DbConn,
    person_id: i64,
    opt_out: bool,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(people::table.find(person_id))
        .set((
            people::digest_opt_out.eq(opt_out),
            people::updated_at.eq(now),
        ))
        .execute(conn)
}
