//! Password hashing (Argon2id) and API-token generation; CPU-bound, so callers run it off the async executor.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use base64::Engine;
use sha2::{Digest, Sha256};

use super::model::Password;
use crate::error::ServiceError;

/// Hashes a password with Argon2id (OWASP minimum parameters, random salt) into a PHC string.
pub fn hash_password(password: &Password) -> Result<String, ServiceError> {
    Argon2::default()
        .hash_password(password.expose().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("password hashing failed: {e}")))
}

/// Checks a password against a stored PHC string; a malformed hash never verifies.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash computed for unknown usernames so that a miss costs as much time as a wrong password.
pub fn burn_time(password: &str) {
    let _ = Argon2::default().hash_password(password.as_bytes());
}

/// `n` random bytes, base64url without padding.
pub fn random_token(n: usize) -> Result<String, ServiceError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes)
        .map_err(|e| ServiceError::Internal(format!("no randomness: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// A new API token as shown once to its owner: `sb_` and 32 random bytes.
pub fn new_api_token() -> Result<String, ServiceError> {
    Ok(format!("sb_{}", random_token(32)?))
}

/// The SHA-256 of a token, hex-encoded: what the database keeps.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let p = Password::parse("correct horse", "zhangsan").unwrap();
        let phc = hash_password(&p).unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &phc));
        assert!(!verify_password("correct hors", &phc));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_only_as_hashes() {
        let a = new_api_token().unwrap();
        let b = new_api_token().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("sb_") && a.len() > 40);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
