//! The signed 签收 link: `{circular}-{unit}-{expires}-{mac}`, an HMAC-SHA256 (keyed from the server's
//! secret) over its purpose, the circular, the unit and the expiry. It acknowledges that one circular for
//! that one unit until it expires, without signing in; anything changed in it fails the MAC.

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// What the MAC covers besides the ids, so a MAC made for something else never passes as this.
const PURPOSE: &str = "circular-ack";

/// The key of 签收 links, derived from the server's secret (the same on every instance).
#[derive(Clone)]
pub struct AckKey([u8; 32]);

impl std::fmt::Debug for AckKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AckKey(…)")
    }
}

impl AckKey {
    /// The key of a server secret (its own use of it: nothing else derived from the secret reveals it).
    pub fn from_secret(secret: &str) -> AckKey {
        AckKey(
            Sha256::new()
                .chain_update(b"standby: circular acknowledgement links\0")
                .chain_update(secret.as_bytes())
                .finalize()
                .into(),
        )
    }

    fn mac(&self, circular: i64, unit: i64, expires: i64) -> [u8; 32] {
        crate::mail::webhook::hmac_sha256(
            &self.0,
            format!("{PURPOSE}\n{circular}\n{unit}\n{expires}").as_bytes(),
        )
    }

    /// The link's token for `circular` and `unit`, good until `expires` (whole seconds).
    pub fn sign(&self, claim: AckClaim) -> String {
        let expires = claim.expires.timestamp();
        let mac = self.mac(claim.circular_id, claim.unit_id, expires);
        let mac = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac);
        format!("{}-{}-{expires}-{mac}", claim.circular_id, claim.unit_id)
    }

    /// What a token says, if this key made it and it has not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AckClaim, LinkProblem> {
        let parts: Vec<&str> = token.trim().splitn(4, '-').collect();
        let [c, u, e, mac] = parts.as_slice() else {
            return Err(LinkProblem::Malformed);
        };
        let (Ok(circular_id), Ok(unit_id), Ok(expires)) =
            (c.parse::<i64>(), u.parse::<i64>(), e.parse::<i64>())
        else {
            return Err(LinkProblem::Malformed);
        };
        let given = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(mac)
            .map_err(|_| LinkProblem::Malformed)?;
        let expected = self.mac(circular_id, unit_id, expires);
        if !bool::from(given.as_slice().ct_eq(expected.as_slice())) {
            return Err(LinkProblem::Forged);
        }
        let expires = DateTime::from_timestamp(expires, 0).ok_or(LinkProblem::Malformed)?;
        if now >= expires {
            return Err(LinkProblem::Expired(expires));
        }
        Ok(AckClaim {
            circular_id,
            unit_id,
            expires,
        })
    }
}

/// What a 签收 link acknowledges, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AckClaim {
    pub circular_id: i64,
    pub unit_id: i64,
    pub expires: DateTime<Utc>,
}

impl AckClaim {
    /// The claim of the links for `circular` and `unit`: good until `days` after the deadline (whole
    /// seconds, so every notice of one unit carries the same link).
    pub fn until(circular_id: i64, unit_id: i64, due: DateTime<Utc>, days: i64) -> AckClaim {
        let expires = due + Duration::days(days);
        AckClaim {
            circular_id,
            unit_id,
            expires: DateTime::from_timestamp(expires.timestamp(), 0).unwrap_or(expires),
        }
    }
}

/// Why a link does not acknowledge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// Not a link of ours (cut short, mangled).
    Malformed,
    /// Changed (another circular or unit put in), or made with another key.
    Forged,
    /// Past its time.
    Expired(DateTime<Utc>),
}

/// The path of a 签收 link.
pub fn ack_path(token: &str) -> String {
    format!("/circulars/ack/{token}")
}
