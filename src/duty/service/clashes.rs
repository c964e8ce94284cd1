//! Before a swap or substitution is applied: would it put someone in two places at once, or on one shift
//! straight after another? Whoever applies it sees the clashes first and applies it only on purpose.

use chrono::Duration;

use super::names;
use crate::db::DbConn;
use crate::duty::model::{clashes, Spell};
use crate::duty::store::changes::DutyChange;
use crate::duty::store::held;
use crate::duty::store::shifts::{self as store, ShiftRow};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Text;

/// The field a refusal for clashes names: set it (`despite_clashes`) to apply the change even so.
pub const DESPITE: &str = "despite_clashes";

fn spell(s: &ShiftRow, roster: String) -> Spell {
    Spell {
        day: s.day,
        start: s.starts_at.and_utc(),
        end: s.ends_at.and_utc(),
        roster,
    }
}

/// What applying `ch` would do to the people it moves, in words (nothing for a shift that is gone).
pub fn of_change(conn: &mut DbConn, ch: &DutyChange) -> ServiceResult<Vec<Text>> {
    // Who takes which shift, and which shift the change takes from them in return.
    let mut moves = vec![(ch.shift_id, ch.taker_id, ch.taker_shift_id)];
    if let Some(other) = ch.taker_shift_id {
        moves.push((other, ch.giver_id, Some(ch.shift_id)));
    }
    let mut found = Vec::new();
    for (shift, person, gives_up) in moves {
        let Some(s) = store::find_shift(conn, shift)? else {
            continue;
        };
        let near = Duration::seconds(1);
        let theirs: Vec<Spell> =
            held::of_person(conn, person, s.starts_at - near, s.ends_at + near)?
                .into_iter()
                .filter(|(h, _, _)| h.id != s.id && Some(h.id) != gives_up)
                .map(|(h, _, roster)| spell(&h, roster))
                .collect();
        found.extend(clashes(person, &spell(&s, String::new()), &theirs));
    }
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let all = names(conn)?;
    let name = |p: i64| all.get(&p).cloned().unwrap_or_else(|| format!("#{p}"));
    Ok(found.iter().map(|c| c.describe(&name)).collect())
}

/// Refuses to apply `ch` while it clashes, unless whoever applies it said to apply it even so.
pub fn check(conn: &mut DbConn, ch: &DutyChange, despite: bool) -> ServiceResult<()> {
    let found = of_change(conn, ch)?;
    if despite || found.is_empty() {
        return Ok(());
    }
    let (zh, en): (Vec<&str>, Vec<&str>) = found.iter().map(|t| (&*t.zh, &*t.en)).unzip();
    Err(ServiceError::Invalid {
        field: DESPITE,
        message: Text::new(
            format!(
                "{}。确需如此安排的，请勾选“仍然执行”后再提交",
                zh.join("；")
            ),
            format!(
                "{}. If it must be so, tick “apply even so” and send it again",
                en.join("; ")
            ),
        ),
    })
}
