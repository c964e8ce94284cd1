//! The server's secret, shared by every instance: the cookie key and the key of unannounced presence checks
//! are derived from it.

use actix_web::cookie::Key;
use anyhow::Context;
use sha2::{Digest, Sha512};

use crate::config::Config;
use crate::org;

/// The server's secret: `STANDBY_SECRET`, or the one generated once into `<data dir>/secret.key`.
pub fn secret(config: &Config) -> anyhow::Result<String> {
    if let Some(s) = &config.secret {
        return Ok(s.clone());
    }
    let path = config.data_dir.join("secret.key");
    match std::fs::read_to_string(&path) {
        Ok(s) if s.trim().len() >= 32 => Ok(s.trim().to_string()),
        _ => {
            std::fs::create_dir_all(&config.data_dir)
                .with_context(|| format!("creating {}", config.data_dir.display()))?;
            let s = org::credentials::random_token(64).map_err(|e| anyhow::anyhow!("{e}"))?;
            write_private(&path, &s).with_context(|| format!("writing {}", path.display()))?;
            Ok(s)
        }
    }
}

/// The cookie key: derived from the server's secret.
pub fn cookie_key(config: &Config) -> anyhow::Result<Key> {
    Ok(Key::from(
        Sha512::digest(secret(config)?.as_bytes()).as_slice(),
    ))
}

fn write_private(path: &std::path::Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(content.as_bytes())
}
