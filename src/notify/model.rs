//! The rules of notices: kinds, states, who hears what, retry timing, addresses and Message-IDs. Pure.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use crate::error::ServiceError;
use crate::i18n::{text_enum, Lang};

text_enum!(
    /// What a notice is about. Adding a kind: a variant here, a template folder, a rule, a test.
    Kind, "kind", {
        BatchExpiry = "batch_expiry", "物资临期", "Batch expiring";
        BelowNorm = "below_norm", "低于储备定额", "Below reserve norm";
        StocktakeDue = "stocktake_due", "盘点即将到期", "Stocktake due";
        StocktakeOverdue = "stocktake_overdue", "盘点已逾期", "Stocktake overdue";
        CountersignWaiting = "countersign_waiting", "凭证待复核签字", "Awaiting countersignature";
        CountersignOwed = "countersign_owed", "紧急出库待补签", "Countersignature owed";
        LedgerMismatch = "ledger_mismatch", "账簿核验不符", "Ledger verification failed";
        Digest = "digest", "每日汇总", "Daily digest";
        Test = "test", "测试邮件", "Test email";
    }
);

impl Kind {
    /// Kinds a unit chooses to hear at once or in the daily digest (the others go to named people only).
    pub const UNIT_CHOICES: &'static [Kind] = &[
        Kind::BatchExpiry,
        Kind::BelowNorm,
        Kind::StocktakeDue,
        Kind::StocktakeOverdue,
        Kind::CountersignWaiting,
        Kind::CountersignOwed,
    ];

    /// How a unit hears this kind until it chooses: slow-moving matters wait for the digest.
    pub fn default_mode(self) -> Mode {
        match self {
            Kind::BelowNorm | Kind::StocktakeDue => Mode::Digest,
            _ => Mode::Immediate,
        }
    }
}

text_enum!(
    /// How a unit's contact addresses hear a kind of notice.
    Mode, "mode", {
        Immediate = "immediate", "即时发送", "At once";
        Digest = "digest", "并入每日汇总", "In the daily digest";
    }
);

/// How a unit hears `kind`: its stored choice (`(kind, mode)` codes), else the kind's default.
pub fn mode_of(chosen: &[(String, String)], kind: Kind) -> Mode {
    chosen
        .iter()
        .find(|(k, _)| k == kind.code())
        .and_then(|(_, m)| Mode::parse(m).ok())
        .unwrap_or_else(|| kind.default_mode())
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
    /// Why an address receives a notice.
    Reason, "reason", {
        Custodian = "custodian", "保管人", "Custodian";
        Countersigner = "countersigner", "复核签字人", "Countersigner";
        Contact = "contact", "单位联系邮箱", "Unit contact";
        Administrator = "administrator", "系统管理员", "Administrator";
        Digest = "digest", "每日汇总订阅", "Digest subscriber";
        Requested = "requested", "指定收件人", "Requested";
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
    pub reason: Reason,
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

/// What happens to a notice after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again at this time.
    RetryAt(DateTime<Utc>),
    /// Give up and leave it visible as failed.
    GiveUp,
}

/// A permanent refusal (the server said 5xx) or the last allowed attempt gives up; otherwise retry later.
pub fn after_failure(
    attempts: i32,
    max_attempts: i32,
    permanent: bool,
    now: DateTime<Utc>,
) -> AfterFailure {
    if permanent || attempts >= max_attempts {
        AfterFailure::GiveUp
    } else {
        AfterFailure::RetryAt(now + backoff(attempts))
    }
}

/// An administrator may send a failed or cancelled notice again.
pub fn check_retry(state: NoticeState) -> Result<(), ServiceError> {
    match state {
        NoticeState::Failed | NoticeState::Cancelled => Ok(()),
        _ => Err(ServiceError::conflict(
            "只有发送失败或已取消的通知可以重发",
            "Only failed or cancelled notices can be sent again",
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

/// The reminder lead (in days) a batch has reached: the smallest configured lead not shorter than the days
/// left, so a batch first seen 25 days before expiry gets the 30-day notice, not also the 90-day one.
/// `leads` is largest first; none once expired or while still further away than every lead.
pub fn expiry_lead(expiry: NaiveDate, today: NaiveDate, leads: &[i64]) -> Option<i64> {
    let left = (expiry - today).num_days();
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

    fn r(address: &str, reason: Reason, lang: Lang) -> Recipient {
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
            r("en@x.cn", Reason::Custodian, Lang::En),
            r("zh@x.cn", Reason::Custodian, Lang::Zh),
            r("ZH@x.cn", Reason::Contact, Lang::Zh),
            r("office@x.cn", Reason::Contact, Lang::Zh),
        ]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0, Lang::Zh, "Chinese first");
        let zh: Vec<(&str, Reason)> = groups[0]
            .1
            .iter()
            .map(|r| (r.address.as_str(), r.reason))
            .collect();
        assert_eq!(
            zh,
            [
                ("zh@x.cn", Reason::Custodian),
                ("office@x.cn", Reason::Contact)
            ],
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
    fn a_notice_gives_up_on_a_permanent_refusal_or_after_the_last_attempt() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap();
        assert_eq!(
            after_failure(1, 8, false, now),
            AfterFailure::RetryAt(now + Duration::minutes(1))
        );
        assert_eq!(after_failure(1, 8, true, now), AfterFailure::GiveUp);
        assert_eq!(after_failure(8, 8, false, now), AfterFailure::GiveUp);
    }

    #[test]
    fn only_failed_or_cancelled_notices_are_resent_and_only_unsent_ones_cancelled() {
        assert!(check_retry(NoticeState::Failed).is_ok());
        assert!(check_retry(NoticeState::Cancelled).is_ok());
        assert!(check_retry(NoticeState::Sent).is_err());
        assert!(check_retry(NoticeState::Pending).is_err());
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
    fn a_batch_reaches_the_nearest_lead_only() {
        let leads = [90, 30, 7];
        let today = d("2026-11-28");
        assert_eq!(expiry_lead(d("2027-06-01"), today, &leads), None, "far off");
        assert_eq!(expiry_lead(d("2027-02-26"), today, &leads), Some(90));
        assert_eq!(expiry_lead(d("2026-12-23"), today, &leads), Some(30));
        assert_eq!(expiry_lead(d("2026-12-05"), today, &leads), Some(7));
        assert_eq!(
            expiry_lead(today, today, &leads),
            Some(7),
            "last usable day"
        );
        assert_eq!(expiry_lead(d("2026-11-27"), today, &leads), None, "expired");
    }

    #[test]
    fn subjects_are_one_line() {
        assert_eq!(one_line("  【临期】\n 帐篷  \n"), "【临期】 帐篷");
    }

    #[test]
    fn units_hear_slow_matters_in_the_digest_until_they_choose() {
        let chosen = vec![("below_norm".to_string(), "immediate".to_string())];
        assert_eq!(mode_of(&chosen, Kind::BelowNorm), Mode::Immediate);
        assert_eq!(
            mode_of(&chosen, Kind::StocktakeDue),
            Mode::Digest,
            "the default"
        );
        assert_eq!(Kind::BelowNorm.default_mode(), Mode::Digest);
        assert_eq!(Kind::CountersignOwed.default_mode(), Mode::Immediate);
        assert!(!Kind::UNIT_CHOICES.contains(&Kind::Digest));
    }
}
