//! The demo's circulars: the office's 2026 flood-season duty circular (关于做好2026年汛期值班值守工作的通知)
//! to all 15 departments and streets, issued four days ago with a deadline twenty hours ago: 12 units have
//! acknowledged (most through the e-mail link), 9 replied with their duty names and phones, three are
//! overdue — 交通运输局's head has been told, 滨湖街道 (sunlei) and 东山街道 not yet.

use chrono::{DateTime, Duration, Utc};

use crate::circulars::model::{
    AckClaim, CircularInput, CircularReplyMode, CircularUrgency, Pick, ReplyInput,
};
use crate::circulars::service::{answering, drafting};
use crate::circulars::store::{self, Reply};
use crate::circulars::Area;
use crate::config::Config;
use crate::db::{db_time, write_tx, DbConn};
use crate::error::{ServiceError, ServiceResult};
use crate::org::demo::unit_id;
use crate::org::model::{Actor, Role, UnitKind, UnitPatch};
use crate::org::service::auth::actor_by_username;

/// Departments and streets the demo district adds for the circular (name, kind, contact, phone).
const MORE_UNITS: &[(&str, &str, &str, &str)] = &[
    (
        "自然资源和规划分局",
        "department",
        "zrzy@dth.example.gov.cn",
        "0512-63981205",
    ),
    (
        "交通运输局",
        "department",
        "jtj@dth.example.gov.cn",
        "0512-63981206",
    ),
    (
        "市场监督管理局",
        "department",
        "scjg@dth.example.gov.cn",
        "0512-63981207",
    ),
    (
        "农业农村局",
        "department",
        "nync@dth.example.gov.cn",
        "0512-63981208",
    ),
    (
        "水务局",
        "department",
        "swj@dth.example.gov.cn",
        "0512-63981209",
    ),
    (
        "香山街道",
        "street",
        "xiangshan@dth.example.gov.cn",
        "0512-63981303",
    ),
    (
        "临湖街道",
        "street",
        "linhu@dth.example.gov.cn",
        "0512-63981304",
    ),
    (
        "东山街道",
        "street",
        "dongshan@dth.example.gov.cn",
        "0512-63981305",
    ),
];

const BODY: &str = "各部门、各街道：
根据《中华人民共和国防洪法》和省、市防汛工作部署，2026年汛期自5月1日起至9月30日止。为确保汛期各类险情灾情第一时间发现、第一时间报告、第一时间处置，现就做好汛期值班值守工作通知如下。
一、严格落实24小时值班制度。汛期实行领导带班和24小时专人值班，带班领导和值班人员须在岗在位，通讯工具保持畅通，不得擅离职守。
二、及时准确报送信息。发生险情灾情，值班人员须在接报后15分钟内电话报告区防汛指挥部办公室，35分钟内书面报告，不得迟报、漏报、瞒报。
三、强化应急准备。各单位要检查防汛物资储备和抢险队伍，确保一旦发生险情，人员、物资能够迅速到位。
四、请各单位于截止时间前签收本通知，并通过回执报送本单位汛期值班人员和联系电话。
特此通知。";

/// A reply's duty people and phones.
type Duty = Option<(&'static str, &'static str)>;

/// (unit, acknowledged how many hours after issue, by whom through the link, reply)
const ANSWERS: &[(&str, i64, &str, Duty)] = &[
    (
        "经济发展局",
        2,
        "陈立新",
        Some(("陈立新（带班）、周敏", "0512-63981201、13962110021")),
    ),
    (
        "社会事业局",
        5,
        "吴婷",
        Some(("顾建华（带班）、吴婷", "0512-63981203、13812620315")),
    ),
    (
        "综合行政执法局",
        1,
        "刘洋",
        Some(("钱卫东（带班）、刘洋、许峰", "0512-63981204、13706213348")),
    ),
    (
        "公安分局",
        1,
        "指挥中心 赵磊",
        Some(("指挥中心 24 小时值班", "0512-63981110")),
    ),
    (
        "自然资源和规划分局",
        20,
        "朱琳",
        Some(("沈国强（带班）、朱琳", "0512-63981205、13584822107")),
    ),
    (
        "水务局",
        3,
        "蒋涛",
        Some(("蒋涛（带班）、高远、褚明", "0512-63981209、13962188610")),
    ),
    (
        "太湖街道",
        6,
        "王芳",
        Some(("徐建国（带班）、王芳", "0512-63981302、13915543028")),
    ),
    (
        "香山街道",
        26,
        "杨帆",
        Some(("杨帆（带班）、孔德明", "0512-63981303、13771868854")),
    ),
    ("市场监督管理局", 30, "何静", None),
    ("农业农村局", 44, "潘小龙", None),
    ("临湖街道", 50, "卫红", None),
];

fn actor(conn: &mut DbConn, username: &str) -> ServiceResult<Actor> {
    actor_by_username(conn, username)
}

/// Loads the demo circular; returns what to print.
pub fn load(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    cfg: &Config,
    area: &Area,
) -> ServiceResult<String> {
    let system = Actor::system();
    let office = unit_id(conn, "东太湖度假区安委办")?;
    for (name, kind, emails, phone) in MORE_UNITS {
        let patch = UnitPatch::parse(
            Some(name),
            Some(UnitKind::parse(kind)?),
            Some(Some(office)),
            Some(emails),
            Some(phone),
            None,
        )?;
        crate::org::service::units::create(conn, &system, now, patch)?;
    }
    let staff = actor(conn, "shenlh")?;
    let issued_at = now - Duration::days(4);
    let due = now - Duration::hours(20);
    let v = drafting::draft(
        conn,
        &staff,
        issued_at,
        CircularInput {
            title: "关于做好2026年汛期值班值守工作的通知".into(),
            body: BODY.into(),
            urgency: CircularUrgency::Urgent,
            from_unit_id: office,
            ack_due: due,
            notify_role: Role::UnitHead,
            reply_mode: CircularReplyMode::Fields,
            reply_file: true,
            fields: vec!["值班人员\n联系电话".into()],
            pick: Pick {
                kinds: vec![UnitKind::Department, UnitKind::Street],
                ..Default::default()
            },
        },
    )?;
    let id = v.circular.id;
    drafting::issue(
        conn,
        &staff,
        issued_at + Duration::minutes(5),
        cfg,
        area,
        id,
    )?;
    // 建设局's head acknowledges and replies signed in.
    let yaoj = actor(conn, "yaoj")?;
    let jsj = unit_id(conn, "建设局")?;
    answering::reply(
        conn,
        &yaoj,
        issued_at + Duration::hours(3),
        id,
        jsj,
        ReplyInput {
            text: String::new(),
            values: vec![
                "姚军（带班）、蒋国平、马春梅".into(),
                "0512-63981202、13913579246".into(),
            ],
        },
        None,
        "10.20.3.17",
    )?;
    // The others through the e-mail link, their replies recorded for the unit.
    for (n, (unit, hours, name, reply)) in ANSWERS.iter().enumerate() {
        let unit = unit_id(conn, unit)?;
        let at = issued_at + Duration::hours(*hours);
        let token = area
            .key
            .sign(AckClaim::until(id, unit, due, area.settings.link_days));
        let address = format!("10.20.{}.{}", 4 + n, 20 + n);
        answering::acknowledge_by_link(conn, &area.key, at, &token, name, &address)?;
        if let Some((people, phones)) = reply {
            write_tx(conn, |c| {
                store::reply(
                    c,
                    id,
                    unit,
                    &Reply {
                        at: db_time(at + Duration::minutes(20)),
                        by: None,
                        text: String::new(),
                        values: serde_json::to_string(&[people, phones])
                            .map_err(|e| ServiceError::Internal(e.to_string()))?,
                        attachment: None,
                    },
                )
                .map_err(ServiceError::from)
            })?;
        }
    }
    // 交通运输局 has not acknowledged: reminded by the office, then its head told.
    let jt = unit_id(conn, "交通运输局")?;
    write_tx(conn, |c| {
        store::reminded(c, id, jt, db_time(due - Duration::hours(6))).map_err(ServiceError::from)
    })?;
    let people = crate::org::store::reachable_people(conn)?;
    let names = crate::org::store::unit_names(conn, false)?;
    let c = store::find(conn, id)?.ok_or_else(|| ServiceError::Internal("demo circular".into()))?;
    crate::circulars::jobs::escalate_one(
        conn,
        cfg,
        area,
        &people,
        &names,
        &c,
        jt,
        now - Duration::hours(2),
    )?;
    Ok(format!(
        "circulars: 关于做好2026年汛期值班值守工作的通知 to {} units, 12 acknowledged, 9 replied, 3 overdue (交通运输局's head told)",
        v.units.len()
    ))
}
