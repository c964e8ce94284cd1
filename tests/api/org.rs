//! Units, people and accounts through the API.

use serde_json::json;

use crate::helpers::{spawn_app, PASSWORD};

#[test]
fn a_unit_tree_is_built_listed_filtered_and_paginated() {
    let app = spawn_app();
    let admin = app.admin_token();
    let office = app.create_unit(&admin, "区安委办", "office", None);
    let econ = app.create_unit(&admin, "经济发展局", "department", Some(office));
    app.create_unit(&admin, "建设局", "department", Some(office));
    app.create_unit(&admin, "滨湖街道", "street", Some(office));

    let all = app.get("/api/v1/units?per_page=2", &admin).json();
    assert_eq!(
        (
            all["total"].as_i64(),
            all["items"].as_array().unwrap().len()
        ),
        (Some(4), 2)
    );
    let page2 = app.get("/api/v1/units?per_page=2&page=2", &admin).json();
    assert_eq!(page2["items"].as_array().unwrap().len(), 2);
    assert_ne!(all["items"][0]["id"], page2["items"][0]["id"]);

    assert_eq!(
        app.get("/api/v1/units?kind=department", &admin).json()["total"],
        2
    );
    assert_eq!(
        app.get(&format!("/api/v1/units?parent_id={office}"), &admin)
            .json()["total"],
        3
    );
    let found = app.get("/api/v1/units?q=%E7%BB%8F%E6%B5%8E", &admin).json();
    assert_eq!(found["items"][0]["id"].as_i64(), Some(econ));
    assert_eq!(
        app.get("/api/v1/units?q=%25", &admin).json()["total"],
        0,
        "LIKE wildcards are literal"
    );
}

#[test]
fn editing_a_unit_keeps_what_was_not_sent_and_contacts_are_normalised() {
    let app = spawn_app();
    let admin = app.admin_token();
    let office = app.create_unit(&admin, "区安委办", "office", None);
    let r = app.patch(&format!("/api/v1/units/{office}"), &admin, json!({"contact_emails": ["a@wj.gov.cn", "b@wj.gov.cn", "a@wj.gov.cn"], "phone": "0512-63001234"}));
    assert_eq!(r.status, 200, "{}", r.text);
    let u = app.get(&format!("/api/v1/units/{office}"), &admin).json();
    assert_eq!(u["name"], "区安委办");
    assert_eq!(u["kind"], "office");
    assert_eq!(u["contact_emails"], json!(["a@wj.gov.cn", "b@wj.gov.cn"]));
    assert_eq!(u["phone"], "0512-63001234");
}

#[test]
fn a_unit_cannot_be_moved_below_itself_or_deactivated_with_active_sub_units() {
    let app = spawn_app();
    let admin = app.admin_token();
    let office = app.create_unit(&admin, "区安委办", "office", None);
    let dept = app.create_unit(&admin, "水务局", "department", Some(office));
    let team = app.create_unit(&admin, "防汛抢险队", "rescue_team", Some(dept));

    let cycle = app.patch(
        &format!("/api/v1/units/{office}"),
        &admin,
        json!({"parent_id": team}),
    );
    assert_eq!(
        (cycle.status, cycle.json()["error"]["field"].as_str()),
        (422, Some("parent_id"))
    );

    let busy = app.patch(
        &format!("/api/v1/units/{dept}"),
        &admin,
        json!({"active": false}),
    );
    assert_eq!(busy.status, 409, "{}", busy.text);
    assert_eq!(
        app.patch(
            &format!("/api/v1/units/{team}"),
            &admin,
            json!({"active": false})
        )
        .status,
        200
    );
    assert_eq!(
        app.patch(
            &format!("/api/v1/units/{dept}"),
            &admin,
            json!({"active": false})
        )
        .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/units", &admin).json()["total"],
        1,
        "inactive units are hidden by default"
    );
    assert_eq!(
        app.get("/api/v1/units?active=all", &admin).json()["total"],
        3
    );

    let under_inactive = app.post(
        "/api/v1/units",
        &admin,
        json!({"name": "新队", "kind": "rescue_team", "parent_id": dept}),
    );
    assert_eq!(under_inactive.status, 422);
    let moved = app.patch(
        &format!("/api/v1/units/{team}"),
        &admin,
        json!({"parent_id": null, "active": true}),
    );
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert!(moved.json()["parent_id"].is_null());
}

#[test]
fn duplicate_unit_names_are_refused() {
    let app = spawn_app();
    let admin = app.admin_token();
    app.create_unit(&admin, "区安委办", "office", None);
    let r = app.post(
        "/api/v1/units",
        &admin,
        json!({"name": "区安委办", "kind": "office"}),
    );
    assert_eq!((r.status, r.code().as_str()), (409, "conflict"));
}

#[test]
fn people_are_added_moved_and_deactivated() {
    let app = spawn_app();
    let admin = app.admin_token();
    let a = app.create_unit(&admin, "经济发展局", "department", None);
    let b = app.create_unit(&admin, "滨湖街道", "street", None);
    let r = app.post("/api/v1/people", &admin, json!({"name": "张伟", "unit_id": a, "post": "科长", "phone": "138 0000 0001", "email": "zhangwei@wj.gov.cn"}));
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/people?unit_id={a}"), &admin)
            .json()["total"],
        1
    );
    let moved = app.patch(
        &format!("/api/v1/people/{id}"),
        &admin,
        json!({"unit_id": b}),
    );
    assert_eq!(moved.json()["unit_id"].as_i64(), Some(b));
    assert_eq!(moved.json()["post"], "科长");
    app.patch(
        &format!("/api/v1/people/{id}"),
        &admin,
        json!({"active": false}),
    );
    assert_eq!(app.get("/api/v1/people", &admin).json()["total"], 0);
    assert_eq!(
        app.get("/api/v1/people?active=false", &admin).json()["total"],
        1
    );
    let search = app.get("/api/v1/people?active=all&q=0001", &admin).json();
    assert_eq!(search["total"], 1, "search covers phone numbers");
}

#[test]
fn accounts_are_created_with_roles_and_usernames_are_unique() {
    let app = spawn_app();
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "经济发展局", "department", None);
    let person = app.create_person(&admin, "李娜", unit);
    let (id, token) = app.create_account(
        &admin,
        "lina",
        Some(person),
        &[("warehouse_keeper", Some(unit)), ("viewer", None)],
    );
    let me = app.get("/api/v1/me", &token).json();
    assert_eq!(me["id"].as_i64(), Some(id));
    assert_eq!(me["person_id"].as_i64(), Some(person));
    assert_eq!(me["roles"].as_array().unwrap().len(), 2);
    assert!(
        !me.to_string().contains("argon2"),
        "the hash never leaves the server"
    );

    let dup = app.post(
        "/api/v1/accounts",
        &admin,
        json!({"username": "LiNa", "password": PASSWORD}),
    );
    assert_eq!(
        (dup.status, dup.code().as_str()),
        (409, "conflict"),
        "usernames compare case-insensitively"
    );
}

#[test]
fn a_new_password_ends_old_sessions_and_the_new_one_works() {
    let app = spawn_app();
    let admin = app.admin_token();
    let (id, _) = app.create_account(&admin, "zhaolei", None, &[("viewer", None)]);
    let r = app.patch(
        &format!("/api/v1/accounts/{id}"),
        &admin,
        json!({"password": "a brand new secret"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        app.api(
            "POST",
            "/api/v1/auth/tokens",
            None,
            Some(json!({"username": "zhaolei", "password": PASSWORD}))
        )
        .status,
        401
    );
    app.token("zhaolei", "a brand new secret");
}

#[test]
fn the_last_district_administrator_cannot_be_removed() {
    let app = spawn_app();
    let admin = app.admin_token();
    let me = app.get("/api/v1/me", &admin).json()["id"].as_i64().unwrap();
    let r = app.patch(
        &format!("/api/v1/accounts/{me}"),
        &admin,
        json!({"active": false}),
    );
    assert_eq!(r.status, 409, "{}", r.text);
    let r = app.patch(
        &format!("/api/v1/accounts/{me}"),
        &admin,
        json!({"roles": [{"role": "viewer", "unit_id": null}]}),
    );
    assert_eq!(r.status, 409);

    let (second, second_token) =
        app.create_account(&admin, "admin2", None, &[("administrator", None)]);
    let r = app.patch(
        &format!("/api/v1/accounts/{me}"),
        &admin,
        json!({"active": false}),
    );
    assert_eq!(r.status, 409, "not oneself either: {}", r.text);
    assert_eq!(
        app.patch(
            &format!("/api/v1/accounts/{me}"),
            &second_token,
            json!({"active": false})
        )
        .status,
        200
    );
    let r = app.patch(
        &format!("/api/v1/accounts/{second}"),
        &second_token,
        json!({"active": false}),
    );
    assert_eq!(r.status, 409, "now admin2 is the last one");
}

#[test]
fn units_and_people_are_listed_in_pinyin_order() {
    let app = crate::helpers::spawn_app();
    let admin = app.admin_token();
    let top = app.create_unit(&admin, "区安委办", "office", None);
    for name in ["住建局", "滨湖街道", "东太湖度假区应急局", "农业农村局"] {
        app.create_unit(&admin, name, "department", Some(top));
    }
    for name in ["张伟", "蔡敏", "王芳", "安然"] {
        app.create_person(&admin, name, top);
    }
    let units: Vec<String> = app
        .get(&format!("/api/v1/units?parent_id={top}"), &admin)
        .json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        units,
        ["滨湖街道", "东太湖度假区应急局", "农业农村局", "住建局"]
    );
    let people: Vec<String> = app
        .get(&format!("/api/v1/people?unit_id={top}"), &admin)
        .json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(people, ["安然", "蔡敏", "王芳", "张伟"]);
}
