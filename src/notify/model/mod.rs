//! The rules of notices: kinds, states, who hears what, retry timing, addresses and Message-IDs. Pure.

mod chat;

pub use chat::*;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use crate::error::ServiceError;
use crate::i18n::{text_enum, Lang};

/// A kind of notice an area sends: its code (stored with each notice, also in unit settings), its labels, and
/// how a unit's contact addresses hear it until the unit chooses. Areas declare their kinds as constants;
/// adding one needs no migration.
#[derive(Debug, PartialEq, Eq)]
pub struct KindSpec {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// At once or in the daily digest, until the unit chooses.
    pub default_mode: Mode,
    /// Whether a unit chooses how it hears this kind (otherwise only the named people hear it).
    pub unit_choice: bool,
    /// Whether it may go to a unit's group chat (it tells the unit, not one person), when the unit has one.
    pub chat: bool,
}

impl KindSpec {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// Why an address receives a notice. Areas declare their own (custodian, countersigner, on duty …).
#[derive(Debug, PartialEq, Eq)]
pub struct Reason {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

impl Reason {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// Each unit's daily digest of what is due, overdue and awaiting action.
pub const DIGEST: KindSpec = KindSpec {
    code: "digest",
    zh: "每日汇总",
    en: "Daily digest",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: false,
};

/// A test email asked for from a unit's settings.
pub const TEST: KindSpec = KindSpec {
    code: "test",
    zh: "测试邮件",
    en: "Test email",
    default_mode: Mode::Immediate,
    unit_choice: false,
    chat: false,
};

/// A unit's contact address.
pub const CONTACT: Reason = Reason {
    code: "contact",
    zh: "单位联系邮箱",
    en: "Unit contact",
};
/// A district administrator.
pub const ADMINISTRATOR: Reason = Reason {
    code: "administrator",
    zh: "系统管理员",
    en: "Administrator",
};
/// Someone who reads the unit's daily digest.
pub const DIGEST_READER: Reason = Reason {
    code: "digest",
    zh: "每日汇总订阅",
    en: "Digest subscriber",
};
/// An address someone asked for (a test email).
pub const REQUESTED: Reason = Reason {
    code: "requested",
    zh: "指定收件人",
    en: "Requested",
};

/// notify's own kinds and reasons.
pub const OWN_KINDS: &[&KindSpec] = &[&DIGEST, &TEST];
/// notify's own reasons.
pub const OWN_REASONS: &[&Reason] = &[&CONTACT, &ADMINISTRATOR, &DIGEST_READER, &REQUESTED, &CHAT];

text_enum!(
    /// How a unit's contact addresses hear a kind of notice.
    Mode, "mode", {
        Immediate = "immediate", "即时发送", "At once";
        Digest = "digest", "并入每日汇总", "In the daily digest";
    }
);

/// How a unit hears `kind`: its stored choice, else the kind's default.
pub fn mode_of(chosen: &[(String, Mode)], kind: &KindSpec) -> Mode {
    chosen
        .iter()
        .find(|(k, _)| k == kind.code)
        .map(|(_, m)| *m)
        .unwrap_or(kind.default_mode)
}

text_enum!(
    /// Where a notice is on its way out.
    NoticeState, "state", {
        Pending = "pending", "待发送", "Pending";
        Sending = "sending", "发送中", "Sending";
        Sent = "sent", "已发送", "Sent";
        Failed = "failed", "发送失败", "Failed";
        Cancelled = "cancelled", "已取消", "Cancelled";
    }
);

text_enum!(
    /// Where one addressee of a notice stands.
    RecipientState, "state", {
        Pending = "pending", "待发送", "Pending";
        Sent = "sent", "已送达服务器", "Accepted by the server";
        Refused = "refused", "被拒收", "Refused";
        Failed = "failed", "发送失败", "Failed";
    }
);

/// An email address, checked as the organisation checks people's and units' addresses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Accepts `local@domain.tld` (no display name); empty is refused.
    pub fn parse(text: &str) -> Result<EmailAddress, ServiceError> {
        match crate::org::model::email("email", text)? {
            a if a.is_empty() => Err(ServiceError::invalid(
                "email",
                "请填写邮箱地址",
                "An email address is required",
            )),
            a => Ok(EmailAddress(a)),
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Reads a contact list as units keep it (commas, semicolons, spaces or line breaks; at most 20).
pub fn parse_addresses(text: &str) -> Result<Vec<EmailAddress>, ServiceError> {
    Ok(stored_addresses(&crate::org::model::email_list(
        "contact_emails",
        text,
    )?))
}

/// The usable addresses of a stored comma-separated list (one that no longer passes is skipped).
pub fn stored_addresses(text: &str) -> Vec<EmailAddress> {
    text.split(',')
        .filter_map(|a| EmailAddress::parse(a).ok())
        .collect()
}

/// One addressee of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The address.
    pub address: String,
    /// The display name (may be empty).
    pub name: String,
    /// The person, when the address is a person's.
    pub person_id: Option<i64>,
    /// Why they hear it.
    pub reason: &'static Reason,
    /// The language they read.
    pub lang: Lang,
}

/// Splits recipients into one message per language, each address once (its first reason wins, so list
/// role-addressed people before contact addresses). Chinese comes first.
pub fn group_by_language(recipients: Vec<Recipient>) -> Vec<(Lang, Vec<Recipient>)> {
    let mut seen: Vec<String> = Vec::new();
    let mut groups: Vec<(Lang, Vec<Recipient>)> = Vec::new();
    for r in recipients {
        let key = r.address.to_lowercase();
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        match groups.iter_mut().find(|(l, _)| *l == r.lang) {
            Some((_, g)) => g.push(r),
            None => groups.push((r.lang, vec![r])),
        }
    }
    groups.sort_by_key(|(l, _)| *l != Lang::Zh);
    groups
}

/// The wait before attempt `attempts + 1`: one minute, doubling, at most six hours.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 20) - 1;
    Duration::minutes((1_i64 << exp).min(360))
}

/// Where a notice goes after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterAttempt {
    /// Every addressee has an answer and at least one got it.
    Sent,
    /// Some addressees are still waiting: try them again at this time.
    RetryAt(DateTime<Utc>),
    /// Nobody got it (all refused), or the attempts are used up: left visible as failed.
    Failed,
}

/// What a notice becomes after its `attempts`-th attempt, from where its addressees now stand: one refused
/// address does not hold back or fail the others.
pub fn after_attempt(
    recipients: &[RecipientState],
    attempts: i32,
    max_attempts: i32,
    now: DateTime<Utc>,
) -> AfterAttempt {
    let waiting = recipients.contains(&RecipientState::Pending);
    if waiting && attempts < max_attempts {
        AfterAttempt::RetryAt(now + backoff(attempts))
    } else if !waiting && recipients.contains(&RecipientState::Sent) {
        AfterAttempt::Sent
    } else {
        AfterAttempt::Failed
    }
}

/// An administrator may send a notice again when it failed or was cancelled, or when some of its addressees
/// were refused (after their addresses are put right, say): it goes to those who have not got it.
pub fn check_retry(state: NoticeState, undelivered: bool) -> Result<(), ServiceError> {
    match state {
        NoticeState::Failed | NoticeState::Cancelled => Ok(()),
        NoticeState::Sent if undelivered => Ok(()),
        _ => Err(ServiceError::conflict(
            "只有发送失败、已取消或有收件人未送达的通知可以重发",
            "Only failed or cancelled notices, or notices some addressees did not get, can be sent again",
        )),
    }
}

/// An administrator may cancel a notice that has not gone out and is not on its way.
pub fn check_cancel(state: NoticeState) -> Result<(), ServiceError> {
    match state {
        NoticeState::Pending | NoticeState::Failed => Ok(()),
        NoticeState::Sending => Err(ServiceError::conflict(
            "通知正在发送，请稍后再试",
            "The notice is being sent right now; try again shortly",
        )),
        _ => Err(ServiceError::conflict(
            "通知已发送或已取消",
            "The notice has already been sent or cancelled",
        )),
    }
}

/// The Message-ID of a notice: the same for every attempt, so a resend after a crash is recognisable.
pub fn message_id(dedupe_key: &str, from_address: &str) -> String {
    let domain = from_address
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>'))
        .filter(|d| !d.is_empty())
        .unwrap_or("standby.invalid");
    let digest = Sha256::digest(dedupe_key.as_bytes());
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("<notice.{hex}@{domain}>")
}

/// The reminder lead (in days) reached before a date (a batch's expiry, a certificate's, a loan's return, a
/// drill's): the smallest configured lead not shorter than the days left, so something first seen 25 days
/// ahead gets the 30-day reminder, not also the 90-day one. `leads` is largest first; none once the date
/// has passed or while it is still further away than every lead.
pub fn lead_reached(date: NaiveDate, today: NaiveDate, leads: &[i64]) -> Option<i64> {
    let left = (date - today).num_days();
    if left < 0 {
        return None;
    }
    leads.iter().rev().copied().find(|l| *l >= left)
}

/// A subject is one line: line breaks and runs of spaces from templates collapse to one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const CUSTODIAN: Reason = Reason {
        code: "custodian",
        zh: "保管人",
        en: "Custodian",
    };

    fn r(address: &str, reason: &'static Reason, lang: Lang) -> Recipient {
        Recipient {
            address: address.into(),
            name: String::new(),
            person_id: None,
            reason,
            lang,
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn contact_lists_accept_chinese_punctuation_and_drop_repeats() {
        let list = parse_addresses("a@x.cn，b@x.cn；a@x.cn\nc@x.cn, ").unwrap();
        let got: Vec<&str> = list.iter().map(EmailAddress::as_str).collect();
        assert_eq!(got, ["a@x.cn", "b@x.cn", "c@x.cn"]);
        assert!(parse_addresses("a@x.cn, nonsense").is_err());
        assert!(EmailAddress::parse("  ").is_err(), "an address is required");
        assert_eq!(stored_addresses("a@x.cn,broken,b@x.cn").len(), 2);
    }

    #[test]
    fn each_address_hears_a_notice_once_in_its_own_language() {
        let groups = group_by_language(vec![
            r("en@x.cn", &CUSTODIAN, Lang::En),
            r("zh@x.cn", &CUSTODIAN, Lang::Zh),
            r("ZH@x.cn", &CONTACT, Lang::Zh),
            r("office@x.cn", &CONTACT, Lang::Zh),
        ]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0, Lang::Zh, "Chinese first");
        let zh: Vec<(&str, &str)> = groups[0]
            .1
            .iter()
            .map(|r| (r.address.as_str(), r.reason.code))
            .collect();
        assert_eq!(
            zh,
            [("zh@x.cn", "custodian"), ("office@x.cn", "contact")],
            "the role reason wins over the contact copy"
        );
        assert_eq!(groups[1].1[0].address, "en@x.cn");
    }

    #[test]
    fn retries_back_off_doubling_up_to_six_hours() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(2), Duration::minutes(2));
        assert_eq!(backoff(5), Duration::minutes(16));
        assert_eq!(backoff(12), Duration::hours(6));
        assert_eq!(backoff(40), Duration::hours(6));
    }

    #[test]
    fn one_refused_address_neither_holds_back_nor_fails_the_others() {
        use RecipientState::{Failed, Pending, Refused, Sent};
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap();
        assert_eq!(
            after_attempt(&[Sent, Refused], 1, 8, now),
            AfterAttempt::Sent
        );
        assert_eq!(
            after_attempt(&[Sent, Pending], 1, 8, now),
            AfterAttempt::RetryAt(now + Duration::minutes(1)),
            "the one still waiting is tried again"
        );
        assert_eq!(
            after_attempt(&[Refused, Refused], 1, 8, now),
            AfterAttempt::Failed
        );
        assert_eq!(
            after_attempt(&[Sent, Pending], 8, 8, now),
            AfterAttempt::Failed,
            "the last attempt"
        );
        assert_eq!(after_attempt(&[Failed], 2, 8, now), AfterAttempt::Failed);
    }

    #[test]
    fn failed_cancelled_or_partly_refused_notices_are_resent_and_only_unsent_ones_cancelled() {
        assert!(check_retry(NoticeState::Failed, false).is_ok());
        assert!(check_retry(NoticeState::Cancelled, false).is_ok());
        assert!(
            check_retry(NoticeState::Sent, true).is_ok(),
            "someone was refused"
        );
        assert!(check_retry(NoticeState::Sent, false).is_err());
        assert!(check_retry(NoticeState::Pending, true).is_err());
        assert!(check_cancel(NoticeState::Pending).is_ok());
        assert!(check_cancel(NoticeState::Failed).is_ok());
        assert!(check_cancel(NoticeState::Sending).is_err());
        assert!(check_cancel(NoticeState::Sent).is_err());
    }

    #[test]
    fn the_message_id_depends_only_on_the_notice() {
        let a = message_id("batch_expiry:1:7:30:zh", "应急 <standby@jsj.example.cn>");
        assert_eq!(
            a,
            message_id("batch_expiry:1:7:30:zh", "standby@jsj.example.cn")
        );
        assert_ne!(
            a,
            message_id("batch_expiry:1:7:7:zh", "standby@jsj.example.cn")
        );
        assert!(
            a.starts_with("<notice.") && a.ends_with("@jsj.example.cn>"),
            "{a}"
        );
    }

    #[test]
    fn a_date_reaches_the_nearest_lead_only() {
        let leads = [90, 30, 7];
        let today = d("2026-11-28");
        assert_eq!(
            lead_reached(d("2027-06-01"), today, &leads),
            None,
            "far off"
        );
        assert_eq!(lead_reached(d("2027-02-26"), today, &leads), Some(90));
        assert_eq!(lead_reached(d("2026-12-23"), today, &leads), Some(30));
        assert_eq!(lead_reached(d("2026-12-05"), today, &leads), Some(7));
        assert_eq!(
            lead_reached(today, today, &leads),
            Some(7),
            "last usable day"
        );
        assert_eq!(
            lead_reached(d("2026-11-27"), today, &leads),
            None,
            "expired"
        );
    }

    #[test]
    fn subjects_are_one_line() {
        assert_eq!(one_line("  【临期】\n 帐篷  \n"), "【临期】 帐篷");
    }

    #[test]
    fn units_hear_slow_matters_in_the_digest_until_they_choose() {
        const SLOW: KindSpec = KindSpec {
            code: "below_norm",
            zh: "低于储备定额",
            en: "Below reserve norm",
            default_mode: Mode::Digest,
            unit_choice: true,
            chat: true,
        };
        const OTHER: KindSpec = KindSpec {
            code: "stocktake_due",
            ..SLOW
        };
        let chosen = vec![("below_norm".to_string(), Mode::Immediate)];
        assert_eq!(mode_of(&chosen, &SLOW), Mode::Immediate);
        assert_eq!(mode_of(&chosen, &OTHER), Mode::Digest, "the default");
    }
}
