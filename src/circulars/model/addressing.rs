//! Who sends and who is addressed: the units picked by kind, by subtree or one by one; a unit head sends
//! to the units below its own, office staff district-wide; a unit's own people act for it.

use crate::org::model::{Actor, Role, UnitKind, UnitTree};

/// The units picked on the form: every active unit of these kinds, every active unit in these subtrees
/// (the top included), and these units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pick {
    pub kinds: Vec<UnitKind>,
    pub subtrees: Vec<i64>,
    pub units: Vec<i64>,
}

/// An active unit as the picker sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub kind: UnitKind,
}

/// The units a pick names, among `active` units, sorted; the sending unit itself is left out, and so is
/// any unit named that is not active.
pub fn resolve(pick: &Pick, active: &[Candidate], tree: &UnitTree, from: i64) -> Vec<i64> {
    let mut out: Vec<i64> = active
        .iter()
        .filter(|c| {
            pick.kinds.contains(&c.kind)
                || pick.units.contains(&c.id)
                || pick.subtrees.iter().any(|s| tree.is_within(c.id, *s))
        })
        .map(|c| c.id)
        .filter(|id| *id != from)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Roles that send circulars from a unit.
pub const SENDERS: &[Role] = &[Role::Administrator, Role::OfficeStaff, Role::UnitHead];

/// Whether the actor may draft and issue circulars from `from` (its head, office staff or an
/// administrator over it).
pub fn may_send_from(actor: &Actor, from: i64, tree: &UnitTree) -> bool {
    actor.covers(SENDERS, Some(from), tree)
}

/// Whether the actor sends district-wide (office staff or an administrator of the whole district).
pub fn sends_district_wide(actor: &Actor) -> bool {
    actor
        .grants
        .iter()
        .any(|g| g.unit_id.is_none() && matches!(g.role, Role::Administrator | Role::OfficeStaff))
}

/// The addressed units the actor may not send to from `from`: office staff may address any unit; anyone
/// else only the units below the sending one.
pub fn not_addressable(actor: &Actor, from: i64, units: &[i64], tree: &UnitTree) -> Vec<i64> {
    if sends_district_wide(actor) {
        return Vec::new();
    }
    units
        .iter()
        .copied()
        .filter(|u| *u == from || !tree.is_within(*u, from))
        .collect()
}

/// Whether the actor acts for `unit` (acknowledges, replies): a person of the unit, or someone holding a
/// role (not merely viewing) over it within a unit's scope. District-wide grants do not act for a unit:
/// acknowledging is the unit's own act.
pub fn acts_for(actor: &Actor, unit: i64, tree: &UnitTree) -> bool {
    actor.unit_id == Some(unit)
        || actor.grants.iter().any(|g| {
            g.role != Role::Viewer && g.unit_id.is_some_and(|scope| tree.is_within(unit, scope))
        })
}
