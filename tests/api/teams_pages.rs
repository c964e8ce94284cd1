//! The team pages as people use them: forms without JavaScript, a captain's reach, scans, leave, rosters.

use serde_json::{json, Value};

use crate::helpers::{multipart, spawn_app, TestApp, PASSWORD};

/// Two teams of two units, each with a captain who can sign in, and a member with an account.
struct Teams {
    admin: String,
    unit_a: i64,
    unit_b: i64,
    team_a: i64,
    team_b: i64,
    member: i64,
}

fn team(app: &TestApp, admin: &str, unit: i64, name: &str) -> i64 {
    let r = app.post(
        "/api/v1/teams",
        admin,
        json!({"unit_id": unit, "name": name, "kind": "professional", "duty_phone": "0512-63981212",
               "min_ready": 2, "specialities": ["flood"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_i64().unwrap()
}

fn join(app: &TestApp, admin: &str, team: i64, person: i64, role: &str) {
    let r = app.post(
        &format!("/api/v1/teams/{team}/members"),
        admin,
        json!({"person_id": person, "role": role, "joined_on": "2024-03-01"}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
}

fn setup(app: &TestApp) -> Teams {
    let admin = app.admin_token();
    let unit_a = app.create_unit(&admin, "度假区防汛抢险队", "rescue_team", None);
    let unit_b = app.create_unit(&admin, "东太湖蓝天救援队", "rescue_team", None);
    let (team_a, team_b) = (
        team(app, &admin, unit_a, "防汛抢险队"),
        team(app, &admin, unit_b, "蓝天救援队"),
    );
    let captain_a = app.create_person(&admin, "范永强", unit_a);
    let captain_b = app.create_person(&admin, "杨帆", unit_b);
    let member = app.create_person(&admin, "孙海涛", unit_a);
    join(app, &admin, team_a, captain_a, "captain");
    join(app, &admin, team_a, member, "member");
    join(app, &admin, team_b, captain_b, "captain");
    app.create_account(
        &admin,
        "captain_a",
        Some(captain_a),
        &[("viewer", Some(unit_a))],
    );
    app.create_account(
        &admin,
        "captain_b",
        Some(captain_b),
        &[("viewer", Some(unit_b))],
    );
    app.create_account(&admin, "member", Some(member), &[("viewer", Some(unit_a))]);
    Teams {
        admin,
        unit_a,
        unit_b,
        team_a,
        team_b,
        member,
    }
}

#[test]
fn a_team_is_created_on_the_form_a_refused_one_keeps_what_was_typed_and_the_board_shows_it() {
    let app = spawn_app();
    let t = setup(&app);
    let (_, _) = app.create_account(&t.admin, "office", None, &[("office_staff", None)]);
    let mut office = app.browser();
    office.sign_in("office", PASSWORD);
    assert_eq!(office.get("/teams/new").status, 200);
    let unit = t.unit_a.to_string();
    let mut fields = vec![
        ("name", "水上搜救分队"),
        ("unit_id", unit.as_str()),
        ("kind", "volunteer"),
        ("speciality", "water_rescue"),
        ("speciality", "medical"),
        ("min_ready", "0"),
        ("duty_phone", "0512-63981300"),
        ("latitude", "31.1"),
        ("longitude", ""),
        ("active", "true"),
    ];
    let refused = office.post("/teams", &fields);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains("水上搜救分队"),
        "what was typed stays"
    );
    assert!(refused.text.contains("经纬度要么都填"), "{}", refused.text);
    assert!(
        refused.text.contains("value=\"medical\" checked"),
        "ticked specialities stay ticked"
    );
    fields[5] = ("min_ready", "3");
    fields[8] = ("longitude", "120.6");
    let made = office.post("/teams", &fields);
    assert_eq!(made.status, 303, "{}", made.text);
    let page = office.get(made.header("location").unwrap());
    assert!(
        page.text.contains("水上搜救分队") && page.text.contains("不能出动"),
        "a team with nobody cannot turn out"
    );
    let board = office.get("/teams");
    assert!(board.text.contains("水上搜救分队") && board.text.contains("防汛抢险队"));
    let found = office.get("/teams/search?speciality=water_rescue&lat=31.12&lon=120.64");
    assert_eq!(found.status, 200);
    assert!(
        found.text.contains("水上搜救分队") && found.text.contains(" km"),
        "{}",
        found.text
    );
    let half = office.get("/teams/search?speciality=water_rescue&lat=31.12&lon=");
    assert_eq!(half.status, 422);
    assert!(half.text.contains("经纬度要么都填"));
}

#[test]
fn a_captain_manages_their_own_team_on_the_pages_and_not_another() {
    let app = spawn_app();
    let t = setup(&app);
    let mut captain = app.browser();
    captain.sign_in("captain_a", PASSWORD);
    let own = captain.get(&format!("/teams/{}", t.team_a));
    assert!(
        own.text.contains(&format!("/teams/{}/edit", t.team_a)),
        "the captain sees the forms of his team"
    );
    assert!(own.text.contains("孙海涛"));
    let members_of = |team: i64| {
        app.get(&format!("/api/v1/teams/{team}"), &t.admin).json()["members"][0]["id"]
            .as_i64()
            .unwrap()
    };
    let (mine, theirs) = (members_of(t.team_a), members_of(t.team_b));
    let edit = captain.get(&format!("/teams/{}/members/{mine}/edit", t.team_a));
    assert_eq!(edit.status, 200);
    assert!(
        edit.text.contains("防汛抢险队"),
        "the member's form names the team"
    );
    assert_eq!(
        captain
            .get(&format!("/teams/{}/members/{theirs}/edit", t.team_b))
            .status,
        403
    );
    assert_eq!(
        captain
            .get(&format!("/teams/{}/members/{theirs}/edit", t.team_a))
            .status,
        404,
        "a member of another team is not found through this one"
    );
    let other = captain.get(&format!("/teams/{}", t.team_b));
    assert_eq!(other.status, 200, "every team's readiness is visible");
    assert!(!other.text.contains(&format!("/teams/{}/edit", t.team_b)));
    let admin = app.admin_token();
    let someone = app.create_person(&admin, "卫东升", t.unit_a);
    let who = someone.to_string();
    let refused = captain.post(
        &format!("/teams/{}/members", t.team_b),
        &[
            ("person_id", &who),
            ("role", "member"),
            ("joined_on", "2026-01-01"),
        ],
    );
    assert_eq!(refused.status, 403);
    let outsider = app
        .create_person(&admin, "外单位人员", t.unit_b)
        .to_string();
    let refused = captain.post(
        &format!("/teams/{}/members", t.team_a),
        &[
            ("person_id", &outsider),
            ("role", "member"),
            ("joined_on", "2026-01-01"),
        ],
    );
    assert_eq!(refused.status, 422);
    assert!(
        refused.text.contains("只能添加本单位的人员"),
        "a captain does not gain authority over another unit's people by listing them"
    );
    let added = captain.post(
        &format!("/teams/{}/members", t.team_a),
        &[
            ("person_id", &who),
            ("role", "driver"),
            ("joined_on", "2026-01-01"),
        ],
    );
    assert_eq!(added.status, 303);
    let team: Value = app
        .get(&format!("/api/v1/teams/{}", t.team_a), &admin)
        .json();
    assert_eq!(team["members"].as_array().unwrap().len(), 3);
    assert_eq!(
        app.get(&format!("/api/v1/teams/{}", t.team_b), &admin)
            .json()["members"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "team B is unchanged"
    );
}

#[test]
fn a_certificate_with_its_scan_is_recorded_on_the_page_and_the_scan_shown_only_to_those_allowed() {
    let app = spawn_app();
    let t = setup(&app);
    let mut captain = app.browser();
    captain.sign_in("captain_a", PASSWORD);
    let record = format!("/teams/people/{}", t.member);
    captain.get(&record);
    let csrf = captain.csrf.clone().unwrap();
    let fields = [
        ("certificate_type", "water_rescue"),
        ("number", "SJ-2026-001"),
        ("issuer", "苏州市应急管理局"),
        ("issued_on", "2025-01-01"),
        ("expires_on", "2027-12-31"),
    ];
    let disguised = multipart(
        "B0UND",
        &csrf,
        &fields,
        Some(("scan", "证书.pdf", b"<html><script>x</script>")),
    );
    let refused = captain.post_multipart(&format!("{record}/certificates"), "B0UND", &disguised);
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("只接受 PDF、PNG 或 JPEG 文件"));
    assert!(
        refused.text.contains("value=\"SJ-2026-001\"")
            && refused.text.contains("value=\"2027-12-31\""),
        "what was typed stays on the form"
    );
    let record_json = |app: &TestApp| {
        app.get(
            &format!("/api/v1/people/{}/team-record", t.member),
            &t.admin,
        )
        .json()
    };
    assert!(
        record_json(&app)["certificates"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was written"
    );

    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    let csrf = captain.csrf.clone().unwrap();
    let body = multipart("B0UND", &csrf, &fields, Some(("scan", "证书.pdf", pdf)));
    let saved = captain.post_multipart(&format!("{record}/certificates"), "B0UND", &body);
    assert_eq!(saved.status, 303, "{}", saved.text);
    let certs = record_json(&app)["certificates"].clone();
    let id = certs[0]["id"].as_i64().unwrap();
    let scan = captain.get(&format!("/teams/certificates/{id}/scan"));
    assert_eq!(scan.status, 200);
    assert_eq!(scan.header("content-type"), Some("application/pdf"));
    assert_eq!(scan.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        scan.text.as_bytes(),
        pdf,
        "the scan comes back as it went in"
    );
    let mut stranger = app.browser();
    stranger.sign_in("captain_b", PASSWORD);
    assert_eq!(
        stranger
            .get(&format!("/teams/certificates/{id}/scan"))
            .status,
        403
    );
    assert_eq!(
        stranger.get(&record).status,
        403,
        "another team's captain does not see the record"
    );
    let mut holder = app.browser();
    holder.sign_in("member", PASSWORD);
    assert_eq!(
        holder.get(&format!("/teams/certificates/{id}/scan")).status,
        200,
        "the holder sees their own scan"
    );
}

#[test]
fn leave_asked_for_on_the_page_waits_for_the_captain_who_must_say_why_to_refuse() {
    let app = spawn_app();
    let t = setup(&app);
    let mut member = app.browser();
    member.sign_in("member", PASSWORD);
    let record = format!("/teams/people/{}", t.member);
    member.get(&record);
    let reversed = member.post(
        &format!("{record}/leaves"),
        &[
            ("kind", "annual"),
            ("starts_on", "2026-12-10"),
            ("ends_on", "2026-12-01"),
        ],
    );
    assert_eq!(reversed.status, 422);
    assert!(reversed.text.contains("结束日期不能早于开始日期"));
    assert!(
        reversed.text.contains("value=\"2026-12-10\""),
        "the dates typed stay"
    );
    let asked = member.post(
        &format!("{record}/leaves"),
        &[
            ("kind", "annual"),
            ("starts_on", "2026-12-01"),
            ("ends_on", "2026-12-03"),
            ("reason", "探亲"),
        ],
    );
    assert_eq!(asked.status, 303);
    let mut captain = app.browser();
    captain.sign_in("captain_a", PASSWORD);
    let home = captain.get("/");
    assert!(home.text.contains("待我审批的请假"), "{}", home.text);
    let queue = captain.get("/teams/leaves");
    assert!(queue.text.contains("孙海涛") && queue.text.contains("探亲"));
    let id = app
        .get(&format!("/api/v1/leaves?person_id={}", t.member), &t.admin)
        .json()[0]["id"]
        .as_i64()
        .unwrap();
    let path = format!("/teams/leaves/{id}");
    let bare = captain.post(
        &path,
        &[
            ("decision", "refuse"),
            ("note", ""),
            ("next", "/teams/leaves"),
        ],
    );
    assert_eq!(bare.status, 303);
    assert!(captain
        .get("/teams/leaves")
        .text
        .contains("不批准时请写明理由"));
    let ok = captain.post(
        &path,
        &[
            ("decision", "approve"),
            ("note", ""),
            ("next", "/teams/leaves"),
        ],
    );
    assert_eq!(ok.status, 303);
    let leave = &app
        .get(&format!("/api/v1/leaves?person_id={}", t.member), &t.admin)
        .json()[0];
    assert_eq!(leave["state"], "approved");
    let own = member.post(&path, &[("decision", "approve"), ("next", &record)]);
    assert_eq!(own.status, 303);
    assert!(member.get(&record).text.contains("不能审批本人的请假"));
}

#[test]
fn a_roster_file_is_imported_all_or_nothing_and_the_roster_downloads() {
    let app = spawn_app();
    let t = setup(&app);
    let mut captain = app.browser();
    captain.sign_in("captain_a", PASSWORD);
    let team = format!("/teams/{}", t.team_a);
    captain.get(&team);
    let csrf = captain.csrf.clone().unwrap();
    let broken = "姓名,手机,职务,入队日期\n钱卫东,13806250172,副队长,2024-05-01\n周建新,13806250174,船长,2024-13-01\n";
    let body = multipart(
        "B0UND",
        &csrf,
        &[],
        Some(("file", "花名册.csv", broken.as_bytes())),
    );
    let refused = captain.post_multipart(&format!("{team}/roster"), "B0UND", &body);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains("<td>3</td><td>职务</td>"),
        "{}",
        refused.text
    );
    let members = |app: &TestApp| {
        app.get(&format!("/api/v1/teams/{}", t.team_a), &t.admin)
            .json()["members"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(members(&app), 2, "nothing was imported");
    // The captain may not add people to the unit: a roster naming someone unknown is refused by row.
    captain.get(&team);
    let csrf = captain.csrf.clone().unwrap();
    let unknown = "姓名,职务\n孙海涛,技术骨干\n无名氏,队员\n";
    let body = multipart(
        "B0UND",
        &csrf,
        &[],
        Some(("file", "花名册.csv", unknown.as_bytes())),
    );
    let refused = captain.post_multipart(&format!("{team}/roster"), "B0UND", &body);
    assert_eq!(refused.status, 422);
    assert!(
        refused.text.contains("<td>3</td><td>姓名</td>"),
        "{}",
        refused.text
    );

    let admin = app.admin_token();
    let r = app.api_raw(
        "POST",
        &format!("/api/v1/teams/{}/roster", t.team_a),
        &admin,
        "text/csv",
        "姓名,手机,职务,状态\n孙海涛,,技术骨干,伤病\n钱卫东,13806250172,副队长,\n",
    );
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        (
            r.json()["added"].as_i64(),
            r.json()["updated"].as_i64(),
            r.json()["people_created"].as_i64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(members(&app), 3);
    let sheet = captain.get(&format!("{team}/roster.csv"));
    assert_eq!(sheet.status, 200);
    let text = &sheet.text;
    assert!(
        text.contains("钱卫东") && text.contains("副队长") && text.contains("伤病"),
        "{text}"
    );
    let xlsx = captain.get(&format!("{team}/roster.xlsx"));
    assert_eq!(xlsx.status, 200);
    assert!(
        xlsx.header("content-type")
            .is_some_and(|t| t.contains("spreadsheetml")),
        "{:?}",
        xlsx.headers
    );
}
