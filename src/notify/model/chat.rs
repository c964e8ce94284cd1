//! A unit's group chat (its 企业微信 or 钉钉 group robot): how it is written as an addressee of a notice, which
//! webhook addresses are allowed, and which kinds it may hear. Pure.

use super::{KindSpec, Reason};
use crate::error::ServiceError;
use crate::i18n::Text;

/// A unit's group chat, as an addressee.
pub const CHAT: Reason = Reason {
    code: "chat",
    zh: "单位工作群",
    en: "Unit group chat",
};

/// The addressee standing for a unit's group chat (never an email address: it has no `@`).
pub fn chat_address(unit_id: i64) -> String {
    format!("chat:{unit_id}")
}

/// The unit whose group chat an addressee is, if it is one.
pub fn chat_unit(address: &str) -> Option<i64> {
    address.strip_prefix("chat:")?.parse().ok()
}

/// Checks a webhook address: http(s), no user name or password, and a host (with its port, when not the
/// scheme's own) among `allowed`. Returns it trimmed.
pub fn check_url(text: &str, allowed: &[String]) -> Result<String, ServiceError> {
    let text = text.trim();
    let bad = |zh: String, en: String| ServiceError::Invalid {
        field: "url",
        message: Text::new(zh, en),
    };
    if text.is_empty() {
        return Err(bad(
            "请填写群机器人的 Webhook 地址".into(),
            "Give the group robot's webhook address".into(),
        ));
    }
    let url = url::Url::parse(text)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && text.len() <= 500)
        .ok_or_else(|| {
            bad(
                "Webhook 地址应以 https:// 开头，例如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
                    .into(),
                "A webhook address starts with https://, e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
                    .into(),
            )
        })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "Webhook 地址不能含用户名或密码".into(),
            "A webhook address carries no user name or password".into(),
        ));
    }
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let host = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    };
    if !allowed.contains(&host) {
        let list = allowed.join(", ");
        return Err(bad(
            format!("只能使用这些服务器的群机器人：{list}（管理员可通过 STANDBY_WEBHOOK_HOSTS 设置）"),
            format!("Group robots may only be on these servers: {list} (administrators set STANDBY_WEBHOOK_HOSTS)"),
        ));
    }
    Ok(text.to_string())
}

/// Checks a signing secret (DingTalk's 加签, `SEC…`): printable, no spaces, at most 200 characters.
pub fn check_secret(text: &str) -> Result<String, ServiceError> {
    let text = text.trim();
    if text.len() > 200 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ServiceError::invalid(
            "secret",
            "加签密钥应为机器人设置页显示的一串字符（以 SEC 开头），不含空格",
            "The signing secret is the one string the robot's settings show (starting with SEC), without spaces",
        ));
    }
    Ok(text.to_string())
}

/// The kinds a chat hears, from their codes: each must be one that may go to a group chat.
pub fn check_kinds(
    codes: &[String],
    kinds: &[&'static KindSpec],
) -> Result<Vec<&'static KindSpec>, ServiceError> {
    let mut chosen: Vec<&'static KindSpec> = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let kind = kinds
            .iter()
            .find(|k| k.code == code && k.chat)
            .ok_or_else(|| ServiceError::Invalid {
                field: "kinds",
                message: Text::new(
                    format!("“{code}”不是可以发到工作群的通知类别"),
                    format!("`{code}` is not a kind of notice a group chat can hear"),
                ),
            })?;
        if !chosen.iter().any(|k| k.code == kind.code) {
            chosen.push(kind);
        }
    }
    Ok(chosen)
}

/// Whether a chat that chose `stored` (comma-separated codes) hears `kind`.
pub fn hears(stored: &str, kind: &KindSpec) -> bool {
    kind.chat && stored.split(',').any(|c| c == kind.code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::model::Mode;

    static GAPS: KindSpec = KindSpec {
        code: "duty_gaps",
        zh: "排班缺口",
        en: "Roster gaps ahead",
        default_mode: Mode::Digest,
        unit_choice: true,
        chat: true,
    };
    static PERSONAL: KindSpec = KindSpec {
        code: "duty_upcoming",
        chat: false,
        ..GAPS
    };

    fn hosts() -> Vec<String> {
        vec!["qyapi.weixin.qq.com".into(), "127.0.0.1:9000".into()]
    }

    #[test]
    fn a_chat_is_an_addressee_no_email_can_be() {
        assert_eq!(chat_address(12), "chat:12");
        assert_eq!(chat_unit("chat:12"), Some(12));
        assert_eq!(chat_unit("chat@x.cn"), None);
        assert_eq!(chat_unit("a@x.cn"), None);
    }

    #[test]
    fn webhook_addresses_must_be_on_an_allowed_host() {
        let ok = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc";
        assert_eq!(check_url(&format!("  {ok} "), &hosts()).unwrap(), ok);
        assert!(check_url("http://127.0.0.1:9000/hook", &hosts()).is_ok());
        for bad in [
            "",
            "qyapi.weixin.qq.com/cgi-bin/webhook/send",
            "ftp://qyapi.weixin.qq.com/x",
            "https://127.0.0.1/hook",
            "http://127.0.0.1:5432/",
            "https://evil.example.com/?qyapi.weixin.qq.com",
            "https://user:pw@qyapi.weixin.qq.com/x",
            "https://qyapi.weixin.qq.com.evil.cn/x",
        ] {
            assert!(check_url(bad, &hosts()).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_are_one_word() {
        assert_eq!(check_secret(" SECabc123 ").unwrap(), "SECabc123");
        assert_eq!(check_secret("").unwrap(), "");
        assert!(check_secret("SEC abc").is_err());
        assert!(check_secret(&"S".repeat(201)).is_err());
    }

    #[test]
    fn only_unit_wide_kinds_go_to_a_chat() {
        let kinds = [&GAPS, &PERSONAL];
        let got = check_kinds(
            &["duty_gaps".into(), "duty_gaps".into(), " ".into()],
            &kinds,
        )
        .unwrap();
        assert_eq!(got.len(), 1);
        assert!(
            check_kinds(&["duty_upcoming".into()], &kinds).is_err(),
            "personal"
        );
        assert!(check_kinds(&["nonsense".into()], &kinds).is_err());
        assert!(hears("batch_expiry,duty_gaps", &GAPS));
        assert!(!hears("duty_gaps_x", &GAPS));
        assert!(!hears("duty_upcoming", &PERSONAL), "never a personal kind");
    }
}
