//! The drills' tasks on the home page, each linking to where it is done: a scheme waiting for its head, an
//! annual plan waiting for the office, the owner's corrective action due within 7 days and then overdue, the
//! coordinator's action to verify, and the unit's plans overdue or due within 30 days by the compliance rules.
//!
//! The test clock's today is Saturday 28 November 2026, 10:00 in the office's zone (Asia/Shanghai).

use chrono::Duration;
use serde_json::{json, Value};

use crate::drills::{classify_hotel, id, plan, scheme, setup};
use crate::helpers::{TestApp, PASSWORD};

/// The tasks on a person's home page: (label, count, link, urgent).
fn tasks(app: &TestApp, username: &str) -> Vec<(String, i64, String, bool)> {
    let mut b = app.browser();
    b.sign_in(username, PASSWORD);
    let home = b.get("/");
    assert_eq!(home.status, 200);
    home.text
        .split("<li")
        .skip(1)
        .filter_map(|li| {
            let urgent = li.starts_with(r#" class="urgent""#);
            let link = li.split(r#"href=""#).nth(1)?.split('"').next()?.to_string();
            let label = li.split("</a>").next()?.rsplit('>').next()?.to_string();
            let count = li.split("<span class=\"tag").nth(1)?.split('>').nth(1)?;
            let count = count.split('<').next()?.parse().ok()?;
            Some((label, count, link, urgent))
        })
        .collect()
}

fn has(all: &[(String, i64, String, bool)], label: &str) -> Option<(i64, String, bool)> {
    all.iter()
        .find(|t| t.0 == label)
        .map(|t| (t.1, t.2.clone(), t.3))
}

#[test]
fn the_home_page_lists_what_waits_in_the_drills_area_with_links() {
    let app = crate::helpers::spawn_app();
    let d = setup(&app);
    classify_hotel(&app, &d);
    // Half-yearly plans: one approved a year ago and never drilled (overdue), one due on 10 December.
    let overdue = id(&plan(
        &app,
        &d.coordinator,
        d.hotel,
        json!({"approved_on": "2025-12-01"}),
    ));
    let due = id(&plan(
        &app,
        &d.coordinator,
        d.hotel,
        json!({"approved_on": "2026-06-10", "level": "onsite", "title": "厨房火灾现场处置方案"}),
    ));
    let head = tasks(&app, "hotelhead");
    assert_eq!(
        has(&head, "本单位逾期未演练的预案"),
        Some((1, format!("/drills/plans/{overdue}"), true)),
        "{head:?}"
    );
    assert_eq!(
        has(&head, "本单位 30 天内应演练的预案"),
        Some((1, format!("/drills/plans/{due}"), false)),
        "{head:?}"
    );
    // A viewer of the hotel is not asked to drill; 建设局's head sees nothing of the hotel.
    assert_eq!(has(&tasks(&app, "cook"), "本单位逾期未演练的预案"), None);
    assert!(tasks(&app, "head1").iter().all(|t| !t.0.contains("演练")));

    // An annual plan submitted: the office is asked, the hotel's head is not.
    let a = app.post("/api/v1/drills/annual", &d.coordinator, json!({"unit_id": d.hotel, "year": 2027,
        "items": [{"plan_id": overdue, "content": "comprehensive", "form": "live", "month": 5, "organiser": "安全部"}]}));
    let aid = id(&a);
    let submitted = app.post(
        &format!("/api/v1/drills/annual/{aid}/submit"),
        &d.coordinator,
        json!({}),
    );
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    assert_eq!(
        has(&tasks(&app, "office1"), "待审批的年度演练计划"),
        Some((1, format!("/drills/annual/{aid}"), false))
    );
    assert_eq!(has(&tasks(&app, "hotelhead"), "待审批的年度演练计划"), None);

    // A scheme submitted: its head is asked, not its author.
    let did = id(&scheme(&app, &d, overdue, 0));
    let base = format!("/api/v1/drills/{did}");
    assert_eq!(
        app.post(&format!("{base}/submit"), &d.coordinator, json!({}))
            .status,
        200
    );
    assert_eq!(
        has(&tasks(&app, "hotelhead"), "待我审批的演练方案"),
        Some((1, format!("/drills/{did}"), false))
    );
    assert_eq!(has(&tasks(&app, "hanx"), "待我审批的演练方案"), None);

    // Held and evaluated; the cook owns an action due in five days.
    assert_eq!(
        app.post(
            &format!("{base}/decision"),
            &d.hotel_head,
            json!({"approve": true})
        )
        .status,
        200
    );
    let v = app.post(
        &format!("{base}/attendance"),
        &d.coordinator,
        json!({"marks": [{"person_id": d.cook_person, "present": true}]}),
    );
    let judged: Vec<Value> = v.json()["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| json!({"objective_id": o["id"], "result": "met"}))
        .collect();
    let e = app.post(
        &format!("{base}/evaluation"),
        &d.coordinator,
        json!({"grade": "good", "problems": "灭火器过期", "objectives": judged}),
    );
    assert_eq!(e.status, 200, "{}", e.text);
    assert_eq!(has(&tasks(&app, "hanx"), "待我审批的演练方案"), None);
    let on = (app.clock_now() + Duration::days(5))
        .date_naive()
        .to_string();
    let action = app.post(
        &format!("{base}/actions"),
        &d.coordinator,
        json!({"problem": "更换过期灭火器", "owner_person_id": d.cook_person, "due_on": on}),
    );
    let act = id(&action);
    let link = format!("/drills/actions/{act}");
    assert_eq!(
        has(&tasks(&app, "cook"), "我的整改事项 7 天内到期"),
        Some((1, link.clone(), false))
    );
    assert_eq!(has(&tasks(&app, "cook"), "我的整改事项已逾期"), None);
    app.clock.advance(Duration::days(6));
    let cook = tasks(&app, "cook");
    assert_eq!(
        has(&cook, "我的整改事项已逾期"),
        Some((1, link.clone(), true)),
        "{cook:?}"
    );
    assert_eq!(has(&cook, "我的整改事项 7 天内到期"), None);
    assert_eq!(has(&tasks(&app, "hanx"), "待我验证销号的整改事项"), None);

    // Evidence in: the owner is done; the coordinator verifies.
    let s = app.post(
        &format!("/api/v1/drills/actions/{act}/evidence"),
        &d.cook,
        json!({"evidence": "已更换 6 具灭火器"}),
    );
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(has(&tasks(&app, "cook"), "我的整改事项已逾期"), None);
    assert_eq!(
        has(&tasks(&app, "hanx"), "待我验证销号的整改事项"),
        Some((1, link.clone(), false))
    );
    assert_eq!(has(&tasks(&app, "cook"), "待我验证销号的整改事项"), None);
    let mut b = app.browser();
    b.sign_in("hanx", PASSWORD);
    assert_eq!(b.get(&link).status, 200, "the task's link opens the action");
}
