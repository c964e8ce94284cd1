//! The HTML pages as a person uses them: sign in, forms with CSRF, Post/Redirect/Get, languages.

use crate::helpers::{spawn_app, ADMIN_PASSWORD, PASSWORD};

#[test]
fn signing_in_on_the_page_leads_home_and_signing_out_ends_the_session() {
    let app = spawn_app();
    let mut b = app.browser();
    let r = b.get("/");
    assert_eq!(
        (r.status, r.header("location")),
        (303, Some("/login?next=/"))
    );
    let login = b.get("/login");
    assert!(login.text.contains("登录") && login.text.contains("csrf_token"));

    let wrong = b.post(
        "/login",
        &[
            ("username", "admin"),
            ("password", "nope nope"),
            ("next", "/"),
        ],
    );
    assert_eq!(wrong.status, 401);
    assert!(wrong.text.contains("用户名或密码错误"));

    let ok = b.sign_in("admin", ADMIN_PASSWORD);
    assert_eq!(
        (ok.status, ok.header("location")),
        (303, Some("/")),
        "{}",
        ok.text
    );
    let cookie = ok.headers["set-cookie"].join(";").to_ascii_lowercase();
    assert!(
        cookie.contains("httponly") && cookie.contains("samesite=lax"),
        "{cookie}"
    );
    let home = b.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.text.contains("系统管理员"),
        "the home page lists the roles"
    );

    let out = b.post("/logout", &[]);
    assert_eq!(out.status, 303);
    assert_eq!(b.get("/").status, 303);
}

#[test]
fn a_form_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app();
    let admin = app.admin_token();
    let mut b = app.browser();
    b.sign_in("admin", ADMIN_PASSWORD);
    b.get("/units/new");
    let forged = b.post_raw(
        "/units",
        &[
            ("name", "伪造单位"),
            ("kind", "other"),
            ("parent_id", ""),
            ("contact_emails", ""),
            ("phone", ""),
        ],
    );
    assert_eq!(forged.status, 403);
    assert!(forged.text.contains("表单已失效"));
    let wrong = b.post_raw(
        "/units",
        &[
            ("name", "伪造单位"),
            ("kind", "other"),
            ("parent_id", ""),
            ("contact_emails", ""),
            ("phone", ""),
            ("csrf_token", "guess"),
        ],
    );
    assert_eq!(wrong.status, 403);
    assert_eq!(
        app.get("/api/v1/units?active=all", &admin).json()["total"],
        0
    );
}

#[test]
fn a_unit_created_on_the_page_redirects_and_shows_in_the_list_and_the_api() {
    let app = spawn_app();
    let admin = app.admin_token();
    let mut b = app.browser();
    b.sign_in("admin", ADMIN_PASSWORD);
    b.get("/units/new");
    let r = b.post(
        "/units",
        &[
            ("name", "区应急管理局"),
            ("kind", "office"),
            ("parent_id", ""),
            ("contact_emails", "yjj@wj.gov.cn\nduty@wj.gov.cn"),
            ("phone", "0512-63000000"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text);
    let location = r.header("location").unwrap().to_string();
    let page = b.get(&location);
    assert!(
        page.text.contains("已创建单位") && page.text.contains("区应急管理局"),
        "flash message after the redirect"
    );
    assert!(b.get("/units").text.contains("区应急管理局"));
    let api = app.get("/api/v1/units", &admin).json();
    assert_eq!(
        api["items"][0]["contact_emails"],
        serde_json::json!(["yjj@wj.gov.cn", "duty@wj.gov.cn"])
    );

    // A bad value re-shows the form with the message and the typed values, and writes nothing.
    b.get("/units/new");
    let bad = b.post(
        "/units",
        &[
            ("name", "第二个"),
            ("kind", "office"),
            ("parent_id", ""),
            ("contact_emails", "broken"),
            ("phone", ""),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains("邮箱地址格式不正确") && bad.text.contains("第二个"));
    assert_eq!(app.get("/api/v1/units", &admin).json()["total"], 1);
}

#[test]
fn deactivating_an_account_cuts_its_open_session() {
    let app = spawn_app();
    let admin = app.admin_token();
    let (id, _) = app.create_account(&admin, "zhoujie", None, &[("viewer", None)]);
    let mut user = app.browser();
    assert_eq!(user.sign_in("zhoujie", PASSWORD).status, 303);
    assert_eq!(user.get("/units").status, 200);

    let mut admin_browser = app.browser();
    admin_browser.sign_in("admin", ADMIN_PASSWORD);
    admin_browser.get(&format!("/accounts/{id}"));
    let r = admin_browser.post(&format!("/accounts/{id}/active"), &[("active", "false")]);
    assert_eq!(r.status, 303);

    let after = user.get("/units");
    assert_eq!(
        after.status, 303,
        "the deactivated account's session ends on its next request"
    );
    assert!(after.header("location").unwrap().starts_with("/login"));
}

#[test]
fn a_viewer_sees_pages_but_cannot_change_through_them() {
    let app = spawn_app();
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "社会事业局", "department", None);
    app.create_account(&admin, "viewer1", None, &[("viewer", None)]);
    let mut b = app.browser();
    b.sign_in("viewer1", PASSWORD);
    let page = b.get(&format!("/units/{unit}"));
    assert_eq!(page.status, 200);
    assert!(
        !page.text.contains(&format!("action=\"/units/{unit}\"")),
        "no edit form for a viewer"
    );
    assert!(
        !page.text.contains(&format!("/units/{unit}/notices"))
            && !page.text.contains("entity=unit"),
        "no buttons that lead to 403: {}",
        page.text
    );
    let mut admin_browser = app.browser();
    admin_browser.sign_in("admin", crate::helpers::ADMIN_PASSWORD);
    let full = admin_browser.get(&format!("/units/{unit}"));
    assert!(
        full.text.contains(&format!("/units/{unit}/notices")) && full.text.contains("entity=unit")
    );
    let r = b.post(
        &format!("/units/{unit}"),
        &[
            ("name", "改名"),
            ("kind", "department"),
            ("parent_id", ""),
            ("contact_emails", ""),
            ("phone", ""),
        ],
    );
    assert_eq!(r.status, 403);
    assert_eq!(b.get("/accounts").status, 403);
    assert_eq!(
        app.get(&format!("/api/v1/units/{unit}"), &admin).json()["name"],
        "社会事业局"
    );
}

#[test]
fn pages_are_chinese_by_default_english_on_request_and_per_account() {
    let app = spawn_app();
    let mut b = app.browser();
    assert!(b.get("/login").text.contains("<html lang=\"zh-CN\">"));
    b.accept_language = "en-US,en;q=0.9".into();
    let en = b.get("/login");
    assert!(en.text.contains("<html lang=\"en\">") && en.text.contains("Sign in"));

    b.accept_language = "zh-CN".into();
    b.sign_in("admin", ADMIN_PASSWORD);
    let r = b.post("/language", &[("lang", "en"), ("next", "/units")]);
    assert_eq!((r.status, r.header("location")), (303, Some("/units")));
    assert!(
        b.get("/units").text.contains("New unit"),
        "the account's choice beats the browser's header"
    );
    let admin = app.admin_token();
    assert_eq!(app.get("/api/v1/me", &admin).json()["language"], "en");
}

#[test]
fn sign_in_only_returns_to_local_pages() {
    let app = spawn_app();
    let mut b = app.browser();
    b.get("/login");
    let r = b.post(
        "/login",
        &[
            ("username", "admin"),
            ("password", ADMIN_PASSWORD),
            ("next", "//evil.example/"),
        ],
    );
    assert_eq!(r.header("location"), Some("/"));
}

#[test]
fn people_and_accounts_are_managed_on_their_pages() {
    let app = spawn_app();
    let admin = app.admin_token();
    let unit = app.create_unit(&admin, "滨湖街道", "street", None);
    let mut b = app.browser();
    b.sign_in("admin", ADMIN_PASSWORD);
    b.get("/people/new");
    let unit_s = unit.to_string();
    let r = b.post(
        "/people",
        &[
            ("name", "黄敏"),
            ("unit_id", &unit_s),
            ("post", "安监站长"),
            ("phone", "13800000002"),
            ("email", ""),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text);
    let person = app.get("/api/v1/people", &admin).json()["items"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();

    b.get("/accounts/new");
    let grant = format!("unit_head@{unit}");
    let r = b.post(
        "/accounts",
        &[
            ("username", "huangmin"),
            ("password", PASSWORD),
            ("person_id", &person),
            ("language", "zh"),
            ("new_role", "viewer"),
            ("new_unit", ""),
            ("grant", &grant),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text);
    let token = app.token("huangmin", PASSWORD);
    let me = app.get("/api/v1/me", &token).json();
    assert_eq!(me["roles"].as_array().unwrap().len(), 2, "{me}");

    // Unticking a role removes it.
    let id = me["id"].as_i64().unwrap();
    b.get(&format!("/accounts/{id}"));
    let r = b.post(
        &format!("/accounts/{id}"),
        &[
            ("person_id", &person),
            ("language", "zh"),
            ("grant", &grant),
            ("password", ""),
            ("new_role", ""),
            ("new_unit", ""),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(
        app.get("/api/v1/me", &token).json()["roles"],
        serde_json::json!([{"role": "unit_head", "unit_id": unit}])
    );
    assert!(b.get("/accounts").text.contains("huangmin"));
    assert!(b.get("/audit").text.contains("huangmin"));
}

#[test]
fn an_api_token_is_created_on_the_page_and_shown_once() {
    let app = spawn_app();
    let mut b = app.browser();
    b.sign_in("admin", ADMIN_PASSWORD);
    b.get("/tokens");
    let r = b.post("/tokens", &[("name", "对接脚本")]);
    assert_eq!(r.status, 200);
    let token = r
        .text
        .split("class=\"mono\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(token.starts_with("sb_"));
    assert_eq!(app.get("/api/v1/me", &token).status, 200);
    let again = b.get("/tokens");
    assert!(again.text.contains("对接脚本") && !again.text.contains(&token));
}

#[test]
fn a_person_changes_their_own_password_and_other_sessions_end() {
    let app = spawn_app();
    let admin = app.admin_token();
    app.create_account(&admin, "wangqiang", None, &[("viewer", None)]);
    let mut phone = app.browser();
    phone.sign_in("wangqiang", PASSWORD);
    let mut desk = app.browser();
    desk.sign_in("wangqiang", PASSWORD);
    desk.get("/password");
    let wrong = desk.post(
        "/password",
        &[
            ("current", "not my password"),
            ("new", "a new long password"),
        ],
    );
    assert_eq!(wrong.status, 422);
    assert!(wrong.text.contains("当前密码不正确"));
    let ok = desk.post(
        "/password",
        &[("current", PASSWORD), ("new", "a new long password")],
    );
    assert_eq!(ok.status, 303, "{}", ok.text);
    assert_eq!(
        desk.get("/units").status,
        200,
        "the session that changed it stays signed in"
    );
    assert_eq!(phone.get("/units").status, 303, "other sessions end");
    app.token("wangqiang", "a new long password");
    let audit = app
        .get("/api/v1/audit?action=password_change", &admin)
        .json();
    assert_eq!(audit["total"], 1);
    assert!(!audit.to_string().contains("argon2"));

    let token = app.token("wangqiang", "a new long password");
    let api = app.post(
        "/api/v1/me/password",
        &token,
        serde_json::json!({"current_password": "a new long password", "new_password": "short"}),
    );
    assert_eq!(
        (api.status, api.json()["error"]["field"].as_str()),
        (422, Some("password"))
    );
}

#[test]
fn every_error_a_person_meets_is_a_page_with_the_header_and_a_way_back() {
    let app = spawn_app();
    let admin = app.admin_token();
    app.create_account(&admin, "viewer2", None, &[("viewer", None)]);
    let mut b = app.browser();
    b.sign_in("viewer2", PASSWORD);
    for (path, status, words) in [
        ("/reserves/warehouses/abc", 404, "找不到"),
        ("/no/such/page", 404, "找不到这个页面"),
        ("/units?page=abc", 400, "查询参数有误"),
        ("/audit?from=2026-13-01", 400, "查询参数有误"),
        ("/accounts", 403, "没有执行此操作的权限"),
        ("/reserves/movements/999999", 404, "找不到"),
    ] {
        let r = b.get(path);
        assert_eq!(r.status, status, "{path}: {}", r.text);
        assert!(r.text.contains(words), "{path}: {}", r.text);
        assert!(
            r.text.contains("<header>") && r.text.contains(r#"href="/reserves""#),
            "{path}: the page has the header and the menu"
        );
        assert!(
            r.text.contains(r#"class="button secondary" href="/"#),
            "{path}: a way back"
        );
        assert!(!r.text.contains("javascript:"), "{path}: no script needed");
    }
    let mut en = app.browser();
    en.accept_language = "en-GB,en;q=0.9".into();
    let r = en.get("/no/such/page");
    assert!(r.text.contains("There is no such page"), "{}", r.text);
    // The API keeps its JSON body for the same cases.
    let r = app.get("/api/v1/units/abc", &admin);
    assert_eq!((r.status, r.code().as_str()), (404, "not_found"));
}

#[test]
fn head_is_answered_wherever_get_is() {
    let app = spawn_app();
    let mut b = app.browser();
    let login = b.head("/login");
    assert_eq!(login.status, 200);
    assert!(login.text.is_empty(), "no body for HEAD");
    assert_eq!(
        b.head("/reserves").status,
        303,
        "signed out: to the sign-in page"
    );
    b.sign_in("admin", crate::helpers::ADMIN_PASSWORD);
    assert_eq!(b.head("/reserves").status, 200);
    assert_eq!(b.head("/no/such/page").status, 404);
}

#[test]
fn the_sign_in_page_says_when_to_try_again_after_too_many_failures() {
    let app = spawn_app();
    let mut b = app.browser();
    b.get("/login");
    let mut last = None;
    for _ in 0..6 {
        last = Some(b.post(
            "/login",
            &[("username", "admin"), ("password", "wrong password here")],
        ));
    }
    let blocked = last.unwrap();
    assert_eq!(blocked.status, 429, "{}", blocked.text);
    let retry: i64 = blocked.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    assert!(blocked.text.contains("<header>"), "a page, with the header");
}
