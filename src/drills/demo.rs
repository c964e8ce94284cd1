//! The demo's plans and drills: the office's general plan, 建设局's flood-control special plan and the hotel's
//! two plans (every half year; its kitchen-fire on-site plan never drilled, so overdue); this year's annual
//! plans approved by the office; the hotel's fire drill held three weeks ago, evaluated, with three corrective
//! actions (one closed, one open, one overdue) and its report sent to 社会事业局; 建设局's flood drill next
//! month with two pumps reserved from the flood-control warehouse. 韩雪 (hanx) coordinates the hotel's drills.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

use crate::clock::today;
use crate::config::Config;
use crate::db::DbConn;
use crate::drills::model::{
    ActionInput, AnnualItemInput, DrillContent, DrillForm, DrillGrade, DrillSector,
    EvaluationInput, ObjectiveResult, PlanInput, PlanLevel, PlanRaw, SchemeInput, SchemeText,
};
use crate::drills::service::{actions, annual, drills, materials, registry};
use crate::error::{ServiceError, ServiceResult};
use crate::inventory::model::Quantity;
use crate::org::demo::unit_id;
use crate::org::model::{Actor, Grant, Role};
use crate::org::service::auth::actor_by_username;
use crate::org::store as account_store;

#[allow(clippy::too_many_arguments)]
fn plan(
    conn: &mut DbConn,
    by: &Actor,
    now: DateTime<Utc>,
    day: NaiveDate,
    tz: chrono_tz::Tz,
    unit: i64,
    level: PlanLevel,
    title: &str,
    approved_on: NaiveDate,
    filing_no: &str,
) -> ServiceResult<i64> {
    let input = PlanInput::parse(
        unit,
        level,
        approved_on,
        !filing_no.is_empty(),
        PlanRaw {
            title,
            version: &format!("{}版", approved_on.year()),
            filing_no,
            revision_months: Some(36),
            freq_months: None,
        },
        day,
    )?;
    Ok(registry::create_plan(conn, by, now, day, tz, input)?
        .plan
        .id)
}

/// The demo's team of this name (none when the teams demo did not make it).
fn team_named(conn: &mut DbConn, name: &str) -> ServiceResult<Vec<i64>> {
    Ok(crate::drills::service::participants::choices(conn)?
        .into_iter()
        .filter(|(_, n)| n == name)
        .map(|(id, _)| id)
        .collect())
}

/// A moment in the office's zone, `days` from today at `hour:minute`.
fn at(now: DateTime<Utc>, tz: chrono_tz::Tz, days: i64, hour: u32, minute: u32) -> DateTime<Utc> {
    let d = today(now, tz) + Duration::days(days);
    let naive = d.and_hms_opt(hour, minute, 0).unwrap_or_default();
    tz.from_local_datetime(&naive)
        .earliest()
        .map_or(now, |t| t.with_timezone(&Utc))
}

/// Loads the demo drills (after the org, reserves and allocations). Returns a summary line.
pub fn load(conn: &mut DbConn, now: DateTime<Utc>, cfg: &Config) -> ServiceResult<String> {
    let tz = cfg.timezone;
    let day = today(now, tz);
    let office = actor_by_username(conn, "shenlh")?;
    let head = actor_by_username(conn, "yaoj")?;
    let keeper = actor_by_username(conn, "jianggp")?;
    let keeper2 = actor_by_username(conn, "macm")?;
    let (ajw, jsj, hotel, social, matou) = (
        unit_id(conn, "东太湖度假区安委办")?,
        unit_id(conn, "建设局")?,
        unit_id(conn, "东太湖温泉大酒店")?,
        unit_id(conn, "社会事业局")?,
        unit_id(conn, "太湖旅游码头管理有限公司")?,
    );

    // 韩雪 keeps the hotel's store and coordinates its drills.
    let hanx_account = actor_by_username(conn, "hanx")?;
    let mut grants = hanx_account.grants.clone();
    grants.push(Grant {
        role: Role::DrillCoordinator,
        unit_id: Some(hotel),
    });
    account_store::replace_grants(conn, hanx_account.account_id, &grants)?;
    let hanx = actor_by_username(conn, "hanx")?;
    let hanx_person = hanx
        .person_id
        .ok_or_else(|| ServiceError::Internal("demo: hanx has no person".into()))?;

    // Sectors and supervising departments.
    for (unit, sector, supervisor) in [
        (ajw, DrillSector::Government, None),
        (jsj, DrillSector::Government, None),
        (hotel, DrillSector::Hotel, Some(social)),
        (matou, DrillSector::TouristSite, Some(social)),
    ] {
        registry::set_profile(conn, &office, now, unit, sector, supervisor)?;
    }

    // The plans.
    plan(
        conn,
        &office,
        now,
        day,
        tz,
        ajw,
        PlanLevel::General,
        "东太湖度假区突发事件总体应急预案",
        day - Duration::days(420),
        "吴应急备〔2025〕3号",
    )?;
    let flood = plan(
        conn,
        &head,
        now,
        day,
        tz,
        jsj,
        PlanLevel::Special,
        "建设局防汛防台专项应急预案",
        day - Duration::days(210),
        "吴应急备〔2026〕11号",
    )?;
    let hotel_plan = plan(
        conn,
        &hanx,
        now,
        day,
        tz,
        hotel,
        PlanLevel::EnterpriseComprehensive,
        "东太湖温泉大酒店生产安全事故综合应急预案",
        day - Duration::days(300),
        "吴应急备〔2026〕27号",
    )?;
    plan(
        conn,
        &hanx,
        now,
        day,
        tz,
        hotel,
        PlanLevel::Onsite,
        "厨房燃气泄漏火灾现场处置方案",
        day - Duration::days(330),
        "",
    )?;

    // This year's annual plans, approved by the office.
    let this_month = i64::from(day.month());
    let next_month = if this_month == 12 { 12 } else { this_month + 1 };
    let drill_month = i64::from((day - Duration::days(20)).month());
    for (by, unit, items) in [
        (
            &head,
            jsj,
            vec![
                AnnualItemInput::parse(
                    flood,
                    DrillContent::Comprehensive,
                    DrillForm::Live,
                    5,
                    "建设局",
                    "度假区防汛抢险队、滨湖街道",
                )?,
                AnnualItemInput::parse(
                    flood,
                    DrillContent::Single,
                    DrillForm::Live,
                    next_month,
                    "建设局",
                    "度假区防汛抢险队",
                )?,
            ],
        ),
        (
            &hanx,
            hotel,
            vec![
                AnnualItemInput::parse(
                    hotel_plan,
                    DrillContent::Comprehensive,
                    DrillForm::Tabletop,
                    4,
                    "酒店安保部",
                    "各部门负责人",
                )?,
                AnnualItemInput::parse(
                    hotel_plan,
                    DrillContent::Comprehensive,
                    DrillForm::Live,
                    drill_month,
                    "酒店安保部",
                    "酒店义务消防队、东太湖综合性消防救援站",
                )?,
            ],
        ),
    ] {
        let a = annual::create(conn, by, now, unit, day.year(), items)?;
        annual::submit(conn, by, now, a.annual.id)?;
        annual::decide(conn, &office, now, a.annual.id, true, "")?;
        annual::publish(conn, by, now, a.annual.id)?;
    }

    // The hotel's fire drill three weeks ago, approved by the office, held and evaluated.
    let start = at(now, tz, -20, 9, 30);
    let written = now - Duration::days(30);
    let scheme = SchemeInput::parse(
        hotel_plan,
        None,
        DrillContent::Comprehensive,
        DrillForm::Live,
        start,
        start + Duration::hours(2),
        SchemeText {
            title: "宴会厅火灾人员疏散综合演练",
            place: "酒店主楼二楼宴会厅",
            scenario: "婚宴进行中，后厨排烟管道起火，烟气蔓延至二楼宴会厅，约 300 名宾客需疏散。",
            timeline: "09:30 后厨发现火情并报警\n09:32 消防控制室确认，启动应急广播\n09:35 各区域引导员疏散宾客\n09:45 集合点清点人数\n10:00 微型消防站处置，移交消防救援站",
            roles: "总指挥：韩雪\n疏散引导组：前厅部\n灭火行动组：义务消防队\n医疗救护组：客房部",
            participants: "酒店义务消防队",
            objectives: "3 分钟内完成报警和应急广播\n10 分钟内疏散宴会厅全部宾客\n微型消防站 5 分钟内到场",
        },
        (vec![hanx_person], team_named(conn, "东太湖综合性消防救援站")?),
    )?;
    let d = drills::create(conn, &hanx, written, tz, scheme)?;
    let id = d.drill.id;
    drills::submit(conn, &hanx, written, tz, id)?;
    drills::decide(
        conn,
        &office,
        written + Duration::days(2),
        tz,
        id,
        true,
        "同意，注意宾客安全",
    )?;
    drills::attendance(conn, &hanx, start, tz, id, &[(hanx_person, true)])?;
    for (minutes, text) in [
        (2, "消防控制室确认火情，启动应急广播"),
        (14, "宴会厅宾客疏散完毕，集合点清点 296 人"),
        (31, "微型消防站控制火势，移交消防救援站"),
    ] {
        drills::log(
            conn,
            &hanx,
            start + Duration::minutes(minutes + 1),
            tz,
            id,
            Some(start + Duration::minutes(minutes)),
            text,
        )?;
    }
    let evaluated = now - Duration::days(19);
    let objectives = crate::drills::store::drills::objectives(conn, id)?;
    let results = [
        ObjectiveResult::Met,
        ObjectiveResult::Partly,
        ObjectiveResult::Met,
    ];
    let judged = objectives
        .iter()
        .zip(results)
        .map(|(o, r)| {
            (
                o.id,
                r,
                if r == ObjectiveResult::Partly {
                    "用时 14 分钟，二楼东侧通道拥堵".to_string()
                } else {
                    String::new()
                },
            )
        })
        .collect();
    let evaluation = EvaluationInput::parse(
        DrillGrade::Good,
        "报警和应急广播及时，义务消防队处置规范。",
        "二楼部分灭火器过期；宴会厅东侧疏散指示标志缺失；新入职员工不熟悉疏散路线。",
        judged,
    )?;
    drills::evaluate_drill(conn, &hanx, evaluated, tz, id, evaluation)?;
    let eval_day = today(evaluated, tz);
    let mut opened = Vec::new();
    for (problem, due) in [
        ("更换二楼过期灭火器 12 具", eval_day + Duration::days(14)),
        ("宴会厅东侧补装疏散指示标志", day + Duration::days(20)),
        ("新入职员工疏散路线培训", eval_day + Duration::days(10)),
    ] {
        let input = ActionInput::parse(problem, hanx_person, due, false, eval_day)?;
        opened.push(
            actions::add(conn, &hanx, evaluated, eval_day, id, input)?
                .action
                .id,
        );
    }
    let submitted = now - Duration::days(8);
    actions::submit(
        conn,
        &hanx,
        submitted,
        today(submitted, tz),
        opened[0],
        "已更换 12 具 4kg 干粉灭火器，附验收单。",
        None,
    )?;
    actions::verify(
        conn,
        &office,
        submitted + Duration::days(1),
        today(submitted, tz),
        opened[0],
        true,
        "",
    )?;
    drills::report(conn, &hanx, evaluated + Duration::hours(2), tz, cfg, id)?;

    // 建设局's flood drill next month, approved, with two pumps held at the flood-control warehouse.
    let flood_start = at(now, tz, 15, 9, 0);
    let people: Vec<i64> = [&head, &keeper, &keeper2]
        .iter()
        .filter_map(|a| a.person_id)
        .collect();
    let scheme = SchemeInput::parse(
        flood,
        None,
        DrillContent::Single,
        DrillForm::Live,
        flood_start,
        flood_start + Duration::hours(3),
        SchemeText {
            title: "低洼小区排涝抢险实战演练",
            place: "滨湖街道湖滨花园地下车库",
            scenario: "短时强降雨致湖滨花园地下车库进水 0.8 米，需架设抽水泵排涝并转移车辆。",
            timeline: "09:00 接报并启动预案\n09:20 泵组运抵现场\n09:40 架设两台抽水泵\n11:30 排涝完成，设备撤收",
            roles: "现场指挥：姚军\n设备保障：蒋国平、马春梅",
            participants: "滨湖街道",
            objectives: "接报后 20 分钟内泵组到场\n40 分钟内两台泵出水\n演练后设备完好归库",
        },
        (people, team_named(conn, "度假区防汛抢险队")?),
    )?;
    let f = drills::create(conn, &head, now, tz, scheme)?;
    drills::submit(conn, &head, now, tz, f.drill.id)?;
    drills::decide(conn, &office, now, tz, f.drill.id, true, "")?;
    let pumps = crate::inventory::store::catalogue::find_item_by_code(conn, "FX-SB-200")?
        .ok_or_else(|| ServiceError::Internal("demo item FX-SB-200".into()))?;
    let warehouse = crate::inventory::store::warehouses::all(conn)?
        .into_iter()
        .find(|w| w.name == "建设局东太湖防汛物资仓库")
        .ok_or_else(|| ServiceError::Internal("demo flood-control warehouse".into()))?;
    materials::reserve(
        conn,
        &keeper,
        now,
        tz,
        f.drill.id,
        warehouse.id,
        pumps.id,
        Quantity::parse_positive("qty", "2")?,
    )?;
    Ok("demo drills loaded: 4 plans, 2 annual plans approved, a drill evaluated with 3 corrective actions, a flood drill next month with 2 pumps reserved".into())
}
