//! Swaps and substitutions as the pages list them: who gives up which shift to whom and, while a change is
//! open, what applying it would clash with; the queue of open changes one is party to or may decide.

use chrono::{DateTime, Utc};

use super::{clashes, names};
use crate::db::DbConn;
use crate::duty::model::{manages_duty, ChangeState};
use crate::duty::store::changes::{self as store, DutyChange};
use crate::duty::store::rosters as roster_store;
use crate::duty::store::shifts as shift_store;
use crate::error::ServiceResult;
use crate::i18n::Text;
use crate::org::model::Actor;
use crate::org::store as org_store;

/// A change with what a list shows of it.
pub struct ChangeSeen {
    pub change: DutyChange,
    pub giver: String,
    pub taker: String,
    /// When the shift given up runs (none: it is gone).
    pub shift: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// For a swap: when the shift taken in return runs.
    pub other: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// While it is open: what applying it would clash with.
    pub clashes: Vec<Text>,
}

/// The changes with their people's names, their shifts' times and, for open ones, their clashes.
pub fn seen(conn: &mut DbConn, changes: Vec<DutyChange>) -> ServiceResult<Vec<ChangeSeen>> {
    let all = names(conn)?;
    let name = |p: i64| all.get(&p).cloned().unwrap_or_default();
    let mut out = Vec::with_capacity(changes.len());
    for change in changes {
        let mut span = |id: i64| -> ServiceResult<_> {
            Ok(shift_store::find_shift(conn, id)?
                .map(|s| (s.starts_at.and_utc(), s.ends_at.and_utc())))
        };
        let shift = span(change.shift_id)?;
        let other = match change.taker_shift_id {
            Some(id) => span(id)?,
            None => None,
        };
        let open = matches!(change.state, ChangeState::Asked | ChangeState::Agreed);
        out.push(ChangeSeen {
            clashes: if open {
                clashes::of_change(conn, &change)?
            } else {
                Vec::new()
            },
            giver: name(change.giver_id),
            taker: name(change.taker_id),
            shift,
            other,
            change,
        });
    }
    Ok(out)
}

/// An open change in the queue.
pub struct Queued {
    pub seen: ChangeSeen,
    pub roster: String,
    /// The actor may approve it now.
    pub approve: bool,
}

/// The open changes of the rosters whose duty the actor manages, and those they are party to.
pub fn queue(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<Queued>> {
    let tree = org_store::tree_of(conn, actor)?;
    let rosters = roster_store::all(conn)?;
    let me = actor.person_id;
    let mut open = Vec::new();
    for ch in store::open(conn)? {
        let Some(r) = rosters.iter().find(|r| r.id == ch.roster_id) else {
            continue;
        };
        let party = me == Some(ch.giver_id) || me == Some(ch.taker_id);
        let manager = manages_duty(actor, r.unit_id, &tree);
        if party || manager {
            let approve = ch.state == ChangeState::Agreed && !party && manager;
            open.push((ch, r.name.clone(), approve));
        }
    }
    let (changes, rest): (Vec<DutyChange>, Vec<(String, bool)>) =
        open.into_iter().map(|(c, n, a)| (c, (n, a))).unzip();
    Ok(seen(conn, changes)?
        .into_iter()
        .zip(rest)
        .map(|(seen, (roster, approve))| Queued {
            seen,
            roster,
            approve,
        })
        .collect())
}
