//! Demo duty: the office's 24-hour roster for this month and the next (published), the coming public
//! holiday's roster approved by the office and published, a day/night flood-control roster for 建设局 with
//! its flood season, a swap waiting for approval, a duty log with an open matter handed over by the last
//! shift, and one gap next month. Everything goes through the ordinary services, except the last shift's log
//! and handover, which are written as they were recorded at the time.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::calendar::model::{CalendarDay, DayKind};
use crate::clock::today;
use crate::config::Config;
use crate::db::{db_time, DbConn};
use crate::duty::model::{
    ChangeAction, ChangeKind, DutyRole, PeriodInput, PeriodKind, PresencePlan, RosterInput,
};
use crate::duty::service::changes::{self, Ask};
use crate::duty::service::plans::{self, Step};
use crate::duty::service::rosters::{self, Source};
use crate::duty::store::log::{self as log_store, NewEntry};
use crate::duty::store::shifts as shift_store;
use crate::error::{ServiceError, ServiceResult};
use crate::org::demo::{person_id, unit_id};
use crate::org::model::{Actor, PersonPatch};
use crate::org::service::{auth::actor_by_username, people};

/// The last day of `day`'s month.
fn month_end(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).map_or(day, |d| d - Duration::days(1))
}

/// Creates people of a unit for the demo: `(name, post, phone)`; returns their ids.
fn add_people(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    unit: i64,
    rows: &[(&str, &str, &str)],
) -> ServiceResult<Vec<i64>> {
    let mut ids = Vec::new();
    for (name, post, phone) in rows {
        let patch = PersonPatch::parse(
            Some(unit),
            Some(name),
            Some(post),
            Some(phone),
            Some(""),
            None,
        )?;
        ids.push(people::create(conn, actor, now, patch)?.id);
    }
    Ok(ids)
}

/// Generates a range and takes it to publication (through the office's approval when it holds holidays).
fn publish(
    conn: &mut DbConn,
    cfg: &Config,
    now: DateTime<Utc>,
    who: (&Actor, &Actor),
    roster: i64,
    range: (NaiveDate, NaiveDate),
) -> ServiceResult<i64> {
    let (manager, office) = who;
    let tz = cfg.timezone;
    let plan = plans::generate(conn, manager, now, tz, roster, range)?;
    let id = plan.plan.id;
    if plan.plan.holiday {
        plans::step(conn, cfg, manager, now, tz, id, Step::Submit, "")?;
        plans::step(conn, cfg, office, now, tz, id, Step::Approve, "")?;
    }
    plans::step(conn, cfg, manager, now, tz, id, Step::Publish, "")?;
    Ok(id)
}

/// Loads the demo duty (after the organisation and the teams). Returns a summary line.
pub fn load(conn: &mut DbConn, now: DateTime<Utc>, cfg: &Config) -> ServiceResult<String> {
    let tz = cfg.timezone;
    let leader = actor_by_username(conn, "luzm")?;
    let office = actor_by_username(conn, "shenlh")?;
    let day = today(now, tz);
    let office_unit = unit_id(conn, "东太湖度假区安委办")?;
    let extra = add_people(
        conn,
        &office,
        now,
        office_unit,
        &[
            ("李俊", "应急管理科科员", "13806250007"),
            ("王芳", "综合科科员", "13806250008"),
        ],
    )?;
    let leaders = ["周建国", "陆志明", "沈丽华"]
        .iter()
        .map(|n| person_id(conn, n))
        .collect::<ServiceResult<Vec<_>>>()?;
    let mut officers = ["钱晓燕", "吴海峰", "顾敏"]
        .iter()
        .map(|n| person_id(conn, n))
        .collect::<ServiceResult<Vec<_>>>()?;
    officers.extend(extra);
    let input = RosterInput::parse(
        office_unit,
        "东太湖度假区总值班",
        "08:30",
        [(1, 1), (1, 1), (1, 2)],
        "0512-63980110",
        30,
        "通讯设备测试正常\n值班电话、传真畅通\n值班记录和文件已移交\n应急车辆、装备正常",
        24,
    )?
    .with_presence(PresencePlan {
        checks: 2,
        minutes: 15,
    });
    let main = rosters::create(conn, &leader, now, input)?;
    let places: Vec<(i64, DutyRole)> = leaders
        .iter()
        .map(|p| (*p, DutyRole::Leader))
        .chain(officers.iter().map(|p| (*p, DutyRole::Officer)))
        .collect();
    rosters::set_eligible(conn, &leader, now, main.id, Source::People(places))?;
    // The State Council's arrangement for next year is out in November; until the calendar holds it, the
    // office enters next year's New Year's Day, so that the coming holiday is kept whenever the demo runs.
    let new_year = NaiveDate::from_ymd_opt(day.year() + 1, 1, 1).unwrap_or(day);
    if crate::calendar::store::load(conn, new_year, new_year)?.kind(new_year) != DayKind::Holiday {
        crate::calendar::service::set_day(
            conn,
            &Actor::system(),
            now,
            CalendarDay::parse(new_year, DayKind::Holiday, "元旦")?,
        )?;
    }
    let this_month = (
        day.with_day(1).unwrap_or(day).min(day - Duration::days(1)),
        month_end(day),
    );
    publish(conn, cfg, now, (&leader, &office), main.id, this_month)?;
    let next = (
        this_month.1 + Duration::days(1),
        month_end(this_month.1 + Duration::days(1)),
    );
    let next_plan = publish(conn, cfg, now, (&leader, &office), main.id, next)?;

    // A public holiday within two months after next month, when the calendar holds one: its roster is
    // published on its own, with the days up to it.
    let after = next.1 + Duration::days(1);
    let cal = crate::calendar::store::load(conn, after, after + Duration::days(60))?;
    if let Some(first) = after
        .iter_days()
        .take(60)
        .find(|d| cal.kind(*d) == DayKind::Holiday)
    {
        let cal = crate::calendar::store::load(conn, first, first + Duration::days(10))?;
        let last = first
            .iter_days()
            .take_while(|d| cal.kind(*d) == DayKind::Holiday)
            .last()
            .unwrap_or(first);
        if first > after {
            let gap = (after, first - Duration::days(1));
            publish(conn, cfg, now, (&leader, &office), main.id, gap)?;
        }
        publish(conn, cfg, now, (&leader, &office), main.id, (first, last))?;
    }

    // One gap next month: the officer of the 20th is taken off and nobody is put in.
    let shifts = shift_store::shifts_of_plan(conn, next_plan)?;
    if let Some(s) = shifts.iter().find(|s| s.day.day() == 20) {
        let keep: Vec<_> = shift_store::places(conn, &[s.id])?
            .remove(&s.id)
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, r)| *r == DutyRole::Leader)
            .collect();
        plans::set_shift(conn, cfg, &leader, now, tz, s.id, keep)?;
    }

    // A swap waiting for approval: two officers trade shifts next week, one asked, the other agreed.
    let soon = shift_store::live_between(
        conn,
        Some(&[main.id]),
        db_time(now + Duration::days(3)),
        db_time(now + Duration::days(12)),
    )?;
    let ids: Vec<i64> = soon.iter().map(|s| s.id).collect();
    let holders = shift_store::places(conn, &ids)?;
    let officer_of = |id: i64| {
        holders.get(&id).and_then(|p| {
            p.iter()
                .find(|(_, r)| *r == DutyRole::Officer)
                .map(|(p, _)| *p)
        })
    };
    if let (Some(a), Some(b)) = (
        soon.first(),
        soon.iter().skip(2).find(|s| {
            officer_of(s.id).is_some()
                && officer_of(s.id) != soon.first().and_then(|a| officer_of(a.id))
        }),
    ) {
        if let (Some(giver), Some(taker)) = (officer_of(a.id), officer_of(b.id)) {
            let ask = Ask {
                kind: ChangeKind::Swap,
                shift_id: a.id,
                giver_id: giver,
                taker_id: taker,
                taker_shift_id: Some(b.id),
                reason: "家中有事，与同事对调".into(),
                apply_now: false,
                despite_clashes: false,
            };
            let ch = changes::ask(conn, cfg, &leader, now, tz, ask)?;
            changes::act(
                conn,
                cfg,
                &leader,
                now,
                tz,
                ch.id,
                ChangeAction::Agree,
                "",
                false,
            )?;
        }
    }

    // The last shift's log: a call closed, a matter still open and handed over, the handover signed.
    let back = shift_store::live_between(
        conn,
        Some(&[main.id]),
        db_time(now - Duration::hours(30)),
        db_time(now),
    )?;
    if let [previous, current, ..] = back.as_slice() {
        let at = |h: i64| previous.starts_at + Duration::hours(h);
        log_store::insert(
            conn,
            &NewEntry {
                shift_id: previous.id,
                occurred_at: at(3),
                caller_unit: "太湖街道".into(),
                caller_name: "张立".into(),
                caller_phone: "13806250051".into(),
                summary: "报告辖区一处广告牌被大风吹松，已拉设警戒。".into(),
                notified: "建设局".into(),
                handling: "建设局派员加固，已办结。".into(),
                open: false,
            },
            leader.account_id,
            at(3),
        )?;
        log_store::insert(
            conn,
            &NewEntry {
                shift_id: previous.id,
                occurred_at: at(14),
                caller_unit: "滨湖街道".into(),
                caller_name: "孙磊".into(),
                caller_phone: "13806250041".into(),
                summary: "太湖大堤K3+200处发现渗水，街道已安排巡查。".into(),
                notified: "建设局、度假区防汛抢险队".into(),
                handling: "防汛抢险队已到场查看，待建设局评估。".into(),
                open: true,
            },
            leader.account_id,
            at(14),
        )?;
        log_store::sign_outgoing(
            conn,
            previous.id,
            (
                "大堤K3+200渗水待建设局评估，请继续跟进。",
                "通讯设备测试正常\n值班电话、传真畅通\n值班记录和文件已移交\n应急车辆、装备正常",
                "",
            ),
            leader.account_id,
            previous.ends_at,
        )?;
        log_store::sign_incoming(
            conn,
            previous.id,
            office.account_id,
            previous.ends_at + Duration::minutes(5),
        )?;
        let _ = current;
    }

    // The flood-control roster of 建设局: day and night shifts, its own flood season next year.
    let works = unit_id(conn, "建设局")?;
    let head = actor_by_username(conn, "yaoj")?;
    let new = add_people(
        conn,
        &head,
        now,
        works,
        &[
            ("刘建平", "防汛办主任", "13806250024"),
            ("曹勇", "工程科科长", "13806250025"),
            ("何静", "防汛办科员", "13806250026"),
            ("唐伟", "工程科科员", "13806250027"),
        ],
    )?;
    let mut flood_people = vec![
        (person_id(conn, "姚军")?, DutyRole::Leader),
        (new[0], DutyRole::Leader),
        (new[1], DutyRole::Leader),
    ];
    flood_people.extend(
        [
            person_id(conn, "蒋国平")?,
            person_id(conn, "马春梅")?,
            new[2],
            new[3],
        ]
        .iter()
        .map(|p| (*p, DutyRole::Officer)),
    );
    let input = RosterInput::parse(
        works,
        "建设局防汛值班",
        "08:30 20:30",
        [(1, 1), (1, 1), (1, 2)],
        "0512-63980220",
        30,
        "防汛物资仓库巡查\n雨情水情通报已接收\n通讯设备测试正常",
        12,
    )?;
    let flood = rosters::create(conn, &head, now, input)?;
    rosters::set_eligible(conn, &head, now, flood.id, Source::People(flood_people))?;
    let season = NaiveDate::from_ymd_opt(day.year() + 1, 6, 1)
        .zip(NaiveDate::from_ymd_opt(day.year() + 1, 9, 30))
        .ok_or_else(|| ServiceError::Internal("flood season".into()))?;
    rosters::add_period(conn, &head, now, flood.id, |others| {
        PeriodInput::parse(
            PeriodKind::Flood,
            &format!("{}年汛期", day.year() + 1),
            season,
            (1, 2),
            others,
        )
    })?;
    publish(
        conn,
        cfg,
        now,
        (&head, &office),
        flood.id,
        (day - Duration::days(1), day + Duration::days(30)),
    )?;
    Ok("demo duty loaded: the office's 24-hour roster (this month, next month, the coming holiday approved), 建设局's day/night flood roster, a swap waiting for approval, an open matter handed over, one gap next month; duty leader: luzm, officers: qianxy, wuhf".into())
}
