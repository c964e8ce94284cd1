//! `standby demo`: a realistic district built from the 2020 work plan of the Dongtaihu (East Taihu) resort
//! district: its safety committee office, member departments, streets, enterprises and rescue teams,
//! with people and accounts for every role. Loaded through the ordinary services, so it is audited.

use chrono::{DateTime, Utc};

use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Lang;
use crate::org::model::{
    Actor, Grant, NewAccount, Password, PersonPatch, Role, UnitKind, UnitPatch,
};
use crate::org::service::{accounts, people, units};
use crate::org::store;
use crate::pagination::PageRequest;

/// The password of every demo account (printed by the command; change it before real use).
pub const DEMO_PASSWORD: &str = "standby-demo";

/// (name, kind, parent name, contact e-mails, phone)
const UNITS: &[(&str, &str, Option<&str>, &str, &str)] = &[
    (
        "东太湖度假区安委办",
        "office",
        None,
        "awb@dth.example.gov.cn",
        "0512-63981100",
    ),
    (
        "经济发展局",
        "department",
        Some("东太湖度假区安委办"),
        "jfj@dth.example.gov.cn",
        "0512-63981201",
    ),
    (
        "建设局",
        "department",
        Some("东太湖度假区安委办"),
        "jsj@dth.example.gov.cn",
        "0512-63981202",
    ),
    (
        "社会事业局",
        "department",
        Some("东太湖度假区安委办"),
        "shsy@dth.example.gov.cn",
        "0512-63981203",
    ),
    (
        "综合行政执法局",
        "department",
        Some("东太湖度假区安委办"),
        "zhzf@dth.example.gov.cn",
        "0512-63981204",
    ),
    (
        "公安分局",
        "department",
        Some("东太湖度假区安委办"),
        "gafj@dth.example.gov.cn",
        "0512-63981110",
    ),
    (
        "滨湖街道",
        "street",
        Some("东太湖度假区安委办"),
        "binhu@dth.example.gov.cn",
        "0512-63981301",
    ),
    (
        "太湖街道",
        "street",
        Some("东太湖度假区安委办"),
        "taihu@dth.example.gov.cn",
        "0512-63981302",
    ),
    (
        "东太湖综合性消防救援站",
        "rescue_team",
        Some("东太湖度假区安委办"),
        "xfz@dth.example.gov.cn",
        "0512-63981119",
    ),
    (
        "度假区防汛抢险队",
        "rescue_team",
        Some("建设局"),
        "fxqx@dth.example.gov.cn",
        "0512-63981212",
    ),
    (
        "东太湖蓝天救援队",
        "rescue_team",
        Some("社会事业局"),
        "lantian@example.org",
        "0512-63981333",
    ),
    (
        "苏州东太湖燃气有限公司",
        "enterprise",
        Some("经济发展局"),
        "anquan@dthgas.example.com",
        "0512-63985001",
    ),
    (
        "友谊工业园区管理办公室",
        "other",
        Some("滨湖街道"),
        "youyi@dth.example.gov.cn",
        "0512-63985101",
    ),
    (
        "东太湖温泉大酒店",
        "enterprise",
        Some("太湖街道"),
        "security@dthhotel.example.com",
        "0512-63985201",
    ),
    (
        "太湖旅游码头管理有限公司",
        "enterprise",
        Some("太湖街道"),
        "matou@dthtour.example.com",
        "0512-63985301",
    ),
];

/// (name, unit, post, phone, e-mail, account: Some((username, role, scope unit or None for district)))
type PersonRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, &'static str, Option<&'static str>)>,
);

const PEOPLE: &[PersonRow] = &[
    (
        "周建国",
        "东太湖度假区安委办",
        "安委办主任",
        "13806250001",
        "zhoujg@dth.example.gov.cn",
        Some(("zhoujg", "unit_head", Some("东太湖度假区安委办"))),
    ),
    (
        "沈丽华",
        "东太湖度假区安委办",
        "应急管理科科长",
        "13806250002",
        "shenlh@dth.example.gov.cn",
        Some(("shenlh", "office_staff", None)),
    ),
    (
        "陆志明",
        "东太湖度假区安委办",
        "值班室主任",
        "13806250003",
        "luzm@dth.example.gov.cn",
        Some(("luzm", "duty_leader", None)),
    ),
    (
        "钱晓燕",
        "东太湖度假区安委办",
        "值班员",
        "13806250004",
        "qianxy@dth.example.gov.cn",
        Some(("qianxy", "duty_officer", None)),
    ),
    (
        "吴海峰",
        "东太湖度假区安委办",
        "值班员",
        "13806250005",
        "wuhf@dth.example.gov.cn",
        Some(("wuhf", "duty_officer", None)),
    ),
    (
        "顾敏",
        "东太湖度假区安委办",
        "演练与预案管理",
        "13806250006",
        "gum@dth.example.gov.cn",
        Some(("gumin", "drill_coordinator", None)),
    ),
    (
        "徐卫东",
        "经济发展局",
        "局长",
        "13806250011",
        "xuwd@dth.example.gov.cn",
        Some(("xuwd", "unit_head", Some("经济发展局"))),
    ),
    (
        "朱丹",
        "经济发展局",
        "安全生产科科员",
        "13806250012",
        "zhud@dth.example.gov.cn",
        None,
    ),
    (
        "姚军",
        "建设局",
        "副局长",
        "13806250021",
        "yaoj@dth.example.gov.cn",
        Some(("yaoj", "unit_head", Some("建设局"))),
    ),
    (
        "蒋国平",
        "建设局",
        "物资仓库保管员",
        "13806250022",
        "jianggp@dth.example.gov.cn",
        Some(("jianggp", "warehouse_keeper", Some("建设局"))),
    ),
    (
        "马春梅",
        "建设局",
        "物资仓库保管员",
        "13806250023",
        "macm@dth.example.gov.cn",
        Some(("macm", "warehouse_keeper", Some("建设局"))),
    ),
    (
        "许文斌",
        "社会事业局",
        "副局长",
        "13806250031",
        "xuwb@dth.example.gov.cn",
        None,
    ),
    (
        "孙磊",
        "滨湖街道",
        "安监站站长",
        "13806250041",
        "sunl@dth.example.gov.cn",
        Some(("sunlei", "unit_head", Some("滨湖街道"))),
    ),
    (
        "金晓东",
        "滨湖街道",
        "应急物资保管员",
        "13806250042",
        "jinxd@dth.example.gov.cn",
        Some(("jinxd", "warehouse_keeper", Some("滨湖街道"))),
    ),
    (
        "潘红",
        "太湖街道",
        "安监站站长",
        "13806250051",
        "panh@dth.example.gov.cn",
        Some(("panhong", "unit_head", Some("太湖街道"))),
    ),
    (
        "戴建华",
        "东太湖综合性消防救援站",
        "站长",
        "13806250061",
        "daijh@dth.example.gov.cn",
        None,
    ),
    (
        "范永强",
        "度假区防汛抢险队",
        "队长",
        "13806250071",
        "fanyq@dth.example.gov.cn",
        None,
    ),
    (
        "杨帆",
        "东太湖蓝天救援队",
        "队长",
        "13806250081",
        "yangf@example.org",
        None,
    ),
    (
        "邵建明",
        "苏州东太湖燃气有限公司",
        "安全总监",
        "13806250091",
        "shaojm@dthgas.example.com",
        None,
    ),
    (
        "韩雪",
        "东太湖温泉大酒店",
        "安保部经理",
        "13806250101",
        "hanx@dthhotel.example.com",
        Some(("hanx", "warehouse_keeper", Some("东太湖温泉大酒店"))),
    ),
];

/// The id of the demo's active unit called `name`.
pub fn unit_id(conn: &mut crate::db::DbConn, name: &str) -> ServiceResult<i64> {
    store::list_units(
        conn,
        &store::UnitFilter {
            q: Some(name.into()),
            active: Some(true),
            ..Default::default()
        },
        PageRequest::new(None, Some(200)),
    )?
    .items
    .into_iter()
    .find(|u| u.name == name)
    .map(|u| u.id)
    .ok_or_else(|| ServiceError::Internal(format!("demo unit {name} missing")))
}

/// The id of the demo's active person called `name`.
pub fn person_id(conn: &mut crate::db::DbConn, name: &str) -> ServiceResult<i64> {
    store::list_people(
        conn,
        &store::PersonFilter {
            q: Some(name.into()),
            active: Some(true),
            ..Default::default()
        },
        PageRequest::new(None, Some(50)),
    )?
    .items
    .into_iter()
    .find(|p| p.name == name)
    .map(|p| p.id)
    .ok_or_else(|| ServiceError::Internal(format!("demo person {name} missing")))
}

/// Loads the demo district into a database that does not have it yet; returns a summary to print.
pub fn load(conn: &mut crate::db::DbConn, now: DateTime<Utc>) -> ServiceResult<String> {
    let system = Actor::system();
    if store::find_account_by_username(conn, "zhoujg")?.is_some() {
        return Err(ServiceError::conflict(
            "演示数据已经加载过",
            "The demo district is already loaded",
        ));
    }
    for (name, kind, parent, emails, phone) in UNITS {
        let parent_id = parent.map(|p| unit_id(conn, p)).transpose()?;
        let patch = UnitPatch::parse(
            Some(name),
            Some(UnitKind::parse(kind)?),
            Some(parent_id),
            Some(emails),
            Some(phone),
            None,
        )?;
        units::create(conn, &system, now, patch)?;
    }
    let mut created_accounts = Vec::new();
    for (name, unit, post, phone, email, account) in PEOPLE {
        let unit = unit_id(conn, unit)?;
        let person = people::create(
            conn,
            &system,
            now,
            PersonPatch::parse(
                Some(unit),
                Some(name),
                Some(post),
                Some(phone),
                Some(email),
                None,
            )?,
        )?;
        if let Some((username, role, scope)) = account {
            let scope = scope.map(|s| unit_id(conn, s)).transpose()?;
            let new = NewAccount {
                username: (*username).to_string(),
                password: Password::parse(DEMO_PASSWORD, username)?,
                person_id: Some(person.id),
                language: Lang::Zh,
                grants: vec![Grant {
                    role: Role::parse(role)?,
                    unit_id: scope,
                }],
            };
            accounts::create(conn, Some(&system), now, new)?;
            created_accounts.push(format!(
                "{username} ({})",
                Role::parse(role)?.label(Lang::Zh)
            ));
        }
    }
    Ok(format!(
        "demo district loaded: {} units, {} people, {} accounts.\naccounts (password `{DEMO_PASSWORD}`): {}",
        UNITS.len(),
        PEOPLE.len(),
        created_accounts.len(),
        created_accounts.join(", ")
    ))
}
