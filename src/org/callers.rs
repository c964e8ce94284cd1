//! Who is calling, remembered for a few seconds so that a request does not look up its bearer token or
//! session, account, person and roles every time.
//!
//! Revocation stays honest: any change in this process that could change who a caller is or what they may
//! do (a token revoked, an account deactivated or its roles or password changed, a person moved) forgets
//! every remembered caller at once; a change made by another instance (several behind a load balancer) is
//! seen within the remembering time (`STANDBY_CALLER_SECONDS`, 5 by default; 0 turns it off).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use super::model::Actor;

/// Bumped by every change that could alter a caller; remembered callers of an older epoch are stale.
static EPOCH: AtomicU64 = AtomicU64::new(0);

/// Forgets every remembered caller in this process (call after committing a change to accounts, tokens,
/// roles or people).
pub fn forget_all() {
    EPOCH.fetch_add(1, Ordering::SeqCst);
}

/// What a caller is remembered by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Credential {
    /// A bearer token's hash.
    Token(String),
    /// A session: account and session version.
    Session(i64, i64),
}

/// The callers this process remembers.
#[derive(Debug)]
pub struct Callers {
    keep: Duration,
    seen: RwLock<HashMap<Credential, (Actor, Instant, u64)>>,
}

/// At most this many callers are remembered; beyond that the memory starts afresh.
const MOST: usize = 10_000;

impl Callers {
    /// Remembers callers for `keep` (zero: not at all).
    pub fn new(keep: Duration) -> Callers {
        Callers {
            keep,
            seen: RwLock::new(HashMap::new()),
        }
    }

    /// The caller behind `credential`, if remembered, recent, and nothing changed since.
    pub fn get(&self, credential: &Credential) -> Option<Actor> {
        if self.keep.is_zero() {
            return None;
        }
        let seen = self.seen.read().ok()?;
        let (actor, at, epoch) = seen.get(credential)?;
        (at.elapsed() < self.keep && *epoch == EPOCH.load(Ordering::SeqCst)).then(|| actor.clone())
    }

    /// Remembers the caller found for `credential`, as of `epoch` (read before looking them up, so that
    /// a change committed meanwhile makes the entry stale at once).
    pub fn put(&self, credential: Credential, actor: &Actor, epoch: u64) {
        if self.keep.is_zero() {
            return;
        }
        if let Ok(mut seen) = self.seen.write() {
            if seen.len() >= MOST {
                seen.clear();
            }
            seen.insert(credential, (actor.clone(), Instant::now(), epoch));
        }
    }
}

/// The epoch now: take it before looking a caller up, and give it to [`Callers::put`].
pub fn epoch() -> u64 {
    EPOCH.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_forgets_every_caller_and_time_forgets_them_too() {
        let callers = Callers::new(Duration::from_millis(200));
        let key = Credential::Token("h".into());
        callers.put(key.clone(), &Actor::system(), epoch());
        assert!(callers.get(&key).is_some());
        forget_all();
        assert!(callers.get(&key).is_none(), "stale after a change");
        callers.put(key.clone(), &Actor::system(), epoch());
        std::thread::sleep(Duration::from_millis(250));
        assert!(
            callers.get(&key).is_none(),
            "stale after the remembering time"
        );
        let off = Callers::new(Duration::ZERO);
        off.put(key.clone(), &Actor::system(), epoch());
        assert!(off.get(&key).is_none());
    }
}
