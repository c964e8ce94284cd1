//! Importing a year's arrangement through the API: a CSV table all or nothing with the bad row and column named,
//! an ICS calendar (multi-day events, working-day events, folded lines), and files that are not calendars.

use serde_json::json;

use crate::calendar::{day, kind, viewer, year};
use crate::helpers::{spawn_app, Resp, TestApp};

/// Posts a file to the import.
pub(crate) fn import(
    app: &TestApp,
    token: &str,
    query: &str,
    content_type: &str,
    body: &str,
) -> Resp {
    app.api_raw(
        "POST",
        &format!("/api/v1/calendar/import{query}"),
        token,
        content_type,
        body,
    )
}

const CSV_2027: &str = "\u{feff}日期,类型,名称\n2027-01-01,法定节假日,元旦\n2027-02-06,调休上班,春节\n2027/02/10,休,春节\n2027-02-11,holiday,春节\n2027-02-12,法定节假日,春节\n";

#[test]
fn a_csv_import_replaces_a_year_all_or_nothing_naming_the_bad_row_and_column() {
    let app = spawn_app();
    let admin = app.admin_token();
    let audit = app.audit_count(&admin);
    let broken = "日期,类型,名称\n2027-01-01,法定节假日,元旦\n2027-02-08,调休上班,春节\n2027-02-10,放风筝,春节\n2027-02-11,法定节假日,\n";
    let refused = import(&app, &admin, "", "text/csv", broken);
    assert_eq!(
        (refused.status, refused.code()),
        (422, "invalid_rows".to_string()),
        "{}",
        refused.text
    );
    let rows: Vec<(i64, String)> = refused.json()["error"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["row"].as_i64().unwrap(),
                r["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [(3, "类型".into()), (4, "类型".into()), (5, "名称".into())]
    );
    assert!(refused.text.contains("星期一"), "{}", refused.text);
    assert_eq!(
        year(&app, &admin, 2027)["covered"],
        false,
        "nothing was imported"
    );
    assert_eq!(kind(&app, &admin, "2027-01-01"), "workday");
    assert_eq!(app.audit_count(&admin), audit);

    let done = import(&app, &admin, "", "text/csv", CSV_2027);
    assert_eq!(done.status, 200, "{}", done.text);
    let s = done.json();
    assert_eq!(
        (s["format"].as_str(), s["years"].clone()),
        (Some("csv"), json!([2027]))
    );
    assert_eq!(
        (s["holidays"].as_i64(), s["adjusted_workdays"].as_i64()),
        (Some(4), Some(1))
    );
    let y = year(&app, &admin, 2027);
    assert_eq!(
        (y["covered"].as_bool(), y["days"].as_array().unwrap().len()),
        (Some(true), 5)
    );
    assert_eq!(kind(&app, &admin, "2027-02-10"), "holiday");
    assert_eq!(
        app.audit_count(&admin),
        audit + 1,
        "one record per year imported"
    );

    // A year imported again is replaced whole; other years in the file are left alone with `year`.
    let again = "日期,类型,名称\n2027-01-01,法定节假日,元旦\n2026-10-09,法定节假日,国庆节\n";
    let only = import(&app, &admin, "?year=2027", "text/csv", again);
    assert_eq!(
        (only.status, only.json()["skipped"].as_i64()),
        (200, Some(1)),
        "{}",
        only.text
    );
    assert_eq!(
        year(&app, &admin, 2027)["days"].as_array().unwrap().len(),
        1
    );
    assert_eq!(kind(&app, &admin, "2027-02-10"), "workday");
    assert_eq!(
        kind(&app, &admin, "2026-10-09"),
        "workday",
        "2026 was not touched"
    );
    assert_eq!(kind(&app, &admin, "2026-10-01"), "holiday");
}

#[test]
fn an_ics_import_reads_multi_day_and_working_day_events_and_refuses_what_is_not_a_calendar() {
    let app = spawn_app();
    let admin = app.admin_token();
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//standby test//CN\r\nX-WR-CALNAME:中国法定节假日\r\n\
BEGIN:VEVENT\r\nUID:2027-national@test\r\nDTSTART;VALUE=DATE:20271001\r\nDTEND;VALUE=DATE:20271008\r\n\
SUMMARY:国庆节\r\nDESCRIPTION:10月1日至7日放假调休，共7天。这一行很长，被折叠\r\n 成两行。\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:2027-national-work@test\r\nDTSTART;VALUE=DATE:20270926\r\nSUMMARY:国庆节 补班\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:2027-new-year@test\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMA\r\n RY:元旦\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let done = import(&app, &admin, "", "text/calendar", ics);
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(
        (
            done.json()["format"].as_str(),
            done.json()["holidays"].as_i64()
        ),
        (Some("ics"), Some(8))
    );
    let token = viewer(&app, &admin);
    assert_eq!(kind(&app, &token, "2027-10-07"), "holiday");
    assert_eq!(
        kind(&app, &token, "2027-10-08"),
        "workday",
        "DTEND is the day after the last"
    );
    assert_eq!(day(&app, &token, "2027-09-26")["kind"], "adjusted_workday");
    assert_eq!(day(&app, &token, "2027-09-26")["name"], "国庆节");
    assert_eq!(day(&app, &token, "2027-01-01")["name"], "元旦");
    assert_eq!(year(&app, &token, 2027)["covered"], true);

    let audit = app.audit_count(&admin);
    let png = "\u{89}PNG\r\n\u{1a}\n\0\0\0\rIHDR";
    let hostile = [
        ("image/png", png.to_string()),
        ("text/html", "<!doctype html><html><body>日历</body></html>".to_string()),
        ("text/calendar", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20280101\r\nSUMMARY:元旦\r\n".to_string()),
        ("text/calendar", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20280101\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:元旦\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".to_string()),
        ("text/calendar", format!("BEGIN:VCALENDAR\r\nX-PAD:{}\r\nEND:VCALENDAR\r\n", "x".repeat(2 << 20))),
        ("text/calendar", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20280101T090000Z\r\nSUMMARY:会议\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".to_string()),
        ("text/calendar", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20281004\r\nSUMMARY:补班\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".to_string()),
        ("text/plain", String::new()),
    ];
    for (content_type, body) in hostile {
        let r = import(&app, &admin, "", content_type, &body);
        assert_eq!(
            r.status,
            422,
            "{content_type} {}: {}",
            &body[..body.len().min(40)],
            r.text
        );
        assert!(!r.json()["error"]["message"].as_str().unwrap().is_empty());
    }
    let not_calendar = import(&app, &admin, "", "image/png", png);
    assert!(not_calendar.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("不是可导入的日历文件"));
    assert_eq!(import(&app, &token, "", "text/calendar", ics).status, 403);
    assert_eq!(app.audit_count(&admin), audit, "nothing was written");
    assert_eq!(year(&app, &token, 2028)["covered"], false);
    assert!(year(&app, &token, 2028)["days"]
        .as_array()
        .unwrap()
        .is_empty());
}
