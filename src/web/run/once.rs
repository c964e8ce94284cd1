//! Running a use case once per key (see [`crate::db::once`]): the glue between a request's key and the call.

use super::Call;
use crate::db::db_time;
use crate::db::once::{self, Answer, Once};
use crate::error::{ServiceError, ServiceResult};

/// A request's one-time key and what the request was.
#[derive(Debug, Clone)]
pub struct Keyed {
    pub key: String,
    pub fingerprint: String,
}

/// Runs `work` for `call`, once per key when there is one. Returns its answer and whether the answer is the
/// first one's (a repeat did nothing).
pub(super) fn run_once(
    call: &mut Call<'_>,
    keyed: Option<Keyed>,
    work: impl FnOnce(&mut Call<'_>) -> ServiceResult<Answer>,
) -> ServiceResult<(Answer, bool)> {
    let Some(keyed) = keyed else {
        return work(call).map(|a| (a, false));
    };
    let (actor, now, tz, config) = (call.actor, call.now, call.tz, call.config);
    let outcome = once::run(
        call.conn,
        actor.account_id,
        &keyed.key,
        &keyed.fingerprint,
        db_time(now),
        |conn| {
            work(&mut Call {
                conn,
                actor,
                now,
                tz,
                config,
            })
        },
    );
    match outcome {
        Once::Answered { answer, repeat } => Ok((answer, repeat)),
        Once::Reused => Err(ServiceError::invalid(
            "idempotency_key",
            "该请求标识已用于另一个不同的请求",
            "This key was already used for a different request",
        )),
        Once::Refused(e) => Err(e),
    }
}
