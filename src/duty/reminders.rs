//! What the duty area tells people as a reminder source: a shift beginning within its people's lead (each
//! person's own, else the roster's), a handover not signed in time after the changeover (to the leaders of
//! both shifts and the roster's duty leaders), gaps and conflicts in the next 30 days (to the roster's
//! managers and unit).

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::clock::today;
use crate::config::{ConfigError, Vars};
use crate::db::{db_time, DbConn};
use crate::duty::model::{DutyRole, Finding};
use crate::duty::notices::{self, span, DutyMessage};
use crate::duty::service::{gaps, names, people_over};
use crate::duty::store::leads as lead_store;
use crate::duty::store::log as log_store;
use crate::duty::store::rosters as roster_store;
use crate::duty::store::shifts as store;
use crate::error::ServiceResult;
use crate::i18n::Lang;
use crate::metrics::Gauge;
use crate::notify::model::{KindSpec, Reason};
use crate::notify::service::Outgoing;
use crate::notify::ReminderSource;
use crate::org::model::Role;

/// The duty area's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Days ahead the gap scan looks, `STANDBY_DUTY_GAP_DAYS` (30).
    pub gap_days: i64,
}

impl Settings {
    /// Reads the section from the environment.
    pub fn from_vars(vars: &Vars) -> Result<Settings, ConfigError> {
        let gap_days = vars.days("STANDBY_DUTY_GAP_DAYS", &[30])?;
        Ok(Settings {
            gap_days: gap_days.first().copied().unwrap_or(30).clamp(1, 90),
        })
    }
}

impl ReminderSource for super::Area {
    fn area(&self) -> &'static str {
        "duty"
    }

    fn kinds(&self) -> &'static [&'static KindSpec] {
        &notices::KINDS
    }

    fn reasons(&self) -> &'static [&'static Reason] {
        &notices::REASONS
    }

    fn findings(
        &self,
        conn: &mut DbConn,
        now: DateTime<Utc>,
        tz: Tz,
    ) -> ServiceResult<Vec<Outgoing>> {
        let mut out = upcoming(conn, now, tz)?;
        out.extend(handovers(conn, now, tz)?);
        out.extend(presence_missed(conn, now, tz)?);
        out.extend(gap_notices(conn, now, tz, self.settings.gap_days)?);
        Ok(out)
    }

    /// `standby_duty_findings{roster, kind}`: gaps and conflicts on each active roster over the gap scan's
    /// days (`kind="total"` always present, so a roster without trouble reads 0).
    fn gauges(&self, conn: &mut DbConn, now: DateTime<Utc>, tz: Tz) -> ServiceResult<Vec<Gauge>> {
        let mut out = Vec::new();
        for r in roster_store::all(conn)?.into_iter().filter(|r| r.active) {
            let found = gaps::findings(conn, &r, now, tz, self.settings.gap_days)?;
            let mut kinds: Vec<&'static str> = found.iter().map(Finding::code).collect();
            kinds.sort_unstable();
            let gauge = |kind: &str, value: usize| Gauge {
                name: "standby_duty_findings",
                help: "Gaps and conflicts ahead on each active duty roster, by kind.",
                labels: vec![("roster", r.name.clone()), ("kind", kind.to_string())],
                value: value as f64,
            };
            out.push(gauge("total", found.len()));
            for kind in [
                "not_rostered",
                "no_leader",
                "short_of_officers",
                "on_leave",
                "double_booked",
                "back_to_back",
            ] {
                out.push(gauge(kind, kinds.iter().filter(|k| **k == kind).count()));
            }
        }
        Ok(out)
    }
}

/// Shifts starting within their people's lead (each person's own, else the roster's): each person on them.
/// The dedupe key names the shift and its start, not the lead, so a person who changes their lead after
/// being reminded is not reminded again.
fn upcoming(conn: &mut DbConn, now: DateTime<Utc>, tz: Tz) -> ServiceResult<Vec<Outgoing>> {
    let rosters = roster_store::all(conn)?;
    let leads = lead_store::chosen(conn)?;
    let soon: Vec<_> =
        store::live_between(conn, None, db_time(now), db_time(now + Duration::hours(72)))?
            .into_iter()
            .filter(|s| s.starts_at.and_utc() > now)
            .collect();
    let ids: Vec<i64> = soon.iter().map(|s| s.id).collect();
    let holders = store::holders(conn, &ids)?;
    let mut out = Vec::new();
    for s in &soon {
        let Some(r) = rosters.iter().find(|r| r.id == s.roster_id && r.active) else {
            continue;
        };
        let when = span(s.starts_at.and_utc(), s.ends_at.and_utc(), tz);
        for h in holders.iter().filter(|h| h.shift_id == s.id) {
            let lead = leads.get(&h.person_id).copied().unwrap_or_default();
            if lead
                .ahead(r.remind_hours)
                .is_none_or(|ahead| s.starts_at.and_utc() > now + ahead)
            {
                continue;
            }
            let role = DutyRole::parse(&h.role).unwrap_or(DutyRole::Officer);
            let msg = DutyMessage::new(
                (
                    format!("【值班提醒】{when} {}", r.name),
                    format!("[Duty reminder] {when} {}", r.name),
                ),
                (
                    format!(
                        "您将于 {when} 在“{}”担任{}。值班电话：{}",
                        r.name,
                        role.label(Lang::Zh),
                        r.duty_phone
                    ),
                    format!(
                        "You are on duty {when} on “{}” as {}. Duty phone: {}",
                        r.name,
                        role.label(Lang::En).to_lowercase(),
                        r.duty_phone
                    ),
                ),
            );
            out.push(Outgoing {
                kind: &notices::UPCOMING,
                key: format!(
                    "duty_upcoming:{}:{}:{}",
                    s.id,
                    h.person_id,
                    s.starts_at.and_utc().timestamp()
                ),
                unit_id: Some(r.unit_id),
                path: "/duty/mine".into(),
                people: vec![(h.person_id, &notices::ON_DUTY)],
                to_unit: false,
                addresses: Vec::new(),
                content: Box::new(msg),
            });
        }
    }
    Ok(out)
}

/// Handovers not signed by both sides once the roster's limit after the changeover has passed (looking
/// back a day): the leaders of both shifts and the roster's duty leaders.
fn handovers(conn: &mut DbConn, now: DateTime<Utc>, tz: Tz) -> ServiceResult<Vec<Outgoing>> {
    let rosters = roster_store::all(conn)?;
    let mut out = Vec::new();
    for (shift, roster, ended) in
        log_store::unsigned_between(conn, db_time(now - Duration::hours(24)), db_time(now))?
    {
        let Some(r) = rosters.iter().find(|r| r.id == roster && r.active) else {
            continue;
        };
        if ended.and_utc() + Duration::minutes(i64::from(r.handover_minutes)) > now {
            continue;
        }
        let mut people: Vec<i64> = people_over(conn, r.unit_id, &[Role::DutyLeader])?;
        let around = store::live_between(
            conn,
            Some(&[r.id]),
            ended - Duration::minutes(1),
            ended + Duration::minutes(1),
        )?;
        let ids: Vec<i64> = around.iter().map(|s| s.id).collect();
        people.extend(
            store::holders(conn, &ids)?
                .iter()
                .filter(|h| h.role == DutyRole::Leader.code())
                .map(|h| h.person_id),
        );
        people.sort_unstable();
        people.dedup();
        let at = ended.and_utc().with_timezone(&tz).format("%Y-%m-%d %H:%M");
        let msg = DutyMessage::new(
            (
                format!("【交接班未签字】{} {at}", r.name),
                format!("[Handover not signed] {} {at}", r.name),
            ),
            (
                format!(
                    "“{}”{at} 的交接班在 {} 分钟内未完成双方签字，请督促交接。",
                    r.name, r.handover_minutes
                ),
                format!(
                    "The handover of “{}” at {at} was not signed by both sides within {} minutes.",
                    r.name, r.handover_minutes
                ),
            ),
        );
        out.push(Outgoing {
            kind: &notices::HANDOVER_MISSING,
            key: format!("duty_handover:{shift}"),
            unit_id: Some(r.unit_id),
            path: format!("/duty/shifts/{shift}"),
            people: people
                .into_iter()
                .map(|p| (p, &notices::DUTY_MANAGER))
                .collect(),
            to_unit: false,
            addresses: Vec::new(),
            content: Box::new(msg),
        });
    }
    Ok(out)
}

/// Presence checks not confirmed by their limit (looking back a day): the roster's duty leaders and the
/// leaders on that shift.
fn presence_missed(conn: &mut DbConn, now: DateTime<Utc>, tz: Tz) -> ServiceResult<Vec<Outgoing>> {
    let missed = crate::duty::store::presence::missed(
        conn,
        db_time(now - Duration::hours(24)),
        db_time(now),
    )?;
    if missed.is_empty() {
        return Ok(Vec::new());
    }
    let rosters = roster_store::all(conn)?;
    let all_names = names(conn)?;
    let mut out = Vec::new();
    for (check, roster) in missed {
        let Some(r) = rosters.iter().find(|r| r.id == roster) else {
            continue;
        };
        let mut people = people_over(conn, r.unit_id, &[Role::DutyLeader])?;
        people.extend(
            store::holders(conn, &[check.shift_id])?
                .iter()
                .filter(|h| h.role == DutyRole::Leader.code() && h.person_id != check.person_id)
                .map(|h| h.person_id),
        );
        people.sort_unstable();
        people.dedup();
        let who = all_names.get(&check.person_id).cloned().unwrap_or_default();
        let at = check
            .due_at
            .and_utc()
            .with_timezone(&tz)
            .format("%m-%d %H:%M");
        let msg = DutyMessage::new(
            (format!("【查岗未确认】{who} — {}", r.name), format!("[Presence not confirmed] {who} — {}", r.name)),
            (
                format!("{who} 未在 {at} 前确认在岗，请立即联系核实。值班电话：{}", r.duty_phone),
                format!("{who} did not confirm being at their post by {at}; call them now. Duty phone: {}", r.duty_phone),
            ),
        );
        out.push(Outgoing {
            kind: &notices::PRESENCE_MISSED,
            key: format!("duty_presence_missed:{}", check.id),
            unit_id: Some(r.unit_id),
            path: format!("/duty/shifts/{}", check.shift_id),
            people: people
                .into_iter()
                .map(|p| (p, &notices::DUTY_MANAGER))
                .collect(),
            to_unit: false,
            addresses: Vec::new(),
            content: Box::new(msg),
        });
    }
    Ok(out)
}

/// Each active roster with gaps or conflicts ahead: its managers and unit, once a day.
fn gap_notices(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    tz: Tz,
    days: i64,
) -> ServiceResult<Vec<Outgoing>> {
    let day = today(now, tz);
    let all_names = names(conn)?;
    let name = |p: i64| all_names.get(&p).cloned().unwrap_or_default();
    let mut out = Vec::new();
    for r in roster_store::all(conn)?.into_iter().filter(|r| r.active) {
        let found = gaps::findings(conn, &r, now, tz, days)?;
        if found.is_empty() {
            continue;
        }
        let mut msg = DutyMessage::new(
            (
                format!(
                    "【排班缺口】{} 未来 {days} 天有 {} 处问题",
                    r.name,
                    found.len()
                ),
                format!(
                    "[Roster gaps] {}: {} problem(s) in the next {days} days",
                    r.name,
                    found.len()
                ),
            ),
            ("请补排或调整：".into(), "Fill or adjust:".into()),
        );
        for f in found.iter().take(30) {
            msg = msg.line(f.describe(Lang::Zh, &name), f.describe(Lang::En, &name));
        }
        let managers = people_over(conn, r.unit_id, &[Role::DutyLeader, Role::UnitHead])?;
        out.push(Outgoing {
            kind: &notices::GAPS,
            key: format!("duty_gaps:{}:{day}", r.id),
            unit_id: Some(r.unit_id),
            path: format!("/duty/rosters/{}", r.id),
            people: managers
                .into_iter()
                .map(|p| (p, &notices::DUTY_MANAGER))
                .collect(),
            to_unit: true,
            addresses: Vec::new(),
            content: Box::new(msg),
        });
    }
    Ok(out)
}
