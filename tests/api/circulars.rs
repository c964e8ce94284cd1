//! Circulars (通知): drafting and issuing, the 签收 link (GET acknowledges nothing; valid, expired, changed,
//! another unit's, withdrawn), replies with files, who sees what, escalation with a fixed clock, and the
//! emails through a real SMTP server with their links followed.

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{multipart, spawn_app, spawn_app_with, TestApp, PASSWORD, SECRET};
use crate::smtp::SmtpServer;

pub(crate) struct District {
    pub admin: String,
    pub office: i64,
    pub street: i64,
    pub street2: i64,
    pub dept: i64,
    /// A unit below the street.
    pub park: i64,
    /// Office staff (district-wide).
    pub staff: String,
    /// The street's head.
    pub head: String,
    /// Someone of the department.
    pub clerk: String,
}

pub(crate) const STREET_CONTACT: &str = "binhu@example.gov.cn";
pub(crate) const HEAD_EMAIL: &str = "sunlei@example.gov.cn";

fn person(app: &TestApp, admin: &str, name: &str, unit: i64, email: &str) -> i64 {
    let r = app.post(
        "/api/v1/people",
        admin,
        json!({"name": name, "unit_id": unit, "email": email}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_i64().unwrap()
}

pub(crate) fn district(app: &TestApp) -> District {
    let admin = app.admin_token();
    let office = app.create_unit(&admin, "安委办", "office", None);
    let street = app.create_unit(&admin, "滨湖街道", "street", Some(office));
    let street2 = app.create_unit(&admin, "太湖街道", "street", Some(office));
    let dept = app.create_unit(&admin, "建设局", "department", Some(office));
    let park = app.create_unit(&admin, "友谊工业园", "other", Some(street));
    for (unit, email) in [
        (street, STREET_CONTACT),
        (dept, "jsj@example.gov.cn"),
        (street2, "taihu@example.gov.cn"),
    ] {
        let r = app.patch(
            &format!("/api/v1/units/{unit}"),
            &admin,
            json!({"contact_emails": [email]}),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let p = person(app, &admin, "沈丽华", office, "shenlh@example.gov.cn");
    let (_, staff) = app.create_account(&admin, "shenlh", Some(p), &[("office_staff", None)]);
    let p = person(app, &admin, "孙磊", street, HEAD_EMAIL);
    let (_, head) = app.create_account(&admin, "sunlei", Some(p), &[("unit_head", Some(street))]);
    let p = person(app, &admin, "姚军", dept, "yaoj@example.gov.cn");
    let (_, clerk) =
        app.create_account(&admin, "yaoj", Some(p), &[("warehouse_keeper", Some(dept))]);
    District {
        admin,
        office,
        street,
        street2,
        dept,
        park,
        staff,
        head,
        clerk,
    }
}

pub(crate) fn draft(app: &TestApp, d: &District, hours: i64, extra: Value) -> Value {
    let due = (app.clock_now() + Duration::hours(hours)).to_rfc3339();
    let mut body = json!({
        "title": "关于做好2026年汛期值班值守工作的通知",
        "body": "各部门、街道：\n\n为做好汛期值班值守工作，现将有关事项通知如下。\n<script>alert('x')</script>",
        "urgency": "urgent",
        "from_unit_id": d.office,
        "ack_due": due,
        "reply_mode": "fields",
        "reply_file": true,
        "fields": ["值班人员", "联系电话"],
        "addressed": {"kinds": ["street"], "units": [d.dept]}
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let r = app.post("/api/v1/circulars", &d.staff, body);
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()
}

pub(crate) fn issued(app: &TestApp, d: &District, hours: i64) -> i64 {
    let v = draft(app, d, hours, json!({}));
    let id = v["id"].as_i64().unwrap();
    let r = app.post(
        &format!("/api/v1/circulars/{id}/issue"),
        &d.staff,
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    id
}

fn unit_row(v: &Value, unit: i64) -> Value {
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == unit)
        .cloned()
        .unwrap_or(Value::Null)
}

fn token_for(app: &TestApp, id: i64, unit: i64, due_hours: i64) -> String {
    use standby::circulars::model::{AckClaim, AckKey};
    let due = app.clock_now() + Duration::hours(due_hours);
    AckKey::from_secret(SECRET).sign(AckClaim::until(id, unit, due, 14))
}

#[test]
fn circulars_a_draft_addresses_units_by_kind_subtree_and_name_and_issuing_tells_each_once() {
    let app = spawn_app();
    let d = district(&app);
    let v = draft(
        &app,
        &d,
        48,
        json!({"addressed": {"kinds": ["department"], "subtrees": [d.street], "units": [d.street2]}}),
    );
    let mut units: Vec<i64> = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit_id"].as_i64().unwrap())
        .collect();
    units.sort_unstable();
    let mut want = vec![d.street, d.street2, d.dept, d.park];
    want.sort_unstable();
    assert_eq!(
        units, want,
        "by kind, by subtree (the top included) and one by one"
    );
    assert_eq!(v["state"], "draft");
    let id = v["id"].as_i64().unwrap();
    // A draft is the sender's: the addressed units do not see it yet.
    assert_eq!(
        app.get(&format!("/api/v1/circulars/{id}"), &d.head).status,
        404
    );
    let r = app.post(
        &format!("/api/v1/circulars/{id}/issue"),
        &d.staff,
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["state"], "issued");
    let again = app.post(
        &format!("/api/v1/circulars/{id}/issue"),
        &d.staff,
        json!({}),
    );
    assert_eq!(again.status, 409, "{}", again.text);
    let notices = app
        .get("/api/v1/notices?per_page=200&kind=circular", &d.admin)
        .json();
    let items = notices["items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        3,
        "one notice per addressed unit with someone to tell (the park has no address): {items:?}"
    );
    // The head sees it now, with only the street's own row.
    let seen = app.get(&format!("/api/v1/circulars/{id}"), &d.head).json();
    let rows: Vec<i64> = seen["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit_id"].as_i64().unwrap())
        .collect();
    assert!(
        rows.contains(&d.street) && !rows.contains(&d.dept),
        "{rows:?}"
    );
    // Bad input changes nothing.
    for (bad, field) in [
        (json!({"title": " "}), "title"),
        (
            json!({"ack_due": (app.clock_now() - Duration::hours(1)).to_rfc3339()}),
            "ack_due",
        ),
        (json!({"reply_mode": "fields", "fields": []}), "fields"),
        (json!({"addressed": {"kinds": [], "units": []}}), "units"),
        (json!({"body": "正文\u{202e}反向"}), "body"),
    ] {
        let due = (app.clock_now() + Duration::hours(5)).to_rfc3339();
        let mut body = json!({"title": "t", "body": "b", "urgency": "routine", "from_unit_id": d.office, "ack_due": due,
            "reply_mode": "none", "addressed": {"units": [d.dept]}});
        for (k, v) in bad.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = app.post("/api/v1/circulars", &d.staff, body);
        assert_eq!(r.status, 422, "{field}: {}", r.text);
        assert!(r.text.contains(field), "{field}: {}", r.text);
    }
    let sent = app.get("/api/v1/circulars?folder=sent", &d.staff).json();
    assert_eq!(
        sent.as_array().unwrap().len(),
        1,
        "no draft was made by the refused ones"
    );
}

#[test]
fn circulars_units_see_only_what_is_addressed_to_them_and_a_unit_sends_only_below_it() {
    let app = spawn_app();
    let d = district(&app);
    let id = issued(&app, &d, 24);
    // Addressed to the streets and the department: the street's head sees it; someone else's circular not.
    let only_street2 = draft(&app, &d, 24, json!({"addressed": {"units": [d.street2]}}));
    let other = only_street2["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/circulars/{other}/issue"),
        &d.staff,
        json!({}),
    );
    assert_eq!(
        app.get(&format!("/api/v1/circulars/{other}"), &d.head)
            .status,
        404
    );
    let received = app.get("/api/v1/circulars", &d.head).json();
    let ids: Vec<i64> = received
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [id], "the head receives only what his units were sent");
    // Nobody acknowledges for a unit not theirs; district-wide office staff do not acknowledge for a unit.
    for (who, unit) in [
        (&d.clerk, d.street),
        (&d.head, d.dept),
        (&d.staff, d.street),
    ] {
        let r = app.post(
            &format!("/api/v1/circulars/{id}/units/{unit}/acknowledge"),
            who,
            json!({}),
        );
        assert_eq!(r.status, 404, "{}", r.text);
    }
    // A unit's head sends to the units below it only.
    let due = (app.clock_now() + Duration::hours(24)).to_rfc3339();
    let to = |units: Value| {
        json!({"title": "关于园区检查的通知", "body": "请自查。", "urgency": "routine",
        "from_unit_id": d.street, "ack_due": due, "reply_mode": "none", "addressed": {"units": units}})
    };
    let r = app.post("/api/v1/circulars", &d.head, to(json!([d.dept])));
    assert_eq!(r.status, 422, "{}", r.text);
    let r = app.post("/api/v1/circulars", &d.head, json!({"title": "x", "body": "y", "urgency": "routine",
        "from_unit_id": d.office, "ack_due": due, "reply_mode": "none", "addressed": {"units": [d.park]}}));
    assert_eq!(
        r.status, 422,
        "not from a unit he does not head: {}",
        r.text
    );
    let r = app.post("/api/v1/circulars", &d.head, to(json!([d.park])));
    assert_eq!(r.status, 201, "{}", r.text);
    // The clerk sends nothing and may not remind or withdraw the office's circular.
    assert_eq!(
        app.post(
            &format!("/api/v1/circulars/{id}/remind"),
            &d.clerk,
            json!({})
        )
        .status,
        403
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/circulars/{id}/withdraw"),
            &d.head,
            json!({"reason": "x"})
        )
        .status,
        403
    );
}

#[test]
fn circulars_the_link_page_acknowledges_nothing_until_its_button_and_refuses_bad_links_clearly() {
    let app = spawn_app();
    let d = district(&app);
    let id = issued(&app, &d, 24);
    let token = token_for(&app, id, d.street, 24);
    let mut b = app.browser();
    let page = b.get(&format!("/circulars/ack/{token}"));
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains("滨湖街道") && page.text.contains("确认签收"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("alert(") && !page.text.contains("<script>alert"),
        "the body is escaped: {}",
        page.text
    );
    let v = app.get(&format!("/api/v1/circulars/{id}"), &d.staff).json();
    assert_eq!(
        unit_row(&v, d.street)["standing"],
        "waiting",
        "opening the link acknowledged nothing"
    );
    // Without a name: refused, nothing recorded.
    let r = b.post(&format!("/circulars/ack/{token}"), &[("name", " ")]);
    assert_eq!(r.status, 422, "{}", r.text);
    let r = b.post(&format!("/circulars/ack/{token}"), &[("name", "李明")]);
    assert_eq!(r.status, 303, "{}", r.text);
    let page = b.get(&format!("/circulars/ack/{token}"));
    assert!(
        page.text.contains("已签收") && page.text.contains("李明"),
        "{}",
        page.text
    );
    // A second press changes nothing.
    let r = b.post(&format!("/circulars/ack/{token}"), &[("name", "王五")]);
    assert_eq!(r.status, 303);
    let v = app.get(&format!("/api/v1/circulars/{id}"), &d.staff).json();
    let row = unit_row(&v, d.street);
    assert_eq!(
        (
            row["standing"].as_str(),
            row["acked_name"].as_str(),
            row["acked_via"].as_str()
        ),
        (Some("acknowledged"), Some("李明"), Some("link"))
    );
    assert_eq!(row["acked_address"], "127.0.0.1");
    assert_eq!(v["tally"]["acknowledged"], 1);

    // Changed: another unit put in, a letter of the MAC changed, cut short.
    let dept_forged = token.replacen(
        &format!("{id}-{}-", d.street),
        &format!("{id}-{}-", d.dept),
        1,
    );
    let mut mangled = token.clone();
    let last = mangled.pop().unwrap();
    mangled.push(if last == 'A' { 'B' } else { 'A' });
    for bad in [
        dept_forged.as_str(),
        mangled.as_str(),
        &token[..token.len() - 5],
        "nonsense",
    ] {
        let mut b = app.browser();
        let r = b.get(&format!("/circulars/ack/{bad}"));
        assert_eq!(r.status, 404, "{bad}: {}", r.text);
        assert!(r.text.contains("签收链接无效"), "{}", r.text);
        let r = b.post(&format!("/circulars/ack/{bad}"), &[("name", "冒充")]);
        assert_eq!(r.status, 404, "{}", r.text);
    }
    let v = app.get(&format!("/api/v1/circulars/{id}"), &d.staff).json();
    assert_eq!(
        unit_row(&v, d.dept)["standing"],
        "waiting",
        "the forged link recorded nothing for the department"
    );

    // Expired: 14 days after the deadline.
    let dept_token = token_for(&app, id, d.dept, 24);
    app.clock.advance(Duration::hours(24) + Duration::days(14));
    let mut b = app.browser();
    let r = b.get(&format!("/circulars/ack/{dept_token}"));
    assert_eq!(r.status, 409, "{}", r.text);
    assert!(r.text.contains("已过期"), "{}", r.text);
    let v = app.get(&format!("/api/v1/circulars/{id}"), &d.staff).json();
    assert_eq!(unit_row(&v, d.dept)["acked_at"], Value::Null);
}

#[test]
fn circulars_a_withdrawn_circulars_link_and_reply_are_refused_and_record_nothing() {
    let app = spawn_app();
    let d = district(&app);
    let id = issued(&app, &d, 24);
    let token = token_for(&app, id, d.street, 24);
    let mut b = app.browser();
    assert_eq!(b.get(&format!("/circulars/ack/{token}")).status, 200);
    // A reminder asked for by hand and not yet sent goes with the circular.
    let r = app.post(
        &format!("/api/v1/circulars/{id}/remind"),
        &d.staff,
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json()["reminded"].as_i64().unwrap() >= 1);
    let r = app.post(
        &format!("/api/v1/circulars/{id}/withdraw"),
        &d.staff,
        json!({"reason": "内容有误，另行发文"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["state"], "withdrawn");
    let pending = app
        .get(
            "/api/v1/notices?per_page=200&kind=circular&state=pending",
            &d.admin,
        )
        .json();
    assert_eq!(
        pending["total"], 0,
        "unsent notices were cancelled: {pending}"
    );
    let reminders = app
        .get(
            "/api/v1/notices?per_page=200&kind=circular_overdue&state=pending",
            &d.admin,
        )
        .json();
    assert_eq!(
        reminders["total"], 0,
        "unsent reminders were cancelled: {reminders}"
    );
    let page = b.get(&format!("/circulars/ack/{token}"));
    assert!(
        page.text.contains("已被发文单位撤回") && !page.text.contains("确认签收"),
        "{}",
        page.text
    );
    let r = b.post(&format!("/circulars/ack/{token}"), &[("name", "李明")]);
    assert_eq!(r.status, 409, "{}", r.text);
    let r = app.post(
        &format!("/api/v1/circulars/{id}/units/{}/acknowledge", d.street),
        &d.head,
        json!({}),
    );
    assert_eq!(r.status, 409, "{}", r.text);
    let r = app.post(
        &format!("/api/v1/circulars/{id}/units/{}/reply", d.street),
        &d.head,
        json!({"values": ["王强", "1"]}),
    );
    assert_eq!(r.status, 409, "{}", r.text);
    let v = app.get(&format!("/api/v1/circulars/{id}"), &d.staff).json();
    assert_eq!(v["tally"]["acknowledged"], 0);
    assert_eq!(v["tally"]["replied"], 0);
}

#[test]
fn circulars_replies_carry_their_fields_and_a_checked_file_and_export_as_xlsx() {
    let app = spawn_app();
    let d = district(&app);
    let id = issued(&app, &d, 24);
    // By the API: the fields, in order; a wrong count is refused.
    let r = app.post(
        &format!("/api/v1/circulars/{id}/units/{}/reply", d.dept),
        &d.clerk,
        json!({"values": ["姚军"]}),
    );
    assert_eq!(r.status, 422, "{}", r.text);
    let r = app.post(
        &format!("/api/v1/circulars/{id}/units/{}/reply", d.dept),
        &d.clerk,
        json!({"values": ["姚军", "13800000001"]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let row = unit_row(&r.json(), d.dept);
    assert_eq!(row["reply_values"], json!(["姚军", "13800000001"]));
    assert_eq!(row["acked_via"], "reply", "a reply acknowledges too");

    // By the page, with a file.
    let mut b = app.browser();
    b.sign_in("sunlei", PASSWORD);
    let page = b.get(&format!("/circulars/{id}"));
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains("值班人员") && page.text.contains("确认") || page.text.contains("签收")
    );
    let csrf = b.csrf.clone().unwrap();
    let path = format!("/circulars/{id}/units/{}/reply", d.street);
    let fields = [
        ("value_1", "孙磊"),
        ("value_2", "0512-63981301"),
        ("reply_text", "已安排"),
    ];
    // A file that is not what it claims: refused, nothing recorded.
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let body = multipart("XyZ", &csrf, &fields, Some(("file", "名单.pdf", &html)));
    let r = b.post_multipart(&path, "XyZ", &body);
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.text.contains("PDF"), "{}", r.text);
    // Too large.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(standby::attachments::MAX_BYTES + 10, b'x');
    let csrf = b.csrf.clone().unwrap();
    let body = multipart("XyZ", &csrf, &fields, Some(("file", "big.pdf", &big)));
    let r = b.post_multipart(&path, "XyZ", &body);
    assert_eq!(r.status, 422, "{}", r.text);
    let v = app.get(&format!("/api/v1/circulars/{id}"), &d.staff).json();
    assert_eq!(
        unit_row(&v, d.street)["replied_at"],
        Value::Null,
        "the refused replies recorded nothing"
    );
    // A real PDF.
    let csrf = b.csrf.clone().unwrap();
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let body = multipart("XyZ", &csrf, &fields, Some(("file", "值班表.pdf", &pdf)));
    let r = b.post_multipart(&path, "XyZ", &body);
    assert_eq!(r.status, 303, "{}", r.text);
    let v = app.get(&format!("/api/v1/circulars/{id}"), &d.staff).json();
    let row = unit_row(&v, d.street);
    assert_eq!(row["reply_values"], json!(["孙磊", "0512-63981301"]));
    assert_eq!(row["reply_text"], "已安排");
    let file = row["reply_file"]["id"].as_i64().unwrap();
    assert_eq!(v["tally"]["replied"], 2);
    // The sender downloads it; the department (not its unit's reply) may not.
    let (r, bytes) = app.download(&format!("/api/v1/circulars/{id}/files/{file}"), &d.staff);
    assert_eq!(r.status, 200);
    assert_eq!(bytes, pdf);
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        app.get(&format!("/api/v1/circulars/{id}/files/{file}"), &d.clerk)
            .status,
        404
    );

    // The replies as a spreadsheet.
    let mut s = app.browser();
    s.sign_in("shenlh", PASSWORD);
    let (r, bytes) = s.download(&format!("/circulars/{id}/replies.xlsx"));
    assert_eq!(r.status, 200, "{}", r.text);
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<String> = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    for want in [
        "值班人员",
        "联系电话",
        "孙磊",
        "0512-63981301",
        "姚军",
        "值班表.pdf",
        "太湖街道",
    ] {
        assert!(cells.iter().any(|c| c == want), "{want} in {cells:?}");
    }
    // Not for an addressed unit.
    let (r, _) = b.download(&format!("/circulars/{id}/replies.xlsx"));
    assert_eq!(r.status, 403);

    // Remind the laggards in one action: the street2 has neither acknowledged nor replied.
    let r = app.post(
        &format!("/api/v1/circulars/{id}/remind"),
        &d.staff,
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["reminded"], 1);
    assert_eq!(unit_row(&r.json()["circular"], d.street2)["reminders"], 1);
}

#[test]
fn circulars_escalate_to_the_head_after_the_set_time_and_stay_on_the_overdue_report() {
    let app = spawn_app_with(&[("STANDBY_CIRCULAR_ESCALATE_HOURS", "12")]);
    let d = district(&app);
    let id = issued(&app, &d, 2);
    let r = app.post(
        &format!("/api/v1/circulars/{id}/units/{}/acknowledge", d.dept),
        &d.clerk,
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let kinds = |app: &TestApp| -> Vec<(String, i64)> {
        let n = app
            .get(
                "/api/v1/notices?per_page=200&kind=circular_overdue",
                &d.admin,
            )
            .json();
        n["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["dedupe_key"].as_str().unwrap_or("").to_string(),
                    n["unit_id"].as_i64().unwrap_or(0),
                )
            })
            .collect()
    };
    app.clock.advance(Duration::hours(1));
    app.scan();
    assert!(kinds(&app).is_empty(), "nothing before the deadline");
    assert_eq!(
        app.get("/api/v1/circulars/overdue", &d.staff).json(),
        json!([])
    );
    app.clock.advance(Duration::hours(1));
    app.scan();
    app.scan();
    let reminded = kinds(&app);
    assert_eq!(
        reminded.len(),
        2,
        "both streets reminded once, not the department that acknowledged: {reminded:?}"
    );
    assert!(reminded
        .iter()
        .all(|(_, u)| *u == d.street || *u == d.street2));
    assert_eq!(
        app.job("circulars"),
        "0 overdue unit(s) escalated to their head"
    );
    app.clock
        .advance(Duration::hours(12) - Duration::minutes(1));
    assert_eq!(
        app.job("circulars"),
        "0 overdue unit(s) escalated to their head"
    );
    // The street acknowledges late; the other street is escalated at the deadline + 12 hours.
    let r = app.post(
        &format!("/api/v1/circulars/{id}/units/{}/acknowledge", d.street),
        &d.head,
        json!({}),
    );
    assert_eq!(
        unit_row(&r.json(), d.street)["standing"],
        "acknowledged_late"
    );
    app.clock.advance(Duration::minutes(1));
    assert_eq!(
        app.job("circulars"),
        "1 overdue unit(s) escalated to their head"
    );
    assert_eq!(
        app.job("circulars"),
        "0 overdue unit(s) escalated to their head",
        "once"
    );
    let told = app
        .get(
            "/api/v1/notices?per_page=200&kind=circular_overdue",
            &d.admin,
        )
        .json();
    let escalation = told["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| {
            n["dedupe_key"]
                .as_str()
                .unwrap_or("")
                .starts_with("circular_escalated:")
        })
        .expect("the escalation notice");
    let to: Vec<&str> = escalation["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert_eq!(
        to,
        ["taihu@example.gov.cn"],
        "a street without a head account: its contacts hear it again"
    );
    let report = app.get("/api/v1/circulars/overdue", &d.staff).json();
    let rows = report.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{report}");
    assert_eq!(rows[0]["unit_id"], d.street2);
    assert_eq!(rows[0]["hours_late"], 12);
    assert!(rows[0]["escalated_at"].is_string());
    let v = app.get(&format!("/api/v1/circulars/{id}"), &d.staff).json();
    assert_eq!(unit_row(&v, d.street2)["standing"], "escalated");
    assert_eq!(
        (
            v["tally"]["acknowledged"].as_i64(),
            v["tally"]["overdue"].as_i64(),
            v["tally"]["escalated"].as_i64()
        ),
        (Some(2), Some(1), Some(1))
    );
    // Not a sender: no report.
    assert_eq!(app.get("/api/v1/circulars/overdue", &d.clerk).status, 403);
    // The home page tells the head of his overdue units.
    let mut b = app.browser();
    b.sign_in("sunlei", PASSWORD);
    let home = b.get("/");
    assert!(
        !home.text.contains("逾期未签收的通知"),
        "his street acknowledged: {}",
        home.text
    );
}

#[test]
fn circulars_the_emails_carry_a_working_link_through_a_real_smtp_server() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(&[("STANDBY_SMTP_URL", &smtp.url())]);
    let d = district(&app);
    let id = issued(&app, &d, 24);
    let report = app.deliver();
    assert!(report.sent >= 3, "{report:?}");
    let got = smtp.wait_for(3, 5);
    let to_street = got
        .iter()
        .find(|m| m.to.iter().any(|t| t == STREET_CONTACT))
        .expect("the street's contact address got it");
    assert!(
        to_street.to.iter().any(|t| t == HEAD_EMAIL),
        "and its head, in the same message: {:?}",
        to_street.to
    );
    let mail = to_street.parsed();
    let subject = mail.subject().unwrap().to_string();
    assert!(
        subject.contains("请签收") && subject.contains("汛期值班值守"),
        "{subject}"
    );
    let text = mail.body_text(0).unwrap().to_string();
    let base = app.state.config.base_url.clone();
    let at = text
        .find(&format!("{base}/circulars/ack/"))
        .expect("a 签收 link in the mail");
    let link: String = text[at..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let path = link.strip_prefix(&base).unwrap();
    let mut b = app.browser();
    let page = b.get(path);
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("滨湖街道"));
    let r = b.post(path, &[("name", "值班员小王")]);
    assert_eq!(r.status, 303, "{}", r.text);
    let v = app.get(&format!("/api/v1/circulars/{id}"), &d.staff).json();
    assert_eq!(unit_row(&v, d.street)["acked_name"], "值班员小王");
    // The circular's own link asks a signed-out reader to sign in, then shows it.
    let page_link = format!("{base}/circulars/{id}");
    assert!(
        text.lines()
            .any(|l| l.trim_end().ends_with(&format!("：{page_link}"))),
        "the circular's page in the mail: {text}"
    );
    let page_path = page_link.strip_prefix(&base).unwrap().to_string();
    let page_path = page_path.as_str();
    let r = app.browser().get(page_path);
    assert_eq!(r.status, 303, "{}", r.text);
    let mut head = app.browser();
    head.sign_in("sunlei", PASSWORD);
    let r = head.get(page_path);
    assert_eq!(r.status, 200);
    assert!(
        r.text.contains("已签收"),
        "the street's acknowledgement shows: {}",
        r.text
    );
}
