//! Calendar feeds (日历订阅): a secret address per person or roster that calendar programs subscribe to. A
//! person makes their own (or a manager of their unit's duty does), a roster's managers make the roster's; at
//! most 10 live of each; the secret is shown once and kept only as its SHA-256, and revoking a feed ends it
//! at once. The feed holds the shifts from 30 days back to 180 ahead, one event each under a stable UID.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::mine::speaks_for;
use super::{managed_roster, roster_for};
use crate::audit::{model::Change, service as audit};
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::duty::model::ical::{self, FeedEvent};
use crate::duty::model::{DutyRole, Pattern};
use crate::duty::store::feeds::{self as store, Feed, Which};
use crate::duty::store::rosters::RosterHead;
use crate::duty::store::shifts::{self as shift_store, OnShift, ShiftRow};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::{Lang, Text};
use crate::org::credentials::{random_token, token_hash};
use crate::org::model::Actor;
use crate::org::store as org_store;

/// Live feeds a person's duty or a roster may have at once.
pub const MAX_LIVE: i64 = 10;

/// Whose duty a feed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Person(i64),
    Roster(i64),
}

impl Subject {
    /// Exactly one of a person and a roster.
    pub fn of(person: Option<i64>, roster: Option<i64>) -> ServiceResult<Subject> {
        match (person, roster) {
            (Some(p), None) => Ok(Subject::Person(p)),
            (None, Some(r)) => Ok(Subject::Roster(r)),
            _ => Err(ServiceError::invalid(
                "person_id",
                "请指定人员或值班表之一",
                "Give either a person or a roster",
            )),
        }
    }

    fn of_feed(f: &Feed) -> Subject {
        match f.roster_id {
            Some(r) if f.person_id.is_none() => Subject::Roster(r),
            _ => Subject::Person(f.person_id.unwrap_or_default()),
        }
    }
}

/// A new feed with its address, which holds the secret and is shown this once.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NewFeed {
    #[serde(flatten)]
    pub feed: Feed,
    /// The address to paste into a calendar program's "subscribe" box.
    pub url: String,
}

fn gone() -> ServiceError {
    ServiceError::not_found("该日历订阅", "Calendar feed")
}

/// The unit a subject's feeds belong to, when the actor may make or revoke them (403 otherwise).
fn unit_managed(conn: &mut DbConn, actor: &Actor, subject: Subject) -> ServiceResult<i64> {
    match subject {
        Subject::Person(p) => speaks_for(conn, actor, p),
        Subject::Roster(r) => Ok(managed_roster(conn, actor, r)?.unit_id),
    }
}

/// Makes a feed of a person's duty or of a roster.
pub fn create(
    conn: &mut DbConn,
    cfg: &Config,
    actor: &Actor,
    now: DateTime<Utc>,
    subject: Subject,
) -> ServiceResult<NewFeed> {
    let secret = random_token(32)?;
    write_tx(conn, |c| {
        let unit = unit_managed(c, actor, subject)?;
        let of = match subject {
            Subject::Person(p) => (Some(p), None),
            Subject::Roster(r) => (None, Some(r)),
        };
        if store::count_live(c, of.0, of.1)? >= MAX_LIVE {
            return Err(ServiceError::conflict(
                "有效的订阅链接已达 10 个，请先撤销不用的",
                "There are 10 live feed links already; revoke one no longer used first",
            ));
        }
        let id = store::insert(c, &token_hash(&secret), of, actor.account_id, db_time(now))?;
        let feed = store::live(c, Which::Id(id))?.pop().ok_or_else(gone)?;
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_feed", id, Some(unit), None, Some(&feed)),
        )?;
        let url = format!(
            "{}/duty/feeds/{secret}.ics",
            cfg.base_url.trim_end_matches('/')
        );
        Ok(NewFeed { feed, url })
    })
}

/// The live feeds the actor made or that show their duty.
pub fn mine(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<Feed>> {
    Ok(store::live(
        conn,
        Which::Account(actor.account_id, actor.person_id),
    )?)
}

/// The live feeds of a roster the actor manages.
pub fn of_roster(conn: &mut DbConn, actor: &Actor, roster: i64) -> ServiceResult<Vec<Feed>> {
    managed_roster(conn, actor, roster)?;
    Ok(store::live(conn, Which::Roster(roster))?)
}

/// Revokes a live feed: whoever made it, the person it shows, or a manager of its person or roster.
pub fn revoke(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: i64,
) -> ServiceResult<Feed> {
    write_tx(conn, |c| {
        let before = store::live(c, Which::Id(id))?.pop().ok_or_else(gone)?;
        let own = before.created_by == actor.account_id
            || (before.person_id.is_some() && before.person_id == actor.person_id);
        let unit = match Subject::of_feed(&before) {
            Subject::Person(p) if own => org_store::find_person(c, p)?
                .map(|p| p.unit_id)
                .ok_or_else(gone)?,
            Subject::Roster(r) if own => roster_for(c, r)?.unit_id,
            subject => unit_managed(c, actor, subject)?,
        };
        if !store::revoke(c, id, db_time(now))? {
            return Err(gone());
        }
        let after = Feed {
            revoked_at: Some(db_time(now)),
            ..before.clone()
        };
        audit::record(
            c,
            Some(actor),
            now,
            Change::of("duty_feed", id, Some(unit), Some(&before), Some(&after)),
        )?;
        Ok(after)
    })
}

/// What a feed shows: its calendar's name, the person (a person's feed) and the shifts with their place.
struct Shown {
    name: String,
    person: Option<i64>,
    shifts: Vec<(ShiftRow, Option<DutyRole>)>,
}

/// The shifts of `[from, to)` a live feed shows; 404 for a person no longer active, or a roster's feed whose
/// maker's account is closed.
fn shown(
    conn: &mut DbConn,
    feed: &Feed,
    maker_active: bool,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    lang: Lang,
) -> ServiceResult<Shown> {
    let (from, to) = (db_time(from), db_time(to));
    match Subject::of_feed(feed) {
        Subject::Person(p) => {
            if !org_store::find_person(conn, p)?.is_some_and(|x| x.active) {
                return Err(gone());
            }
            let name = Text::new(
                format!("值班 · {}", feed.name),
                format!("Duty · {}", feed.name),
            );
            Ok(Shown {
                name: name.get(lang).to_string(),
                person: Some(p),
                shifts: crate::duty::store::held::of_person(conn, p, from, to)?
                    .into_iter()
                    .map(|(s, role, _)| (s, DutyRole::parse(&role).ok()))
                    .collect(),
            })
        }
        Subject::Roster(r) if maker_active => Ok(Shown {
            name: feed.name.clone(),
            person: None,
            shifts: shift_store::live_between(conn, Some(&[r]), from, to)?
                .into_iter()
                .map(|s| (s, None))
                .collect(),
        }),
        Subject::Roster(_) => Err(gone()),
    }
}

/// The iCalendar file of the feed whose secret this is (404 for an unknown or revoked one), in its maker's
/// language.
pub fn calendar(
    conn: &mut DbConn,
    cfg: &Config,
    now: DateTime<Utc>,
    secret: &str,
) -> ServiceResult<String> {
    let feed = store::live(conn, Which::Hash(&token_hash(secret)))?
        .pop()
        .ok_or_else(gone)?;
    let maker = org_store::find_account(conn, feed.created_by)?;
    let lang = maker.as_ref().map_or(Lang::Zh, |a| a.lang());
    let span = (now - Duration::days(30), now + Duration::days(180));
    let maker_active = maker.is_some_and(|a| a.active);
    let Shown {
        name,
        person,
        shifts,
    } = shown(conn, &feed, maker_active, span, lang)?;
    let ids: Vec<i64> = shifts.iter().map(|(s, _)| s.id).collect();
    let mut rosters: Vec<i64> = shifts.iter().map(|(s, _)| s.roster_id).collect();
    rosters.sort_unstable();
    rosters.dedup();
    let heads: HashMap<i64, RosterHead> = store::heads(conn, &rosters)?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let mut holders: HashMap<i64, Vec<OnShift>> = HashMap::new();
    for h in shift_store::holders(conn, &ids)? {
        holders.entry(h.shift_id).or_default().push(h);
    }
    let revisions = store::revisions(conn, &ids)?;
    let base = cfg.base_url.trim_end_matches('/');
    let events: Vec<FeedEvent> = shifts
        .iter()
        .filter_map(|(s, role)| {
            let head = heads.get(&s.roster_id)?;
            let on = holders.get(&s.id).map_or(&[][..], Vec::as_slice);
            let (summary, description) = texts(s, *role, head, on, lang);
            Some(FeedEvent {
                uid: match person {
                    Some(p) => format!("duty-shift-{}-{p}@standby", s.id),
                    None => format!("duty-shift-{}@standby", s.id),
                },
                starts_at: s.starts_at.and_utc(),
                ends_at: s.ends_at.and_utc(),
                summary,
                description,
                location: head.unit_name.clone(),
                url: format!("{base}/duty/shifts/{}", s.id),
                sequence: revisions.get(&s.id).copied().unwrap_or(0),
            })
        })
        .collect();
    Ok(ical::calendar(&ical::Feed {
        name: &name,
        tz: cfg.timezone,
        now,
        events: &events,
    }))
}

/// An event's summary and description. A person's feed: 值班：区应急局总值班（带班领导）; a roster's:
/// 带班：陆志明；值班：钱晓燕. The description names everyone on the shift with their phones, and the duty phone.
fn texts(
    s: &ShiftRow,
    role: Option<DutyRole>,
    head: &RosterHead,
    on: &[OnShift],
    lang: Lang,
) -> (String, String) {
    let pattern = Pattern::parse(&head.shift_starts).unwrap_or_else(|_| Pattern::daily());
    let shift = pattern.shift_name(s.shift_no.max(0) as usize, lang);
    let need = s.need();
    let roles = [
        (DutyRole::Leader, need.leaders, Text::new("带班", "Leader")),
        (
            DutyRole::Officer,
            need.officers,
            Text::new("值班", "On duty"),
        ),
    ];
    let (sep, list, vacant) = match lang {
        Lang::Zh => ("：", "、", "空缺"),
        Lang::En => (": ", ", ", "vacant"),
    };
    let of = |r: DutyRole| on.iter().filter(move |h| h.role == r.code());
    let mut lines = vec![format!("{} · {shift}", head.name)];
    let mut parts = Vec::new();
    for (r, needed, short) in roles {
        let names: Vec<&str> = of(r).map(|h| h.name.as_str()).collect();
        if names.is_empty() && needed == 0 {
            continue;
        }
        let who: Vec<String> = of(r)
            .map(|h| format!("{} {}", h.name, h.phone).trim().to_string())
            .collect();
        let or_vacant = |v: String| if v.is_empty() { vacant.to_string() } else { v };
        lines.push(format!(
            "{}{sep}{}",
            r.label(lang),
            or_vacant(who.join(list))
        ));
        parts.push(format!(
            "{}{sep}{}",
            short.get(lang),
            or_vacant(names.join(list))
        ));
    }
    if !head.duty_phone.is_empty() {
        let phone = Text::new("值班电话", "Duty phone");
        lines.push(format!("{}{sep}{}", phone.get(lang), head.duty_phone));
    }
    // A day of more than one shift: which one (夜班).
    let tag = |before: &str, after: &str| {
        if pattern.len() > 1 {
            format!("{before}{shift}{after}")
        } else {
            String::new()
        }
    };
    let summary = match (role, lang) {
        (Some(r), Lang::Zh) => format!("值班：{}{}（{}）", head.name, tag(" ", ""), r.label(lang)),
        (Some(r), Lang::En) => format!("Duty: {}{} ({})", head.name, tag(" ", ""), r.label(lang)),
        (None, Lang::Zh) => format!("{}{}", tag("", " "), parts.join("；")),
        (None, Lang::En) => format!("{}{}", tag("", " "), parts.join("; ")),
    };
    (summary, lines.join("\n"))
}
