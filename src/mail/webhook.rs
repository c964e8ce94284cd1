//! Group-chat robots: a notice posted as a JSON text message to a 企业微信 (WeCom) or 钉钉 (DingTalk) group
//! robot's webhook, signed when DingTalk's 加签 is on, and the robot's answer read as accepted, refused or
//! worth another try. The posting blocks (ureq), so it runs on the blocking pool.

use std::time::Duration;

use base64::Engine;
use sha2::{Digest, Sha256};

use super::Outcome;
use crate::i18n::text_enum;

text_enum!(
    /// Whose group robot a webhook is: the JSON each expects differs slightly.
    Flavour, "flavour", {
        Wecom = "wecom", "企业微信群机器人", "WeCom group robot";
        Dingtalk = "dingtalk", "钉钉群机器人", "DingTalk group robot";
    }
);

/// A group robot to post to.
#[derive(Clone, PartialEq, Eq)]
pub struct Hook {
    pub flavour: Flavour,
    /// The webhook address (it carries the robot's key).
    pub url: String,
    /// DingTalk's signing secret (`SEC…`), empty when the robot does not sign.
    pub secret: String,
}

impl std::fmt::Debug for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The address and the secret are credentials: show the host only.
        write!(f, "Hook({}, {})", self.flavour.code(), masked(&self.url))
    }
}

/// The most a message may hold, in bytes: WeCom's text messages take 2,048, DingTalk's 20,000.
fn limit(flavour: Flavour) -> usize {
    match flavour {
        Flavour::Wecom => 2048,
        Flavour::Dingtalk => 20_000,
    }
}

/// The message text: the subject, then the email's plain text without its signature (from the `——` line
/// on), cut to the robot's limit (at a character boundary) so that the link at the end always survives.
pub fn message_text(flavour: Flavour, subject: &str, body: &str, link: &str) -> String {
    let body = body.split("\n——\n").next().unwrap_or_default();
    let full = format!("{subject}\n\n{}", body.trim());
    let max = limit(flavour);
    if full.len() <= max {
        return full;
    }
    let tail = format!("…\n{link}");
    let mut cut = max.saturating_sub(tail.len());
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{tail}", &full[..cut])
}

/// The JSON body a robot expects for a text message (the same shape for both).
pub fn payload(text: &str) -> String {
    serde_json::json!({ "msgtype": "text", "text": { "content": text } }).to_string()
}

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    let mut out = [0u8; 32];
    out.copy_from_slice(&outer);
    out
}

/// The address to post to: DingTalk's signed robots want `timestamp` (milliseconds) and `sign`
/// (Base64 of HMAC-SHA256 over `timestamp\nsecret`, keyed by the secret) added to the query.
pub fn signed_url(hook: &Hook, now_ms: i64) -> String {
    if hook.flavour != Flavour::Dingtalk || hook.secret.is_empty() {
        return hook.url.clone();
    }
    let mac = hmac_sha256(
        hook.secret.as_bytes(),
        format!("{now_ms}\n{}", hook.secret).as_bytes(),
    );
    let sign = base64::engine::general_purpose::STANDARD.encode(mac);
    let sign = percent_encoding::utf8_percent_encode(&sign, percent_encoding::NON_ALPHANUMERIC);
    let joint = if hook.url.contains('?') { '&' } else { '?' };
    format!("{}{joint}timestamp={now_ms}&sign={sign}", hook.url)
}

/// What the robot's answer means. Both answer HTTP 200 with `{"errcode":0,"errmsg":"ok"}` when the message
/// is taken; a non-zero code says why not. Sending too fast (WeCom 45009, DingTalk 130101), a busy system
/// (-1) or a server error is worth another try; a wrong key, a keyword or IP rule is not.
pub fn answer(status: u16, body: &str) -> Outcome {
    match status {
        200..=299 => {
            let reply: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
            let code = reply.get("errcode").and_then(serde_json::Value::as_i64);
            let why = reply
                .get("errmsg")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default();
            match code {
                None | Some(0) => Outcome::Accepted,
                Some(c @ (-1 | 45009 | 130101)) => {
                    Outcome::Deferred(format!("robot busy (errcode {c}: {why})"))
                }
                Some(c) => Outcome::Refused(format!("robot refused (errcode {c}: {why})")),
            }
        }
        408 | 429 | 500..=599 => Outcome::Deferred(format!("HTTP {status}")),
        _ => Outcome::Refused(format!("HTTP {status}")),
    }
}

/// The host of a webhook address and the tail of its key, for logs and the audit trail.
pub fn masked(url: &str) -> String {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let tail: String = url
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{host}/…{tail}")
}

/// Posts to group robots, reusing connections; follows no redirect.
#[derive(Clone)]
pub struct Poster(ureq::Agent);

impl std::fmt::Debug for Poster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Poster")
    }
}

impl Default for Poster {
    fn default() -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(15)))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent("standby")
            .build();
        Poster(config.into())
    }
}

impl Poster {
    /// Posts `text` to the robot and reads its answer.
    pub async fn post(&self, hook: Hook, text: String) -> Outcome {
        let agent = self.0.clone();
        let now_ms = chrono::Utc::now().timestamp_millis();
        let sent = tokio::task::spawn_blocking(move || {
            let mut reply = agent
                .post(signed_url(&hook, now_ms))
                .content_type("application/json; charset=utf-8")
                .send(payload(&text))?;
            let status = reply.status().as_u16();
            let body = reply
                .body_mut()
                .with_config()
                .limit(64 * 1024)
                .read_to_string()
                .unwrap_or_default();
            Ok::<_, ureq::Error>(answer(status, &body))
        })
        .await;
        match sent {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(e)) => Outcome::Deferred(format!("robot unreachable: {e}")),
            Err(e) => Outcome::Deferred(format!("posting stopped: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test cases 1 and 6 (a key longer than the block).
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn dingtalk_signs_only_when_it_has_a_secret() {
        let mut hook = Hook {
            flavour: Flavour::Dingtalk,
            url: "https://oapi.dingtalk.com/robot/send?access_token=abc".into(),
            secret: "SECxyz".into(),
        };
        let signed = signed_url(&hook, 1_700_000_000_000);
        let mac = hmac_sha256(b"SECxyz", b"1700000000000\nSECxyz");
        let sign = base64::engine::general_purpose::STANDARD.encode(mac);
        let expected: String =
            percent_encoding::utf8_percent_encode(&sign, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        assert_eq!(
            signed,
            format!("{}&timestamp=1700000000000&sign={expected}", hook.url)
        );
        hook.secret.clear();
        assert_eq!(signed_url(&hook, 1), hook.url);
        let wecom = Hook {
            flavour: Flavour::Wecom,
            url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k".into(),
            secret: "ignored".into(),
        };
        assert_eq!(signed_url(&wecom, 1), wecom.url, "WeCom does not sign");
    }

    #[test]
    fn long_messages_are_cut_at_a_character_boundary_keeping_the_link() {
        let body = "水".repeat(2000);
        let text = message_text(Flavour::Wecom, "【排班缺口】", &body, "https://x/duty/1");
        assert!(text.len() <= 2048, "{}", text.len());
        assert!(text.starts_with("【排班缺口】\n\n水"));
        assert!(text.ends_with("…\nhttps://x/duty/1"));
        let short = message_text(Flavour::Dingtalk, "S", " body \n\n——\n请勿直接回复。", "l");
        assert_eq!(short, "S\n\nbody", "without the email's signature");
        let json: serde_json::Value = serde_json::from_str(&payload("a\"b")).unwrap_or_default();
        assert_eq!(json["msgtype"], "text");
        assert_eq!(json["text"]["content"], "a\"b");
    }

    #[test]
    fn the_robots_answer_decides_between_sent_retry_and_refused() {
        assert_eq!(
            answer(200, r#"{"errcode":0,"errmsg":"ok"}"#),
            Outcome::Accepted
        );
        assert_eq!(
            answer(204, ""),
            Outcome::Accepted,
            "a gateway without a code"
        );
        assert!(matches!(
            answer(200, r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#),
            Outcome::Deferred(_)
        ));
        assert!(matches!(
            answer(200, r#"{"errcode":130101,"errmsg":"send too fast"}"#),
            Outcome::Deferred(_)
        ));
        match answer(200, r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#) {
            Outcome::Refused(why) => assert!(why.contains("93000"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(answer(503, ""), Outcome::Deferred(_)));
        assert!(matches!(answer(429, ""), Outcome::Deferred(_)));
        assert!(matches!(answer(404, ""), Outcome::Refused(_)));
        assert!(
            matches!(answer(302, ""), Outcome::Refused(_)),
            "no redirects"
        );
    }

    #[test]
    fn logs_show_the_host_not_the_key() {
        let url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123-secret-abcd";
        assert_eq!(masked(url), "qyapi.weixin.qq.com/…abcd");
        let hook = Hook {
            flavour: Flavour::Wecom,
            url: url.into(),
            secret: String::new(),
        };
        assert!(!format!("{hook:?}").contains("secret"));
    }
}
