//! Demo teams for the demo district's three rescue-team units, so that the readiness board tells a story:
//! the fire and rescue station ready, the flood-fighting team short (a certificate lapsed, one member on
//! leave, one certificate expiring within the month), the volunteer team not ready (its captain on sick
//! leave, no deputy). Members, certificates, leave, training and the pumps and boats they carry all go
//! through the ordinary services. The captains of the two other teams get accounts (they manage their team
//! by being its captain).

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::clock::today;
use crate::config::Config;
use crate::db::DbConn;
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::inventory::service::visible_warehouses;
use crate::org::demo::{person_id, unit_id, DEMO_PASSWORD};
use crate::org::model::{Actor, Grant, NewAccount, Password, PersonPatch, Role};
use crate::org::service::{accounts, auth::actor_by_username, people};
use crate::teams::model::{
    Attendance, CertificateInput, LeaveInput, LeaveKind, MemberInput, MemberRole, MemberStatus,
    TeamInput, TeamKind, TrainingInput,
};
use crate::teams::service::leaves::{self, Decision};
use crate::teams::service::{certificates, members, teams, training};

/// A demo team: unit, name, kind, specialities, minimum, duty phone, position.
struct DemoTeam {
    unit: &'static str,
    kind: TeamKind,
    specialities: &'static [&'static str],
    min_ready: i64,
    phone: &'static str,
    position: (f64, f64),
    /// The captain (already in the demo organisation), then new members: name, role, phone.
    captain: &'static str,
    members: &'static [(&'static str, MemberRole, &'static str)],
}

const TEAMS: &[DemoTeam] = &[
    DemoTeam {
        unit: "东太湖综合性消防救援站",
        kind: TeamKind::Comprehensive,
        specialities: &["fire", "collapse", "forest_fire"],
        min_ready: 8,
        phone: "0512-63981119",
        position: (31.1205, 120.6418),
        captain: "戴建华",
        members: &[
            ("陆振华", MemberRole::Deputy, "13806250162"),
            ("顾晓明", MemberRole::Member, "13806250163"),
            ("沈浩", MemberRole::Member, "13806250164"),
            ("朱鹏", MemberRole::Driver, "13806250165"),
            ("许杰", MemberRole::Member, "13806250166"),
            ("何文斌", MemberRole::Technician, "13806250167"),
            ("吕强", MemberRole::Member, "13806250168"),
            ("施建国", MemberRole::Medic, "13806250169"),
        ],
    },
    DemoTeam {
        unit: "度假区防汛抢险队",
        kind: TeamKind::Professional,
        specialities: &["flood", "water_rescue"],
        min_ready: 7,
        phone: "0512-63981212",
        position: (31.0950, 120.6280),
        captain: "范永强",
        members: &[
            ("钱卫东", MemberRole::Deputy, "13806250172"),
            ("孙海涛", MemberRole::Member, "13806250173"),
            ("周建新", MemberRole::Driver, "13806250174"),
            ("吴磊", MemberRole::Member, "13806250175"),
            ("郑小兵", MemberRole::Member, "13806250176"),
            ("冯志刚", MemberRole::Technician, "13806250177"),
        ],
    },
    DemoTeam {
        unit: "东太湖蓝天救援队",
        kind: TeamKind::Volunteer,
        specialities: &["water_rescue", "medical"],
        min_ready: 5,
        phone: "0512-63981333",
        position: (31.1520, 120.6710),
        captain: "杨帆",
        members: &[
            ("陈静", MemberRole::Medic, "13806250182"),
            ("褚云飞", MemberRole::Member, "13806250183"),
            ("卫东升", MemberRole::Member, "13806250184"),
            ("蒋丽", MemberRole::Member, "13806250185"),
            ("韩冬", MemberRole::Driver, "13806250186"),
        ],
    },
];

/// A certificate as the demo records it: (person, type, number, issued, last day valid).
fn certificate(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    (person, kind, number, issued, expires): (i64, &str, &str, NaiveDate, NaiveDate),
) -> ServiceResult<()> {
    let input = CertificateInput::parse(
        person,
        kind,
        number,
        "苏州市应急管理局",
        (issued, Some(expires)),
        issued,
    )?;
    certificates::add(conn, actor, now, input, None)?;
    Ok(())
}

/// Loads the demo teams (after the demo organisation and reserves). Returns a summary line.
pub fn load(conn: &mut DbConn, now: DateTime<Utc>, cfg: &Config) -> ServiceResult<String> {
    let office = actor_by_username(conn, "zhoujg")?;
    let day = today(now, cfg.timezone);
    let years = |n: i64| day - Duration::days(365 * n);
    let mut ids = Vec::new();
    let mut people_count = 0;
    for t in TEAMS {
        let unit = unit_id(conn, t.unit)?;
        let input = TeamInput::parse(
            unit,
            t.unit,
            t.kind,
            "",
            (Some(t.position.0), Some(t.position.1)),
            t.phone,
            t.min_ready,
            t.specialities.iter().map(|s| s.to_string()).collect(),
        )?;
        let team = teams::create(conn, &office, now, input)?;
        let captain = person_id(conn, t.captain)?;
        let mut roster = vec![(captain, MemberRole::Captain)];
        for (name, role, phone) in t.members {
            let patch = PersonPatch::parse(
                Some(unit),
                Some(name),
                Some("队员"),
                Some(phone),
                Some(""),
                None,
            )?;
            roster.push((people::create(conn, &office, now, patch)?.id, *role));
            people_count += 1;
        }
        for (person, role) in &roster {
            let member = MemberInput::parse(
                *person,
                *role,
                years(3),
                MemberStatus::InPost,
                None,
                None,
                "",
            )?;
            members::add(conn, &office, now, team.id, member)?;
        }
        // Everyone holds the certificates the team's specialities require, valid for years to come — but in
        // the flood team 孙海涛's runs out within the month and 吴磊's lapsed ten days ago.
        for (i, (person, _)) in roster.iter().enumerate() {
            let (issued, expires) = match (t.unit, i) {
                ("度假区防汛抢险队", 2) => (years(2), day + Duration::days(20)),
                ("度假区防汛抢险队", 4) => (years(3), day - Duration::days(10)),
                _ => (years(2), day + Duration::days(700)),
            };
            for kind in t.specialities.iter().filter_map(|s| match *s {
                "water_rescue" => Some("water_rescue"),
                "medical" if i < 2 => Some("first_aid"),
                _ => None,
            }) {
                let number = format!("{}-{}-{:03}", kind.to_uppercase(), team.id, i + 1);
                certificate(
                    conn,
                    &office,
                    now,
                    (*person, kind, &number, issued, expires),
                )?;
            }
        }
        ids.push((team.id, roster));
    }
    let flood = &ids[1].1;
    // 郑小兵 is on annual leave this week; 冯志刚 asks for next week (waiting for his captain).
    let leave = |person: i64, kind: LeaveKind, from: i64, to: i64, why: &str| {
        LeaveInput::parse(
            person,
            kind,
            day + Duration::days(from),
            day + Duration::days(to),
            why,
            day,
        )
    };
    let zheng = leaves::request(
        conn,
        &office,
        now,
        leave(flood[5].0, LeaveKind::Annual, -1, 3, "年休假")?,
    )?;
    leaves::decide(conn, &office, now, zheng.id, Decision::Approve, "")?;
    leaves::request(
        conn,
        &office,
        now,
        leave(flood[6].0, LeaveKind::Personal, 7, 8, "家中有事")?,
    )?;
    // The volunteer team's captain is on sick leave and it has no deputy: it cannot turn out.
    let volunteers = &ids[2].1;
    let yang = leaves::request(
        conn,
        &office,
        now,
        leave(volunteers[0].0, LeaveKind::Sick, -2, 5, "腰伤")?,
    )?;
    leaves::decide(conn, &office, now, yang.id, Decision::Approve, "")?;
    // Training this year.
    for (team, roster) in &ids {
        for (weeks, subject, hours) in [
            (6, "冲锋舟操作与水上救援", "3"),
            (2, "应急通信与集结演练", "2"),
        ] {
            let attendance = roster
                .iter()
                .enumerate()
                .map(|(i, (p, _))| {
                    (
                        *p,
                        if i % 4 == 3 {
                            Attendance::Absent
                        } else {
                            Attendance::Present
                        },
                    )
                })
                .collect();
            let input = TrainingInput::parse(
                day - Duration::weeks(weeks),
                (hours, subject, "支队教官", "东太湖训练基地"),
                attendance,
                day,
            )?;
            training::record(conn, &office, now, *team, input)?;
        }
    }
    // The flood team carries the boats and life jackets of 建设局's warehouse.
    let warehouse = visible_warehouses(conn, &office)?
        .into_iter()
        .find(|w| w.name == "建设局东太湖防汛物资仓库")
        .ok_or_else(|| ServiceError::Internal("demo warehouse missing".into()))?
        .id;
    let (boats, jackets) = (
        teams::item_of_code(conn, "FX-CFZ-01")?,
        teams::item_of_code(conn, "FX-JSY-01")?,
    );
    teams::add_equipment(conn, &office, now, ids[1].0, warehouse, boats, "随队冲锋舟")?;
    teams::add_equipment(conn, &office, now, ids[1].0, warehouse, jackets, "")?;
    // Captains sign in as themselves.
    let mut accounts_made = Vec::new();
    for (username, name, unit) in [
        ("fanyq", "范永强", "度假区防汛抢险队"),
        ("yangf", "杨帆", "东太湖蓝天救援队"),
    ] {
        let new = NewAccount {
            username: username.into(),
            password: Password::parse(DEMO_PASSWORD, username)?,
            person_id: Some(person_id(conn, name)?),
            language: Lang::Zh,
            grants: vec![Grant {
                role: Role::Viewer,
                unit_id: Some(unit_id(conn, unit)?),
            }],
        };
        accounts::create(conn, Some(&Actor::system()), now, new)?;
        accounts_made.push(format!("{username} (队长)"));
    }
    Ok(format!(
        "demo teams loaded: {} teams, {people_count} members added, certificates, leave and training; captains: {}",
        TEAMS.len(),
        accounts_made.join(", ")
    ))
}
