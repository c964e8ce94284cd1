//! The calendar page as people use it: a viewer reads a year (marks in colour and in text, the warning for a
//! year not entered), administrators set days, mark years and import files on forms without JavaScript.

use crate::calendar::{day, viewer};
use crate::helpers::{multipart, spawn_app, ADMIN_PASSWORD, PASSWORD};

#[test]
fn a_viewer_reads_a_year_with_its_holidays_marked_and_is_warned_of_a_year_not_entered() {
    let app = spawn_app();
    let admin = app.admin_token();
    viewer(&app, &admin);
    let mut browser = app.browser();
    browser.sign_in("viewer", PASSWORD);
    let home = browser.get("/");
    assert!(
        home.text.contains("href=\"/calendar\""),
        "the menu links the calendar"
    );

    let page = browser.get("/calendar?year=2026");
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("2026 年节假日安排"));
    assert!(page.text.contains("2026 年的放假安排已录入"));
    // 10月1日 is a holiday (red and 休), 10月10日 an adjusted workday (yellow and 班).
    assert!(
        page.text
            .contains("title=\"2026-10-01 法定节假日：国庆节\">1<small>休</small>"),
        "{}",
        page.text
    );
    assert!(page
        .text
        .contains("title=\"2026-10-10 调休上班：国庆节\">10<small>班</small>"));
    assert!(page
        .text
        .contains("class=\"weekend\" title=\"2026-10-17 休息日\">17</td>"));
    assert!(page.text.contains("<strong>春节</strong>"));
    assert!(
        page.text
            .contains("02-15（星期日） – 02-23（星期一），共 9 天"),
        "the named holidays are listed"
    );
    assert!(
        !page.text.contains("action=\"/calendar/days\""),
        "a viewer has no forms"
    );
    assert_eq!(page.text.matches("<section class=\"month\"").count(), 12);

    let later = browser.get("/calendar?year=2027");
    assert!(
        later.text.contains("2027 年的放假安排尚未录入"),
        "{}",
        later.text
    );
    assert_eq!(browser.get("/calendar?year=1900").status, 422);
    browser.post(
        "/language",
        &[("lang", "en"), ("next", "/calendar?year=2027")],
    );
    let english = browser.get("/calendar?year=2027");
    assert!(
        english
            .text
            .contains("the arrangement for 2027 has not been entered"),
        "{}",
        english.text
    );

    // A viewer's form is refused and changes nothing.
    browser.get("/calendar?year=2027");
    let refused = browser.post(
        "/calendar/days",
        &[
            ("date", "2027-02-06"),
            ("kind", "adjusted_workday"),
            ("name", "春节"),
            ("action", "set"),
        ],
    );
    assert_eq!(refused.status, 403);
    assert_eq!(day(&app, &admin, "2027-02-06")["kind"], "weekend");
}

#[test]
fn an_administrator_sets_days_marks_the_year_and_imports_files_on_the_page() {
    let app = spawn_app();
    let admin = app.admin_token();
    let mut browser = app.browser();
    browser.sign_in("admin", ADMIN_PASSWORD);
    let page = browser.get("/calendar?year=2027");
    assert!(
        page.text.contains("action=\"/calendar/days\"")
            && page.text.contains("action=\"/calendar/import\"")
    );

    let wednesday = browser.post(
        "/calendar/days",
        &[
            ("year", "2027"),
            ("date", "2027-02-10"),
            ("kind", "adjusted_workday"),
            ("name", "春节"),
            ("action", "set"),
        ],
    );
    assert_eq!(wednesday.status, 422, "{}", wednesday.text);
    assert!(
        wednesday.text.contains("2027-02-10 是星期三"),
        "{}",
        wednesday.text
    );
    assert!(
        wednesday.text.contains("value=\"春节\""),
        "what was typed stays"
    );
    assert!(wednesday
        .text
        .contains("value=\"adjusted_workday\" selected"));

    let set = browser.post(
        "/calendar/days",
        &[
            ("year", "2027"),
            ("date", "2027-02-06"),
            ("kind", "adjusted_workday"),
            ("name", "春节"),
            ("action", "set"),
        ],
    );
    assert_eq!(
        (set.status, set.header("location")),
        (303, Some("/calendar?year=2027")),
        "{}",
        set.text
    );
    let shown = browser.get("/calendar?year=2027");
    assert!(
        shown
            .text
            .contains("2027-02-06 星期六 现为调休上班（春节）"),
        "{}",
        shown.text
    );
    assert!(shown.text.contains(">6<small>班</small>"));

    let unmarkable = browser.post(
        "/calendar/years",
        &[("year", "2027"), ("covered", "yes"), ("note", "通知")],
    );
    assert_eq!(
        unmarkable.status, 409,
        "a year without a holiday: {}",
        unmarkable.text
    );
    assert!(
        unmarkable.text.contains("还没有任何法定节假日")
            && unmarkable.text.contains("value=\"通知\"")
    );

    let cleared = browser.post(
        "/calendar/days",
        &[
            ("year", "2027"),
            ("date", "2027-02-06"),
            ("kind", "workday"),
            ("action", "clear"),
        ],
    );
    assert_eq!(cleared.status, 303);
    assert_eq!(day(&app, &admin, "2027-02-06")["kind"], "weekend");

    browser.get("/calendar?year=2027");
    let csrf = browser.csrf.clone().unwrap();
    let broken = "日期,类型,名称\n2027-01-01,法定节假日,元旦\n2027-02-08,调休上班,春节\n";
    let body = multipart(
        "B0UND",
        &csrf,
        &[("year", "2027")],
        Some(("file", "2027.csv", broken.as_bytes())),
    );
    let refused = browser.post_multipart("/calendar/import", "B0UND", &body);
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused
            .text
            .contains("<td data-label=\"行号\">3</td><td data-label=\"列\">类型</td>"),
        "{}",
        refused.text
    );
    assert_eq!(
        day(&app, &admin, "2027-01-01")["kind"],
        "workday",
        "nothing was imported"
    );

    let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:元旦\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270206\r\nSUMMARY:春节（班）\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let body = multipart(
        "B0UND",
        &csrf,
        &[("year", "")],
        Some(("file", "holidays.ics", ics.as_bytes())),
    );
    let imported = browser.post_multipart("/calendar/import", "B0UND", &body);
    assert_eq!(
        (imported.status, imported.header("location")),
        (303, Some("/calendar?year=2027")),
        "{}",
        imported.text
    );
    let after = browser.get("/calendar?year=2027");
    assert!(
        after.text.contains("已导入 2027 年的放假安排"),
        "{}",
        after.text
    );
    assert!(
        after.text.contains("2027 年的放假安排已录入")
            && after.text.contains("导入自 holidays.ics")
    );
    assert_eq!(day(&app, &admin, "2027-02-06")["name"], "春节");

    let garbage = multipart(
        "B0UND",
        &csrf,
        &[],
        Some(("file", "x.ics", b"\x00\x01\x02binary")),
    );
    let refused = browser.post_multipart("/calendar/import", "B0UND", &garbage);
    assert_eq!(refused.status, 422);
    assert!(
        refused.text.contains("不是可导入的日历文件"),
        "{}",
        refused.text
    );

    let unmark = browser.post(
        "/calendar/years",
        &[("year", "2027"), ("covered", "no"), ("note", "")],
    );
    assert_eq!(unmark.status, 303);
    assert!(browser.get("/calendar?year=2027").text.contains("尚未录入"));
}
